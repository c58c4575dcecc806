//! HTTP requests from the edge (spec `ingress-gateway.md` G and H,
//! interfaces.md §6.3), checked against upstream's own vectors: the Gateway
//! API conformance suite's manifests and expectations, and the Ingress
//! matching tables of the Kubernetes website and the ingress controller
//! conformance features (copied under `tests/upstream`, with provenance).

mod common;

use portolan_core::analysis::{Analysis, analyze};
use portolan_core::profile::{Profile, ProxyMode};
use portolan_core::sim::{From, Request, Trace, trace};
use portolan_core::source::Source;
use portolan_core::types::Protocol;
use serde_json::Value;

fn upstream(path: &str) -> String {
    std::fs::read_to_string(common::material().join("upstream").join(path))
        .unwrap_or_else(|e| panic!("tests/upstream/{path}: {e}"))
}

fn analysis(files: &[(&str, String)]) -> Analysis {
    let sources = files
        .iter()
        .map(|(n, t)| Source::new(*n, t.clone()))
        .collect();
    analyze(sources, &Profile::default()).unwrap()
}

fn request(
    to: &str,
    method: Option<&str>,
    headers: Vec<(String, String)>,
    via: Option<&str>,
) -> Request {
    Request {
        from: From::parse("external:203.0.113.99").unwrap(),
        to: to.to_owned(),
        protocol: Protocol::Tcp,
        at_node: None,
        proxy_mode: ProxyMode::Iptables,
        method: method.map(str::to_owned),
        headers,
        via: via.map(str::to_owned),
    }
}

fn get(a: &Analysis, to: &str) -> Trace {
    trace(a, &request(to, None, Vec::new(), None)).unwrap()
}

fn hops(t: &Trace) -> String {
    t.hops
        .iter()
        .map(|h| format!("  {} {}", h.step, h.detail))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The services that take traffic (weight > 0).
fn served(t: &Trace) -> Vec<String> {
    t.backends
        .iter()
        .flatten()
        .filter(|b| b.weight > 0)
        .map(|b| b.service.clone())
        .collect()
}

/// Whether a trace meets a conformance case's expectation.
fn meets(t: &Trace, e: &Value) -> bool {
    if let Some(b) = e.get("backend") {
        t.verdict == "delivered" && served(t) == [b.as_str().unwrap()]
    } else if let Some(w) = e.get("weights") {
        let want: Vec<(String, i64)> = w
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_i64().unwrap()))
            .collect();
        let got: Vec<(String, i64)> = t
            .backends
            .iter()
            .flatten()
            .map(|b| (b.service.clone(), b.weight))
            .collect();
        let mut shares = std::collections::BTreeMap::<String, f64>::new();
        for d in &t.destinations {
            let svc = want
                .iter()
                .find(|(s, _)| {
                    d.pod
                        .as_deref()
                        .is_some_and(|p| p.starts_with(&format!("{s}-")))
                })
                .map_or("?".to_owned(), |(s, _)| s.clone());
            *shares.entry(svc).or_default() += d.probability;
        }
        let total: i64 = want.iter().map(|(_, w)| w).sum();
        got.len() == want.len()
            && want.iter().all(|(s, w)| {
                let share = shares.get(s).copied().unwrap_or(0.0);
                got.contains(&(s.clone(), *w)) && (share - *w as f64 / total as f64).abs() < 1e-9
            })
    } else if let Some(r) = e.get("redirect") {
        t.verdict == "redirect"
            && t.redirect.as_ref().is_some_and(|x| {
                Some(x.status) == r["status"].as_i64()
                    && r.get("location")
                        .is_none_or(|l| l.as_str() == Some(x.location.as_str()))
            })
    } else if e.get("status").and_then(Value::as_i64) == Some(404) || e.get("grpc_status").is_some()
    {
        t.verdict == "no-route"
    } else if e.get("status").and_then(Value::as_i64) == Some(500) {
        t.verdict == "backend-unresolved" && t.unresolved_probability == Some(1.0)
    } else {
        panic!("unknown expectation {e}");
    }
}

