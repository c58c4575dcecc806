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

/// The conformance base manifests, our GatewayClass and one test's file.
fn conformance_analysis(base: &str, file: &str) -> Analysis {
    let base = base.to_owned();
    let class = CONFORMANCE_CLASS.to_owned();
    let mut text =
        upstream(&format!("gateway/{file}")).replace("{GATEWAY_CLASS_NAME}", "conformance");
    if file == "httproute-request-redirect.yaml" {
        // This copy predates the CEL rule "RequestRedirect filter must
        // not be used together with backendRefs" (H.1.6), which the
        // current CRD enforces: the redirecting rules' backendRefs,
        // never contacted, are dropped so that the route is valid.
        text = text.replace(
            "    backendRefs:\n    - name: infra-backend-v1\n      port: 8080",
            "",
        );
    }
    analysis(&[
        ("base.yaml", base.clone()),
        ("class.yaml", class.clone()),
        (file, text),
    ])
}

const CONFORMANCE_CLASS: &str = "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: conformance}\nspec: {controllerName: example.com/conformance}\n";

/// Every case of the Gateway API conformance tests we copied
/// (`tests/upstream/gateway/expectations.json`): H.2 attachment, H.3
/// precedence, H.4 weights, redirects and unresolved references, H.5 gRPC.
#[test]
fn h_gateway_api_conformance_cases() {
    let cases: Vec<Value> = serde_json::from_str(&upstream("gateway/expectations.json")).unwrap();
    assert!(cases.len() >= 100, "{} cases", cases.len());
    let base =
        upstream("gateway/base-manifests.yaml").replace("{GATEWAY_CLASS_NAME}", "conformance");
    let mut analyses = std::collections::HashMap::new();
    let mut failures = Vec::new();
    for c in &cases {
        let file = c["file"].as_str().unwrap();
        let a = analyses
            .entry(file.to_owned())
            .or_insert_with(|| conformance_analysis(&base, file));
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
                matches!(t.verdict.as_str(), "delivered" | "backend-unresolved")
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

/// The errors `check` reports for one manifest: (type, field, message).
fn errors(yaml: &str) -> Vec<(String, String, String)> {
    analysis(&[("case.yaml", yaml.to_owned())])
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
        .collect()
}

const ROUTE_HEAD: &str = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n  parentRefs: [{name: edge}]\n";

/// H.1.1–H.1.2 and H.1.5–H.1.8: schema errors with their types, CEL rules
/// at the node that carries them, CEL skipped after a blocking error.
#[test]
fn h_1_gateway_api_schema_and_cel() {
    // H.1.6: `rules: []` is refused (minItems), absent rules are defaulted.
    let e = errors(&format!("{ROUTE_HEAD}  rules: []\n"));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        (e[0].0.as_str(), e[0].1.as_str()),
        ("Invalid", "spec.rules")
    );
    assert!(e[0].2.contains("should have at least 1 items"), "{e:?}");
    assert!(errors(ROUTE_HEAD).is_empty());
    // CEL at the backendRef: "Must have port for Service reference"; I.8:
    // `group: core` dodges it.
    let e = errors(&format!(
        "{ROUTE_HEAD}  rules:\n  - backendRefs: [{{name: web}}]\n"
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].1, "spec.rules[0].backendRefs[0]");
    assert!(
        e[0].2
            .ends_with("Invalid value: \"object\": Must have port for Service reference"),
        "{e:?}"
    );
    assert!(
        errors(&format!(
            "{ROUTE_HEAD}  rules:\n  - backendRefs: [{{group: core, kind: Service, name: web}}]\n"
        ))
        .is_empty()
    );
    // Path CEL rules, each suffixed with the types it applies to.
    let e = errors(&format!(
        "{ROUTE_HEAD}  rules:\n  - matches: [{{path: {{type: PathPrefix, value: 'api//v1'}}}}]\n    backendRefs: [{{name: web, port: 80}}]\n"
    ));
    let details: Vec<&str> = e.iter().map(|x| x.2.as_str()).collect();
    assert_eq!(e.len(), 2, "{e:?}");
    for want in [
        "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
        "must not contain '//' when type one of ['Exact', 'PathPrefix']",
    ] {
        assert!(details.iter().any(|d| d.ends_with(want)), "{details:?}");
    }
    // H.1.1: a blocking schema error (an enum) hides the CEL rules behind one
    // extra Invalid with an empty path.
    let e = errors(&format!(
        "{ROUTE_HEAD}  rules:\n  - matches: [{{method: FETCH}}]\n    backendRefs: [{{name: web}}]\n"
    ));
    assert_eq!(e.len(), 2, "{e:?}");
    let kinds: Vec<(&str, &str)> = e.iter().map(|x| (x.0.as_str(), x.1.as_str())).collect();
    assert!(
        kinds.contains(&("NotSupported", "spec.rules[0].matches[0].method")),
        "{e:?}"
    );
    assert!(
        e.iter().any(|x| x.1.is_empty()
            && x.2
                .contains("some validation rules were not checked because the object was invalid")),
        "{e:?}"
    );
    // maxItems → TooMany.
    let hosts: Vec<String> = (0..17).map(|i| format!("h{i}.example.com")).collect();
    let e = errors(&format!(
        "{ROUTE_HEAD}  hostnames: [{}]\n",
        hosts.join(", ")
    ));
    assert_eq!(
        (e[0].0.as_str(), e[0].1.as_str()),
        ("TooMany", "spec.hostnames"),
        "{e:?}"
    );
    assert!(
        e[0].2.contains("Too many: 17: must have at most 16 items"),
        "{e:?}"
    );
}

/// H.1.6: `timeouts` (a Gateway API Duration pattern, and CEL "backendRequest
/// timeout cannot be longer than request timeout" with `0s` meaning none),
/// the "Within backendRefs" twins of the replacePrefixMatch rules, and the
/// defaulted match (H.1.3) that satisfies them. Cases from gateway-api's
/// `pkg/test/cel/httproute_test.go`. H.1.2: a wrong JSON type is the CRD
/// schema's `TypeInvalid`, a blocking error.
#[test]
fn h_1_6_timeouts_backend_filters_and_types() {
    let rule = |body: &str| errors(&format!("{ROUTE_HEAD}  rules:\n  - {body}\n"));
    let e = rule("timeouts: {request: 200ms, backendRequest: 1s}");
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].1, "spec.rules[0].timeouts");
    assert!(
        e[0].2.ends_with(
            "Invalid value: \"object\": backendRequest timeout cannot be longer than request timeout"
        ),
        "{e:?}"
    );
    for ok in [
        "timeouts: {request: 1s, backendRequest: 200ms}",
        "timeouts: {request: 10s, backendRequest: 10s}",
        "timeouts: {request: 0s, backendRequest: 1h}",
        "timeouts: {request: 1h30m, backendRequest: 89m59s999ms}",
    ] {
        assert!(rule(ok).is_empty(), "{ok}: {:?}", rule(ok));
    }
    let e = rule("timeouts: {request: 1d}");
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        (e[0].0.as_str(), e[0].1.as_str()),
        ("Invalid", "spec.rules[0].timeouts.request")
    );
    assert!(
        e[0].2
            .ends_with("in body should match '^([0-9]{1,5}(h|m|s|ms)){1,4}$'"),
        "{e:?}"
    );
    let rewrite = |ty: &str, field: &str| {
        format!(
            "backendRefs:\n    - name: web\n      port: 80\n      filters: [{{type: {ty}, {field}: {{path: {{type: ReplacePrefixMatch, replacePrefixMatch: /x}}}}}}]"
        )
    };
    let two = "matches: [{path: {type: PathPrefix, value: /foo}}, {path: {type: PathPrefix, value: /bar}}]\n    ";
    let e = rule(&format!("{two}{}", rewrite("URLRewrite", "urlRewrite")));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].1, "spec.rules[0]");
    assert!(e[0].2.ends_with("Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified"), "{e:?}");
    let e = rule(&format!(
        "{two}{}",
        rewrite("RequestRedirect", "requestRedirect")
    ));
    assert!(
        e.iter().any(|x| x.2.ends_with("Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified")),
        "{e:?}"
    );
    // No matches: defaulted to one `PathPrefix /`, which satisfies both the
    // rule's own check and its backendRefs twin; so does a match without a
    // path.
    assert!(rule(&rewrite("URLRewrite", "urlRewrite")).is_empty());
    assert!(
        rule("matches: [{headers: [{name: x, value: z}]}]\n    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /x}}}]\n    backendRefs: [{name: web, port: 80}]")
            .is_empty()
    );
    // A wrong type: TypeInvalid under the route's code, reported with the
    // other schema errors (the weight below 0); it is blocking, so the CEL
    // rules (the timeouts', the backendRef's port) give way to one Invalid
    // with an empty path (H.1.1).
    let e = rule(
        "backendRefs: [{name: web, port: eighty, weight: -1}]\n    timeouts: {request: 1s, backendRequest: 2s}",
    );
    assert_eq!(e.len(), 3, "{e:?}");
    assert!(
        e.iter()
            .any(|x| x.0 == "Invalid" && x.1 == "spec.rules[0].backendRefs[0].weight"),
        "{e:?}"
    );
    assert!(
        e.iter()
            .any(|x| x.1.is_empty() && x.2.contains("some validation rules were not checked")),
        "{e:?}"
    );
    let e: Vec<_> = e.into_iter().filter(|x| x.0 == "TypeInvalid").collect();
    assert_eq!(
        (e[0].0.as_str(), e[0].1.as_str()),
        ("TypeInvalid", "spec.rules[0].backendRefs[0].port")
    );
    assert_eq!(
        e[0].2,
        "spec.rules[0].backendRefs[0].port: Invalid value: \"string\": spec.rules[0].backendRefs[0].port in body must be of type integer: \"string\""
    );
}

