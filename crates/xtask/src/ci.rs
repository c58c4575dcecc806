//! `cargo xtask ci`: every test layer, one summary line each with its test
//! count and time; logs in `target/ci/<layer>.log`; non-zero exit if any fails.

use std::fmt::Write as _;
use std::process::Command;
use std::time::Instant;

use crate::util::{capture, cmd, root};

struct Layer {
    name: &'static str,
    what: &'static str,
    run: fn() -> Outcome,
}

struct Outcome {
    ok: bool,
    passed: usize,
    failed: usize,
    log: String,
}

const LAYERS: &[Layer] = &[
    Layer {
        name: "fmt",
        what: "cargo fmt --check",
        run: fmt,
    },
    Layer {
        name: "clippy",
        what: "clippy native + wasm32, warnings denied",
        run: clippy,
    },
    Layer {
        name: "native",
        what: "cargo test (unit, fixtures, corpus)",
        run: native,
    },
    Layer {
        name: "wasm-node",
        what: "wasm-pack test --node",
        run: wasm_node,
    },
    Layer {
        name: "wasm-chrome",
        what: "wasm-pack test --headless --chrome",
        run: wasm_chrome,
    },
    Layer {
        name: "npm",
        what: "npm package built, packed, installed and tested with node --test",
        run: npm,
    },
    Layer {
        name: "trunk",
        what: "trunk build --release",
        run: trunk,
    },
    Layer {
        name: "e2e",
        what: "playwright-core in headless chromium against the release build",
        run: e2e,
    },
    Layer {
        name: "fuzz",
        what: "cargo fuzz: yaml, selector, cut, check, trace — time-bounded, one thread each",
        run: fuzz,
    },
];

pub fn run(args: &[String]) -> Result<(), String> {
    let mut skip: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--skip" => skip.push(it.next().ok_or("--skip needs a layer name")?.clone()),
            other => return Err(format!("ci: unknown option '{other}'")),
        }
    }
    let t0 = Instant::now();
    crate::setup::run_if_needed()?;
    println!("ci: setup checked in {:.1}s", t0.elapsed().as_secs_f64());
    let logs = root().join("target/ci");
    std::fs::create_dir_all(&logs).map_err(|e| e.to_string())?;
    let (mut passed, mut failed, mut broken) = (0, 0, Vec::new());
    for layer in LAYERS {
        if skip.iter().any(|s| s == layer.name) {
            println!("layer {:<12} skipped", layer.name);
            continue;
        }
        let t = Instant::now();
        let o = (layer.run)();
        let secs = t.elapsed().as_secs_f64();
        let _ = std::fs::write(logs.join(format!("{}.log", layer.name)), &o.log);
        passed += o.passed;
        failed += o.failed;
        let status = if o.ok { "ok" } else { "FAILED" };
        println!(
            "layer {:<12} {status:<6} {} passed, {} failed  ({secs:.1}s)  {}",
            layer.name, o.passed, o.failed, layer.what
        );
        if !o.ok {
            let tail: Vec<&str> = o.log.lines().rev().take(60).collect();
            for l in tail.iter().rev() {
                println!("    | {l}");
            }
            broken.push(layer.name);
        }
    }
    println!(
        "ci: total {:.1}s; logs in target/ci/",
        t0.elapsed().as_secs_f64()
    );
    println!("ci: {passed} passed, {failed} failed");
    if broken.is_empty() {
        Ok(())
    } else {
        Err(format!("failing layers: {}", broken.join(", ")))
    }
}

/// Sum `test result: ok. N passed; M failed` lines (cargo and wasm-bindgen-test).
fn count_rust(log: &str) -> (usize, usize) {
    let (mut p, mut f) = (0, 0);
    for line in log.lines().filter(|l| l.contains("test result:")) {
        p += number_before(line, " passed");
        f += number_before(line, " failed");
    }
    (p, f)
}

/// TAP summary of `node --test --test-reporter=tap`.
fn count_tap(log: &str) -> (usize, usize) {
    let get = |key: &str| {
        log.lines()
            .filter_map(|l| l.trim().strip_prefix(key))
            .filter_map(|n| n.trim().parse::<usize>().ok())
            .sum()
    };
    (get("# pass "), get("# fail "))
}

fn number_before(line: &str, word: &str) -> usize {
    let Some(i) = line.find(word) else { return 0 };
    line[..i]
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn check(c: &mut Command) -> Outcome {
    let (ok, log) = capture(c);
    Outcome {
        ok,
        passed: usize::from(ok),
        failed: usize::from(!ok),
        log,
    }
}

fn tests(c: &mut Command, count: fn(&str) -> (usize, usize)) -> Outcome {
    let (ok, log) = capture(c);
    let (passed, failed) = count(&log);
    // A runner that ran nothing has failed: every layer must test something.
    Outcome {
        ok: ok && passed > 0 && failed == 0,
        passed,
        failed,
        log,
    }
}

fn chain(outcomes: Vec<Outcome>) -> Outcome {
    let mut all = Outcome {
        ok: true,
        passed: 0,
        failed: 0,
        log: String::new(),
    };
    for o in outcomes {
        all.ok &= o.ok;
        all.passed += o.passed;
        all.failed += o.failed;
        all.log.push_str(&o.log);
        all.log.push('\n');
    }
    all
}

fn fmt() -> Outcome {
    check(cmd("cargo").args(["fmt", "--all", "--check"]))
}

fn clippy() -> Outcome {
    let native = check(cmd("cargo").args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]));
    if !native.ok {
        return native;
    }
    let wasm = check(cmd("cargo").args([
        "clippy",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "portolan_core",
        "-p",
        "portolan_wasm",
        "-p",
        "portolan_www",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]));
    chain(vec![native, wasm])
}

