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
