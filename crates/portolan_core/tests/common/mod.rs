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