fn native() -> Outcome {
    let tests = tests(
        cmd("cargo").args(["test", "--workspace", "--exclude", "portolan_www"]),
        count_rust,
    );
    let docs = match crate::docs::expected() {
        Ok((readme, fresh)) if readme == fresh => Outcome {
            ok: true,
            passed: 1,
            failed: 0,
            log: "README.md: the rule table is current".into(),
        },
        Ok(_) => Outcome {
            ok: false,
            passed: 0,
            failed: 1,
            log: "README.md: the rule table is stale; run `cargo xtask docs`".into(),
        },
        Err(e) => Outcome {
            ok: false,
            passed: 0,
            failed: 1,
            log: e,
        },
    };
    chain(vec![tests, docs])
}

fn wasm_pack_test(browser: &[&str], krate: &str) -> Outcome {
    let mut c = cmd("wasm-pack");
    c.args(["test", "--mode", "no-install"])
        .args(browser)
        .arg(krate);
    tests(&mut c, count_rust)
}

fn wasm_node() -> Outcome {
    wasm_pack_test(&["--node"], "crates/portolan_wasm")
}

fn wasm_chrome() -> Outcome {
    let chrome = [
        "--headless",
        "--chrome",
        "--chromedriver",
        "/usr/bin/chromedriver",
    ];
    chain(vec![
        wasm_pack_test(&chrome, "crates/portolan_wasm"),
        wasm_pack_test(&chrome, "www"),
    ])
}

fn npm() -> Outcome {
    let tarball = match crate::npm::run() {
        Ok(t) => t,
        Err(e) => {
            return Outcome {
                ok: false,
                passed: 0,
                failed: 1,
                log: e,
            };
        }
    };
    let native = capture(cmd("cargo").args(["build", "--profile", "fast", "-p", "portolan_cli"]));
    if !native.0 {
        return Outcome {
            ok: false,
            passed: 0,
            failed: 1,
            log: native.1,
        };
    }
    tests(
        cmd("node")
            .args(["--test", "--test-reporter=tap", "tests/npm/"])
            .env("PORTOLAN_TARBALL", tarball)
            .env("PORTOLAN_NATIVE", root().join("target/fast/portolan")),
        count_tap,
    )
}

fn trunk() -> Outcome {
    let (ok, mut log) = capture(cmd("trunk").args(["build", "--release", "--offline"]));
    let index = root().join("dist/index.html");
    let wasm = std::fs::read_dir(root().join("dist")).ok().and_then(|d| {
        d.flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "wasm"))
    });
    let built = ok && index.is_file() && wasm.is_some();
    if let Some(w) = wasm {
        let size = std::fs::metadata(&w).map_or(0, |m| m.len());
        let _ = writeln!(log, "\nsite wasm: {} ({} KB)", w.display(), size / 1024);
    }
    Outcome {
        ok: built,
        passed: usize::from(built),
        failed: usize::from(!built),
        log,
    }
}

fn e2e() -> Outcome {
    tests(
        cmd("node")
            .args([
                "--test",
                "--test-reporter=tap",
                "--test-concurrency=1",
                "tests/e2e/",
            ])
            .env("PORTOLAN_DIST", root().join("dist")),
        count_tap,
    )
}

/// Seconds of fuzzing per target in CI (`PORTOLAN_FUZZ_SECONDS` overrides).
fn fuzz_seconds() -> u64 {
    std::env::var("PORTOLAN_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20)
}

/// Every fuzz target for a bounded time; each one is a test.
fn fuzz() -> Outcome {
    let runs: Vec<crate::fuzz::Run> = crate::fuzz::TARGETS
        .iter()
        .map(|t| crate::fuzz::run(t, fuzz_seconds()))
        .collect();
    let mut log = String::new();
    for r in &runs {
        log.push_str(&r.log);
    }
    for r in &runs {
        let _ = writeln!(
            log,
            "fuzz: {:<9} {} inputs in {} s ({}/s){}",
            r.target,
            r.runs,
            r.seconds,
            r.per_second(),
            if r.ok { "" } else { "  FAILED" }
        );
    }
    let failed = runs.iter().filter(|r| !r.ok).count();
    Outcome {
        ok: failed == 0,
        passed: runs.len() - failed,
        failed,
        log,
    }
}