/// H.1.6: the CORS filter, with the cases of gateway-api's
/// `TestHTTPRouteCORS` (`pkg/test/cel/httproute_test.go`): origins by
/// pattern, `*` alone, methods by enum, lists as sets, `maxAge` ≥ 1.
#[test]
fn h_1_6_cors_filter() {
    let cors = |body: &str| {
        errors(&format!(
            "{ROUTE_HEAD}  rules:\n  - filters: [{{type: CORS, cors: {{{body}}}}}]\n"
        ))
    };
    for ok in [
        "allowOrigins: ['https://xpto.com', 'http://*.abcd.com', 'http://*.abcd.com:12345']",
        "allowOrigins: ['*']",
        "allowOrigins: ['https://*.com']",
        "allowMethods: [GET, OPTIONS, POST]",
        "allowMethods: ['*'], allowHeaders: ['*'], exposeHeaders: ['*', x-trace], allowCredentials: true, maxAge: 600",
    ] {
        assert!(cors(ok).is_empty(), "{ok}: {:?}", cors(ok));
    }
    let e = cors("allowOrigins: ['*', 'https://xpto.com']");
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].1, "spec.rules[0].filters[0].cors.allowOrigins");
    assert!(
        e[0].2.ends_with(
            "Invalid value: \"array\": AllowOrigins cannot contain '*' alongside other origins"
        ),
        "{e:?}"
    );
    let e = cors("allowOrigins: ['https://xpto.com', 'xpto.com']");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].2.starts_with("spec.rules[0].filters[0].cors.allowOrigins[1]: Invalid value: \"xpto.com\": spec.rules[0].filters[0].cors.allowOrigins[1] in body should match"),
        "{e:?}"
    );
    assert_eq!(cors("allowOrigins: ['https://xpto.com:notaport']").len(), 1);
    let e = cors("allowMethods: [GET, '*', POST]");
    assert!(
        e.iter().any(|x| x
            .2
            .ends_with("AllowMethods cannot contain '*' alongside other methods")),
        "{e:?}"
    );
    let e = cors("allowHeaders: ['*', x-user]");
    assert!(
        e.iter().any(|x| x
            .2
            .ends_with("AllowHeaders cannot contain '*' alongside other methods")),
        "{e:?}"
    );
    let e = cors("allowMethods: [get]");
    assert_eq!(
        (e[0].0.as_str(), e[0].1.as_str()),
        (
            "NotSupported",
            "spec.rules[0].filters[0].cors.allowMethods[0]"
        ),
        "{e:?}"
    );
    let e = cors("allowHeaders: [x-a, x-a]");
    assert_eq!(
        (e[0].0.as_str(), e[0].1.as_str()),
        ("Duplicate", "spec.rules[0].filters[0].cors.allowHeaders[1]"),
        "{e:?}"
    );
    // Rule names are unique when set (`TestHTTPRouteRuleExperimental`).
    let named = |a: &str, b: &str| {
        errors(&format!(
            "{ROUTE_HEAD}  rules:\n  - name: {a}\n  - name: {b}\n  - {{}}\n  - {{}}\n"
        ))
    };
    assert!(named("name1", "name2").is_empty());
    let e = named("name1", "name1");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].2
            .ends_with("Invalid value: \"array\": Rule name must be unique within the route"),
        "{e:?}"
    );
    let e = cors("maxAge: 0");
    assert!(
        e[0].2.ends_with(
            "spec.rules[0].filters[0].cors.maxAge in body should be greater than or equal to 1"
        ),
        "{e:?}"
    );
}

