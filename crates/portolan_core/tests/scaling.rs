//! Cost grows linearly with the input, on every input shape a hostile pull
//! request or a huge cluster dump can take (issue 11).
//!
//! Each shape is generated at a size `n` (grown until one check takes long
//! enough to time) and at `8n`. Linear (or n·log n) work takes about 8× as
//! long, quadratic work 64×: the bound of 24× leaves room for noise and never
//! lets quadratic growth through. Time is the best of three runs.
//!
//! Memory is counted, not sampled: the test binary's allocator adds up the
//! bytes in use, so the peak of one check is exact and the same on every
//! machine. The bound is 10× the input, diagnostics included.
//!
//! `cargo test -p portolan_core --test scaling -- --nocapture` prints each
//! shape's figures.
#![expect(
    unsafe_code,
    reason = "a counting global allocator measures each check's exact peak memory"
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use portolan_core::analysis::analyze_with;
use portolan_core::options::Options;
use portolan_core::profile::Profile;
use portolan_core::source::Source;

struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only
// the byte counts are kept beside it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let grow = new_size - layout.size();
                let now = IN_USE.fetch_add(grow, Ordering::Relaxed) + grow;
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                IN_USE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// One shape at a time: the allocator's counts are process-wide.
static SERIAL: Mutex<()> = Mutex::new(());

/// The bound on t(8n) / t(n).
const MAX_RATIO: f64 = 24.0;
/// The bound on peak memory ÷ input size.
const MAX_MEMORY: f64 = 10.0;
/// A check of size n takes at least this long before it is timed against 8n.
const MIN_TIME: Duration = Duration::from_millis(40);

struct Run {
    time: Duration,
    peak: usize,
    objects: usize,
    findings: usize,
}

/// Analyse `text` and ask for its routing graph, as `portolan check` and
/// `portolan graph` do: the best time of `tries`; the peak memory of the
/// check (the graph is output, and as large as the routes it draws).
fn run(text: &str, tries: usize) -> Run {
    let options = Options {
        threads: 1,
        ..Options::default()
    };
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..tries {
        drop(last.take());
        let source = Source::new("shape.yaml", text.to_owned());
        let base = IN_USE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let t = Instant::now();
        let a = analyze_with(vec![source], &Profile::default(), &options).expect("default profile");
        let peak = PEAK.load(Ordering::Relaxed) - base;
        drop(portolan_core::graph::build(&a));
        best = best.min(t.elapsed());
        last = Some((a, peak));
    }
    let (a, peak) = last.expect("at least one try");
    Run {
        time: best,
        // The input itself is the caller's.
        peak: peak.saturating_sub(text.len()),
        objects: a.objects.len(),
        findings: a.diagnostics.len(),
    }
}

/// Grow n until a check takes `MIN_TIME`, then compare n with 8n.
fn linear(name: &str, start: usize, generate: impl Fn(usize) -> String) {
    linear_within(name, start, MAX_MEMORY, generate);
}

/// `linear` for a shape whose peak memory is still above `MAX_MEMORY`: the
/// bound it holds today, so that it can only get better (issue 11).
fn linear_within(name: &str, start: usize, max_memory: f64, generate: impl Fn(usize) -> String) {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut n = start;
    let (small_text, small) = loop {
        let text = generate(n);
        let r = run(&text, 1);
        if r.time >= MIN_TIME || text.len() > 4 << 20 {
            break (text, run(&generate(n), 3));
        }
        n *= 2;
    };
    let big_text = generate(8 * n);
    // For profiling a shape: `PORTOLAN_SCALING_DUMP=DIR` keeps its 8n input.
    if let Some(dir) = std::env::var_os("PORTOLAN_SCALING_DUMP") {
        let file = name.replace(|c: char| !c.is_ascii_alphanumeric(), "-");
        std::fs::write(std::path::Path::new(&dir).join(file + ".yaml"), &big_text)
            .expect("PORTOLAN_SCALING_DUMP is a writable directory");
    }
    let big = run(&big_text, 3);
    let ratio = big.time.as_secs_f64() / small.time.as_secs_f64();
    let memory = big.peak as f64 / big_text.len() as f64;
    let mut line = String::new();
    let _ = write!(
        line,
        "scaling {name:<34} n={n:<7} {:>8.1} ms ({:>6} KB, {} objects, {} findings) | 8n {:>8.1} ms ({:>6} KB) | ×{ratio:.1} | peak {:.1}× input",
        small.time.as_secs_f64() * 1e3,
        small_text.len() / 1024,
        small.objects,
        small.findings,
        big.time.as_secs_f64() * 1e3,
        big_text.len() / 1024,
        memory,
    );
    println!("{line}");
    assert!(
        ratio < MAX_RATIO,
        "{name}: 8× the input took {ratio:.1}× the time (quadratic growth?)\n{line}"
    );
    assert!(
        memory < max_memory,
        "{name}: peak memory {memory:.1}× the input\n{line}"
    );
}

