//! `portolan reach` in every format: `json` and `csv` list each
//! connection; `human`, `md` and `dot` aggregate the pods of a workload
//! where they all agree (interfaces.md §6.2), from the classes of pods
//! without listing the pairs ([`Answer::rows`]).

use std::fmt::Write as _;

use crate::netpol::PolicyRef;
use crate::reach::{Answer, Reach};

pub fn json(r: &Reach) -> String {
    super::json_text(r)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

pub fn csv(r: &Reach) -> String {
    let mut s = String::from("from,to,port,protocol,via,verdict,policies\n");
    for c in &r.connections {
        let policies: Vec<String> = c
            .policies
            .iter()
            .map(|p| format!("{}/{}:{}:{}", p.namespace, p.name, p.direction, p.effect))
            .collect();
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{}",
            csv_field(&c.from),
            csv_field(&c.to),
            c.port,
            c.protocol,
            csv_field(c.via.as_deref().unwrap_or("")),
            c.verdict,
            csv_field(&policies.join(" "))
        );
    }
    s
}

fn policy_list(policies: &[PolicyRef]) -> String {
    policies
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn human(r: &Answer<'_>) -> String {
    let rows = r.rows();
    if rows.is_empty() {
        return "no connections: no pod matches --from and --to\n".to_owned();
    }
    let mut s = String::new();
    for row in &rows {
        let _ = write!(
            s,
            "{} → {} {}/{}{}: {}",
            row.from,
            row.to,
            row.port,
            row.protocol,
            row.via
                .as_ref()
                .map_or_else(String::new, |v| format!(" via {v}")),
            row.verdict
        );
        if !row.policies.is_empty() {
            let _ = write!(s, " by {}", policy_list(&row.policies));
        }
        if row.of > row.pairs {
            let _ = write!(s, " [{} of {} pod pairs]", row.pairs, row.of);
        } else if row.pairs > 1 {
            let _ = write!(s, " [{} pod pairs]", row.pairs);
        }
        s.push('\n');
    }
    let (allowed, all) = r.totals();
    let _ = writeln!(s, "summary: {allowed} of {all} connections allowed");
    s
}

pub fn md(r: &Answer<'_>) -> String {
    let mut s = String::from(
        "| from | to | port | via | verdict | policies |\n|---|---|---|---|---|---|\n",
    );
    for row in r.rows() {
        let _ = writeln!(
            s,
            "| `{}` | `{}` | {}/{} | {} | {} | {} |",
            row.from,
            row.to,
            row.port,
            row.protocol,
            row.via
                .map_or_else(|| "direct".to_owned(), |v| format!("`{v}`")),
            row.verdict,
            policy_list(&row.policies).replace('|', "\\|")
        );
    }
    s
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

pub fn dot(r: &Answer<'_>) -> String {
    let mut s = String::from(
        "digraph reach {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n",
    );
    for row in r.rows() {
        let color = if row.verdict == crate::netpol::Verdict::Allowed {
            "darkgreen"
        } else {
            "red"
        };
        let label = format!(
            "{}/{}{} {}",
            row.port,
            row.protocol,
            row.via
                .as_ref()
                .map_or_else(String::new, |v| format!(" via {v}")),
            row.verdict
        );
        let _ = writeln!(
            s,
            "  \"{}\" -> \"{}\" [label=\"{}\", color={color}, fontcolor={color}];",
            dot_escape(&row.from),
            dot_escape(&row.to),
            dot_escape(&label)
        );
    }
    s.push_str("}\n");
    s
}
