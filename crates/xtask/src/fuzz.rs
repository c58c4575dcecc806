//! Fuzzing: one libFuzzer target per layer (`fuzz/fuzz_targets`), each run
//! on one thread from a kept corpus (`target/fuzz-corpus/TARGET`) seeded from
//! `fuzz/seeds` and the repository's fixtures, corpus and selector vectors.
//!
//! `cargo xtask fuzz [--minutes N] [--target NAME]` runs each target N
//! minutes (default 1); the CI layer runs each for a bounded time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::util::{capture, cmd, root};

/// Every target, in the order the layers stack up.
pub const TARGETS: &[&str] = &["yaml", "selector", "cut", "check", "trace"];

/// What one run of one target did.
pub struct Run {
    pub target: &'static str,
    pub ok: bool,
    pub runs: u64,
    pub seconds: u64,
    pub log: String,
}

impl Run {
    pub fn per_second(&self) -> u64 {
        self.runs / self.seconds.max(1)
    }
}

pub fn main(args: &[String]) -> Result<(), String> {
    let mut minutes = 1u64;
    let mut only: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--minutes" => {
                minutes = it
                    .next()
                    .and_then(|m| m.parse().ok())
                    .filter(|m| *m > 0)
                    .ok_or("--minutes takes a whole number of minutes")?;
            }
            "--target" => only = Some(it.next().ok_or("--target takes a target name")?.clone()),
            other => return Err(format!("fuzz: unknown option '{other}'")),
        }
    }
    if let Some(t) = &only
        && !TARGETS.contains(&t.as_str())
    {
        return Err(format!(
            "fuzz: no target '{t}' (targets: {})",
            TARGETS.join(", ")
        ));
    }
    let mut failed = Vec::new();
    for target in TARGETS
        .iter()
        .filter(|t| only.as_deref().is_none_or(|o| o == **t))
    {
        let r = run(target, minutes * 60);
        println!(
            "fuzz {target:<9} {} {} inputs in {} s ({}/s)",
            if r.ok { "ok    " } else { "FAILED" },
            r.runs,
            r.seconds,
            r.per_second()
        );
        if !r.ok {
            let tail: Vec<&str> = r.log.lines().rev().take(40).collect();
            for l in tail.iter().rev() {
                println!("    | {l}");
            }
            failed.push(*target);
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("fuzz targets failed: {}", failed.join(", ")))
    }
}

/// Fuzz `target` for `seconds` from its kept corpus.
pub fn run(target: &'static str, seconds: u64) -> Run {
    let corpus = seed(target);
    let mut run = cmd("cargo");
    run.args(["fuzz", "run", "-s", "none"]);
    // The whole check and the cut read every input in full; compare tracing
    // halves their speed (944 -> 2,057 inputs/s for `check` here). The
    // layers below them keep it, and their seeds hold the keywords.
    if matches!(target, "check" | "cut") {
        run.arg("--no-trace-compares");
    }
    let (ok, mut log) = capture(
        run.arg(target)
            .arg(&corpus)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg(format!("-max_len={}", max_len(target)))
            .args(["-timeout=10", "-rss_limit_mb=2048"])
            .env("RUSTC_BOOTSTRAP", "1")
            .current_dir(root().join("fuzz")),
    );
    // libFuzzer's last line: `Done 123456 runs in 61 second(s)`; a run
    // that found a crash stops without it, at its last `#123456` status.
    let done = log.lines().find_map(|l| {
        let rest = l.strip_prefix("Done ")?;
        let mut words = rest.split_whitespace();
        let runs = words.next()?.parse::<u64>().ok()?;
        let secs = words.nth(2)?.parse::<u64>().ok()?;
        Some((runs, secs))
    });
    let last_status = || {
        log.lines()
            .filter_map(|l| {
                l.strip_prefix('#')?
                    .split_whitespace()
                    .next()?
                    .parse::<u64>()
                    .ok()
            })
            .max()
            .unwrap_or(0)
    };
    let (runs, took) = done.unwrap_or_else(|| (last_status(), seconds));
    let _ = writeln!(log, "\nfuzz {target}: {runs} inputs executed in {took} s");
    Run {
        target,
        ok: ok && done.is_some() && runs > 0,
        runs,
        seconds: took,
        log,
    }
}

/// The longest input libFuzzer makes for `target`. The whole check reads
/// a few kilobytes in well under a millisecond; letting its inputs grow to
/// 64 KB spent the time on parsing them rather than on trying new shapes.
fn max_len(target: &str) -> usize {
    match target {
        "check" | "cut" => 8192,
        "selector" | "trace" => 1024,
        _ => 65536,
    }
}

/// The kept corpus of `target`, with the seeds copied in (never into the
/// repository).
fn seed(target: &str) -> PathBuf {
    let root = root();
    let corpus = root.join("target/fuzz-corpus").join(target);
    let _ = std::fs::create_dir_all(&corpus);
    let seeds = root.join("fuzz/seeds");
    let copy_dir = |dir: &Path, prefix: &str| {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let name = format!("{prefix}{}", e.file_name().to_string_lossy());
                let _ = std::fs::copy(e.path(), corpus.join(name));
            }
        }
    };
    match target {
        "selector" => {
            copy_dir(&seeds.join("selector"), "");
            let vectors = std::fs::read_to_string(root.join("tests/spec/selector-vectors.json"))
                .unwrap_or_default();
            for (i, input) in json_strings(&vectors, "\"input\": \"").iter().enumerate() {
                let _ = std::fs::write(corpus.join(format!("vector-{i}")), input);
            }
        }
        "trace" => copy_dir(&seeds.join("trace"), ""),
        _ => {
            copy_dir(&seeds.join("documents"), "");
            for group in ["service", "workload", "lint", "yaml"] {
                copy_dir(
                    &root.join("tests/fixtures").join(group),
                    &format!("{group}-"),
                );
            }
            for f in [
                "bookinfo.yaml",
                "guestbook-all-in-one.yaml",
                "edge-cases/k8s-website-nginx-secure-app-flowstyle.yaml",
            ] {
                let _ = std::fs::copy(
                    root.join("tests/corpus").join(f),
                    corpus.join(f.replace('/', "-")),
                );
            }
        }
    }
    corpus
}

/// The JSON string values that follow `key` (simple strings: the vectors
/// escape nothing but quotes and backslashes).
fn json_strings(text: &str, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(key) {
        rest = &rest[i + key.len()..];
        let mut value = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => value.extend(chars.next()),
                c => value.push(c),
            }
        }
        out.push(value);
    }
    out
}
