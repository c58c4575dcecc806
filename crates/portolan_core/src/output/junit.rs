//! `--format junit`: one test suite per file, one test case per object; a
//! case fails when the API server would reject its object. Warnings are
//! reported in `system-out`. Findings outside any object (a syntax error)
//! get a case of their own.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::diagnostic_location;
use crate::analysis::{Analysis, enclosing};
use crate::diag::Severity;

fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

#[derive(Default)]
struct Case {
    failures: Vec<String>,
    notes: Vec<String>,
}

pub fn check(analysis: &Analysis) -> String {
    let suites = suites(analysis);
    let total: usize = suites.values().map(BTreeMap::len).sum();
    let failed: usize = suites
        .values()
        .flat_map(BTreeMap::values)
        .filter(|c| !c.failures.is_empty())
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"portolan\" tests=\"{total}\" failures=\"{failed}\" errors=\"0\">"
    );
    for (source, cases) in &suites {
        let file = analysis
            .sources
            .get(*source)
            .map_or("", |s| s.name.as_str());
        let f = cases.values().filter(|c| !c.failures.is_empty()).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f}\" errors=\"0\">",
            xml(file),
            cases.len()
        );
        for (name, case) in cases {
            write_case(&mut out, name, file, case);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// The cases of each file (by source index): one per object and per
/// finding outside any object, each with its failures and notes.
fn suites(analysis: &Analysis) -> BTreeMap<usize, BTreeMap<String, Case>> {
    // file -> case name -> case
    let mut suites: BTreeMap<usize, BTreeMap<String, Case>> = BTreeMap::new();
    for (i, _) in analysis.sources.iter().enumerate() {
        suites.entry(i).or_default();
    }
    for o in &analysis.objects {
        let name = format!("{} {}/{}", o.kind.value, o.namespace, o.name());
        suites.entry(o.source).or_default().entry(name).or_default();
    }
    for d in &analysis.diagnostics {
        let l = diagnostic_location(analysis, d);
        let name = match enclosing(&analysis.objects, d) {
            Some(o) => format!("{} {}/{}", o.kind.value, o.namespace, o.name()),
            None => format!("document at line {}", l.line),
        };
        let text = format!(
            "{}:{}:{}: {} [{}]",
            l.file, l.line, l.column, d.message, d.code
        );
        let case = suites.entry(d.source).or_default().entry(name).or_default();
        if d.severity == Severity::Error {
            case.failures.push(text);
        } else {
            case.notes.push(text);
        }
    }
    suites
}

/// One `<testcase>`: its first failure as the message, all of them as the
/// text, and its notes in `system-out`.
fn write_case(out: &mut String, name: &str, file: &str, case: &Case) {
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\"",
        xml(name),
        xml(file)
    );
    if case.failures.is_empty() && case.notes.is_empty() {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    if let Some(first) = case.failures.first() {
        let _ = writeln!(
            out,
            "      <failure message=\"{}\" type=\"kubernetes\">{}</failure>",
            xml(first),
            xml(&case.failures.join("\n"))
        );
    }
    if !case.notes.is_empty() {
        let _ = writeln!(
            out,
            "      <system-out>{}</system-out>",
            xml(&case.notes.join("\n"))
        );
    }
    out.push_str("    </testcase>\n");
}
