//! Helpers shared by the integration tests: where the shared material lives.

#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared` next to the checkout (read in place, never copied).
pub fn shared() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = root.join("../shared");
    assert!(
        shared.is_dir(),
        "../shared is missing next to the checkout ({})",
        shared.display()
    );
    shared
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}
