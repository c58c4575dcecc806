//! Every rendering, one format per file, written here so the native CLI,
//! the npm CLI and the page print the same bytes. Diagnostics, graphs,
//! traces, DNS answers and the rule list are turned into text only at this
//! edge.
//!
//! - `check`: [`human`], [`json`], [`sarif`], [`github`], [`junit`]
//! - `graph`: [`graph_json`], [`dot`], [`mermaid`]
//! - `trace`: [`trace`] (human; JSON is the `Trace`)
//! - `dns`: [`dns`] (human; JSON is the `DnsAnswer`)
//! - `reach`: [`reach`] (json, csv, human, md, dot)
//! - `rules`: [`rules`]

pub mod diff;
pub mod dns;
pub mod dot;
pub mod github;
pub mod graph_json;
pub mod human;
pub mod json;
pub mod junit;
pub mod mermaid;
pub mod reach;
pub mod rules;
pub mod sarif;
pub mod trace;

use serde::Serialize;

use crate::analysis::Analysis;
use crate::diag::Diagnostic;
use crate::source::Span;

/// `value` as pretty JSON with a final newline (every `--format json`).
pub fn json_text<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

/// A resolved location: file, 1-based start and end (end column exclusive
/// of the last character, like LSP's end).
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    #[serde(rename = "endLine")]
    pub end_line: usize,
    #[serde(rename = "endColumn")]
    pub end_column: usize,
}

pub fn locate(analysis: &Analysis, source: usize, span: Span) -> Location {
    let Some(src) = analysis.sources.get(source) else {
        return Location {
            file: String::new(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        };
    };
    let start = src.position(span.start());
    let end = src.position(span.end().max(span.start()));
    Location {
        file: src.name.clone(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

pub fn diagnostic_location(analysis: &Analysis, d: &Diagnostic) -> Location {
    locate(analysis, d.source, d.span)
}
