//! Every rule of the NetworkPolicy (E) and Ingress / Gateway API (G, H)
//! specifications in `docs/spec` is cited by at least one test, by its id
//! (`E.5.6`, `H.3.6`, …) in a test source: issues 13 and 14 ask that every
//! rule have a test that names it, and this keeps it so when rules are
//! added.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

/// The rule ids a spec file defines: list items that start with `- X.n.m`.
fn rule_ids(spec: &str, letters: &[char]) -> BTreeSet<String> {
    let text = std::fs::read_to_string(common::repo().join("docs/spec").join(spec))
        .unwrap_or_else(|e| panic!("docs/spec/{spec}: {e}"));
    text.lines()
        .filter_map(|l| l.strip_prefix("- "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|id| {
            let mut parts = id.split('.');
            let letter = parts.next().and_then(|p| p.chars().next());
            letter.is_some_and(|c| letters.contains(&c))
                && id.len() > 1
                && id[1..].starts_with('.')
                && parts.clone().count() == 2
                && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        })
        .map(str::to_owned)
        .collect()
}

/// The text of every test source: Rust integration and unit-test files,
/// the page's wasm tests, and the npm and end-to-end tests.
fn test_sources() -> String {
    fn walk(dir: &Path, out: &mut String) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name()
                    .is_some_and(|n| n != "node_modules" && n != "snapshots")
                {
                    walk(&p, out);
                }
            } else if p.extension().is_some_and(|x| x == "rs" || x == "mjs") {
                out.push_str(&std::fs::read_to_string(&p).unwrap_or_default());
                out.push('\n');
            }
        }
    }
    let root = common::repo();
    let mut out = String::new();
    // The lints' documentation (the `///` lines of `codes.rs` and
    // `src/rules`): each lint's Example and "Use instead" run in
    // `rule_docs.rs`, so the spec rules a lint's References cite are tested
    // by them.
    let mut docs = vec![root.join("crates/portolan_core/src/codes.rs")];
    for e in std::fs::read_dir(root.join("crates/portolan_core/src/rules"))
        .expect("src/rules")
        .flatten()
    {
        docs.push(e.path());
    }
    for file in docs {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for line in text.lines().filter(|l| l.trim_start().starts_with("///")) {
            out.push_str(line);
            out.push('\n');
        }
    }
    for dir in [
        "crates/portolan_core/tests",
        "crates/portolan_cli/tests",
        "crates/portolan_wasm/tests",
        "www/tests",
        "tests/npm",
        "tests/e2e",
    ] {
        walk(&root.join(dir), &mut out);
    }
    out
}

/// Whether `text` names `id` as a whole id (`E.5.1` is not cited by
/// `E.5.10`).
fn cites(text: &str, id: &str) -> bool {
    text.match_indices(id).any(|(i, _)| {
        let after = text[i + id.len()..].chars().next();
        let before = text[..i].chars().next_back();
        !after.is_some_and(|c| c.is_ascii_digit())
            && !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
    })
}

#[test]
fn every_e_g_and_h_rule_is_cited_by_a_test() {
    let sources = test_sources();
    let mut rules = rule_ids("network-policy.md", &['E']);
    assert!(rules.len() > 50, "the E rules were not read: {rules:?}");
    let http = rule_ids("ingress-gateway.md", &['G', 'H']);
    assert!(http.len() > 60, "the G and H rules were not read: {http:?}");
    rules.extend(http);
    let missing: Vec<&String> = rules.iter().filter(|id| !cites(&sources, id)).collect();
    assert!(
        missing.is_empty(),
        "no test cites these rules (write one that names the id): {missing:?}"
    );
}

#[test]
fn a_citation_is_a_whole_id() {
    assert!(cites("// E.5.1: x", "E.5.1"));
    assert!(cites("(E.5.1)", "E.5.1"));
    assert!(!cites("// E.5.10", "E.5.1"));
    assert!(!cites("// XE.5.1", "E.5.1"));
    assert!(!cites("// E.5", "E.5.1"));
}