/// Every case of the Gateway API conformance tests we copied
/// (`tests/upstream/gateway/expectations.json`): H.2 attachment, H.3
/// precedence, H.4 weights, redirects and unresolved references, H.5 gRPC.
#[test]
fn h_gateway_api_conformance_cases() {
    let cases: Vec<Value> = serde_json::from_str(&upstream("gateway/expectations.json")).unwrap();
    assert!(cases.len() >= 100, "{} cases", cases.len());
    let base =
        upstream("gateway/base-manifests.yaml").replace("{GATEWAY_CLASS_NAME}", "conformance");
    let class = "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: conformance}\nspec: {controllerName: example.com/conformance}\n".to_owned();
    let mut analyses = std::collections::HashMap::new();
    let mut failures = Vec::new();
    for c in &cases {
        let file = c["file"].as_str().unwrap();
        let a = analyses.entry(file.to_owned()).or_insert_with(|| {
            let text =
                upstream(&format!("gateway/{file}")).replace("{GATEWAY_CLASS_NAME}", "conformance");
            analysis(&[
                ("base.yaml", base.clone()),
                ("class.yaml", class.clone()),
                (file, text),
            ])
        });
        let mut url = c["url"].as_str().unwrap().to_owned();
        if let Some(g) = c.get("grpc") {
            let host = url
                .trim_start_matches("http://")
                .split('/')
                .next()
                .unwrap()
                .to_owned();
            url = format!(
                "grpc://{host}/{}/{}",
                g["service"].as_str().unwrap(),
                g["method"].as_str().unwrap()
            );
        }
        let mut headers: Vec<(String, String)> = c["headers"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        // A Host with a port (`very.specific.com:1234`) is sent to the
        // port-80 listener as the Host header (0.1: the port is ignored).
        let authority = url
            .split("://")
            .nth(1)
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        if let Some((host, port)) = authority.split_once(':')
            && port != "80"
        {
            headers.push(("Host".to_owned(), authority.clone()));
            url = url.replacen(&authority, host, 1);
        }
        let via = format!("gateway:{}", c["gateway"].as_str().unwrap());
        let t = match trace(
            a,
            &request(&url, c["method"].as_str(), headers.clone(), Some(&via)),
        ) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{} {url} {headers:?}: error {e}", c["test"]));
                continue;
            }
        };
        let e = &c["expect"];
        let ok = meets(&t, e);
        if !ok {
            failures.push(format!(
                "{} {url} {headers:?} via {via}: expected {e}, got {} {:?} {:?}\n{}",
                c["test"],
                t.verdict,
                served(&t),
                t.redirect,
                hops(&t)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// The Ingress matching tables (`tests/upstream/ingress/matching-cases.json`):
/// G.3.1 hosts, G.3.3–G.3.6 paths and precedence, G.3.8 the default backend.
#[test]
fn g_3_ingress_matching_tables() {
    let cases: Vec<Value> = serde_json::from_str(&upstream("ingress/matching-cases.json")).unwrap();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let class = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: conformance\n  annotations: {ingressclass.kubernetes.io/is-default-class: \"true\"}\nspec: {controller: example.com/conformance}\n".to_owned();
    let mut failures = Vec::new();
    for c in &cases {
        let a = analysis(&[
            ("class.yaml", class.clone()),
            (
                "ingress.yaml",
                c["ingress_yaml"].as_str().unwrap().to_owned(),
            ),
        ]);
        let host = c["host"].as_str().unwrap();
        // No Host: a name no rule names.
        let url = format!(
            "http://{}{}",
            if host.is_empty() {
                "no-host.invalid"
            } else {
                host
            },
            c["path"].as_str().unwrap()
        );
        let t = get(&a, &url);
        let e = &c["expect"];
        let ok = match e.get("service").and_then(Value::as_str) {
            Some(s) => {
                matches!(t.verdict, "delivered" | "backend-unresolved")
                    && served(&t)
                        .iter()
                        .map(|x| x.rsplit('/').next().unwrap())
                        .eq([s])
            }
            None => t.verdict == "no-route",
        };
        if !ok {
            failures.push(format!(
                "{}\n  {url}: expected {e}, got {} {:?}\n{}",
                c["source"],
                t.verdict,
                served(&t),
                hops(&t)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Upstream's validation tables for Ingress and IngressClass
/// (`tests/upstream/ingress/validation-cases.json`, from
/// `validation_test.go` and `validation.go`): G.1.1–G.1.14, every error
/// with its type, field path and detail.
#[test]
fn g_1_ingress_validation_cases() {
    let cases: Vec<Value> =
        serde_json::from_str(&upstream("ingress/validation-cases.json")).unwrap();
    assert!(cases.len() >= 50, "{} cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        let a = analysis(&[("case.yaml", c["yaml"].as_str().unwrap().to_owned())]);
        let got: Vec<(String, String, String)> = a
            .diagnostics
            .iter()
            .filter(|d| d.severity == portolan_core::diag::Severity::Error)
            .map(|d| {
                (
                    d.error_type.map_or("-", |t| t.as_str()).to_owned(),
                    d.field.clone().unwrap_or_default(),
                    d.message.clone(),
                )
            })
            .collect();
        let want = c["errors"].as_array().unwrap();
        let ok = got.len() == want.len()
            && got.iter().zip(want).all(|((ty, field, message), w)| {
                w["type"].as_str() == Some(ty.as_str())
                    && w["field"].as_str() == Some(field.as_str())
                    && message.contains(w["detail_contains"].as_str().unwrap_or(""))
            });
        if !ok {
            failures.push(format!("{}: expected {want:?}\n  got {got:?}", c["test"]));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
