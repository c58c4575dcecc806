//! `portolan rules` in `human` (one line per rule) or `json` (with the
//! documentation).

use std::fmt::Write as _;

use crate::codes::Rule;

pub fn render(format: &str) -> String {
    let rules = crate::rules::all();
    if format == "json" {
        #[derive(serde::Serialize)]
        struct RulesJson {
            version: u32,
            rules: Vec<Rule>,
        }
        return super::json_text(&RulesJson { version: 1, rules });
    }
    let mut s = String::new();
    for r in &rules {
        let _ = writeln!(
            s,
            "{:<28} {:<8} {:<10} {}",
            r.code,
            r.severity.as_str(),
            r.origin.as_str(),
            r.summary
        );
    }
    s
}