/// H.1.5 and H.1.8: Gateway listener rules and list-map keys, ReferenceGrant
/// schema; a rejected route is not routed.
#[test]
fn h_1_gateways_and_grants() {
    // H.1.5: listener CEL rules and list-map keys.
    let gw = |listeners: &str| {
        format!(
            "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {{name: edge}}\nspec:\n  gatewayClassName: eg\n  listeners:\n{listeners}"
        )
    };
    let e = errors(&gw(
        "  - {name: a, protocol: HTTP, port: 80, tls: {mode: Terminate, certificateRefs: [{name: c}]}}\n",
    ));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].1, "spec.listeners");
    assert!(
        e[0].2
            .ends_with("tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']")
    );
    let e = errors(&gw(
        "  - {name: a, protocol: HTTP, port: 80}\n  - {name: a, protocol: HTTP, port: 8080}\n",
    ));
    // A repeated list-map key is a Duplicate, which does not block CEL: the
    // uniqueness rule reports it too.
    let kinds: Vec<(&str, &str)> = e.iter().map(|x| (x.0.as_str(), x.1.as_str())).collect();
    assert_eq!(
        kinds,
        [
            ("Invalid", "spec.listeners"),
            ("Duplicate", "spec.listeners[1]")
        ],
        "{e:?}"
    );
    assert!(
        e[0].2
            .ends_with("Listener name must be unique within the Gateway")
    );
    // `http` passes the protocol pattern (a lint says more, H.7).
    assert!(errors(&gw("  - {name: a, protocol: http, port: 80}\n")).is_empty());
    let e = errors(&gw("  - {name: a, protocol: HTTP, port: 0}\n"));
    assert_eq!(
        (e[0].0.as_str(), e[0].1.as_str()),
        ("Invalid", "spec.listeners[0].port")
    );
    assert!(e[0].2.contains("should be greater than or equal to 1"));
    // H.1.8: ReferenceGrant `from` needs a namespace; `group: ""` is valid.
    let e = errors(
        "apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: g}\nspec:\n  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute}]\n  to: [{group: \"\", kind: Service}]\n",
    );
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        (e[0].0.as_str(), e[0].1.as_str()),
        ("Required", "spec.from[0].namespace")
    );
    // A rejected route is not routed.
    let a = analysis(&[
        (
            "gw.yaml",
            gw("  - {name: http, protocol: HTTP, port: 80}\n"),
        ),
        (
            "r.yaml",
            format!("{ROUTE_HEAD}  rules:\n  - backendRefs: [{{name: web}}]\n"),
        ),
    ]);
    let t = trace(
        &a,
        &request("http://x.example.com/", None, Vec::new(), None),
    )
    .unwrap();
    assert_eq!(t.verdict, "no-route", "{}", hops(&t));
}

