//! `--format sarif`: SARIF 2.1.0, with real regions (columns in Unicode code
//! points, as `columnKind` says), rule metadata with help and helpUri, and
//! relatedLocations for findings that involve two objects.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{Location, diagnostic_location, locate};
use crate::analysis::Analysis;
use crate::codes::Rule;
use crate::diag::{Diagnostic, Severity};
use crate::rules;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative URI reference for a file name (percent-encoding all but
/// unreserved characters and `/`).
pub fn uri(file: &str) -> String {
    let mut out = String::with_capacity(file.len());
    for b in file.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn physical(l: &Location) -> Value {
    json!({
        "artifactLocation": { "uri": uri(&l.file) },
        "region": {
            "startLine": l.line,
            "startColumn": l.column,
            "endLine": l.end_line,
            "endColumn": l.end_column.max(if l.end_line == l.line { l.column + 1 } else { 1 }),
        }
    })
}

pub fn check(analysis: &Analysis) -> String {
    let all = rules::all();
    let rule_json: Vec<Value> = all.iter().map(rule).collect();
    let results: Vec<Value> = analysis
        .diagnostics
        .iter()
        .map(|d| result(analysis, &all, d))
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "portolan",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://portolan.dev",
                "rules": rule_json,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A rule's `reportingDescriptor`: its metadata, help and default level.
fn rule(r: &Rule) -> Value {
    json!({
        "id": r.code,
        "name": r.name,
        "shortDescription": { "text": r.summary },
        "fullDescription": { "text": r.summary },
        "help": { "text": r.markdown(), "markdown": r.markdown() },
        "helpUri": r.help_uri(),
        "defaultConfiguration": { "level": level(r.severity) },
        "properties": { "origin": r.origin },
    })
}

/// A finding as a SARIF `result`: its location, object, rule, related
/// locations and field properties.
fn result(analysis: &Analysis, all: &[Rule], d: &Diagnostic) -> Value {
    let loc = diagnostic_location(analysis, d);
    let mut location = json!({ "physicalLocation": physical(&loc) });
    if let Some(o) = &d.object {
        location["logicalLocations"] = json!([{
            "fullyQualifiedName": format!("{}/{}/{}", o.kind, o.namespace, o.name),
            "name": o.name,
            "kind": "object",
        }]);
    }
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str(" (");
        message.push_str(h);
        message.push(')');
    }
    let mut r = json!({
        "ruleId": d.code,
        "level": level(d.severity),
        "message": { "text": message },
        "locations": [location],
    });
    if let Some(i) = all.iter().position(|x| x.code == d.code) {
        r["ruleIndex"] = json!(i);
    }
    if !d.related.is_empty() {
        r["relatedLocations"] = Value::Array(
            d.related
                .iter()
                .enumerate()
                .map(|(i, rel)| {
                    json!({
                        "id": i + 1,
                        "physicalLocation": physical(&locate(analysis, rel.source, rel.span)),
                        "message": { "text": rel.message },
                    })
                })
                .collect(),
        );
    }
    let mut props = serde_json::Map::new();
    if let Some(f) = &d.field {
        props.insert("field".into(), json!(f));
    }
    if let Some(t) = d.error_type {
        props.insert("errorType".into(), json!(t.as_str()));
    }
    if !props.is_empty() {
        r["properties"] = Value::Object(props);
    }
    r
}