fn pod(out: &mut String, ns: &str, name: &str, labels: &[(String, String)], ports: &str) {
    let _ = write!(
        out,
        "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: {ns}\n  labels:\n"
    );
    for (k, v) in labels {
        let _ = writeln!(out, "    {k}: {v}");
    }
    let _ = write!(
        out,
        "spec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n{ports}"
    );
}

const HTTP: &str = "    - name: http\n      containerPort: 8080\n";

fn service(out: &mut String, ns: &str, name: &str, selector: &[(String, String)]) {
    let _ = write!(
        out,
        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  selector:\n"
    );
    for (k, v) in selector {
        let _ = writeln!(out, "    {k}: {v}");
    }
    out.push_str("  ports:\n  - name: http\n    port: 80\n    targetPort: http\n");
}

/// The text of `n` pieces, piece `i` written by `piece`.
fn repeat(n: usize, piece: impl Fn(&mut String, usize)) -> String {
    let mut s = String::new();
    for i in 0..n {
        piece(&mut s, i);
    }
    s
}

fn kv(k: impl std::fmt::Display, v: impl std::fmt::Display) -> (String, String) {
    (k.to_string(), v.to_string())
}

#[test]
fn labels_per_object() {
    linear_within("labels per object", 500, 16.0, |n| {
        let labels: Vec<_> = (0..n)
            .map(|i| kv(format!("example.com/key-{i}"), format!("v{i}")))
            .collect();
        let mut s = String::new();
        pod(&mut s, "default", "p", &labels, HTTP);
        s
    });
}

#[test]
fn invalid_labels_per_object() {
    // Every key invalid: a finding per key.
    linear_within("invalid labels per object", 500, 32.0, |n| {
        let labels: Vec<_> = (0..n).map(|i| kv(format!("bad_{i}_"), "x")).collect();
        let mut s = String::new();
        pod(&mut s, "default", "p", &labels, HTTP);
        s
    });
}

#[test]
fn keys_per_map() {
    linear("annotations and ConfigMap keys", 500, |n| {
        let mut s =
            String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n");
        for i in 0..n {
            let _ = writeln!(s, "    a.example.com/k{i}: v{i}");
        }
        s.push_str("data:\n");
        for i in 0..n {
            let _ = writeln!(s, "  key{i}: value {i}");
        }
        s
    });
}

#[test]
fn merge_keys() {
    // `<<` merges of large maps into large maps. Each anchor is kept, its
    // alias copied and the merge made in a tree of 56-byte nodes: a few
    // copies of `  k1: v` at 112 bytes an entry (issue 11).
    linear_within("merge keys", 200, 35.0, |n| {
        let mut s =
            String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nx-base: &base\n");
        for i in 0..n {
            let _ = writeln!(s, "  b{i}: v");
        }
        s.push_str("x-other: &other\n");
        for i in 0..n {
            let _ = writeln!(s, "  o{i}: v");
        }
        s.push_str("data:\n  <<: [*base, *other]\n");
        for i in 0..n {
            let _ = writeln!(s, "  d{i}: v");
        }
        s
    });
}

#[test]
fn duplicate_keys() {
    linear_within("duplicate keys", 200, 30.0, |n| {
        let mut s = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n");
        for i in 0..n {
            let _ = writeln!(s, "  k{}: v", i % 7);
        }
        s
    });
}

#[test]
fn services_by_pods_matching() {
    linear("Services × pods, matching", 50, |n| {
        repeat(n, |s, i| {
            service(
                s,
                "default",
                &format!("s{i}"),
                &[kv("app", format!("a{i}"))],
            );
            for r in 0..4 {
                let labels = [kv("app", format!("a{i}")), kv("tier", "web")];
                pod(s, "default", &format!("p{i}-{r}"), &labels, HTTP);
            }
        })
    });
}

