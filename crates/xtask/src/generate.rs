//! `cargo xtask gen`: write a generated cluster snapshot (see
//! `portolan_core::generate`).

pub fn run(args: &[String]) -> Result<(), String> {
    let (mut services, mut pods, mut policies, mut out) =
        (100usize, 1000usize, 0usize, None::<String>);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut num = || {
            it.next()
                .and_then(|v| v.parse::<usize>().ok())
                .ok_or(format!("{a} needs a number"))
        };
        match a.as_str() {
            "--services" => services = num()?,
            "--pods" => pods = num()?,
            "--policies" => policies = num()?,
            "--out" => out = Some(it.next().ok_or("--out needs a file")?.clone()),
            other => return Err(format!("gen: unknown option '{other}'")),
        }
    }
    let mut text = portolan_core::generate::generate(services.max(1), pods);
    text.push_str(&portolan_core::generate::policies(services, policies));
    match out {
        Some(path) => std::fs::write(&path, &text).map_err(|e| format!("{path}: {e}"))?,
        None => print!("{text}"),
    }
    Ok(())
}

/// `cargo xtask bench-npm`: build the native CLI and the npm package, write
/// snapshots of 4,000 and 40,000 pods (about 5 and 50 MB), and run
/// `tests/bench/npm-vs-native.mjs` on them (issue 16's table).
pub fn bench_npm(args: &[String]) -> Result<(), String> {
    use crate::util::{cmd, exec, root};
    exec(cmd("cargo").args(["build", "--profile", "fast", "-p", "portolan_cli"]))?;
    crate::npm::run()?;
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    for (services, pods) in [(400, 4_000), (4_000, 40_000)] {
        let path = dir.join(format!("snapshot-{pods}-pods.yaml"));
        if !path.exists() {
            let text = portolan_core::generate::generate(services, pods);
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        files.push(path.display().to_string());
    }
    exec(
        cmd("node")
            .arg("tests/bench/npm-vs-native.mjs")
            .args(args)
            .args(&files),
    )
}
