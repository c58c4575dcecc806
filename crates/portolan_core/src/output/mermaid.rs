//! `portolan graph --format mermaid`: a Mermaid flowchart.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::graph::RoutingGraph;

fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}

pub fn render(g: &RoutingGraph) -> String {
    let mut s = String::from("flowchart LR\n");
    let ids: BTreeMap<&str, usize> = g
        .nodes()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    for (i, n) in g.nodes().enumerate() {
        let _ = writeln!(s, "  n{i}[\"{}\"]", mermaid_text(&n.label));
    }
    for e in g.edges() {
        let _ = writeln!(
            s,
            "  n{} {}|\"{}\"| n{}",
            ids[e.from.as_str()],
            if e.kind.is_some() { "-.->" } else { "-->" },
            mermaid_text(&e.label),
            ids[e.to.as_str()]
        );
    }
    s
}
