//! The human format: rustc-style snippets with a caret under the node.

use std::fmt::Write as _;

use super::{Location, diagnostic_location};
use crate::analysis::Analysis;
use crate::diag::{Diagnostic, Severity};

struct Palette {
    on: bool,
}

impl Palette {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn severity(&self, s: Severity) -> String {
        match s {
            Severity::Error => self.paint("1;31", "error"),
            Severity::Warning => self.paint("1;33", "warning"),
            Severity::Info => self.paint("1;36", "info"),
        }
    }
    fn blue(&self, t: &str) -> String {
        self.paint("1;34", t)
    }
    fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }
}

/// Strip terminal control characters from text that came from the input.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

pub fn check(analysis: &Analysis, color: bool) -> String {
    let p = Palette { on: color };
    let mut out = String::new();
    for d in &analysis.diagnostics {
        render(analysis, d, &p, &mut out);
    }
    let errors = analysis.count(Severity::Error);
    let warnings = analysis.count(Severity::Warning);
    let files = analysis.sources.len();
    let objects = analysis.objects.len();
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    if errors == 0 && warnings == 0 {
        let _ = writeln!(
            out,
            "{} no problems in {} ({})",
            p.paint("1;32", "ok:"),
            plural(files, "file"),
            plural(objects, "object")
        );
    } else {
        let _ = writeln!(
            out,
            "{}: {}, {} in {} ({})",
            p.bold("summary"),
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(files, "file"),
            plural(objects, "object")
        );
    }
    out
}

fn render(analysis: &Analysis, d: &Diagnostic, p: &Palette, out: &mut String) {
    let loc = diagnostic_location(analysis, d);
    let _ = writeln!(
        out,
        "{}[{}]: {}",
        p.severity(d.severity),
        d.code,
        p.bold(&clean(&d.message))
    );
    let width = loc.line.max(loc.end_line).to_string().len();
    let pad = " ".repeat(width);
    let _ = writeln!(
        out,
        "{pad}{} {}:{}:{}",
        p.blue("-->"),
        loc.file,
        loc.line,
        loc.column
    );
    render_snippet(analysis, d, &loc, &pad, p, out);
    render_notes(analysis, d, &pad, p, out);
    out.push('\n');
}

/// The source line of a diagnostic with carets under its span (nothing
/// when its source is unknown).
fn render_snippet(
    analysis: &Analysis,
    d: &Diagnostic,
    loc: &Location,
    pad: &str,
    p: &Palette,
    out: &mut String,
) {
    let Some(src) = analysis.sources.get(d.source) else {
        return;
    };
    let text = src.line_text(loc.line);
    let width = pad.len();
    let _ = writeln!(out, "{pad} {}", p.blue("|"));
    let _ = writeln!(
        out,
        "{} {} {}",
        p.blue(&format!("{:>width$}", loc.line)),
        p.blue("|"),
        clean(text)
    );
    let line_len = text.chars().count() + 1;
    let end = if loc.end_line == loc.line {
        loc.end_column
    } else {
        line_len
    };
    let carets = end.saturating_sub(loc.column).max(1);
    let lead: String = text
        .chars()
        .take(loc.column - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let marker = if d.severity == Severity::Error {
        p.paint("1;31", &"^".repeat(carets))
    } else {
        p.paint("1;33", &"^".repeat(carets))
    };
    let _ = writeln!(out, "{pad} {} {lead}{marker}", p.blue("|"));
}

/// The `=` lines under a snippet: the object, the field, related notes and help.
fn render_notes(analysis: &Analysis, d: &Diagnostic, pad: &str, p: &Palette, out: &mut String) {
    if let Some(o) = &d.object {
        let ns = if o.namespace.is_empty() {
            String::new()
        } else {
            format!("{}/", o.namespace)
        };
        let _ = writeln!(
            out,
            "{pad} {} object: {} {}{}",
            p.blue("="),
            o.kind,
            ns,
            clean(&o.name)
        );
    }
    if let (Some(f), Some(t)) = (&d.field, d.error_type) {
        let _ = writeln!(out, "{pad} {} field: {} ({})", p.blue("="), f, t.as_str());
    }
    for r in &d.related {
        let l = super::locate(analysis, r.source, r.span);
        let _ = writeln!(
            out,
            "{pad} {} note: {} at {}:{}:{}",
            p.blue("="),
            clean(&r.message),
            l.file,
            l.line,
            l.column
        );
    }
    if let Some(h) = &d.help {
        let _ = writeln!(out, "{pad} {} help: {}", p.blue("="), clean(h));
    }
}
