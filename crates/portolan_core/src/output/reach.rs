//! `portolan reach` in every format: `json` and `csv` list each
//! connection; `human`, `md` and `dot` aggregate the pods of a workload
//! where they all agree (interfaces.md §6.2).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::reach::{Reach, ReachConnection};

pub fn json(r: &Reach) -> String {
    super::json_text(r)
}

fn policies(c: &ReachConnection) -> String {
    c.policies
        .iter()
        .map(|p| format!("{}/{} ({} {})", p.namespace, p.name, p.direction, p.effect))
        .collect::<Vec<_>>()
        .join(", ")
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

/// One line of an aggregated answer: a workload's pods (or one pod) on
/// each side, with how many pod pairs it stands for.
struct Row {
    from: String,
    to: String,
    port: i64,
    protocol: String,
    via: Option<String>,
    verdict: crate::netpol::Verdict,
    policies: String,
    pairs: usize,
}

fn group(label: &str, owner: Option<&str>) -> String {
    // `pod:NS/NAME` → `workload:NS/KIND/NAME` when a workload owns it.
    match (label.strip_prefix("pod:"), owner) {
        (Some(key), Some(owner)) => {
            let ns = key.split('/').next().unwrap_or("");
            format!("workload:{ns}/{owner}")
        }
        _ => label.to_owned(),
    }
}

/// Aggregate per workload where every pod pair of a group agrees.
fn rows(r: &Reach) -> Vec<Row> {
    type Key = (String, String, i64, String, Option<String>);
    let mut groups: BTreeMap<Key, Vec<&ReachConnection>> = BTreeMap::new();
    for c in &r.connections {
        groups
            .entry((
                group(&c.from, c.from_owner.as_deref()),
                group(&c.to, c.to_owner.as_deref()),
                c.port,
                c.protocol.to_string(),
                c.via.clone(),
            ))
            .or_default()
            .push(c);
    }
    let mut out = Vec::new();
    for ((from, to, port, protocol, via), members) in groups {
        let first = members[0];
        let agree = members
            .iter()
            .all(|c| c.verdict == first.verdict && c.policies == first.policies);
        if agree {
            out.push(Row {
                from,
                to,
                port,
                protocol,
                via,
                verdict: first.verdict,
                policies: policies(first),
                pairs: members.len(),
            });
        } else {
            out.extend(members.iter().map(|c| Row {
                from: c.from.clone(),
                to: c.to.clone(),
                port,
                protocol: protocol.clone(),
                via: via.clone(),
                verdict: c.verdict,
                policies: policies(c),
                pairs: 1,
            }));
        }
    }
    out
}

pub fn human(r: &Reach) -> String {
    let rows = rows(r);
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
            let _ = write!(s, " by {}", row.policies);
        }
        if row.pairs > 1 {
            let _ = write!(s, " [{} pod pairs]", row.pairs);
        }
        s.push('\n');
    }
    let allowed = r
        .connections
        .iter()
        .filter(|c| c.verdict == crate::netpol::Verdict::Allowed)
        .count();
    let _ = writeln!(
        s,
        "summary: {allowed} of {} connections allowed",
        r.connections.len()
    );
    s
}

pub fn md(r: &Reach) -> String {
    let mut s = String::from(
        "| from | to | port | via | verdict | policies |\n|---|---|---|---|---|---|\n",
    );
    for row in rows(r) {
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
            row.policies.replace('|', "\\|")
        );
    }
    s
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

pub fn dot(r: &Reach) -> String {
    let mut s = String::from(
        "digraph reach {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n",
    );
    for row in rows(r) {
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
