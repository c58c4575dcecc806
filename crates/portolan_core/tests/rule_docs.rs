//! Every rule's documentation follows one template, and its examples are
//! fixtures: the Example fires the rule's code, the Use instead does not.

use portolan_core::analysis::analyze;
use portolan_core::profile::Profile;
use portolan_core::rules;
use portolan_core::source::Source;

/// The documentation template, in order.
const SECTIONS: [&str; 5] = [
    "## What it does",
    "## Why it matters",
    "## Example",
    "## Use instead",
    "## References",
];

/// Codes whose examples cannot be a short manifest, and the tests that
/// fire them instead.
const EXAMPLES_NOT_RUN: &[(&str, &str)] = &[
    (
        "invalid-utf8",
        "bytes that are not UTF-8 cannot be written in a doc comment: `source::tests::invalid_utf8_is_read_as_replacement_characters_and_remembered` and the wasm test `a_file_that_is_not_utf8_is_read_with_findings_at_the_bad_bytes`",
    ),
    (
        "yaml-limit",
        "the limits take thousands of levels or aliases: `yaml::tests::deep_nesting_is_bounded` and the alias-expansion tests beside it",
    ),
];

/// The sections of a rule's Markdown: (heading, body).
fn sections(markdown: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in markdown.lines() {
        if line.starts_with("## ") {
            out.push((line.to_owned(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

/// The first fenced block of a section, with its language.
fn block(body: &str) -> Option<(&str, String)> {
    let mut lines = body.lines();
    let lang = lines.find_map(|l| l.strip_prefix("```"))?;
    let code: Vec<&str> = lines.take_while(|l| !l.starts_with("```")).collect();
    Some((lang, code.join("\n") + "\n"))
}

fn codes_found(yaml: &str) -> Vec<&'static str> {
    let analysis = analyze(vec![Source::new("example.yaml", yaml)], &Profile::default())
        .expect("the default profile resolves");
    analysis.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn codes_are_unique_and_summaries_short() {
    let rules = rules::all();
    let mut codes: Vec<&str> = rules.iter().map(|r| r.code).collect();
    codes.sort_unstable();
    let n = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), n, "duplicate rule codes");
    for r in &rules {
        assert!(!r.summary.is_empty() && r.summary.len() < 120, "{}", r.code);
    }
}

#[test]
fn every_rule_follows_the_documentation_template() {
    for r in rules::all() {
        let sections = sections(&r.markdown());
        let headings: Vec<&str> = sections.iter().map(|(h, _)| h.as_str()).collect();
        assert_eq!(headings, SECTIONS, "{}: the doc comment's sections", r.code);
        for (heading, body) in &sections {
            assert!(!body.trim().is_empty(), "{}: {heading} is empty", r.code);
        }
    }
}

#[test]
fn every_example_fires_its_code_and_every_fix_stays_silent() {
    let mut failures = Vec::new();
    for r in rules::all() {
        let sections = sections(&r.markdown());
        let body = |name: &str| {
            sections
                .iter()
                .find(|(h, _)| h == name)
                .map(|(_, b)| b.clone())
                .unwrap_or_default()
        };
        let not_run = EXAMPLES_NOT_RUN.iter().any(|(c, _)| *c == r.code);
        for (section, fires) in [("## Example", true), ("## Use instead", false)] {
            let text = body(section);
            let Some((lang, yaml)) = block(&text) else {
                failures.push(format!("{}: {section} has no code block", r.code));
                continue;
            };
            if not_run {
                continue;
            }
            if lang != "yaml" {
                failures.push(format!("{}: {section} is `{lang}`, not `yaml`", r.code));
                continue;
            }
            let found = codes_found(&yaml);
            if found.contains(&r.code) != fires {
                failures.push(format!(
                    "{}: the {section} block {} the code (found {found:?})",
                    r.code,
                    if fires { "does not fire" } else { "fires" }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn examples_not_run_are_real_codes() {
    for (code, reason) in EXAMPLES_NOT_RUN {
        assert!(rules::find(code).is_some(), "{code}");
        assert!(!reason.is_empty());
    }
}