fn trace_via(a: &Analysis, to: &str, via: Option<&str>) -> Result<Trace, String> {
    trace(a, &request(to, None, Vec::new(), via))
}

const BACKEND: &str = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: 8080}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]\n";

fn gateway(name: &str, ip: &str, hostname: &str) -> String {
    format!(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {{name: {name}, namespace: shop}}\nspec:\n  gatewayClassName: eg\n  listeners: [{{name: http, protocol: HTTP, port: 80, hostname: '{hostname}'}}]\nstatus:\n  addresses: [{{type: IPAddress, value: {ip}}}]\n"
    )
}

fn route(name: &str, parent: &str, body: &str) -> String {
    format!(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {{name: {name}, namespace: shop}}\nspec:\n  parentRefs: [{{name: {parent}}}]\n{body}"
    )
}

/// H.8 steps 2–4: an address picks the Gateway that owns it, `--via` picks
/// one by name, an address nobody owns is `no-route`, a bad `--via` is an
/// error that lists the entry points.
#[test]
fn h_8_entry_points_by_address_and_via() {
    let rules = "  rules:\n  - backendRefs: [{name: web, port: 80}]\n";
    let a = analysis(&[
        ("b.yaml", BACKEND.to_owned()),
        (
            "g.yaml",
            gateway("a-edge", "203.0.113.1", "*.example.com")
                + "---\n"
                + &gateway("b-edge", "203.0.113.2", "*.example.org"),
        ),
        (
            "r.yaml",
            route("a", "a-edge", rules) + "---\n" + &route("b", "b-edge", rules),
        ),
    ]);
    let t = trace_via(&a, "http://203.0.113.2/", Some("gateway:shop/b-edge"));
    assert_eq!(
        t.unwrap().verdict,
        "no-route",
        "Host 203.0.113.2 matches no listener hostname"
    );
    let mut req = request(
        "http://203.0.113.2/",
        None,
        vec![("Host".into(), "x.example.org".into())],
        None,
    );
    let t = trace(&a, &req).unwrap();
    assert_eq!(
        t.route.as_ref().map(|r| r.name.as_str()),
        Some("b"),
        "{}",
        hops(&t)
    );
    req.to = "http://203.0.113.9/".into();
    assert_eq!(trace(&a, &req).unwrap().verdict, "no-route");
    // By name: the Gateway whose listener names the host (step 4).
    let t = get(&a, "http://www.example.org/");
    assert_eq!(
        t.route.as_ref().map(|r| r.name.as_str()),
        Some("b"),
        "{}",
        hops(&t)
    );
    assert!(hops(&t).contains("could also enter through gateway:shop/a-edge"));
    let e = trace_via(&a, "http://www.example.org/", Some("ingressclass:nginx")).unwrap_err();
    assert!(
        e.contains("gateway:shop/a-edge, gateway:shop/b-edge"),
        "{e}"
    );
}

