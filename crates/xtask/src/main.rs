//! `cargo xtask`: Portolan's developer tasks. Beyond std it uses only the
//! core (generated TypeScript types, the rule table), so it runs on a fresh
//! machine before anything is installed.
//!
//! - `setup`  install what the other tasks need, idempotently, from the registries only
//! - `serve`  build the web app (release) and serve it on loopback
//! - `ci`     every test layer, one summary line each
//! - `npm`    assemble and pack the npm package
//! - `gen`    write a generated cluster snapshot of any size
//! - `fuzz`   run every fuzz target longer, from a kept corpus
//! - `new-rule` scaffold a lint rule: one file and one registry line
//! - `docs`   regenerate (or `--check`) the README's rule table

mod ci;
mod docs;
mod fuzz;
mod generate;
mod new_rule;
mod npm;
mod serve;
mod setup;
mod util;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <TASK>

Tasks:
  setup               install the wasm target, chromium, wasm-bindgen-cli, wasm-pack,
                      trunk, wasm-opt (npm binaryen) and playwright-core; skips what is there
  serve [--port N]    build the web app in release mode and serve it (default port 8080)
  ci [--skip LAYER]   run every test layer (fmt, clippy, native, wasm-node, wasm-chrome,
                      npm, trunk, e2e, fuzz) and print one summary line per layer
  npm                 build the npm package into target/npm and pack it
  fuzz [--minutes N] [--target T]
                      fuzz each target (yaml, selector, cut, check, trace) N minutes
                      (default 1) from the kept corpus in target/fuzz-corpus
  new-rule NAME       write crates/portolan_core/src/rules/NAME.rs from the template and
                      register it in rules/mod.rs (one line)
  docs [--check]      regenerate the README's rule table from `portolan rules`
                      (--check: fail if it is stale; the native CI layer runs it)
  gen --services N --pods M [--policies N] [--out FILE]
                      write a realistic cluster snapshot (kubectl get -o yaml shape)
  bench-npm [--runs N]
                      the npm CLI and the native CLI side by side on generated
                      snapshots of 4,000 and 40,000 pods (builds both first)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run(),
        Some("serve") => serve::run(&args[1..]),
        Some("ci") => ci::run(&args[1..]),
        Some("npm") => npm::run().map(|_| ()),
        Some("gen") => generate::run(&args[1..]),
        Some("bench-npm") => generate::bench_npm(&args[1..]),
        Some("fuzz") => fuzz::main(&args[1..]),
        Some("new-rule") => new_rule::run(&args[1..]),
        Some("docs") => docs::run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(format!("unknown task '{other}'\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
