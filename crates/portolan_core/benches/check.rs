//! Criterion benchmarks: `check` on the whole corpus and on generated
//! clusters of growing size up to ~53 MB (linear cost), on every core and on
//! one thread, next to bare saphyr-parser event throughput on the same input;
//! endpoints and graph for large clusters; one trace after analysis;
//! `reach` over every pod pair of 20,000 pods under 500 NetworkPolicies.

use std::path::{Path, PathBuf};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use portolan_core::analysis::{analyze, analyze_with};
use portolan_core::options::Options;
use portolan_core::profile::{Profile, ProxyMode};
use portolan_core::sim::{From, Request, trace};
use portolan_core::source::Source;

fn corpus() -> Vec<Source> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            Source::new(
                f.display().to_string(),
                std::fs::read_to_string(&f).unwrap(),
            )
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

/// Bare saphyr-parser events, document by document as Portolan parses (a
/// syntax error stops only its document, as in a check).
fn events(text: &str) -> usize {
    portolan_core::yaml::document_ranges(text)
        .into_iter()
        .map(|(start, end)| {
            saphyr_parser::Parser::new_from_str(&text[start..end])
                .take_while(Result::is_ok)
                .count()
        })
        .sum()
}

/// A check on every core (the default), or on one thread.
fn check(sources: Vec<Source>, threads: usize) -> String {
    let options = Options {
        threads,
        ..Options::default()
    };
    let a = analyze_with(sources, &Profile::default(), &options).unwrap();
    portolan_core::output::json::check(&a)
}

fn bench_corpus(c: &mut Criterion) {
    let sources = corpus();
    let bytes: usize = sources.iter().map(|s| s.text.len()).sum();
    let mut g = c.benchmark_group("corpus");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("events", |b| {
        b.iter(|| sources.iter().map(|s| events(&s.text)).sum::<usize>());
    });
    g.bench_function("check", |b| b.iter(|| check(sources.clone(), 0)));
    g.bench_function("check (1 thread)", |b| {
        b.iter(|| check(sources.clone(), 1));
    });
    g.finish();
}

fn bench_generated(c: &mut Criterion) {
    let mut g = c.benchmark_group("generated");
    g.sample_size(10);
    for (services, pods) in [(100, 1_000), (400, 4_000), (1_600, 16_000), (4_000, 40_000)] {
        let text = portolan_core::generate::generate(services, pods);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("events", pods), &text, |b, t| {
            b.iter(|| events(t));
        });
        g.bench_with_input(BenchmarkId::new("check", pods), &text, |b, t| {
            b.iter(|| check(vec![Source::new("gen.yaml", t.clone())], 0));
        });
        g.bench_with_input(BenchmarkId::new("check (1 thread)", pods), &text, |b, t| {
            b.iter(|| check(vec![Source::new("gen.yaml", t.clone())], 1));
        });
    }
    g.finish();
}

fn bench_trace(c: &mut Criterion) {
    let text = portolan_core::generate::generate(2_000, 20_000);
    let a = analyze(vec![Source::new("gen.yaml", text)], &Profile::default()).unwrap();
    let pod = &a.cluster.pods[0];
    let req = Request {
        from: From::Pod {
            namespace: pod.namespace.to_string(),
            name: pod.name.clone(),
        },
        to: "app-7.team-7:80".into(),
        protocol: portolan_core::types::Protocol::Tcp,
        at_node: None,
        proxy_mode: ProxyMode::Iptables,
        method: None,
        headers: Vec::new(),
        via: None,
    };
    c.bench_function("trace after analysis (2000 services, 20000 pods)", |b| {
        b.iter(|| trace(&a, &req).unwrap().destinations.len());
    });
}

/// The routing graph alone (petgraph build) and its JSON, after analysis:
/// linear in services + endpoints.
fn bench_graph(c: &mut Criterion) {
    let mut g = c.benchmark_group("graph");
    g.sample_size(10);
    for (services, pods) in [(100, 1_000), (400, 4_000), (1_600, 16_000)] {
        let text = portolan_core::generate::generate(services, pods);
        let a = analyze(vec![Source::new("gen.yaml", text)], &Profile::default()).unwrap();
        g.throughput(Throughput::Elements(pods as u64));
        g.bench_with_input(BenchmarkId::new("build", pods), &a, |b, a| {
            b.iter(|| portolan_core::graph::build(a).edges().count());
        });
        g.bench_with_input(BenchmarkId::new("build+json", pods), &a, |b, a| {
            b.iter(|| {
                let graph = portolan_core::graph::build(a);
                portolan_core::output::graph_json::render(a, &graph).len()
            });
        });
    }
    g.finish();
}

/// `diff` against one `check` of the same snapshot (issue 15: a diff costs
/// at most twice a check): HEAD flips 2,000 pods unready and 50 Services
/// to NodePort, a realistic bulk change.
fn bench_diff(c: &mut Criterion) {
    let mut g = c.benchmark_group("diff");
    g.sample_size(10);
    for (services, pods) in [(400, 4_000), (4_000, 40_000)] {
        let base = portolan_core::generate::generate(services, pods);
        let head = base
            .replacen("status: \"True\"", "status: \"False\"", 2_000)
            .replacen("type: ClusterIP", "type: NodePort", 50);
        g.throughput(Throughput::Bytes(base.len() as u64));
        g.bench_with_input(BenchmarkId::new("check", pods), &base, |b, t| {
            b.iter(|| check(vec![Source::new("gen.yaml", t.clone())], 0));
        });
        g.bench_with_input(
            BenchmarkId::new("diff", pods),
            &(base, head),
            |b, (x, y)| {
                b.iter(|| {
                    let inv = portolan_core::cli::parse_args(&[
                        "diff".into(),
                        "base.yaml".into(),
                        "head.yaml".into(),
                        "--format".into(),
                        "json".into(),
                    ])
                    .unwrap();
                    portolan_core::cli::execute_diff(
                        &inv,
                        (
                            vec![Source::new("base.yaml", x.clone())],
                            vec![Source::new("head.yaml", y.clone())],
                        ),
                        None,
                        None,
                    )
                    .stdout
                    .len()
                });
            },
        );
    }
    g.finish();
}

/// `reach` over every pod pair (issue 13): 20,000 pods and 500
/// NetworkPolicies, in 100 and in 500 workloads, from the analysis to the
/// aggregated human answer. Pods are evaluated by classes, so the cost
/// follows workloads² × ports, not pods².
fn bench_reach(c: &mut Criterion) {
    let mut g = c.benchmark_group("reach");
    g.sample_size(10);
    for workloads in [100, 500] {
        let mut text = portolan_core::generate::generate(workloads, 20_000);
        text.push_str(&portolan_core::generate::policies(workloads, 500));
        let a = analyze(vec![Source::new("gen.yaml", text)], &Profile::default()).unwrap();
        g.bench_with_input(
            BenchmarkId::new("human, 20000 pods, 500 policies, workloads", workloads),
            &a,
            |b, a| {
                b.iter(|| {
                    let r = portolan_core::reach::answer(a, None, None, None);
                    portolan_core::output::reach::human(&r).len()
                });
            },
        );
    }
    g.finish();
}

criterion_group!(
    benches,
    bench_reach,
    bench_diff,
    bench_corpus,
    bench_generated,
    bench_graph,
    bench_trace
);
criterion_main!(benches);