/// H.4.1–H.4.2: a weighted split where one backend does not resolve:
/// delivered, with the unresolved share; all weights 0: unresolved.
#[test]
fn h_4_partly_unresolved_splits() {
    let a = analysis(&[
        ("b.yaml", BACKEND.to_owned()),
        ("g.yaml", gateway("edge", "203.0.113.1", "*.example.com")),
        (
            "r.yaml",
            route(
                "r",
                "edge",
                "  rules:\n  - matches: [{path: {value: /a}}]\n    backendRefs: [{name: web, port: 80, weight: 3}, {name: gone, port: 80, weight: 1}]\n  - matches: [{path: {value: /z}}]\n    backendRefs: [{name: web, port: 80, weight: 0}]\n",
            ),
        ),
    ]);
    let t = get(&a, "http://shop.example.com/a");
    assert_eq!(t.verdict, "delivered");
    assert_eq!(t.unresolved_probability, Some(0.25));
    let sum: f64 = t.destinations.iter().map(|d| d.probability).sum();
    assert!((sum - 0.75).abs() < 1e-9, "{sum}");
    assert!(hops(&t).contains("BackendNotFound: no Service shop/gone"));
    let t = get(&a, "http://shop.example.com/z");
    assert_eq!(t.verdict, "backend-unresolved");
}

/// H.8 step 10: NetworkPolicy applies from the Gateway's data-plane pods
/// (labelled `gateway.networking.k8s.io/gateway-name`), pod to pod.
#[test]
fn h_8_network_policy_from_the_data_plane() {
    let proxy = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: edge-proxy, namespace: shop}\nspec:\n  replicas: 1\n  selector: {matchLabels: {gateway.networking.k8s.io/gateway-name: edge}}\n  template:\n    metadata: {labels: {gateway.networking.k8s.io/gateway-name: edge}}\n    spec:\n      containers: [{name: envoy, image: envoy}]\n";
    let deny = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web-from-nobody, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Ingress]\n";
    let allow = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web-from-edge, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - from: [{podSelector: {matchLabels: {gateway.networking.k8s.io/gateway-name: edge}}}]\n    ports: [{port: 8080}]\n";
    let base = || {
        vec![
            ("b.yaml", BACKEND.to_owned()),
            ("g.yaml", gateway("edge", "203.0.113.1", "*.example.com")),
            (
                "r.yaml",
                route(
                    "r",
                    "edge",
                    "  rules:\n  - backendRefs: [{name: web, port: 80}]\n",
                ),
            ),
        ]
    };
    let mut files = base();
    files.push(("np.yaml", deny.to_owned()));
    let t = get(&analysis(&files), "http://shop.example.com/");
    assert_eq!(
        t.verdict, "delivered",
        "without the proxy pods policy is not evaluated"
    );
    assert!(hops(&t).contains("not evaluated: the data-plane pods of gateway:shop/edge"));
    files.push(("p.yaml", proxy.to_owned()));
    let t = get(&analysis(&files), "http://shop.example.com/");
    assert_eq!(t.verdict, "denied", "{}", hops(&t));
    assert_eq!(t.delivered_probability, Some(0.0));
    let mut files = base();
    files.extend([("p.yaml", proxy.to_owned()), ("np.yaml", allow.to_owned())]);
    let t = get(&analysis(&files), "http://shop.example.com/");
    assert_eq!(t.verdict, "delivered", "{}", hops(&t));
    assert_eq!(t.delivered_probability, Some(1.0));
    assert!(
        t.destinations
            .iter()
            .all(|d| d.policy.map(portolan_core::netpol::Verdict::as_str) == Some("allowed"))
    );
}

