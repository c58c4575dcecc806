//! `--format github`: GitHub Actions workflow commands, one per finding,
//! with the workflow-command escaping of data and properties.

use std::fmt::Write as _;

use super::diagnostic_location;
use crate::analysis::Analysis;
use crate::diag::Severity;

/// Escaping of the message (`%`, CR, LF).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of property values (also `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn check(analysis: &Analysis) -> String {
    let mut out = String::new();
    for d in &analysis.diagnostics {
        let l = diagnostic_location(analysis, d);
        let cmd = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push('\n');
            message.push_str(h);
        }
        let _ = writeln!(
            out,
            "::{cmd} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&l.file),
            l.line,
            l.column,
            l.end_line,
            l.end_column,
            escape_property(&format!("portolan {}", d.code)),
            escape_data(&message)
        );
    }
    out
}