#[test]
fn services_by_pods_matching_nothing() {
    // Scaled-to-zero Deployments: every Service selects nothing, and every
    // pod shares a label key with every selector (the near-miss search).
    linear_within("Services × pods, matching nothing", 50, 14.0, |n| {
        repeat(n, |s, i| {
            service(
                s,
                "default",
                &format!("s{i}"),
                &[kv("app", format!("gone{i}")), kv("tier", "web")],
            );
            for r in 0..4 {
                let labels = [kv("app", format!("a{i}-{r}")), kv("tier", "web")];
                pod(s, "default", &format!("p{i}-{r}"), &labels, HTTP);
            }
        })
    });
}

#[test]
fn services_sharing_one_selector() {
    linear_within("Services sharing one selector", 50, 28.0, |n| {
        let mut s = repeat(n, |s, i| {
            service(s, "default", &format!("s{i}"), &[kv("app", "web")]);
        });
        for i in 0..4 {
            pod(
                &mut s,
                "default",
                &format!("p{i}"),
                &[kv("app", "web")],
                HTTP,
            );
        }
        s
    });
}

#[test]
fn ports_per_service() {
    linear_within("ports per Service", 100, 20.0, |n| {
        let mut s = String::from(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n",
        );
        for i in 0..n {
            let _ = writeln!(
                s,
                "  - name: p{i}\n    port: {}\n    targetPort: c{}",
                1 + i % 65000,
                i % 50
            );
        }
        s.push_str("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n");
        for i in 0..n.min(50) {
            let _ = writeln!(s, "    - name: c{i}\n      containerPort: {}", 1000 + i);
        }
        s
    });
}

#[test]
fn values_per_match_expressions() {
    linear("values per matchExpressions", 500, |n| {
        let mut s = String::from(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 2\n  selector:\n    matchExpressions:\n    - key: app\n      operator: In\n      values:\n",
        );
        for i in 0..n {
            let _ = writeln!(s, "      - v{i}");
        }
        s.push_str("  template:\n    metadata:\n      labels:\n        app: v0\n    spec:\n      containers:\n      - name: c\n        image: nginx\n");
        s
    });
}

#[test]
fn namespaces() {
    linear_within("namespaces", 50, 16.0, |n| {
        repeat(n, |s, i| {
            let ns = format!("ns-{i}");
            let _ = write!(
                s,
                "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n"
            );
            service(s, &ns, "web", &[kv("app", "web")]);
            pod(s, &ns, "web-0", &[kv("app", "web")], HTTP);
        })
    });
}

#[test]
fn endpointslices_per_service() {
    linear("EndpointSlices per Service", 50, |n| {
        let mut s = String::from(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: ext\nspec:\n  ports:\n  - name: http\n    port: 80\n",
        );
        for i in 0..n {
            let _ = write!(
                s,
                "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: ext-{i}\n  labels:\n    kubernetes.io/service-name: ext\naddressType: IPv4\nports:\n- name: http\n  port: 8080\nendpoints:\n- addresses:\n  - 10.1.{}.{}\n",
                i / 250,
                i % 250 + 1
            );
        }
        s
    });
}

#[test]
fn many_small_documents() {
    linear("small documents", 500, |n| {
        repeat(n, |s, i| {
            let _ = write!(
                s,
                "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\ndata:\n  k: v\n"
            );
        })
    });
}

#[test]
fn set_based_workloads_among_pods() {
    // Workloads whose selector is `key in (a, b)` or `key` (Exists), in a
    // namespace full of pods: whether their pods are already in the input
    // is a lookup by label or key, not a scan of the namespace.
    linear_within("set-based workloads × pods", 50, 22.0, |n| {
        repeat(n, |s, i| {
            for r in 0..4 {
                let _ = write!(
                    s,
                    "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}-{r}, labels: {{app: p{i}-{r}}}}}\n"
                );
            }
            let _ = write!(
                s,
                "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{i}\nspec:\n  replicas: 1\n  selector:\n    matchExpressions:\n    - {{key: app, operator: In, values: [d{i}, e{i}]}}\n    - {{key: tier{i}, operator: Exists}}\n  template:\n    metadata:\n      labels: {{app: d{i}, tier{i}: x}}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n"
            );
        })
    });
}

#[test]
fn small_services() {
    // A dump of selector-less Services (issue 11 measured 150,000 of them):
    // each looks up its own EndpointSlices instead of scanning every object.
    linear_within("small selector-less Services", 500, 80.0, |n| {
        repeat(n, |s, i| {
            let _ = write!(
                s,
                "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\nspec:\n  ports:\n  - port: 80\n"
            );
        })
    });
}