/// G.2: the default class (the newest of several), an unknown class, and
/// an input without IngressClasses (the cluster's default assumed).
#[test]
fn g_2_which_controller_serves_an_ingress() {
    let ingress = |name: &str, class: &str, path: &str| {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: {name}, namespace: shop}}\nspec:\n{class}  rules:\n  - http:\n      paths:\n      - {{path: {path}, pathType: Prefix, backend: {{service: {{name: web, port: {{number: 80}}}}}}}}\n"
        )
    };
    let class = |name: &str, ts: &str| {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: {name}\n  creationTimestamp: \"{ts}\"\n  annotations: {{ingressclass.kubernetes.io/is-default-class: \"true\"}}\nspec: {{controller: example.com/{name}}}\n"
        )
    };
    // No IngressClass in the input: the cluster's default class serves it.
    let a = analysis(&[
        ("b.yaml", BACKEND.to_owned()),
        ("i.yaml", ingress("web", "", "/")),
    ]);
    let t = get(&a, "http://shop.example.com/");
    assert_eq!(t.verdict, "delivered", "{}", hops(&t));
    assert!(hops(&t).contains("the cluster's default class"));
    // Two default classes: the newer one serves unclassed Ingresses (G.2.2).
    let a = analysis(&[
        ("b.yaml", BACKEND.to_owned()),
        (
            "c.yaml",
            class("old", "2024-01-01T00:00:00Z") + "---\n" + &class("new", "2025-01-01T00:00:00Z"),
        ),
        ("i.yaml", ingress("web", "", "/")),
    ]);
    let t = get(&a, "http://shop.example.com/");
    assert!(hops(&t).contains("class new"), "{}", hops(&t));
    assert!(
        a.diagnostics
            .iter()
            .any(|d| d.code == "ingress-multiple-default-classes")
    );
    // An unknown class: no controller, so no route, and a finding.
    let a = analysis(&[
        ("b.yaml", BACKEND.to_owned()),
        ("c.yaml", class("nginx", "2024-01-01T00:00:00Z")),
        ("i.yaml", ingress("web", "  ingressClassName: ngnix\n", "/")),
    ]);
    assert_eq!(get(&a, "http://shop.example.com/").verdict, "no-route");
    assert!(
        a.diagnostics
            .iter()
            .any(|d| d.code == "ingress-class-not-found")
    );
}

/// H.2.6: an HTTPRoute and a GRPCRoute on one hostname of one listener:
/// the older keeps it; H.5: gRPC requests go to GRPCRoutes.
#[test]
fn h_2_6_and_h_5_grpc_routes() {
    let grpc = "apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: {name: g, namespace: shop, creationTimestamp: '2024-01-01T00:00:00Z'}\nspec:\n  parentRefs: [{name: edge}]\n  hostnames: [api.example.com]\n  rules:\n  - matches: [{method: {service: shop.Cart, method: Add}}]\n    backendRefs: [{name: web, port: 80}]\n";
    let http = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: h, namespace: shop, creationTimestamp: '2025-01-01T00:00:00Z'}\nspec:\n  parentRefs: [{name: edge}]\n  hostnames: [api.example.com]\n  rules:\n  - backendRefs: [{name: web, port: 80}]\n";
    let a = analysis(&[
        ("b.yaml", BACKEND.to_owned()),
        ("g.yaml", gateway("edge", "203.0.113.1", "*.example.com")),
        ("r.yaml", format!("{grpc}---\n{http}")),
    ]);
    let t = get(&a, "grpc://api.example.com/shop.Cart/Add");
    assert_eq!(t.verdict, "delivered", "{}", hops(&t));
    assert_eq!(t.route.as_ref().map(|r| r.kind.as_str()), Some("GRPCRoute"));
    assert_eq!(
        get(&a, "grpc://api.example.com/shop.Cart/Remove").verdict,
        "no-route"
    );
    // The younger HTTPRoute lost the hostname: plain HTTP finds no route.
    assert_eq!(get(&a, "http://api.example.com/").verdict, "no-route");
    let conflict = a
        .diagnostics
        .iter()
        .find(|d| d.code == "route-kind-conflict");
    assert!(
        conflict.is_some_and(|d| d.message.contains("GRPCRoute shop/g is older")),
        "{:?}",
        a.diagnostics
    );
    // Hostnames intersect through wildcards too (H.2.4's intersection): a
    // younger HTTPRoute on `*.example.com` or with no hostnames overlaps
    // the GRPCRoute's `api.example.com`; one on `web.example.com` does not.
    for (hostnames, conflicts) in [
        ("['*.example.com']", true),
        ("[]", true),
        ("['web.example.com']", false),
        ("['*.other.example.com']", false),
    ] {
        let http = http.replace("[api.example.com]", hostnames);
        let a = analysis(&[
            ("b.yaml", BACKEND.to_owned()),
            ("g.yaml", gateway("edge", "203.0.113.1", "*.example.com")),
            ("r.yaml", format!("{grpc}---\n{http}")),
        ]);
        let found = a
            .diagnostics
            .iter()
            .any(|d| d.code == "route-kind-conflict");
        assert_eq!(found, conflicts, "{hostnames}: {:?}", a.diagnostics);
    }
    // And the other way round: an older HTTPRoute on a wildcard holds the
    // names under it against a younger GRPCRoute.
    let older_http = http
        .replace("2025-01-01", "2023-01-01")
        .replace("[api.example.com]", "['*.example.com']");
    let a = analysis(&[
        ("b.yaml", BACKEND.to_owned()),
        ("g.yaml", gateway("edge", "203.0.113.1", "*.example.com")),
        ("r.yaml", format!("{grpc}---\n{older_http}")),
    ]);
    let conflict = a
        .diagnostics
        .iter()
        .find(|d| d.code == "route-kind-conflict");
    assert!(
        conflict.is_some_and(|d| d.message.contains("HTTPRoute shop/h is older")),
        "{:?}",
        a.diagnostics
    );
}

