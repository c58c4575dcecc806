//! Process helpers shared by the tasks.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root (where the top-level Cargo.toml is).
pub fn root() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    dir.ancestors()
        .nth(2)
        .map_or(dir.clone(), Path::to_path_buf)
}

pub fn home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from)
}

/// PATH with the project's tools first: cargo's bin and the npm-installed
/// binaries (binaryen's wasm-opt must win over any older one).
pub fn tool_path() -> String {
    let mut parts = vec![
        root().join("tests/node_modules/.bin").display().to_string(),
        home().join(".cargo/bin").display().to_string(),
    ];
    if let Some(p) = std::env::var_os("PATH") {
        parts.push(p.to_string_lossy().into_owned());
    }
    parts.join(":")
}

/// A command with the tool PATH and the offline switches set.
pub fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root())
        .env("PATH", tool_path())
        .env("TRUNK_OFFLINE", "true")
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    c
}

/// Run and fail on a non-zero exit, streaming output.
pub fn exec(c: &mut Command) -> Result<(), String> {
    let shown = format!("{c:?}");
    let status = c.status().map_err(|e| format!("{shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

/// Run, capturing stdout and stderr together into one string.
pub fn capture(c: &mut Command) -> (bool, String) {
    let shown = format!("{c:?}");
    match c.stdin(Stdio::null()).output() {
        Ok(o) => {
            let mut s = String::from_utf8_lossy(&o.stdout).into_owned();
            s.push_str(&String::from_utf8_lossy(&o.stderr));
            (o.status.success(), s)
        }
        Err(e) => (false, format!("{shown}: {e}")),
    }
}

/// The first line a tool prints for `--version`, or None when it is missing.
pub fn version_of(program: &str, arg: &str) -> Option<String> {
    let out = cmd(program).arg(arg).stdin(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let s =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    s.lines().next().map(|l| l.trim().to_owned())
}

/// The version of a crate in Cargo.lock.
pub fn locked_version(krate: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l.trim() == format!("name = \"{krate}\"")
            && let Some(v) = lines
                .next()
                .and_then(|v| v.trim().strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_owned());
        }
    }
    Err(format!("{krate} is not in Cargo.lock"))
}
