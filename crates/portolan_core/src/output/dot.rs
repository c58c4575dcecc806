//! `portolan graph --format dot`: Graphviz.

use std::fmt::Write as _;

use crate::graph::{NodeKind, RoutingGraph};

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

pub fn render(g: &RoutingGraph) -> String {
    let mut s = String::from(
        "digraph portolan {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n",
    );
    for n in g.nodes() {
        let shape = match n.kind {
            NodeKind::Service => "box",
            NodeKind::ServicePort => "ellipse",
            NodeKind::Pod => "box3d",
            NodeKind::External => "doublecircle",
            _ => "oval",
        };
        let _ = writeln!(
            s,
            "  \"{}\" [label=\"{}\", shape={shape}{}];",
            dot_escape(&n.id),
            dot_escape(&n.label),
            if n.synthetic { ", style=dashed" } else { "" }
        );
    }
    for e in g.edges() {
        let _ = writeln!(
            s,
            "  \"{}\" -> \"{}\" [label=\"{}\"{}];",
            dot_escape(&e.from),
            dot_escape(&e.to),
            dot_escape(&e.label),
            if e.kind.is_some() {
                ", style=dashed"
            } else {
                ""
            }
        );
    }
    s.push_str("}\n");
    s
}