/// G.5.2 and G.3.7: one `use-regex` Ingress makes every path of its host a
/// case-insensitive regex in ingress-nginx (`Prefix /foo` then matches
/// `/foobar` and `/FOO`); `ImplementationSpecific` is a string prefix there.
#[test]
fn g_5_2_ingress_nginx_regex_mode() {
    let class = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\nspec: {controller: k8s.io/ingress-nginx}\n";
    let ingress = |name: &str, annotations: &str, path: &str, ty: &str| {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\n  namespace: shop\n{annotations}spec:\n  ingressClassName: nginx\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - {{path: '{path}', pathType: {ty}, backend: {{service: {{name: web, port: {{number: 80}}}}}}}}\n"
        )
    };
    let plain = analysis(&[
        ("b.yaml", BACKEND.to_owned()),
        ("c.yaml", class.to_owned()),
        ("a.yaml", ingress("a", "", "/foo", "Prefix")),
        (
            "s.yaml",
            ingress("s", "", "/static", "ImplementationSpecific"),
        ),
    ]);
    assert_eq!(
        get(&plain, "http://shop.example.com/foobar").verdict,
        "no-route"
    );
    assert_eq!(
        get(&plain, "http://shop.example.com/FOO").verdict,
        "no-route"
    );
    // ImplementationSpecific on ingress-nginx: a string prefix.
    let t = get(&plain, "http://shop.example.com/staticfiles");
    assert_eq!(
        t.route.as_ref().map(|r| r.name.as_str()),
        Some("s"),
        "{}",
        hops(&t)
    );
    assert!(
        plain
            .diagnostics
            .iter()
            .any(|d| d.code == "ingress-implementation-specific-path")
    );
    let regex = analysis(&[
        ("b.yaml", BACKEND.to_owned()),
        ("c.yaml", class.to_owned()),
        ("a.yaml", ingress("a", "", "/foo", "Prefix")),
        (
            "r.yaml",
            ingress(
                "r",
                "  annotations: {nginx.ingress.kubernetes.io/use-regex: \"true\"}\n",
                "/api/v[0-9]+",
                "ImplementationSpecific",
            ),
        ),
    ]);
    for path in ["/foobar", "/FOO"] {
        let t = get(&regex, &format!("http://shop.example.com{path}"));
        assert_eq!(
            t.route.as_ref().map(|r| r.name.as_str()),
            Some("a"),
            "{path}: {}",
            hops(&t)
        );
        assert!(hops(&t).contains("regex mode"), "{}", hops(&t));
    }
    let t = get(&regex, "http://shop.example.com/api/v2/cart");
    assert_eq!(
        t.route.as_ref().map(|r| r.name.as_str()),
        Some("r"),
        "{}",
        hops(&t)
    );
    assert!(
        regex
            .diagnostics
            .iter()
            .any(|d| d.code == "ingress-nginx-regex-mode")
    );
}

