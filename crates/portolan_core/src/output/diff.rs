//! `portolan diff` in each format (interfaces.md §6.4): json, human, md (a
//! pull-request comment), sarif and github (error and warning changes, and
//! the introduced findings, at their HEAD location).

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Value, json};

use super::{Location, diagnostic_location, locate};
use crate::analysis::Analysis;
use crate::diag::Severity;
use crate::diff::{Change, Diff, Side};

/// Where a change points: its object's name on HEAD (or BASE).
fn location(c: &Change, base: &Analysis, head: &Analysis) -> Option<Location> {
    let (side, object) = c.at?;
    let a = if side == Side::Head { head } else { base };
    let o = a.objects.get(object)?;
    Some(locate(
        a,
        o.source,
        c.span.unwrap_or_else(|| o.anchor_span()),
    ))
}

/// One change as `diff --format json` prints it.
#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChangeJson<'a> {
    #[cfg_attr(
        feature = "ts",
        ts(
            type = "'service-added' | 'service-removed' | 'service-type-changed' | 'port-added' | 'port-removed' | 'port-changed' | 'endpoints-gained' | 'endpoints-lost' | 'service-unreachable' | 'service-reachable' | 'exposure-added' | 'exposure-removed' | 'reach-allowed' | 'reach-denied' | 'reference-broken' | 'reference-fixed'"
        )
    )]
    kind: &'a str,
    #[cfg_attr(feature = "ts", ts(as = "Severity"))]
    severity: &'a str,
    subject: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, as = "Option<Vec<String>>"))]
    pods: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    column: Option<usize>,
}

/// A finding introduced or fixed: where it is, and what it is about.
#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FindingJson<'a> {
    code: &'a str,
    #[cfg_attr(feature = "ts", ts(as = "Severity"))]
    severity: &'a str,
    message: &'a str,
    file: String,
    line: usize,
    column: usize,
    #[cfg_attr(feature = "ts", ts(as = "Option<crate::diag::ObjectRef>"))]
    object: Option<&'a crate::diag::ObjectRef>,
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    field: Option<&'a str>,
}

#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DiffFindings<'a> {
    introduced: Vec<FindingJson<'a>>,
    fixed: Vec<FindingJson<'a>>,
}

/// `portolan diff --format json` (interfaces.md §6.4).
#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DiffJson<'a> {
    #[cfg_attr(feature = "ts", ts(type = "1"))]
    version: u32,
    changes: Vec<ChangeJson<'a>>,
    findings: DiffFindings<'a>,
}

fn findings_json<'a>(a: &'a Analysis, list: &[usize]) -> Vec<FindingJson<'a>> {
    list.iter()
        .map(|&i| {
            let d = &a.diagnostics[i];
            let l = diagnostic_location(a, d);
            FindingJson {
                code: d.code,
                severity: d.severity.as_str(),
                message: &d.message,
                file: l.file,
                line: l.line,
                column: l.column,
                object: d.object.as_deref(),
                field: d.field.as_deref(),
            }
        })
        .collect()
}

pub fn json(d: &Diff, base: &Analysis, head: &Analysis) -> String {
    let changes: Vec<ChangeJson<'_>> = d
        .changes
        .iter()
        .map(|c| {
            let l = location(c, base, head);
            ChangeJson {
                kind: c.kind,
                severity: c.severity.as_str(),
                subject: &c.subject,
                before: c.before.as_deref(),
                after: c.after.as_deref(),
                message: &c.message,
                pods: c.pods.as_deref(),
                file: l.as_ref().map(|l| l.file.clone()),
                line: l.as_ref().map(|l| l.line),
                column: l.as_ref().map(|l| l.column),
            }
        })
        .collect();
    super::json_text(&DiffJson {
        version: 1,
        changes,
        findings: DiffFindings {
            introduced: findings_json(head, &d.introduced),
            fixed: findings_json(base, &d.fixed),
        },
    })
}

/// One line per change and per finding, then a summary line.
pub fn human(d: &Diff, base: &Analysis, head: &Analysis) -> String {
    let mut s = String::new();
    for c in &d.changes {
        let at = location(c, base, head).map_or(String::new(), |l| {
            format!("  ({}:{}:{})", l.file, l.line, l.column)
        });
        let _ = writeln!(
            s,
            "{:<7} {:<20} {}{at}",
            c.severity.as_str(),
            c.kind,
            c.message
        );
    }
    for (label, a, list) in [
        ("introduced", head, &d.introduced),
        ("fixed", base, &d.fixed),
    ] {
        for &i in list {
            let f = &a.diagnostics[i];
            let l = diagnostic_location(a, f);
            let _ = writeln!(
                s,
                "{:<7} finding {label:<12} {}: {}  ({}:{}:{})",
                f.severity.as_str(),
                f.code,
                f.message,
                l.file,
                l.line,
                l.column
            );
        }
    }
    let _ = writeln!(s, "{}", verdict(d, head));
    s
}

