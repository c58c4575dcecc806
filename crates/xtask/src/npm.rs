//! `cargo xtask npm`: wasm-pack `--target nodejs` output plus the package's
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
    exec(
        cmd("wasm-pack")
            .args([
                "build",
                "--mode",
                "no-install",
                "--release",
                "--target",
                "nodejs",
                "--no-pack",
                "--out-name",
                "portolan_wasm",
                "--out-dir",
            ])
            .arg(pkg.join("wasm"))
            .arg("crates/portolan_wasm"),
    )?;
    // wasm-pack writes its own package.json and .gitignore into the folder; ours wins.
    for f in ["package.json", ".gitignore", "README.md", "LICENSE"] {
        let _ = std::fs::remove_file(pkg.join("wasm").join(f));
    }
    let src = root().join("crates/portolan_wasm/npm");
    copy_dir(&src, &pkg)?;
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
