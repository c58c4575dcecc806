//! Helpers shared by the integration tests: where the shared material lives.

#![allow(dead_code)]

use std::path::PathBuf;

/// The test material kept in the repository: `tests/corpus` (real
/// published manifests, with their provenance and licences in
/// `tests/corpus/PROVENANCE.md`) and `tests/spec` (the selector vectors).
pub fn material() -> PathBuf {
    repo().join("tests")
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every YAML and JSON file of the corpus (`tests/corpus`), sorted.
pub fn corpus_files() -> Vec<PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("tests/corpus is in the repository") {
            let p = e.expect("a readable directory entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else if p
                .extension()
                .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
            {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&material().join("corpus"), &mut out);
    out.sort();
    out
}
