//! `cargo xtask setup`: each step checks what is installed first and does
//! nothing when it matches. Everything comes from crates.io, npm or Debian.

use std::path::Path;
use std::time::Instant;

use crate::util::{self, cmd, exec, locked_version, version_of};

pub const WASM_PACK: &str = "0.15.1";
/// 0.22 needs rustc 1.96.1; 0.21.14 builds on the pinned 1.95.
pub const TRUNK: &str = "0.21.14";
/// Runs on the stable toolchain with `-s none` and `RUSTC_BOOTSTRAP=1`.
pub const CARGO_FUZZ: &str = "0.13.2";

pub fn run_if_needed() -> Result<(), String> {
    if ready() { Ok(()) } else { self::run() }
}

/// Whether every tool is present at the right version (cheap checks only).
fn ready() -> bool {
    let Ok(wb) = locked_version("wasm-bindgen") else {
        return false;
    };
    target_installed()
        && Path::new("/usr/bin/chromium").exists()
        && Path::new("/usr/bin/chromedriver").exists()
        && version_of("wasm-bindgen", "--version").is_some_and(|v| v.ends_with(&wb))
        && version_of("wasm-pack", "--version").is_some_and(|v| v.ends_with(WASM_PACK))
        && version_of("trunk", "--version").is_some_and(|v| v.ends_with(TRUNK))
        && version_of("cargo-fuzz", "--version").is_some_and(|v| v.ends_with(CARGO_FUZZ))
        && npm_ready()
}

fn target_installed() -> bool {
    let (_, out) = util::capture(cmd("rustup").args(["target", "list", "--installed"]));
    out.lines().any(|l| l.trim() == "wasm32-unknown-unknown")
}

fn npm_ready() -> bool {
    let tests = util::root().join("tests");
    let lock = tests.join("package-lock.json");
    let installed = tests.join("node_modules/.package-lock.json");
    match (
        std::fs::metadata(&lock).and_then(|m| m.modified()),
        std::fs::metadata(&installed).and_then(|m| m.modified()),
    ) {
        (Ok(l), Ok(i)) => i >= l && tests.join("node_modules/.bin/wasm-opt").exists(),
        _ => false,
    }
}

pub fn run() -> Result<(), String> {
    let start = Instant::now();
    system_tools()?;
    cargo_tools()?;
    step(
        "npm: binaryen (wasm-opt), playwright-core, ajv",
        npm_ready,
        || {
            exec(
                cmd("npm")
                    .args(["ci", "--no-audit", "--no-fund", "--prefix", "tests"])
                    .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
            )
        },
    )?;
    // trunk passes --offline to cargo: have every crate in the local registry.
    exec(cmd("cargo").args(["fetch", "--quiet"]))?;
    println!("setup: done in {:.1}s", start.elapsed().as_secs_f64());
    Ok(())
}

/// The wasm32 target, and chromium with chromedriver from apt.
fn system_tools() -> Result<(), String> {
    step("wasm32 target", target_installed, || {
        exec(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
    })?;
    step(
        "chromium + chromedriver (apt)",
        || Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists(),
        || {
            exec(cmd("apt-get").arg("update").arg("-qq"))?;
            exec(
                cmd("apt-get")
                    .args([
                        "install",
                        "-y",
                        "-qq",
                        "--no-install-recommends",
                        "chromium",
                        "chromium-driver",
                    ])
                    .env("DEBIAN_FRONTEND", "noninteractive"),
            )
        },
    )?;
    Ok(())
}

/// The tools `cargo install` builds: wasm-bindgen-cli at the locked
/// version, wasm-pack, trunk and cargo-fuzz.
fn cargo_tools() -> Result<(), String> {
    // Cargo.lock must exist to know the wasm-bindgen version.
    if !util::root().join("Cargo.lock").exists() {
        exec(cmd("cargo").arg("generate-lockfile"))?;
    }
    let wb = locked_version("wasm-bindgen")?;
    step(
        &format!("wasm-bindgen-cli {wb}"),
        || version_of("wasm-bindgen", "--version").is_some_and(|v| v.ends_with(&wb)),
        // Without --locked: its lockfile wants a webpki-roots release the registry lacks.
        || exec(cmd("cargo").args(["install", "wasm-bindgen-cli", "--version", &wb, "--force"])),
    )?;
    step(
        &format!("wasm-pack {WASM_PACK}"),
        || version_of("wasm-pack", "--version").is_some_and(|v| v.ends_with(WASM_PACK)),
        || {
            exec(cmd("cargo").args([
                "install",
                "--locked",
                "wasm-pack",
                "--version",
                WASM_PACK,
                "--force",
            ]))
        },
    )?;
    step(
        &format!("trunk {TRUNK}"),
        || version_of("trunk", "--version").is_some_and(|v| v.ends_with(TRUNK)),
        || {
            exec(cmd("cargo").args([
                "install",
                "--locked",
                "trunk",
                "--version",
                TRUNK,
                "--force",
            ]))
        },
    )?;
    step(
        &format!("cargo-fuzz {CARGO_FUZZ}"),
        || version_of("cargo-fuzz", "--version").is_some_and(|v| v.ends_with(CARGO_FUZZ)),
        || {
            exec(cmd("cargo").args([
                "install",
                "--locked",
                "cargo-fuzz",
                "--version",
                CARGO_FUZZ,
                "--force",
            ]))
        },
    )?;
    Ok(())
}

fn step(
    name: &str,
    present: impl Fn() -> bool,
    install: impl Fn() -> Result<(), String>,
) -> Result<(), String> {
    if present() {
        println!("setup: {name}: present");
        return Ok(());
    }
    let t = Instant::now();
    println!("setup: {name}: installing");
    install()?;
    if !present() {
        return Err(format!("{name}: still missing after installing"));
    }
    println!(
        "setup: {name}: installed in {:.0}s",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