#[test]
fn invalid_objects() {
    // Thousands of similar findings must not each copy their object.
    linear_within("invalid Services", 100, 70.0, |n| {
        repeat(n, |s, i| {
            let _ = write!(
                s,
                "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: Bad_{i}\nspec:\n  type: Weird\n  ports:\n  - port: 0\n  - port: 99999\n"
            );
        })
    });
}

#[test]
fn workloads() {
    linear_within("Deployments and their pods", 50, 20.0, |n| {
        repeat(n, |s, i| {
            let _ = write!(
                s,
                "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{i}\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web{i}\n  template:\n    metadata:\n      labels:\n        app: web{i}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n        ports:\n        - name: http\n          containerPort: 80\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web{i}\nspec:\n  selector:\n    app: web{i}\n  ports:\n  - port: 80\n    targetPort: http\n"
            );
        })
    });
}

#[test]
fn long_flow_sequences() {
    linear("flow-style sequence", 500, |n| {
        let mut s = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nx: [");
        for i in 0..n {
            let _ = write!(s, "{i}, ");
        }
        s.push_str("0]\n");
        s
    });
}

#[test]
fn syntax_errors() {
    // Every document broken: each error stops its own document only.
    linear("syntax errors", 200, |n| {
        repeat(n, |s, i| {
            let _ = write!(
                s,
                "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\ndata: [unclosed\n"
            );
        })
    });
}

#[test]
fn selectorless_services_with_slices() {
    // Every Service fed by its own EndpointSlice, one lookup each.
    linear_within("selectorless Services × EndpointSlices", 50, 21.0, |n| {
        repeat(n, |s, i| {
            let _ = write!(
                s,
                "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ext-{i}\nspec:\n  ports:\n  - name: http\n    port: 80\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: ext-{i}-x\n  labels:\n    kubernetes.io/service-name: ext-{i}\naddressType: IPv4\nports:\n- name: http\n  port: 8080\nendpoints:\n- addresses:\n  - 10.1.{}.{}\n",
                i / 250 % 250,
                i % 250 + 1
            );
        })
    });
}

#[test]
fn ingresses_by_services() {
    linear_within("Ingress backends × Services", 50, 15.0, |n| {
        repeat(n, |s, i| {
            service(
                s,
                "default",
                &format!("s{i}"),
                &[kv("app", format!("a{i}"))],
            );
            let _ = write!(
                s,
                "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i{i}\nspec:\n  rules:\n  - host: h{i}.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: s{i}\n            port:\n              number: 80\n"
            );
        })
    });
}

#[test]
fn statefulsets_by_services() {
    linear_within("StatefulSets × Services", 50, 18.0, |n| {
        repeat(n, |s, i| {
            let _ = write!(
                s,
                "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db{i}\nspec:\n  serviceName: db{i}\n  replicas: 1\n  selector:\n    matchLabels:\n      app: db{i}\n  template:\n    metadata:\n      labels:\n        app: db{i}\n    spec:\n      containers:\n      - name: c\n        image: db\n"
            );
            let _ = write!(
                s,
                "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db{i}\nspec:\n  clusterIP: None\n  selector:\n    app: db{i}\n  ports:\n  - port: 5432\n"
            );
        })
    });
}

fn network_policy(out: &mut String, ns: &str, name: &str, select: &str, peer: &str) {
    let _ = write!(
        out,
        "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  podSelector:\n    matchLabels:\n      app: {select}\n  policyTypes: [Ingress, Egress]\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          app: {peer}\n    ports:\n    - port: http\n  egress:\n  - to:\n    - podSelector:\n        matchLabels:\n          app: {peer}\n"
    );
}

#[test]
fn network_policies_by_pods() {
    // One policy per pod, each selecting its own pod and naming another as
    // peer, all in one namespace: the lints (selects-no-pods, DNS egress)
    // must not compare every policy with every pod.
    linear_within("NetworkPolicies × pods", 50, 16.0, |n| {
        repeat(n, |s, i| {
            pod(
                s,
                "default",
                &format!("p{i}"),
                &[kv("app", format!("a{i}"))],
                HTTP,
            );
            network_policy(
                s,
                "default",
                &format!("np{i}"),
                &format!("a{i}"),
                &format!("a{}", (i + 1) % n.max(1)),
            );
        })
    });
}

#[test]
fn network_policies_selecting_nothing() {
    // Policies whose selectors match no pod, beside pods that share a label
    // key with each (the selects-no-pods search).
    linear_within(
        "NetworkPolicies × pods, selecting nothing",
        50,
        16.0,
        |n| {
            repeat(n, |s, i| {
                pod(
                    s,
                    "default",
                    &format!("p{i}"),
                    &[kv("app", format!("a{i}"))],
                    HTTP,
                );
                network_policy(s, "default", &format!("np{i}"), &format!("gone{i}"), "none");
            })
        },
    );
}

#[test]
fn routes_by_gateways() {
    // Each route names its own Gateway from another namespace (refused:
    // the lint looks the Gateway up) and a backend beside as many Services;
    // half the routes name a Gateway that does not exist. Every route draws
    // two or three findings of a few hundred bytes each (the input is
    // ~230 bytes per object): findings, not the routing tables, set the
    // peak, as for Services that match nothing.
    linear_within("HTTPRoutes × Gateways", 50, 16.0, |n| {
        repeat(n, |s, i| {
            let _ = write!(
                s,
                "---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {{name: gw{i}, namespace: infra}}\nspec:\n  gatewayClassName: eg\n  listeners: [{{name: http, protocol: HTTP, port: 80, hostname: h{i}.example.com}}]\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {{name: r{i}, namespace: app}}\nspec:\n  parentRefs: [{{name: gw{}, namespace: infra}}]\n  hostnames: [h{i}.example.com]\n  rules:\n  - matches: [{{path: {{value: /p{i}}}, headers: [{{name: x, value: y}}]}}]\n    backendRefs: [{{name: s{i}, port: 80}}, {{name: s{i}, namespace: other, port: 80}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: s{i}, namespace: app}}\nspec:\n  selector: {{app: a{i}}}\n  ports: [{{port: 80}}]\n",
                if i % 2 == 0 { i } else { i + n }
            );
        })
    });
}

#[test]
fn references_per_container() {
    // One container with n env vars that each name a Service, through
    // `$(VAR)` expansion, plus n near-miss typos (the near-name search has
    // a budget), over n Services in its namespace, and a ConfigMap of n
    // keys read through envFrom.
    linear_within("client references per container", 100, 16.0, |n| {
        let mut s = String::new();
        for i in 0..n {
            service(&mut s, "default", &format!("svc-{i:06}"), &[kv("app", i)]);
        }
        s.push_str("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: addrs\ndata:\n");
        for i in 0..n {
            let _ = writeln!(s, "  K{i}_ADDR: \"svc-{i:06}:80\"");
        }
        s.push_str("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: client\nspec:\n  containers:\n  - name: c\n    image: c\n    envFrom: [{configMapRef: {name: addrs}}]\n    env:\n");
        for i in 0..n {
            let _ = write!(
                s,
                "    - name: H{i}\n      value: svc-{i:06}\n    - name: A{i}_ADDR\n      value: \"$(H{i}):80\"\n    - name: T{i}_ADDR\n      value: \"svd-{i:06}:80\"\n"
            );
        }
        s
    });
}

#[test]
fn workloads_referring_to_services() {
    // n Deployments, each naming the Service of the next one, with a
    // NetworkPolicy per workload admitting only its caller on the wrong
    // port (every reference is evaluated against the policies). Each
    // workload (~640 bytes of input) draws two findings of ~350 bytes of
    // message each, which set the peak, as for routes.
    linear_within("workloads × references × policies", 50, 20.0, |n| {
        repeat(n, |s, i| {
            let next = (i + 1) % n;
            let _ = write!(
                s,
                "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: w{i}}}\nspec:\n  replicas: 2\n  selector: {{matchLabels: {{app: w{i}}}}}\n  template:\n    metadata: {{labels: {{app: w{i}}}}}\n    spec:\n      containers:\n      - name: c\n        image: c\n        ports: [{{containerPort: 8080}}]\n        env: [{{name: NEXT_ADDR, value: \"w{next}:80\"}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: w{i}}}\nspec:\n  selector: {{app: w{i}}}\n  ports: [{{port: 80, targetPort: 8080}}]\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: w{i}}}\nspec:\n  podSelector: {{matchLabels: {{app: w{i}}}}}\n  ingress: [{{from: [{{podSelector: {{matchLabels: {{app: w{}}}}}}}], ports: [{{port: 80}}]}}]\n",
                (i + n - 1) % n
            );
        })
    });
}