/// G.5.1: ingress-nginx writes a non-root `Prefix` path as the prefix
/// location `p/` plus the exact location `= p` (`updateServerLocations`,
/// `normalizePrefixPath`), so `Prefix /foo/` is only `location /foo/`, and
/// nginx answers `/foo` there with a 301 to `/foo/` (its auto_redirect for
/// proxied locations, kubernetes/ingress-nginx#646); the API's
/// element-wise prefix (another controller) routes `/foo` to its backend. H.5.4: through an
/// Ingress a gRPC call is `POST /Service/Method` routed by path, and
/// ingress-nginx needs `backend-protocol: GRPC` to speak gRPC to the pods.
#[test]
fn g_5_1_nginx_prefix_locations_and_h_5_4_grpc_through_an_ingress() {
    let ingress = |class: &str, annotations: &str| {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {{name: api, annotations: {{{annotations}}}}}\nspec:\n  ingressClassName: {class}\n  rules:\n  - host: a.example.com\n    http:\n      paths:\n      - {{path: /foo/, pathType: Prefix, backend: {{service: {{name: foo, port: {{number: 80}}}}}}}}\n      - {{path: /, pathType: Prefix, backend: {{service: {{name: root, port: {{number: 80}}}}}}}}\n      - {{path: /pkg.Greeter, pathType: Prefix, backend: {{service: {{name: greeter, port: {{number: 50051}}}}}}}}\n"
        )
    };
    let classes = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\nspec: {controller: k8s.io/ingress-nginx}\n---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: other}\nspec: {controller: example.com/other}\n";
    let mut services = String::new();
    for (name, port) in [("foo", 80), ("root", 80), ("greeter", 50051)] {
        services.push_str(&format!(
            "---\napiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec:\n  selector: {{app: {name}}}\n  ports: [{{port: {port}}}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, labels: {{app: {name}}}}}\nspec: {{containers: [{{name: c, image: c}}]}}\nstatus: {{podIP: 10.0.0.{}, conditions: [{{type: Ready, status: \"True\"}}]}}\n",
            services.len() % 200 + 1
        ));
    }
    let nginx = analysis(&[
        ("c.yaml", classes.to_owned()),
        ("i.yaml", ingress("nginx", "")),
        ("s.yaml", services.clone()),
    ]);
    // nginx answers `/foo` at the location `/foo/` with 301 to `/foo/`.
    let t = get(&nginx, "http://a.example.com/foo?x=1");
    assert_eq!(t.verdict, "redirect", "{}", hops(&t));
    let redirect = t.redirect.as_ref().expect("a redirect");
    assert_eq!(
        (redirect.status, redirect.location.as_str()),
        (301, "http://a.example.com/foo/?x=1")
    );
    assert!(hops(&t).contains("G.5.1"), "{}", hops(&t));
    for path in ["/foo/", "/foo/bar"] {
        let t = get(&nginx, &format!("http://a.example.com{path}"));
        assert_eq!(served(&t), ["default/foo"], "{path}: {}", hops(&t));
    }
    let other = analysis(&[
        ("c.yaml", classes.to_owned()),
        ("i.yaml", ingress("other", "")),
        ("s.yaml", services.clone()),
    ]);
    let t = get(&other, "http://a.example.com/foo");
    assert_eq!(served(&t), ["default/foo"], "{}", hops(&t));
    assert!(!hops(&t).contains("G.5.1"), "{}", hops(&t));
    // gRPC: routed by path on every controller; ingress-nginx says whether
    // it speaks gRPC to the backend.
    let call = "grpc://a.example.com/pkg.Greeter/SayHello";
    let t = get(&nginx, call);
    assert_eq!(served(&t), ["default/greeter"], "{}", hops(&t));
    assert!(hops(&t).contains("proxies HTTP/1.1"), "{}", hops(&t));
    let annotated = analysis(&[
        ("c.yaml", classes.to_owned()),
        (
            "i.yaml",
            ingress(
                "nginx",
                "nginx.ingress.kubernetes.io/backend-protocol: GRPC",
            ),
        ),
        ("s.yaml", services.clone()),
    ]);
    let t = get(&annotated, call);
    assert!(
        hops(&t).contains("speaks gRPC to the backend"),
        "{}",
        hops(&t)
    );
    let t = get(&other, call);
    assert_eq!(served(&t), ["default/greeter"], "{}", hops(&t));
    assert!(hops(&t).contains("H.5.4"), "{}", hops(&t));
}