fn verdict(d: &Diff, head: &Analysis) -> String {
    let errors = d
        .changes
        .iter()
        .filter(|c| c.severity == Severity::Error)
        .count()
        + d.introduced
            .iter()
            .filter(|&&i| head.diagnostics[i].severity == Severity::Error)
            .count();
    let reach = match d.reach_changed.unwrap_or(0) {
        0 => String::new(),
        1 => ", 1 connection changes NetworkPolicy verdict".to_owned(),
        n => format!(", {n} connections change NetworkPolicy verdict"),
    };
    if d.changes.is_empty() && d.introduced.is_empty() && d.fixed.is_empty() && reach.is_empty() {
        return "no change to routing".to_owned();
    }
    format!(
        "{}: {} change(s), {} finding(s) introduced, {} fixed{reach}",
        if errors > 0 {
            format!("{errors} breaking")
        } else {
            "nothing breaks".to_owned()
        },
        d.changes.len(),
        d.introduced.len(),
        d.fixed.len()
    )
}

/// A Service's name in a subject (`service:NS/NAME:…`, `ingress:NS/NAME`;
/// the called Service of `workload:… -> service:…`).
fn group(subject: &str) -> String {
    let s = match subject.split_once(" -> ") {
        Some((_, to)) if to.starts_with("service:") => to,
        _ => subject.split(" -> ").next().unwrap_or(subject),
    };
    match s.strip_prefix("service:") {
        Some(rest) => format!("service:{}", rest.split(':').next().unwrap_or(rest)),
        None => s.to_owned(),
    }
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// A pull-request comment: the verdict, then one table per Service.
pub fn md(d: &Diff, base: &Analysis, head: &Analysis) -> String {
    let mut s = String::new();
    let icon = if d.failing(head) {
        "❌"
    } else if d.changes.is_empty() && d.introduced.is_empty() {
        "✅"
    } else {
        "⚠️"
    };
    let _ = writeln!(s, "### {icon} Portolan: {}\n", verdict(d, head));
    let mut groups = std::collections::BTreeMap::<String, Vec<&Change>>::new();
    for c in &d.changes {
        groups.entry(group(&c.subject)).or_default().push(c);
    }
    for (name, list) in groups {
        let _ = writeln!(
            s,
            "**`{name}`**\n\n| | change | before | after | where |\n|---|---|---|---|---|"
        );
        for c in list {
            let mark = match c.severity {
                Severity::Error => "🔴",
                Severity::Warning => "🟡",
                Severity::Info => "🔵",
            };
            let at = location(c, base, head)
                .map_or(String::new(), |l| format!("`{}:{}`", l.file, l.line));
            let _ = writeln!(
                s,
                "| {mark} | {} | {} | {} | {at} |",
                cell(&c.message),
                cell(c.before.as_deref().unwrap_or("")),
                cell(c.after.as_deref().unwrap_or(""))
            );
        }
        s.push('\n');
    }
    for (label, a, list) in [
        ("Findings introduced", head, &d.introduced),
        ("Findings fixed", base, &d.fixed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "**{label}**\n\n| | code | message | where |\n|---|---|---|---|"
        );
        for &i in list {
            let f = &a.diagnostics[i];
            let l = diagnostic_location(a, f);
            let _ = writeln!(
                s,
                "| {} | `{}` | {} | `{}:{}` |",
                f.severity.as_str(),
                f.code,
                cell(&f.message),
                l.file,
                l.line
            );
        }
        s.push('\n');
    }
    s
}

/// Error and warning changes, then introduced findings, each at its HEAD
/// location (a removal at its BASE one).
fn reported<'d>(
    d: &'d Diff,
    base: &'d Analysis,
    head: &'d Analysis,
) -> Vec<(&'d str, Severity, String, Option<Location>)> {
    let mut out: Vec<_> = d
        .changes
        .iter()
        .filter(|c| c.severity != Severity::Info)
        .map(|c| {
            (
                c.kind,
                c.severity,
                c.message.clone(),
                location(c, base, head),
            )
        })
        .collect();
    out.extend(d.introduced.iter().map(|&i| {
        let f = &head.diagnostics[i];
        (
            f.code,
            f.severity,
            f.message.clone(),
            Some(diagnostic_location(head, f)),
        )
    }));
    out
}

pub fn github(d: &Diff, base: &Analysis, head: &Analysis) -> String {
    let mut s = String::new();
    for (kind, severity, message, l) in reported(d, base, head) {
        let cmd = match severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let at = l.map_or(String::new(), |l| {
            format!(
                "file={},line={},col={},",
                super::github::escape_property(&l.file),
                l.line,
                l.column
            )
        });
        let _ = writeln!(
            s,
            "::{cmd} {at}title={}::{}",
            super::github::escape_property(&format!("portolan diff {kind}")),
            super::github::escape_data(&message)
        );
    }
    s
}

pub fn sarif(d: &Diff, base: &Analysis, head: &Analysis) -> String {
    let results: Vec<Value> = reported(d, base, head)
        .into_iter()
        .map(|(kind, severity, message, l)| {
            let mut r = json!({
                "ruleId": kind,
                "level": match severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Info => "note" },
                "message": { "text": message },
            });
            if let Some(l) = l {
                r["locations"] = json!([{ "physicalLocation": {
                    "artifactLocation": { "uri": super::sarif::uri(&l.file) },
                    "region": { "startLine": l.line, "startColumn": l.column },
                }}]);
            }
            r
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "portolan diff",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://portolan.dev",
            }},
            "results": results,
        }],
    });
    super::json_text(&doc)
}
