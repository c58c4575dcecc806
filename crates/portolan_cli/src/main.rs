//! The native `portolan` binary: the host side of `portolan_core::cli`
//! (files, directories, stdin, config discovery); everything printed is
//! produced by the core, byte for byte what the npm CLI prints.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use portolan_core::cli::{
    Cmd, ColorChoice, Config, Invocation, Output, execute, execute_diff_keeping, execute_keeping,
    parse_args, yaml_to_json,
};
use portolan_core::source::Source;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = run(&args);
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    ExitCode::from(u8::try_from(out.code).unwrap_or(2))
}

fn run(args: &[String]) -> Output {
    let mut inv = match parse_args(args) {
        Ok(inv) => inv,
        Err(e) => return Output::usage_error(&e),
    };
    if !inv.reads_input() {
        return execute(&inv, Vec::new(), None, None, false);
    }
    if inv.paths.is_empty() {
        if std::io::stdin().is_terminal() {
            return Output::usage_error(
                "no input: give a PATH, or pipe manifests to standard input",
            );
        }
        inv.paths.push("-".to_owned());
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let (config, config_dir) = match load_config(&inv, &cwd) {
        Ok(c) => c,
        Err(e) => return Output::usage_error(&e),
    };
    let profile = match &inv.profile {
        Some(p) => match std::fs::read_to_string(p)
            .map_err(|e| format!("{p}: {e}"))
            .and_then(|t| yaml_to_json(&t).map_err(|e| format!("{p}:{e}")))
        {
            Ok(json) => Some(json),
            Err(e) => return Output::usage_error(&e),
        },
        None => None,
    };
    // Ignored paths are relative to the config file; compare them as the
    // walk sees paths (relative to the working directory when possible).
    let ignore: Vec<PathBuf> = config.as_ref().map_or_else(Vec::new, |c| {
        c.ignore
            .iter()
            .map(|i| {
                let p = config_dir.join(i);
                p.strip_prefix(&cwd).map_or(p.clone(), Path::to_path_buf)
            })
            .collect()
    });
    if inv.cmd == Cmd::Diff {
        let sides = match &inv.base_ref {
            Some(r) => git_sources(r, &inv.paths[0], &ignore)
                .and_then(|b| Ok((b, read_sources(&inv.paths, &ignore)?))),
            None => read_sources(&inv.paths[..1], &ignore)
                .and_then(|b| Ok((b, read_sources(&inv.paths[1..], &ignore)?))),
        };
        return match sides {
            Ok(sides) => {
                let (out, analyses) =
                    execute_diff_keeping(&inv, sides, profile.as_deref(), config.as_ref());
                // As for a check: the process exits once the output is written.
                std::mem::forget(analyses);
                out
            }
            Err(e) => Output::usage_error(&e),
        };
    }
    let sources = match read_sources(&inv.paths, &ignore) {
        Ok(s) => s,
        Err(e) => return Output::usage_error(&e),
    };
    let color = match inv.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let (out, analysis) =
        execute_keeping(&inv, sources, profile.as_deref(), config.as_ref(), color);
    // The process ends once the output is written: freeing a large
    // analysis block by block would only delay the exit.
    std::mem::forget(analysis);
    out
}

/// `PATH` as it is at git revision `rev` (a file, or a directory's
/// manifests), named as the working tree names them: `git ls-tree` lists
/// the files (relative to the working directory), `git show REV:./FILE`
/// reads each.
fn git_sources(rev: &str, path: &str, ignore: &[PathBuf]) -> Result<Vec<Source>, String> {
    let git = |args: &[&str]| -> Result<Vec<u8>, String> {
        let out = std::process::Command::new("git")
            .args(args)
            .output()
            .map_err(|e| format!("--base-ref: cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "--base-ref {rev}: git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(out.stdout)
    };
    let listing = git(&["ls-tree", "-r", "--name-only", rev, "--", path])?;
    let mut files: Vec<String> = String::from_utf8_lossy(&listing)
        .lines()
        .filter(|f| {
            let p = Path::new(f);
            (f.trim_end_matches('/') == path.trim_end_matches('/')
                || (is_manifest(p) && !skipped_dir(path, p)))
                && !ignore.iter().any(|i| p.starts_with(i))
        })
        .map(str::to_owned)
        .collect();
    files.sort();
    let mut sources = Vec::with_capacity(files.len());
    for f in files {
        let bytes = git(&["show", &format!("{rev}:./{f}")])?;
        sources.push(Source::from_bytes(f, bytes));
    }
    Ok(sources)
}

/// `--config FILE`, else `.portolan.yaml` (or `.yml`) found upward from `cwd`.
fn load_config(inv: &Invocation, cwd: &Path) -> Result<(Option<Config>, PathBuf), String> {
    let path = match &inv.config {
        Some(p) => Some(PathBuf::from(p)),
        None => cwd
            .ancestors()
            .flat_map(|d| [d.join(".portolan.yaml"), d.join(".portolan.yml")])
            .find(|p| p.is_file()),
    };
    let Some(path) = path else {
        return Ok((None, cwd.to_path_buf()));
    };
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{shown}: {e}"))?;
    let json = yaml_to_json(&text).map_err(|e| format!("{shown}:{e}"))?;
    let config: Config =
        portolan_core::cli::parse_config(&json).map_err(|e| format!("{shown}: {e}"))?;
    let dir = path
        .parent()
        .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
    Ok((Some(config), dir))
}

fn read_sources(paths: &[String], ignore: &[PathBuf]) -> Result<Vec<Source>, String> {
    let mut sources = Vec::new();
    for p in paths {
        if p == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("<stdin>: {e}"))?;
            sources.push(Source::from_bytes("<stdin>", bytes));
            continue;
        }
        let path = Path::new(p);
        if path.is_dir() {
            let mut files = Vec::new();
            walk(path, ignore, &mut files).map_err(|e| format!("{p}: {e}"))?;
            // Sort by the text of the path, as the npm CLI does, so both read
            // files in the same order.
            files.sort_by_key(|f| f.to_string_lossy().into_owned());
            for f in files {
                sources.push(read_file(&f)?);
            }
        } else {
            sources.push(read_file(path)?);
        }
    }
    Ok(sources)
}

fn read_file(path: &Path) -> Result<Source, String> {
    let shown = path.to_string_lossy().replace('\\', "/");
    let bytes = std::fs::read(path).map_err(|e| format!("{shown}: {e}"))?;
    // Bytes that are not UTF-8 are findings at their line and column, not
    // a reason to lose the file (`invalid-utf8`).
    Ok(Source::from_bytes(shown, bytes))
}

fn walk(dir: &Path, ignore: &[PathBuf], out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if ignore.iter().any(|i| path.starts_with(i)) {
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !name.starts_with('.') && name != "node_modules" {
                walk(&path, ignore, out)?;
            }
        } else if is_manifest(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// A file a directory walk reads: `*.yaml`, `*.yml` or `*.json`, not hidden.
fn is_manifest(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    !name.starts_with('.')
        && path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
}

/// Whether a file found under `root` sits in a directory the walk skips
/// (hidden, or `node_modules`).
fn skipped_dir(root: &str, file: &Path) -> bool {
    let rel = file.strip_prefix(root).unwrap_or(file);
    let mut dirs = rel.components().collect::<Vec<_>>();
    dirs.pop();
    dirs.iter().any(|c| {
        let c = c.as_os_str().to_string_lossy();
        (c.starts_with('.') && c != "." && c != "..") || c == "node_modules"
    })
}
