//! `cargo xtask npm`: wasm-pack `--target nodejs`, `web` and `bundler` output plus the package's
//! own JavaScript, README and types, assembled in `target/npm/portolan` and
//! packed into `target/npm/portolan-<version>.tgz`.

use std::path::{Path, PathBuf};

use crate::util::{capture, cmd, exec, root};

pub fn run() -> Result<PathBuf, String> {
    crate::setup::run_if_needed()?;
    let out = root().join("target/npm");
    let pkg = out.join("portolan");
    let _ = std::fs::remove_dir_all(&pkg);
    std::fs::create_dir_all(&pkg).map_err(|e| e.to_string())?;
    // One wasm core, three loaders: Node.js (CommonJS), browsers without a
    // bundler (`web`: ES module + fetch) and bundlers (`bundler`: the
    // WebAssembly ES module integration).
    for (target, dir) in [("nodejs", "wasm"), ("web", "web"), ("bundler", "bundler")] {
        exec(
            cmd("wasm-pack")
                .args([
                    "build",
                    "--mode",
                    "no-install",
                    "--release",
                    "--target",
                    target,
                    "--no-pack",
                    "--out-name",
                    "portolan_wasm",
                    "--out-dir",
                ])
                .arg(pkg.join(dir))
                .arg("crates/portolan_wasm"),
        )?;
        // wasm-pack writes its own package.json and .gitignore into the folder; ours win.
        for f in ["package.json", ".gitignore", "README.md", "LICENSE"] {
            let _ = std::fs::remove_file(pkg.join(dir).join(f));
        }
    }
    let src = root().join("crates/portolan_wasm/npm");
    copy_dir(&src, &pkg)?;
    // The document types come from the Rust types (ts-rs), so they cannot
    // drift from what the core returns.
    std::fs::write(pkg.join("types.d.ts"), portolan_core::ts::declarations())
        .map_err(|e| e.to_string())?;
    // One source for the API wrappers: the CommonJS twin of lib/api.mjs.
    let api = std::fs::read_to_string(pkg.join("lib/api.mjs")).map_err(|e| e.to_string())?;
    let cjs = format!(
        "'use strict';\n// Generated from lib/api.mjs by `cargo xtask npm`.\n{}\nmodule.exports = {{ makeApi }};\n",
        api.replace("export function makeApi", "function makeApi")
    );
    std::fs::write(pkg.join("lib/api.cjs"), cjs).map_err(|e| e.to_string())?;
    let version = crate::util::locked_version("portolan_wasm")?;
    let manifest = std::fs::read_to_string(pkg.join("package.json")).map_err(|e| e.to_string())?;
    std::fs::write(
        pkg.join("package.json"),
        manifest.replace("0.0.0-dev", &version),
    )
    .map_err(|e| e.to_string())?;
    let (ok, log) = capture(
        cmd("npm")
            .args(["pack", "--pack-destination"])
            .arg(&out)
            .current_dir(&pkg),
    );
    if !ok {
        return Err(format!("npm pack failed:\n{log}"));
    }
    let tarball = out.join(format!("portolan-{version}.tgz"));
    let size = std::fs::metadata(pkg.join("wasm/portolan_wasm_bg.wasm")).map_or(0, |m| m.len());
    println!("npm: {} ({} KB of wasm)", tarball.display(), size / 1024);
    Ok(tarball)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| e.to_string())?;
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .map_err(|e| format!("{}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}
