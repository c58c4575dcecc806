//! The fixture harness: every YAML file under `tests/fixtures` states its
//! complete expected outcome inline (`# expect: CODE [ErrorType FIELD]`).

mod common;

use std::path::{Path, PathBuf};

use portolan_core::analysis::analyze;
use portolan_core::output::diagnostic_location;
use portolan_core::profile::Profile;
use portolan_core::source::Source;

#[derive(Debug, Clone, PartialEq)]
struct Expect {
    line: usize,
    code: String,
    detail: Option<(String, String)>,
}

fn expectations(text: &str) -> Vec<Expect> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some((_, rest)) = line.split_once("# expect:") else {
            continue;
        };
        for part in rest.split(" | ") {
            let words: Vec<&str> = part.split_whitespace().collect();
            let Some(code) = words.first() else { continue };
            let detail = (words.len() >= 3).then(|| (words[1].to_owned(), words[2].to_owned()));
            out.push(Expect {
                line: i + 1,
                code: (*code).to_owned(),
                detail,
            });
        }
    }
    out
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

/// The profile a fixture asks for (`# profile: JSON`), or the default.
fn profile_of(text: &str) -> Profile {
    text.lines()
        .find_map(|l| l.strip_prefix("# profile: "))
        .map_or_else(Profile::default, |j| Profile::from_json(j).unwrap())
}

#[test]
fn every_fixture_yields_exactly_its_expectations() {
    let dir = common::repo().join("tests/fixtures");
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    paths.sort();
    assert!(
        paths.len() >= 15,
        "fixtures missing under {}",
        dir.display()
    );
    let mut failures = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let profile = profile_of(&text);
        let name = path.strip_prefix(&dir).unwrap().display().to_string();
        let analysis = analyze(vec![Source::new(name.clone(), text.clone())], &profile).unwrap();
        let mut expected = expectations(&text);
        let mut unexpected = Vec::new();
        for d in &analysis.diagnostics {
            let line = diagnostic_location(&analysis, d).line;
            let pos = expected.iter().position(|e| {
                e.line == line
                    && e.code == d.code
                    && e.detail.as_ref().is_none_or(|(t, f)| {
                        d.error_type.map(portolan_core::diag::ErrorType::as_str) == Some(t.as_str())
                            && d.field.as_deref() == Some(f.as_str())
                    })
            });
            let quiet_info = d.severity == portolan_core::diag::Severity::Info
                && !text.contains(&format!("expect: {}", d.code));
            match pos {
                Some(i) => drop(expected.remove(i)),
                None if quiet_info => {}
                None => unexpected.push(format!(
                    "  unexpected {name}:{line}: {} {} {} — {}",
                    d.code,
                    d.error_type.map_or("-", |t| t.as_str()),
                    d.field.as_deref().unwrap_or("-"),
                    d.message
                )),
            }
        }
        failures.extend(unexpected);
        failures.extend(
            expected
                .iter()
                .map(|e| format!("  missing {name}:{}: {} {:?}", e.line, e.code, e.detail)),
        );
    }
    assert!(
        failures.is_empty(),
        "fixture mismatches:\n{}",
        failures.join("\n")
    );
}

/// The human format of each fixture, checked alone with its profile, as a
/// reviewed snapshot of its own (insta, `snapshots/fixtures/`): the
/// rustc-style rendering, carets under the exact node, notes and help.
#[test]
fn human_output_of_each_fixture() {
    let dir = common::repo().join("tests/fixtures");
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    paths.sort();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.strip_prefix(&dir).unwrap().display().to_string();
        let analysis = analyze(
            vec![Source::new(name.clone(), text.clone())],
            &profile_of(&text),
        )
        .unwrap();
        let snapshot = name.trim_end_matches(".yaml").replace('/', "__");
        insta::with_settings!({
            snapshot_path => "snapshots/fixtures",
            prepend_module_to_snapshot => false,
            description => name.as_str(),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(snapshot, portolan_core::output::human::check(&analysis, false));
        });
    }
}
