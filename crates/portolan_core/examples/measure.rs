//! Throughput and memory of a full check next to bare saphyr-parser events:
//! `cargo run --release --example measure -p portolan_core -- FILE...`
//! (use `--profile bench` for speed-optimised code). Peak memory is read
//! from /proc (VmHWM) around the analysis, so run one input per process.

use std::time::Instant;

use portolan_core::analysis::analyze_with;
use portolan_core::options::Options;
use portolan_core::profile::Profile;
use portolan_core::source::Source;

fn vm(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
        * 1024
}

fn events(text: &str) -> usize {
    // Document by document, as Portolan parses: a syntax error stops only
    // its own document (on the whole stream it would stop the parser, and
    // the rest of the input would not be parsed at all).
    let mut n = 0;
    for (start, end) in portolan_core::yaml::document_ranges(text) {
        for ev in saphyr_parser::Parser::new_from_str(&text[start..end]) {
            if ev.is_err() {
                break;
            }
            n += 1;
        }
    }
    n
}

fn best_of(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: measure FILE...");
        std::process::exit(2);
    }
    let sources: Vec<Source> = files
        .iter()
        .map(|f| {
            Source::new(
                f.clone(),
                std::fs::read_to_string(f).expect("readable UTF-8 file"),
            )
        })
        .collect();
    let bytes: usize = sources.iter().map(|s| s.text.len()).sum();
    let mb = bytes as f64 / 1e6;
    let runs = if bytes > 20_000_000 { 3 } else { 9 };
    let mut n_events = 0;
    let check = |threads: usize| {
        let options = Options {
            threads,
            ..Options::default()
        };
        let a =
            analyze_with(sources.clone(), &Profile::default(), &options).expect("default profile");
        let objects = a.objects.len();
        std::hint::black_box(portolan_core::output::json::check(&a));
        objects
    };
    // Peak memory on the first (parallel) run, before any of its memory is
    // cached by the allocator; the code it runs is loaded first (a small
    // check), so that the pages of the program are not counted as memory
    // for the input.
    let warm = Source::new(
        "warm.yaml",
        "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {selector: {app: a}, ports: [{port: 80}]}\n",
    );
    std::hint::black_box(analyze_with(
        vec![warm],
        &Profile::default(),
        &Options::default(),
    ))
    .expect("default profile");
    let rss_before = vm("VmRSS:");
    let mut objects = 0;
    let mut t_check = best_of(1, || objects = check(0));
    let peak = vm("VmHWM:").saturating_sub(rss_before);
    // The runs interleave, so that a slow spell of the machine hits all
    // of the figures alike; each is the best of its runs.
    let (mut t_events, mut t_tree, mut t_single) = (f64::INFINITY, f64::INFINITY, f64::INFINITY);
    for _ in 0..runs {
        t_events = t_events.min(best_of(1, || {
            n_events = sources.iter().map(|s| events(&s.text)).sum();
        }));
        t_tree = t_tree.min(best_of(1, || {
            std::hint::black_box(sources.iter().map(|s| tree_only(&s.text)).sum::<usize>());
        }));
        t_check = t_check.min(best_of(1, || {
            check(0);
        }));
        t_single = t_single.min(best_of(1, || {
            check(1);
        }));
    }
    println!(
        "{:.2} MB, {objects} objects, {n_events} events | events {:.1} MB/s | tree {:.2}x events | check {:.1} MB/s, {:.0} objects/s, {:.2}x the event time ({:.2}x on one thread) | peak +{:.1} MB ({:.2}x input)",
        mb,
        mb / t_events,
        t_tree / t_events,
        mb / t_check,
        objects as f64 / t_check,
        t_check / t_events,
        t_single / t_events,
        peak as f64 / 1e6,
        peak as f64 / bytes as f64
    );
}

/// Tree building alone (parse_stream), for the breakdown.
pub fn tree_only(text: &str) -> usize {
    let mut n = 0;
    let mut d = Vec::new();
    portolan_core::yaml::parse_stream(
        0,
        text,
        &portolan_core::yaml::Limits::default(),
        &mut d,
        |doc, _| n += doc.root.count(),
    );
    n
}
