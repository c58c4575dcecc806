//! One focused test per rule of `docs/spec/ingress-gateway.md` (G: Ingress,
//! H: Gateway API) that no other test cites: validation findings with their
//! code, field path, error type and message; requests traced through
//! Ingresses and Gateways with the route, backends, verdict and hops they
//! get. Each test names its rule and fails when the behaviour is wrong.

use portolan_core::analysis::{Analysis, analyze};
use portolan_core::diag::Severity;
use portolan_core::profile::{Profile, ProxyMode};
use portolan_core::sim::{From, Request, Trace, trace};
use portolan_core::source::Source;
use portolan_core::types::Protocol;

// ------------------------------------------------------------- helpers

/// Each document its own file.
fn analysis(docs: &[String]) -> Analysis {
    let sources = docs
        .iter()
        .enumerate()
        .map(|(i, t)| Source::new(format!("f{i}.yaml"), t.clone()))
        .collect();
    analyze(sources, &Profile::default()).unwrap()
}

/// Request headers.
type Headers<'a> = &'a [(&'a str, &'a str)];

fn request(to: &str, headers: Headers<'_>, method: Option<&str>, via: Option<&str>) -> Request {
    Request {
        from: From::parse("external:203.0.113.99").unwrap(),
        to: to.to_owned(),
        protocol: Protocol::Tcp,
        at_node: None,
        proxy_mode: ProxyMode::Iptables,
        method: method.map(str::to_owned),
        headers: headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        via: via.map(str::to_owned),
    }
}

fn send(a: &Analysis, to: &str, headers: Headers<'_>, method: Option<&str>) -> Trace {
    trace(a, &request(to, headers, method, None)).unwrap()
}

fn get(a: &Analysis, to: &str) -> Trace {
    send(a, to, &[], None)
}

fn via(a: &Analysis, to: &str, entry: &str) -> Trace {
    trace(a, &request(to, &[], None, Some(entry))).unwrap()
}

fn hops(t: &Trace) -> String {
    t.hops
        .iter()
        .map(|h| format!("  {} {}", h.step, h.detail))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The Services that take traffic (weight > 0).
fn served(t: &Trace) -> Vec<String> {
    t.backends
        .iter()
        .flatten()
        .filter(|b| b.weight > 0)
        .map(|b| b.service.clone())
        .collect()
}

/// Where a request went: the Services that take it when delivered, else
/// the verdict.
fn dest(t: &Trace) -> String {
    if t.verdict == "delivered" {
        served(t).join(",")
    } else {
        t.verdict.to_string()
    }
}

/// The matched route as `NAME#RULE`, else the verdict.
fn hit(t: &Trace) -> String {
    match &t.route {
        Some(r) => format!("{}#{}", r.name, r.rule),
        None => t.verdict.to_string(),
    }
}

/// Each `(url, expected dest)` of a table.
fn expect_dests(a: &Analysis, cases: &[(&str, &str)]) {
    for (url, want) in cases {
        let t = get(a, url);
        assert_eq!(dest(&t), *want, "{url}\n{}", hops(&t));
    }
}

/// Each `(url, expected hit)` of a table.
fn expect_hits(a: &Analysis, cases: &[(&str, &str)]) {
    for (url, want) in cases {
        let t = get(a, url);
        assert_eq!(hit(&t), *want, "{url}\n{}", hops(&t));
    }
}

/// A finding: (code, error type, field, message).
type Finding = (String, String, String, String);

fn finding(code: &str, ty: &str, field: &str, message: &str) -> Finding {
    (
        code.to_owned(),
        ty.to_owned(),
        field.to_owned(),
        message.to_owned(),
    )
}

/// The error findings of the input.
fn errors(docs: &[String]) -> Vec<Finding> {
    analysis(docs)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            (
                d.code.to_owned(),
                d.error_type.map_or("-", |t| t.as_str()).to_owned(),
                d.field.clone().unwrap_or_default(),
                d.message.clone(),
            )
        })
        .collect()
}

/// The messages of the findings with `code`.
fn lints(a: &Analysis, code: &str) -> Vec<String> {
    a.diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.message.clone())
        .collect()
}

/// A Service `NS/NAME` (port `http` 80 → 8080) and a Deployment of
/// `replicas` pods behind it.
fn backend_n(ns: &str, name: &str, replicas: u32) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  selector: {{app: {name}}}\n  ports: [{{name: http, port: 80, targetPort: 8080}}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:\n      containers: [{{name: c, image: nginx, ports: [{{containerPort: 8080}}]}}]\n"
    )
}

fn backend(ns: &str, name: &str) -> String {
    backend_n(ns, name, 1)
}

/// An IngressClass; `default` is the `is-default-class` annotation value.
fn ingress_class(name: &str, controller: &str, default: Option<&str>) -> String {
    let annotations = default.map_or(String::new(), |v| {
        format!("  annotations: {{ingressclass.kubernetes.io/is-default-class: \"{v}\"}}\n")
    });
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: {name}\n{annotations}spec: {{controller: {controller}}}\n"
    )
}

/// An Ingress `NS/NAME`: `meta` lines under `metadata`, then `spec` lines.
fn ingress(ns: &str, name: &str, meta: &str, spec: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\n  namespace: {ns}\n{meta}spec:\n{spec}"
    )
}

/// One path of an Ingress rule, to port 80 of Service `svc`.
fn path(p: &str, ty: &str, svc: &str) -> String {
    format!(
        "      - {{path: '{p}', pathType: {ty}, backend: {{service: {{name: {svc}, port: {{number: 80}}}}}}}}\n"
    )
}

/// An Ingress rule (`rules:` list item) for `host` ("" = none).
fn rule(host: &str, paths: &[String]) -> String {
    let head = if host.is_empty() {
        "  - http:\n".to_owned()
    } else {
        format!("  - host: '{host}'\n    http:\n")
    };
    format!("{head}      paths:\n{}", paths.concat())
}

/// `spec` lines with these rules.
fn rules(items: &[String]) -> String {
    format!("  rules:\n{}", items.concat())
}

/// Gateway `NS/NAME` of class `eg` (no GatewayClass in the input: every
/// class is assumed served) with these `listeners` lines.
fn gateway_in(ns: &str, name: &str, listeners: &str) -> String {
    format!(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  gatewayClassName: eg\n  listeners:\n{listeners}"
    )
}

fn gateway(listeners: &str) -> String {
    gateway_in("shop", "edge", listeners)
}

/// A listener line: `name`, `protocol`, `port` and optional hostname.
fn listener(name: &str, protocol: &str, port: u16, hostname: Option<&str>) -> String {
    let host = hostname.map_or(String::new(), |h| format!(", hostname: '{h}'"));
    format!("  - {{name: {name}, protocol: {protocol}, port: {port}{host}}}\n")
}

/// An HTTPRoute or GRPCRoute with `metadata` (a flow map's content) and
/// `spec` lines.
fn route_obj(kind: &str, metadata: &str, spec: &str) -> String {
    format!(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: {kind}\nmetadata: {{{metadata}}}\nspec:\n{spec}"
    )
}

/// HTTPRoute `shop/NAME` attached to Gateway `shop/edge`.
fn http_route(name: &str, spec: &str) -> String {
    route_obj(
        "HTTPRoute",
        &format!("name: {name}, namespace: shop"),
        &format!("  parentRefs: [{{name: edge}}]\n{spec}"),
    )
}

/// A route rule (`rules:` item) with flow-style `matches` and backend
/// `svc` port 80.
fn route_rule(matches: &str, svc: &str) -> String {
    format!("  - matches: {matches}\n    backendRefs: [{{name: {svc}, port: 80}}]\n")
}

// ------------------------------------------------------- G.1 validation

/// An Ingress `shop/i` with these `spec` lines.
fn ing(spec: &str) -> Vec<String> {
    vec![ingress("shop", "i", "", spec)]
}

/// `spec` lines of one rule for `host` with one Prefix path `/`.
fn host_rule(host: &str) -> String {
    rules(&[rule(host, &[path("/", "Prefix", "web")])])
}

/// G.1.2: an Ingress with neither `rules` nor `defaultBackend` is refused
/// at `spec`; either one alone is enough.
#[test]
fn g_1_2_rules_or_default_backend_is_required() {
    // G.1.2: `ValidateIngressSpec`, "either `defaultBackend` or `rules` must be specified".
    assert_eq!(
        errors(&ing("  tls: [{secretName: cert}]\n")),
        [finding(
            "ingress-spec",
            "Invalid",
            "spec",
            "spec: Invalid value: null: either `defaultBackend` or `rules` must be specified"
        )]
    );
    assert!(
        errors(&ing(
            "  defaultBackend: {service: {name: web, port: {number: 80}}}\n"
        ))
        .is_empty()
    );
    assert!(errors(&ing(&host_rule("shop.example.com"))).is_empty());
}

/// G.1.3: a rule host is a DNS name, not an IP (the subdomain check still
/// runs after the IP check); wildcards are `*.` and a subdomain.
#[test]
fn g_1_3_rule_hosts_are_dns_names() {
    let host_errors = |h: &str| errors(&ing(&host_rule(h)));
    // G.1.3: `1.2.3.4` is a valid subdomain, so one error; `::1` gets two.
    assert_eq!(
        host_errors("1.2.3.4"),
        [finding(
            "ingress-spec",
            "Invalid",
            "spec.rules[0].host",
            "spec.rules[0].host: Invalid value: \"1.2.3.4\": must be a DNS name, not an IP address"
        )]
    );
    let e = host_errors("::1");
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(
        e.iter().any(|x| x.3
            == "spec.rules[0].host: Invalid value: \"::1\": must be a DNS name, not an IP address"),
        "{e:?}"
    );
    assert!(
        e.iter().any(|x| x
            .3
            .contains("a lowercase RFC 1123 subdomain must consist of")),
        "{e:?}"
    );
    assert!(
        e.iter()
            .all(|x| (x.1.as_str(), x.2.as_str()) == ("Invalid", "spec.rules[0].host"))
    );
    for bad in ["*", "*bar.com", "f*.bar.com", "*.*.bar.com", "foo.*.com"] {
        let e = host_errors(bad);
        assert_eq!(e.len(), 1, "{bad}: {e:?}");
        assert_eq!(
            (e[0].1.as_str(), e[0].2.as_str()),
            ("Invalid", "spec.rules[0].host")
        );
        assert!(
            e[0].3.starts_with(&format!("spec.rules[0].host: Invalid value: \"{bad}\": a wildcard DNS-1123 subdomain must start with '*.'")),
            "{bad}: {e:?}"
        );
    }
    // Lowercase, no port, no trailing dot.
    for bad in ["Foo.com", "foo.com:80", "foo.com."] {
        let e = host_errors(bad);
        assert_eq!(e.len(), 1, "{bad}: {e:?}");
        assert!(
            e[0].3.contains("a lowercase RFC 1123 subdomain"),
            "{bad}: {e:?}"
        );
    }
    // At most 253 characters, wildcard included.
    let long = format!("*.{}", vec!["a".repeat(63); 4].join("."));
    let e = host_errors(&long);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].3.contains("must be no more than 253 characters"),
        "{e:?}"
    );
    assert!(host_errors("*.bar.com").is_empty());
    assert!(host_errors("foo.bar.com").is_empty());
}

/// G.1.4: `http` without paths is refused; a rule without `http` is valid.
#[test]
fn g_1_4_http_needs_paths() {
    // G.1.4: Required spec.rules[i].http.paths.
    assert_eq!(
        errors(&ing(
            "  rules:\n  - host: a.example.com\n    http: {paths: []}\n"
        )),
        [finding(
            "ingress-spec",
            "Required",
            "spec.rules[0].http.paths",
            "spec.rules[0].http.paths: Required value"
        )]
    );
    assert!(errors(&ing("  rules:\n  - host: a.example.com\n")).is_empty());
}

/// G.1.5: a path without `pathType` reports only that; nothing else of the
/// path, backend included, is checked.
#[test]
fn g_1_5_missing_path_type_hides_the_rest_of_the_path() {
    let bad_path = |ty: &str| {
        ing(&format!(
            "  rules:\n  - http:\n      paths:\n      - {{path: 'no//slash', {ty}backend: {{service: {{name: Bad_Name, port: {{number: 70000}}}}}}}}\n"
        ))
    };
    // G.1.5: "pathType must be specified", and no other error.
    assert_eq!(
        errors(&bad_path("")),
        [finding(
            "ingress-spec",
            "Required",
            "spec.rules[0].http.paths[0].pathType",
            "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"
        )]
    );
    // With a pathType the same path shows its path and backend errors.
    let fields: Vec<String> = errors(&bad_path("pathType: Prefix, "))
        .into_iter()
        .map(|e| e.2)
        .collect();
    for f in [
        "spec.rules[0].http.paths[0].path",
        "spec.rules[0].http.paths[0].backend.service.name",
        "spec.rules[0].http.paths[0].backend.service.port.number",
    ] {
        assert!(fields.iter().any(|x| x == f), "{f} missing from {fields:?}");
    }
}

/// G.1.6: a `pathType` outside Exact, Prefix, ImplementationSpecific is
/// `NotSupported` (case-sensitive).
#[test]
fn g_1_6_unknown_path_type_is_not_supported() {
    for ty in ["Regex", "prefix"] {
        // G.1.6: NotSupported …paths[j].pathType.
        assert_eq!(
            errors(&ing(&rules(&[rule("", &[path("/", ty, "web")])]))),
            [finding(
                "ingress-spec",
                "NotSupported",
                "spec.rules[0].http.paths[0].pathType",
                &format!(
                    "spec.rules[0].http.paths[0].pathType: Unsupported value: \"{ty}\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""
                )
            )]
        );
    }
}

/// The details of the errors of one path `p` of type `ty`, sorted, each
/// checked to be `Invalid` at `…paths[0].path`.
fn path_details(p: &str, ty: &str) -> Vec<String> {
    let e = errors(&ing(&rules(&[rule("", &[path(p, ty, "web")])])));
    let prefix = format!("spec.rules[0].http.paths[0].path: Invalid value: \"{p}\": ");
    let mut details: Vec<String> = e
        .into_iter()
        .map(|(code, ty, field, message)| {
            assert_eq!(
                (code.as_str(), ty.as_str(), field.as_str()),
                (
                    "ingress-spec",
                    "Invalid",
                    "spec.rules[0].http.paths[0].path"
                ),
                "{message}"
            );
            message
                .strip_prefix(&prefix)
                .unwrap_or_else(|| panic!("{message}"))
                .to_owned()
        })
        .collect();
    details.sort();
    details
}

/// G.1.7: `Exact` and `Prefix` paths are absolute, with one `Invalid` per
/// forbidden sequence and per forbidden suffix; regex characters pass.
#[test]
fn g_1_7_exact_and_prefix_paths_are_clean_absolute_paths() {
    for ty in ["Exact", "Prefix"] {
        // G.1.7: `validateHTTPIngressPath`.
        assert_eq!(path_details("", ty), ["must be an absolute path"], "{ty}");
        assert_eq!(
            path_details("foo", ty),
            ["must be an absolute path"],
            "{ty}"
        );
        assert_eq!(
            path_details("/a//b/./c/../d%2fe%2Fg", ty),
            [
                "must not contain '%2F'",
                "must not contain '%2f'",
                "must not contain '/../'",
                "must not contain '/./'",
                "must not contain '//'",
            ],
            "{ty}"
        );
        assert_eq!(
            path_details("/foo/..", ty),
            ["cannot end with '/..'"],
            "{ty}"
        );
        assert_eq!(path_details("/foo/.", ty), ["cannot end with '/.'"], "{ty}");
        assert!(path_details("/api/v[0-9]+/(.*)", ty).is_empty(), "{ty}");
    }
}

/// G.1.8: an `ImplementationSpecific` path may be empty, else starts with
/// `/`; nothing else is checked.
#[test]
fn g_1_8_implementation_specific_paths() {
    // G.1.8: empty allowed; else must start with `/`.
    assert!(path_details("", "ImplementationSpecific").is_empty());
    assert!(path_details("/a//b/../c%2f", "ImplementationSpecific").is_empty());
    assert_eq!(
        path_details("foo", "ImplementationSpecific"),
        ["must be an absolute path"]
    );
}

/// G.1.10: TLS hosts are wildcards or subdomains as G.1.3 but without the
/// IP check; a non-empty `secretName` is a DNS subdomain.
#[test]
fn g_1_10_tls_hosts_and_secret_names() {
    let tls = |hosts: &str, secret: &str| {
        errors(&ing(&format!(
            "  defaultBackend: {{service: {{name: web, port: {{number: 80}}}}}}\n  tls: [{{hosts: [{hosts}], secretName: '{secret}'}}]\n"
        )))
    };
    // G.1.10: an IP passes in tls.hosts (it does not in rules[].host).
    assert!(tls("'1.2.3.4', '*.bar.com', foo.bar.com", "cert").is_empty());
    assert!(tls("foo.bar.com", "").is_empty());
    let e = tls("'foo.*.bar.com', Foo.com", "cert");
    assert_eq!(e.len(), 2, "{e:?}");
    assert_eq!(
        (e[0].1.as_str(), e[0].2.as_str()),
        ("Invalid", "spec.tls[0].hosts[0]")
    );
    assert!(
        e[0].3.starts_with("spec.tls[0].hosts[0]: Invalid value: \"foo.*.bar.com\": a wildcard DNS-1123 subdomain must start with '*.'"),
        "{e:?}"
    );
    assert_eq!(
        (e[1].1.as_str(), e[1].2.as_str()),
        ("Invalid", "spec.tls[0].hosts[1]")
    );
    assert!(e[1].3.contains("a lowercase RFC 1123 subdomain"), "{e:?}");
    let e = tls("foo.bar.com", "Bad_Secret");
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        (e[0].0.as_str(), e[0].1.as_str(), e[0].2.as_str()),
        ("ingress-spec", "Invalid", "spec.tls[0].secretName")
    );
    assert!(
        e[0].3.starts_with(
            "spec.tls[0].secretName: Invalid value: \"Bad_Secret\": a lowercase RFC 1123 subdomain"
        ),
        "{e:?}"
    );
}

/// G.1.11: a set `ingressClassName` is a DNS subdomain; `""` fails.
#[test]
fn g_1_11_ingress_class_name_is_a_subdomain() {
    let class = |name: &str| {
        errors(&ing(&format!(
            "  ingressClassName: '{name}'\n{}",
            host_rule("shop.example.com")
        )))
    };
    for bad in ["", "Nginx", "nginx_internal"] {
        // G.1.11: Invalid spec.ingressClassName.
        let e = class(bad);
        assert_eq!(e.len(), 1, "{bad:?}: {e:?}");
        assert_eq!(
            (e[0].0.as_str(), e[0].1.as_str(), e[0].2.as_str()),
            ("ingress-spec", "Invalid", "spec.ingressClassName")
        );
        assert!(
            e[0].3.starts_with(&format!(
                "spec.ingressClassName: Invalid value: \"{bad}\": a lowercase RFC 1123 subdomain"
            )),
            "{e:?}"
        );
    }
    assert!(class("nginx.example.com").is_empty());
}

// -------------------------------------------------- G.2–G.5 Ingress routing

/// G.2.1: a class is the default only when `is-default-class` is exactly
/// `"true"`; an unclassed Ingress then joins it, else nothing serves it.
#[test]
fn g_2_1_default_class_only_when_the_annotation_is_exactly_true() {
    let with = |value: &str| {
        analysis(&[
            backend("shop", "web"),
            ingress_class("web", "example.com/web", Some(value)),
            ingress("shop", "i", "", &host_rule("shop.example.com")),
        ])
    };
    // G.2.1: `getDefaultClass` compares with "true".
    let a = with("true");
    let t = get(&a, "http://shop.example.com/");
    assert_eq!(dest(&t), "shop/web", "{}", hops(&t));
    assert!(
        hops(&t).contains("class web (controller example.com/web)"),
        "{}",
        hops(&t)
    );
    assert!(lints(&a, "ingress-no-class").is_empty());
    for value in ["True", "yes", "1"] {
        let a = with(value);
        assert_eq!(
            get(&a, "http://shop.example.com/").verdict,
            "no-route",
            "{value}"
        );
        let l = lints(&a, "ingress-no-class");
        assert_eq!(l.len(), 1, "{value}: {l:?}");
        assert!(
            l[0].contains("none of the IngressClasses (web) is the default"),
            "{l:?}"
        );
    }
}

/// G.2.4: one routing table per class, merging the rules of its Ingresses
/// of every namespace per host; another class's rules are not in it.
#[test]
fn g_2_4_one_routing_table_per_class_across_namespaces() {
    let class = |c: &str| format!("  ingressClassName: {c}\n");
    let host = |p: &str, svc: &str| rules(&[rule("shop.example.com", &[path(p, "Prefix", svc)])]);
    let a = analysis(&[
        backend("one", "first"),
        backend("two", "second"),
        backend("one", "third"),
        ingress_class("a", "example.com/a", None),
        ingress_class("b", "example.com/b", None),
        ingress("one", "x", "", &(class("a") + &host("/one", "first"))),
        ingress("two", "w", "", &(class("a") + &host("/two", "second"))),
        ingress("one", "z", "", &(class("b") + &host("/three", "third"))),
    ]);
    // G.2.4: class a holds the rules of one/x and two/w for the same host.
    let t = via(&a, "http://shop.example.com/one", "ingressclass:a");
    assert_eq!(dest(&t), "one/first", "{}", hops(&t));
    assert!(
        hops(&t).contains("2 Ingress(es) merged into one routing table"),
        "{}",
        hops(&t)
    );
    let t = via(&a, "http://shop.example.com/two", "ingressclass:a");
    assert_eq!(dest(&t), "two/second", "{}", hops(&t));
    // Class b's rule is its own table.
    let t = via(&a, "http://shop.example.com/three", "ingressclass:a");
    assert_eq!(t.verdict, "no-route", "{}", hops(&t));
    let t = via(&a, "http://shop.example.com/three", "ingressclass:b");
    assert_eq!(dest(&t), "one/third", "{}", hops(&t));
    assert_eq!(
        via(&a, "http://shop.example.com/one", "ingressclass:b").verdict,
        "no-route"
    );
}

/// G.3.2: precise host > wildcard > host-less, and only the most specific
/// matching host group is searched: no fall-through to a less specific one.
#[test]
fn g_3_2_only_the_most_specific_host_group_is_searched() {
    let a = analysis(&[
        backend("shop", "any"),
        backend("shop", "wild"),
        backend("shop", "precise"),
        ingress(
            "shop",
            "i",
            "",
            &rules(&[
                rule("", &[path("/api", "Prefix", "any")]),
                rule("*.example.com", &[path("/wild", "Prefix", "wild")]),
                rule("shop.example.com", &[path("/shop", "Prefix", "precise")]),
            ]),
        ),
    ]);
    // G.3.2: the host group decides before the path.
    expect_dests(
        &a,
        &[
            ("http://shop.example.com/shop", "shop/precise"),
            ("http://shop.example.com/wild", "no-route"),
            ("http://shop.example.com/api", "no-route"),
            ("http://cart.example.com/wild", "shop/wild"),
            ("http://cart.example.com/shop", "no-route"),
            ("http://cart.example.com/api", "no-route"),
            ("http://other.example.org/api", "shop/any"),
        ],
    );
    let t = get(&a, "http://shop.example.com/api");
    assert!(
        hops(&t).contains("matches the exact-host rules (1 path(s))"),
        "{}",
        hops(&t)
    );
}

/// G.3.4: `Prefix` matches by path element: the rule minus one trailing
/// `/`, then equal or followed by `/`; `/` matches all; case-sensitive.
#[test]
fn g_3_4_prefix_matches_whole_path_elements() {
    let a = analysis(&[
        backend("shop", "foo"),
        backend("shop", "root"),
        ingress(
            "shop",
            "i",
            "",
            &rules(&[
                rule("foo.example.com", &[path("/foo/", "Prefix", "foo")]),
                rule("root.example.com", &[path("/", "Prefix", "root")]),
                rule("bb.example.com", &[path("/aaa/bb", "Prefix", "foo")]),
            ]),
        ),
    ]);
    // G.3.4: `/foo/` is `/foo` as a prefix.
    expect_dests(
        &a,
        &[
            ("http://foo.example.com/foo", "shop/foo"),
            ("http://foo.example.com/foo/", "shop/foo"),
            ("http://foo.example.com/foo/bar", "shop/foo"),
            ("http://foo.example.com/foobar", "no-route"),
            ("http://foo.example.com/FOO", "no-route"),
            ("http://foo.example.com/", "no-route"),
            ("http://root.example.com/", "shop/root"),
            ("http://root.example.com/any/thing", "shop/root"),
            ("http://bb.example.com/aaa/bbb", "no-route"),
            ("http://bb.example.com/aaa/bb/c", "shop/foo"),
        ],
    );
}

/// G.3.5: in a host group the longest path as written wins (`/foo/` beats
/// `/foo`, even an Exact one), then Exact > Prefix > ImplementationSpecific.
#[test]
fn g_3_5_longest_path_then_exact_prefix_implementation_specific() {
    let a = analysis(&[
        backend("shop", "exact"),
        backend("shop", "prefix"),
        backend("shop", "impl"),
        ingress(
            "shop",
            "i",
            "",
            &rules(&[
                rule(
                    "a.example.com",
                    &[
                        path("/foo", "Exact", "exact"),
                        path("/foo/", "Prefix", "prefix"),
                    ],
                ),
                rule(
                    "b.example.com",
                    &[
                        path("/bar", "ImplementationSpecific", "impl"),
                        path("/bar", "Prefix", "prefix"),
                        path("/bar", "Exact", "exact"),
                    ],
                ),
                rule(
                    "c.example.com",
                    &[
                        path("/baz", "ImplementationSpecific", "impl"),
                        path("/baz", "Prefix", "prefix"),
                    ],
                ),
            ]),
        ),
    ]);
    // G.3.5 (I.5): length first, so Prefix `/foo/` answers `/foo`.
    expect_dests(
        &a,
        &[
            ("http://a.example.com/foo", "shop/prefix"),
            ("http://b.example.com/bar", "shop/exact"),
            ("http://b.example.com/bar/x", "shop/prefix"),
            ("http://c.example.com/baz/x", "shop/prefix"),
        ],
    );
    let t = get(&a, "http://a.example.com/foo");
    assert_eq!(
        t.route.as_ref().map(|r| r.match_.as_str()),
        Some("host=a.example.com path=Prefix:/foo/")
    );
}

/// G.3.5: the same path and type in several Ingresses: the oldest, then
/// `namespace/name` ascending; within an Ingress, the first path.
#[test]
fn g_3_5_ties_go_to_the_oldest_then_namespace_name_then_first_path() {
    let at = |ts: &str| {
        if ts.is_empty() {
            String::new()
        } else {
            format!("  creationTimestamp: '{ts}'\n")
        }
    };
    let one = |host: &str, svc: &str| rules(&[rule(host, &[path("/", "Prefix", svc)])]);
    let a = analysis(&[
        backend("a", "web"),
        backend("b", "web"),
        backend("a", "other"),
        // Older, though later by namespace/name.
        ingress(
            "b",
            "a",
            &at("2024-01-01T00:00:00Z"),
            &one("old.example.com", "web"),
        ),
        ingress(
            "a",
            "z",
            &at("2025-01-01T00:00:00Z"),
            &one("old.example.com", "web"),
        ),
        // No timestamps: namespace/name ascending, a/z before b/a.
        ingress("b", "a", "", &one("name.example.com", "web")).replace("name: a\n", "name: a2\n"),
        ingress("a", "z", "", &one("name.example.com", "web")).replace("name: z\n", "name: z2\n"),
        // Within an Ingress: the first of two equal paths.
        ingress(
            "a",
            "first",
            "",
            &rules(&[rule(
                "first.example.com",
                &[path("/", "Prefix", "other"), path("/", "Prefix", "web")],
            )]),
        ),
    ]);
    // G.3.5: oldest, then namespace/name, then the first path.
    expect_dests(
        &a,
        &[
            ("http://old.example.com/", "b/web"),
            ("http://name.example.com/", "a/web"),
            ("http://first.example.com/", "a/other"),
        ],
    );
}

/// G.4.1: the backend Service is looked up in the Ingress's namespace
/// only.
#[test]
fn g_4_1_backend_service_in_the_ingress_namespace() {
    let ing = ingress("shop", "i", "", &host_rule("shop.example.com"));
    // G.4.1: a `web` in another namespace does not serve it.
    let a = analysis(&[backend("other", "web"), ing.clone()]);
    let t = get(&a, "http://shop.example.com/");
    assert_eq!(t.verdict, "backend-unresolved", "{}", hops(&t));
    assert!(
        hops(&t).contains("BackendNotFound: no Service shop/web"),
        "{}",
        hops(&t)
    );
    let l = lints(&a, "ingress-backend-missing");
    assert_eq!(
        l,
        ["Ingress shop/i routes to Service \"web\", which is not in namespace shop"]
    );
    let a = analysis(&[backend("other", "web"), backend("shop", "web"), ing]);
    assert_eq!(dest(&get(&a, "http://shop.example.com/")), "shop/web");
}

/// A Service `shop/web` with ports `http` 80 → 8080 and `admin` 9000 →
/// 9090, one pod.
const TWO_PORTS: &str = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: 8080}, {name: admin, port: 9000, targetPort: 9090}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web-0, namespace: shop, labels: {app: web}}\nspec:\n  containers: [{name: c, image: nginx, ports: [{containerPort: 8080}, {containerPort: 9090}]}]\n";

/// An Ingress path `p` (Exact) to `web` with this `port` flow map.
fn port_path(p: &str, port: &str) -> String {
    format!(
        "      - {{path: '{p}', pathType: Exact, backend: {{service: {{name: web, port: {port}}}}}}}\n"
    )
}

/// G.4.2: `port.number` picks the Service port with that `port`,
/// `port.name` the one with that name; the endpoints are that port's.
#[test]
fn g_4_2_backend_port_by_number_or_name() {
    let a = analysis(&[
        TWO_PORTS.to_owned(),
        ingress(
            "shop",
            "i",
            "",
            &rules(&[rule(
                "",
                &[
                    port_path("/num", "{number: 9000}"),
                    port_path("/name", "{name: admin}"),
                    port_path("/missing", "{name: metrics}"),
                    port_path("/target", "{number: 9090}"),
                ],
            )]),
        ),
    ]);
    for p in ["/num", "/name"] {
        // G.4.2: Service port 9000, endpoints on its target port 9090.
        let t = get(&a, &format!("http://shop.example.com{p}"));
        assert_eq!(dest(&t), "shop/web", "{p}\n{}", hops(&t));
        let b = t.backends.as_ref().unwrap();
        assert_eq!((b[0].port, b[0].weight), (9000, 1), "{p}");
        let ports: Vec<i64> = t.destinations.iter().map(|d| d.port).collect();
        assert_eq!(ports, [9090], "{p}\n{}", hops(&t));
        assert!(
            hops(&t).contains("Service shop/web port 9000 (admin) (G.4.2)"),
            "{}",
            hops(&t)
        );
    }
    // No port of that name; a targetPort is not a Service port.
    for (p, port) in [("/missing", "metrics"), ("/target", "9090")] {
        let t = get(&a, &format!("http://shop.example.com{p}"));
        assert_eq!(t.verdict, "backend-unresolved", "{p}");
        let h = hops(&t);
        assert!(
            h.contains("BackendNotFound: Service shop/web has no port"),
            "{p}\n{h}"
        );
        assert!(h.contains(port), "{p}\n{h}");
    }
}

/// G.4.2: an unnamed single port is reachable by number; a Service port
/// name longer than 15 characters cannot be named by an Ingress at all.
#[test]
fn g_4_2_unnamed_and_long_port_names() {
    let svc = |port: &str| {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata: {{name: web, namespace: shop}}\nspec:\n  selector: {{app: web}}\n  ports: [{port}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: web-0, namespace: shop, labels: {{app: web}}}}\nspec:\n  containers: [{{name: c, image: nginx, ports: [{{containerPort: 8080}}]}}]\n"
        )
    };
    let ing = |port: &str| {
        ingress(
            "shop",
            "i",
            "",
            &rules(&[rule("", &[port_path("/", port)])]),
        )
    };
    // G.4.2: by number.
    let a = analysis(&[svc("{port: 80, targetPort: 8080}"), ing("{number: 80}")]);
    let t = get(&a, "http://shop.example.com/");
    assert_eq!(dest(&t), "shop/web", "{}", hops(&t));
    assert_eq!(t.destinations[0].port, 8080);
    // A 21-character Service port name is not an IANA_SVC_NAME (G.1.9).
    let long = "a-very-long-port-name";
    let docs = [
        svc(&format!("{{name: {long}, port: 80, targetPort: 8080}}")),
        ing(&format!("{{name: {long}}}")),
    ];
    let e = errors(&docs);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        (e[0].1.as_str(), e[0].2.as_str()),
        (
            "Invalid",
            "spec.rules[0].http.paths[0].backend.service.port.name"
        )
    );
    assert!(
        e[0].3.contains("must be no more than 15 characters"),
        "{e:?}"
    );
    let t = get(&analysis(&docs), "http://shop.example.com/");
    assert_eq!(t.verdict, "no-route", "{}", hops(&t));
}

/// G.4.3: an Ingress backend is `{service, port: <Service port>, weight:
/// 1}`, its endpoints equal shares, reached directly: no sessionAffinity.
#[test]
fn g_4_3_backend_share_and_endpoints() {
    let svc = backend_n("shop", "web", 2)
        .replace("  selector:", "  sessionAffinity: ClientIP\n  selector:");
    let a = analysis(&[
        svc,
        ingress("shop", "i", "", &host_rule("shop.example.com")),
    ]);
    let t = get(&a, "http://shop.example.com/");
    assert_eq!(t.verdict, "delivered", "{}", hops(&t));
    // G.4.3: one backend, the Service port, weight 1.
    let b = t.backends.as_ref().unwrap();
    assert_eq!(b.len(), 1);
    assert_eq!(
        (b[0].service.as_str(), b[0].port, b[0].weight),
        ("shop/web", 80, 1)
    );
    // 0.3: each endpoint half, on the target port; no kube-proxy affinity.
    assert_eq!(t.destinations.len(), 2, "{}", hops(&t));
    for d in &t.destinations {
        assert_eq!(d.port, 8080);
        assert!((d.probability - 0.5).abs() < 1e-9, "{}", d.probability);
    }
    assert!(!t.sticky);
    assert!(
        hops(&t).contains(
            "2 usable endpoint(s), the proxy sends to them directly (no kube-proxy DNAT, 0.3)"
        ),
        "{}",
        hops(&t)
    );
    // A headless Service works the same (conformance `httproute-service-types`).
    let headless =
        backend_n("shop", "web", 2).replace("  selector:", "  clusterIP: None\n  selector:");
    let a = analysis(&[
        headless,
        ingress("shop", "i", "", &host_rule("shop.example.com")),
    ]);
    assert_eq!(get(&a, "http://shop.example.com/").destinations.len(), 2);
}

/// G.4.4: a missing Service or port, or no usable endpoint: 503,
/// `backend-unresolved`; a `resource` backend is not modelled.
#[test]
fn g_4_4_unresolved_ingress_backends_get_503() {
    let no_pods = "apiVersion: v1\nkind: Service\nmetadata: {name: idle, namespace: shop}\nspec:\n  selector: {app: idle}\n  ports: [{port: 80}]\n".to_owned();
    let a = analysis(&[
        backend("shop", "web"),
        no_pods,
        ingress(
            "shop",
            "i",
            "",
            &rules(&[rule(
                "",
                &[
                    path("/gone", "Exact", "gone"),
                    path("/idle", "Exact", "idle"),
                    port_path("/port", "{number: 81}"),
                    "      - {path: /res, pathType: Exact, backend: {resource: {apiGroup: k8s.example.com, kind: Bucket, name: b}}}\n".to_owned(),
                ],
            )]),
        ),
    ]);
    // G.4.4: each is `backend-unresolved` with the controller's 503.
    for (p, why) in [
        ("/gone", "BackendNotFound: no Service shop/gone"),
        ("/idle", "Service shop/idle port 80: no endpoints"),
        ("/port", "Service shop/web has no port 81"),
        ("/res", "a resource backend: not modelled"),
    ] {
        let t = get(&a, &format!("http://shop.example.com{p}"));
        assert_eq!(t.verdict, "backend-unresolved", "{p}\n{}", hops(&t));
        assert_eq!(t.unresolved_probability, Some(1.0), "{p}");
        assert!(t.destinations.is_empty(), "{p}");
        let h = hops(&t);
        assert!(h.contains(why), "{p}\n{h}");
        assert!(h.contains("the client gets 503"), "{p}\n{h}");
        assert_eq!(t.route.as_ref().map(|r| r.rule), Some(0), "{p}");
    }
}

/// G.4.4: an ExternalName backend is proxied by name: `cname`.
#[test]
fn g_4_4_external_name_backend_is_proxied_by_name() {
    let ext = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  type: ExternalName\n  externalName: api.example.net\n".to_owned();
    let a = analysis(&[
        ext,
        ingress("shop", "i", "", &host_rule("shop.example.com")),
    ]);
    let t = get(&a, "http://shop.example.com/");
    // G.4.4: proxied by name.
    assert_eq!(t.verdict, "cname", "{}", hops(&t));
    assert_eq!(t.cname.as_deref(), Some("api.example.net"));
    assert_eq!(t.route.as_ref().map(|r| r.name.as_str()), Some("i"));
    assert!(
        hops(&t).contains("is ExternalName api.example.net: the controller proxies to that name"),
        "{}",
        hops(&t)
    );
}

/// G.4.5: `spec.tls` does not change routing (http and https get the same
/// rule); an Ingress serves ports 80 and 443 only.
#[test]
fn g_4_5_tls_does_not_change_routing_ports_80_and_443_only() {
    let plain = host_rule("shop.example.com");
    let tls = format!("  tls: [{{hosts: [shop.example.com], secretName: cert}}]\n{plain}");
    for spec in [plain, tls] {
        let a = analysis(&[backend("shop", "web"), ingress("shop", "i", "", &spec)]);
        // G.4.5: the same route on 80 and 443, with or without tls.
        for url in ["http://shop.example.com/a", "https://shop.example.com/a"] {
            let t = get(&a, url);
            assert_eq!(dest(&t), "shop/web", "{url}\n{}", hops(&t));
            assert_eq!(hit(&t), "i#0", "{url}");
        }
        for url in [
            "http://shop.example.com:8080/a",
            "https://shop.example.com:8443/a",
        ] {
            let t = get(&a, url);
            assert_eq!(t.verdict, "no-route", "{url}\n{}", hops(&t));
            assert!(
                hops(&t).contains("no Ingress controller serves port"),
                "{}",
                hops(&t)
            );
        }
    }
}

/// An IngressClass `nginx` of controller `k8s.io/ingress-nginx`.
fn nginx_class() -> String {
    ingress_class("nginx", "k8s.io/ingress-nginx", None)
}

/// G.5.3: ingress-nginx's wildcard `server_name` regex takes one label of
/// word characters and `-`: `_` passes, a dot does not.
#[test]
fn g_5_3_ingress_nginx_wildcard_is_one_label() {
    let a = analysis(&[
        backend("shop", "web"),
        nginx_class(),
        ingress(
            "shop",
            "i",
            "",
            &format!("  ingressClassName: nginx\n{}", host_rule("*.example.com")),
        ),
    ]);
    // G.5.3: `~^(?<subdomain>[\w-]+)\.example\.com$`.
    expect_dests(
        &a,
        &[
            ("http://a_b.example.com/", "shop/web"),
            ("http://a-b.example.com/", "shop/web"),
            ("http://a.b.example.com/", "no-route"),
            ("http://example.com/", "no-route"),
        ],
    );
}

/// G.5.4: a regex in a `Prefix` path passes the API server; outside
/// ingress-nginx's regex mode it is matched as the literal path it is.
#[test]
fn g_5_4_regex_in_a_prefix_path_passes_validation_and_is_literal() {
    let docs = [
        backend("shop", "web"),
        nginx_class(),
        ingress(
            "shop",
            "i",
            "",
            &format!(
                "  ingressClassName: nginx\n{}",
                rules(&[rule(
                    "shop.example.com",
                    &[path("/api/v[0-9]+", "Prefix", "web")]
                )])
            ),
        ),
    ];
    // G.5.4: no API server error.
    assert!(errors(&docs).is_empty(), "{:?}", errors(&docs));
    let a = analysis(&docs);
    expect_dests(
        &a,
        &[
            ("http://shop.example.com/api/v2", "no-route"),
            ("http://shop.example.com/api/v[0-9]+", "shop/web"),
            ("http://shop.example.com/api/v[0-9]+/x", "shop/web"),
        ],
    );
}

/// G.5.5: ingress-nginx is retired but its semantics matter when an
/// Ingress migrates to a Gateway: `diff` shows the exposure moving from the
/// Ingress to the route, and the trace shows what the move changes (an
/// ingress-nginx `ImplementationSpecific /api` also answered `/apiv2`).
#[test]
fn g_5_5_migrating_from_ingress_nginx_to_a_gateway() {
    let base = analysis(&[
        backend("shop", "web"),
        nginx_class(),
        ingress(
            "shop",
            "web",
            "",
            &format!(
                "  ingressClassName: nginx\n{}",
                rules(&[rule(
                    "shop.example.com",
                    &[path("/api", "ImplementationSpecific", "web")]
                )])
            ),
        ),
    ]);
    let head = analysis(&[
        backend("shop", "web"),
        gateway(&listener("http", "HTTP", 80, None)),
        http_route(
            "web",
            &format!(
                "  hostnames: [shop.example.com]\n  rules:\n{}",
                route_rule("[{path: {type: PathPrefix, value: /api}}]", "web")
            ),
        ),
    ]);
    // G.5.5: the `diff` of the migration.
    let d = portolan_core::diff::diff(&base, &head);
    let moved: Vec<(&str, &str, Option<&str>, Option<&str>)> = d
        .changes
        .iter()
        .filter(|c| c.kind.starts_with("exposure-"))
        .map(|c| {
            (
                c.kind,
                c.subject.as_str(),
                c.before.as_deref(),
                c.after.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        moved,
        [
            (
                "exposure-removed",
                "ingress:shop/web",
                Some("shop.example.com/api"),
                None
            ),
            (
                "exposure-added",
                "route:shop/HTTPRoute/web",
                None,
                Some("shop.example.com/api")
            ),
        ]
    );
    // What the migration changes: ingress-nginx's string prefix (G.3.7).
    let t = get(&base, "http://shop.example.com/apiv2");
    assert_eq!(dest(&t), "shop/web", "{}", hops(&t));
    assert!(
        hops(&t).contains("ingress-nginx: a string prefix"),
        "{}",
        hops(&t)
    );
    assert_eq!(
        get(&head, "http://shop.example.com/apiv2").verdict,
        "no-route"
    );
    for a in [&base, &head] {
        assert_eq!(dest(&get(a, "http://shop.example.com/api/x")), "shop/web");
    }
}

// ------------------------------------------------------ H.1 Gateway API

/// H.1.3: parentRef group and kind default to a Gateway; absent `rules` is
/// one rule matching `PathPrefix /` (without backends: 500); absent
/// `matches` is `PathPrefix /`; a backendRef defaults to a Service of
/// weight 1; a header match defaults to `Exact`.
#[test]
fn h_1_3_route_defaults() {
    let a = analysis(&[
        backend("shop", "one"),
        backend("shop", "two"),
        gateway(&listener("http", "HTTP", 80, None)),
        http_route("bare", "  hostnames: [bare.example.com]\n"),
        http_route(
            "split",
            "  hostnames: [split.example.com]\n  rules:\n  - backendRefs: [{name: one, port: 80}, {name: two, port: 80}]\n",
        ),
        http_route(
            "header",
            &format!(
                "  hostnames: [header.example.com]\n  rules:\n{}",
                route_rule("[{headers: [{name: v, value: 'a.b'}]}]", "one")
            ),
        ),
    ]);
    // H.1.3: no rules → one catch-all rule without backends: 500.
    for p in ["/", "/any/path"] {
        let t = get(&a, &format!("http://bare.example.com{p}"));
        assert_eq!(t.verdict, "backend-unresolved", "{}", hops(&t));
        let r = t.route.as_ref().unwrap();
        assert_eq!(
            (r.name.as_str(), r.rule, r.match_.as_str()),
            ("bare", 0, "path=PathPrefix:/")
        );
        assert!(hops(&t).contains("the client gets 500"), "{}", hops(&t));
    }
    // No matches → PathPrefix /; weights default to 1: half each.
    let t = get(&a, "http://split.example.com/x");
    assert_eq!(t.verdict, "delivered", "{}", hops(&t));
    assert_eq!(t.route.as_ref().unwrap().match_, "path=PathPrefix:/");
    let b: Vec<(&str, i64)> = t
        .backends
        .iter()
        .flatten()
        .map(|b| (b.service.as_str(), b.weight))
        .collect();
    assert_eq!(b, [("shop/one", 1), ("shop/two", 1)]);
    assert!(
        t.destinations
            .iter()
            .all(|d| (d.probability - 0.5).abs() < 1e-9)
    );
    // Header type Exact: `a.b` is not a regex.
    let header = |v: &str| send(&a, "http://header.example.com/", &[("v", v)], None);
    assert_eq!(header("a.b").verdict, "delivered");
    assert_eq!(header("axb").verdict, "no-route");
}

/// H.1.3: listener `allowedRoutes` defaults to `from: Same` and
/// `kinds[].group` to `gateway.networking.k8s.io`; a redirect's
/// `statusCode` to 302; a GRPCRoute `method.type` to `Exact`.
#[test]
fn h_1_3_listener_redirect_and_grpc_defaults() {
    let listeners = listener("same", "HTTP", 80, Some("same.example.com"))
        + &listener("grpc", "HTTP", 80, Some("grpc.example.com"))
        + "  - {name: kinds, protocol: HTTP, port: 80, hostname: kinds.example.com, allowedRoutes: {kinds: [{kind: HTTPRoute}]}}\n";
    let parent = |section: &str| {
        format!("  parentRefs: [{{name: edge, namespace: shop, sectionName: {section}}}]\n")
    };
    let catch_all = "  rules:\n  - backendRefs: [{name: web, port: 80}]\n";
    let a = analysis(&[
        backend("shop", "web"),
        backend("other", "web"),
        gateway(&listeners),
        route_obj(
            "HTTPRoute",
            "name: far, namespace: other",
            &(parent("same") + catch_all),
        ),
        route_obj(
            "HTTPRoute",
            "name: kinds, namespace: shop",
            &(parent("kinds") + catch_all),
        ),
        route_obj(
            "HTTPRoute",
            "name: redirect, namespace: shop",
            &(parent("same")
                + "  rules:\n  - filters: [{type: RequestRedirect, requestRedirect: {hostname: new.example.com}}]\n"),
        ),
        route_obj(
            "GRPCRoute",
            "name: g, namespace: shop",
            &(parent("grpc")
                + "  rules:\n  - matches: [{method: {service: shop.Cart, method: Add}}]\n    backendRefs: [{name: web, port: 80}]\n"),
        ),
    ]);
    // H.1.3: `from: Same`: the route of namespace other is not accepted.
    let l = lints(&a, "route-not-accepted");
    assert_eq!(l.len(), 1, "{l:?}");
    assert!(
        l[0].starts_with("HTTPRoute other/far is not accepted by Gateway shop/edge"),
        "{l:?}"
    );
    assert!(l[0].contains("(NotAllowedByListeners)"), "{l:?}");
    // `kinds: [{kind: HTTPRoute}]`: the group defaults to the Gateway API's.
    assert_eq!(dest(&get(&a, "http://kinds.example.com/")), "shop/web");
    // Redirect status 302.
    let t = get(&a, "http://same.example.com/x");
    assert_eq!(t.verdict, "redirect", "{}", hops(&t));
    let r = t.redirect.as_ref().unwrap();
    assert_eq!(
        (r.status, r.location.as_str()),
        (302, "http://new.example.com/x")
    );
    // GRPC method type Exact: `shop.Cart` is not a regex.
    assert_eq!(
        dest(&get(&a, "grpc://grpc.example.com/shop.Cart/Add")),
        "shop/web"
    );
    assert_eq!(
        get(&a, "grpc://grpc.example.com/shopXCart/Add").verdict,
        "no-route"
    );
}

/// H.1.3: a listener's `tls.mode` defaults to `Terminate`, so an HTTPS
/// listener's `tls` without certificates fails the CEL rule of Terminate.
#[test]
fn h_1_3_listener_tls_mode_defaults_to_terminate() {
    let gw = |tls: &str| {
        errors(&[gateway(&format!(
            "  - {{name: https, protocol: HTTPS, port: 443, tls: {tls}}}\n"
        ))])
    };
    // H.1.3: written or defaulted, the mode is Terminate.
    assert!(gw("{certificateRefs: [{name: cert}]}").is_empty());
    for tls in ["{mode: Terminate}", "{}"] {
        let e = gw(tls);
        assert_eq!(e.len(), 1, "{tls}: {e:?}");
        assert_eq!(
            (e[0].0.as_str(), e[0].1.as_str(), e[0].2.as_str()),
            ("gateway-spec", "Invalid", "spec.listeners[0].tls")
        );
        assert!(
            e[0].3
                .ends_with("certificateRefs or options must be specified when mode is Terminate"),
            "{tls}: {e:?}"
        );
    }
}

/// A GatewayClass `eg` with these `spec` lines.
fn gateway_class(spec: &str) -> Vec<String> {
    vec![format!(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {{name: eg}}\nspec:\n{spec}"
    )]
}

/// H.1.4: GatewayClass `controllerName` is required, a domain-prefixed
/// path of at most 253 characters; `description` at most 64.
#[test]
fn h_1_4_gateway_class_controller_name_and_description() {
    // H.1.4: Required, pattern (Invalid), maxLength (TooLong).
    assert_eq!(
        errors(&gateway_class("  description: no controller\n")),
        [finding(
            "gateway-spec",
            "Required",
            "spec.controllerName",
            "spec.controllerName: Required value"
        )]
    );
    let e = errors(&gateway_class("  controllerName: nginx\n"));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        (e[0].0.as_str(), e[0].1.as_str(), e[0].2.as_str()),
        ("gateway-spec", "Invalid", "spec.controllerName")
    );
    assert!(
        e[0].3.starts_with("spec.controllerName: Invalid value: \"nginx\": spec.controllerName in body should match '^[a-z0-9]"),
        "{e:?}"
    );
    let long = format!("example.com/{}", "a".repeat(242));
    assert_eq!(long.len(), 254);
    assert_eq!(
        errors(&gateway_class(&format!("  controllerName: {long}\n"))),
        [finding(
            "gateway-spec",
            "TooLong",
            "spec.controllerName",
            "spec.controllerName: Too long: may not be more than 253 bytes"
        )]
    );
    assert!(
        errors(&gateway_class(&format!(
            "  controllerName: {}\n",
            &long[..253]
        )))
        .is_empty()
    );
    let described = |n: usize| {
        errors(&gateway_class(&format!(
            "  controllerName: example.com/gateway\n  description: '{}'\n",
            "d".repeat(n)
        )))
    };
    assert!(described(64).is_empty());
    assert_eq!(
        described(65),
        [finding(
            "gateway-spec",
            "TooLong",
            "spec.description",
            "spec.description: Too long: may not be more than 64 bytes"
        )]
    );
}

/// H.1.4: a GatewayClass `parametersRef` needs `group`, `kind` and `name`.
#[test]
fn h_1_4_gateway_class_parameters_ref_needs_group_kind_and_name() {
    let e = errors(&gateway_class(
        "  controllerName: example.com/gateway\n  parametersRef: {namespace: infra}\n",
    ));
    // H.1.4: three Required errors (the CRD's `required: [group, kind, name]`).
    let got: Vec<(&str, &str)> = e.iter().map(|x| (x.1.as_str(), x.2.as_str())).collect();
    for field in [
        "spec.parametersRef.group",
        "spec.parametersRef.kind",
        "spec.parametersRef.name",
    ] {
        assert!(got.contains(&("Required", field)), "{field}: {e:?}");
    }
    assert_eq!(e.len(), 3, "{e:?}");
    assert!(e.iter().all(|x| x.0 == "gateway-spec"), "{e:?}");
    assert!(
        errors(&gateway_class(
            "  controllerName: example.com/gateway\n  parametersRef: {group: example.com, kind: Config, name: c}\n",
        ))
        .is_empty()
    );
}

// --------------------------------------------------- H.2 attachment

/// A parentRef to `shop/NAME`, listener `section`.
fn parent(gateway: &str, section: &str) -> String {
    format!("  parentRefs: [{{name: {gateway}, namespace: shop, sectionName: {section}}}]\n")
}

const TO_WEB: &str = "  rules:\n  - backendRefs: [{name: web, port: 80}]\n";

/// H.2.3: a listener admits a route kind listed in `allowedRoutes.kinds`,
/// or, with no kinds, implied by its protocol (HTTP: HTTPRoute and
/// GRPCRoute; TCP: neither).
#[test]
fn h_2_3_listener_admits_route_kinds() {
    let a = analysis(&[
        backend("shop", "web"),
        gateway_in(
            "shop",
            "edge",
            &("  - {name: grpc-only, protocol: HTTP, port: 80, hostname: grpc.example.com, allowedRoutes: {kinds: [{kind: GRPCRoute}]}}\n".to_owned()
                + &listener("plain", "HTTP", 80, Some("plain.example.com"))
                + &listener("tcp", "TCP", 9000, None)),
        ),
        route_obj("HTTPRoute", "name: h, namespace: shop", &(parent("edge", "grpc-only") + TO_WEB)),
        route_obj("GRPCRoute", "name: g, namespace: shop", &(parent("edge", "plain") + TO_WEB)),
        route_obj("HTTPRoute", "name: t, namespace: shop", &(parent("edge", "tcp") + TO_WEB)),
        route_obj("GRPCRoute", "name: g2, namespace: shop", &(parent("edge", "grpc-only") + TO_WEB)),
    ]);
    // H.2.3: NotAllowedByListeners for the kind the listener does not take.
    let mut l = lints(&a, "route-not-accepted");
    l.sort();
    assert_eq!(l.len(), 2, "{l:?}");
    assert!(l[0].starts_with("HTTPRoute shop/h is not accepted by Gateway shop/edge: no listener admits HTTPRoutes from namespace shop"), "{l:?}");
    assert!(
        l[1].starts_with("HTTPRoute shop/t is not accepted by Gateway shop/edge"),
        "{l:?}"
    );
    assert!(
        l.iter().all(|m| m.contains("NotAllowedByListeners)")),
        "{l:?}"
    );
    // The kinds-less HTTP listener admits the GRPCRoute; the listed kind too.
    for host in ["plain", "grpc"] {
        let t = get(&a, &format!("grpc://{host}.example.com/shop.Cart/Add"));
        assert_eq!(dest(&t), "shop/web", "{host}\n{}", hops(&t));
        assert_eq!(t.route.as_ref().map(|r| r.kind.as_str()), Some("GRPCRoute"));
    }
    assert_eq!(get(&a, "http://grpc.example.com/").verdict, "no-route");
}

/// H.2.3: a listener admits the route's namespace: `Same` (the default),
/// `All`, or `Selector` on the Namespace's labels (nil selector: none,
/// `{}`: all; `kubernetes.io/metadata.name` always present).
#[test]
fn h_2_3_listener_admits_route_namespaces() {
    let l = |name: &str, from: &str| {
        format!(
            "  - {{name: {name}, protocol: HTTP, port: 80, hostname: {name}.example.com, allowedRoutes: {{namespaces: {from}}}}}\n"
        )
    };
    let listeners = [
        l("same", "{from: Same}"),
        l("all", "{from: All}"),
        l(
            "labels",
            "{from: Selector, selector: {matchLabels: {team: shop}}}",
        ),
        l("nil", "{from: Selector}"),
        l("empty", "{from: Selector, selector: {}}"),
        l(
            "byname",
            "{from: Selector, selector: {matchLabels: {kubernetes.io/metadata.name: cart}}}",
        ),
    ]
    .concat();
    let mut docs = vec![
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: shop}}\n"
            .to_owned(),
        backend("shop", "web"),
        backend("cart", "web"),
        gateway_in("infra", "edge", &listeners),
    ];
    for (ns, section) in [
        ("shop", "same"),
        ("shop", "all"),
        ("shop", "labels"),
        ("shop", "nil"),
        ("shop", "empty"),
        // Namespace cart is not in the input: its name label is synthesized.
        ("cart", "byname"),
    ] {
        docs.push(route_obj(
            "HTTPRoute",
            &format!("name: {section}, namespace: {ns}"),
            &(parent("edge", section).replace("namespace: shop", "namespace: infra") + TO_WEB),
        ));
    }
    let a = analysis(&docs);
    // H.2.3: which listeners admit which namespaces.
    expect_dests(
        &a,
        &[
            ("http://same.example.com/", "no-route"),
            ("http://all.example.com/", "shop/web"),
            ("http://labels.example.com/", "shop/web"),
            ("http://nil.example.com/", "no-route"),
            ("http://empty.example.com/", "shop/web"),
            ("http://byname.example.com/", "cart/web"),
        ],
    );
    let mut refused = lints(&a, "route-not-accepted");
    refused.sort();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(
        refused[0].starts_with("HTTPRoute shop/nil is not accepted"),
        "{refused:?}"
    );
    assert!(
        refused[1].starts_with("HTTPRoute shop/same is not accepted"),
        "{refused:?}"
    );
    assert!(refused.iter().all(|m| m.contains("NotAllowedByListeners")));
}

/// H.2.4: the hostnames a route serves on a listener are the intersection
/// of both; `*.S` never covers `S`; empty everywhere: not accepted.
#[test]
fn h_2_4_listener_and_route_hostnames_intersect() {
    let listeners = listener("wild", "HTTP", 80, Some("*.specific.com"))
        + &listener("very", "HTTP", 8080, Some("very.specific.com"))
        + &listener("open", "HTTP", 9090, None);
    let route = |name: &str, section: &str, hostnames: &str| {
        route_obj(
            "HTTPRoute",
            &format!("name: {name}, namespace: shop"),
            &(parent("edge", section) + &format!("  hostnames: {hostnames}\n") + TO_WEB),
        )
    };
    let a = analysis(&[
        backend("shop", "web"),
        gateway(&listeners),
        route(
            "r1",
            "wild",
            "[a.specific.com, '*.b.specific.com', other.com]",
        ),
        route("r2", "very", "['*.specific.com']"),
        route("r3", "wild", "[specific.com]"),
        route("r4", "open", "[]"),
        route("r5", "open", "[x.example.org]").replace("sectionName: open", "port: 9090"),
    ]);
    // H.2.4 (conformance `httproute-hostname-intersection`).
    expect_hits(
        &a,
        &[
            ("http://a.specific.com/", "r1#0"),
            ("http://x.b.specific.com/", "r1#0"),
            ("http://y.x.b.specific.com/", "r1#0"),
            ("http://c.specific.com/", "no-route"),
            ("http://other.com/", "no-route"),
            ("http://very.specific.com:8080/", "r2#0"),
            ("http://foo.specific.com:8080/", "no-route"),
            ("http://specific.com/", "no-route"),
            ("http://x.example.org:9090/", "r5#0"),
            ("http://anything.example.net:9090/", "r4#0"),
        ],
    );
    let l = lints(&a, "route-not-accepted");
    assert_eq!(l.len(), 1, "{l:?}");
    assert!(l[0].starts_with("HTTPRoute shop/r3 is not accepted by Gateway shop/edge: none of its hostnames (specific.com) intersects a listener's hostname"), "{l:?}");
    assert!(l[0].contains("(NoMatchingListenerHostname)"), "{l:?}");
}

/// H.2.9: Portolan supports every enum value: a route using every path
/// match type, regex header and query matches, a method and every filter
/// type is accepted and routed.
#[test]
fn h_2_9_every_enum_value_is_supported() {
    let rules = "  rules:\n  - matches: [{path: {type: Exact, value: /exact}}, {path: {type: RegularExpression, value: '/re/[0-9]+'}}, {path: {type: PathPrefix, value: /prefix}, method: PATCH, headers: [{type: RegularExpression, name: v, value: 'v[0-9]'}], queryParams: [{type: RegularExpression, name: q, value: '[a-z]+'}]}]\n    filters:\n    - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: a, value: b}]}}\n    - {type: ResponseHeaderModifier, responseHeaderModifier: {remove: [server]}}\n    - {type: RequestMirror, requestMirror: {backendRef: {name: web, port: 80}}}\n    - {type: URLRewrite, urlRewrite: {hostname: internal.example.com}}\n    - {type: ExtensionRef, extensionRef: {group: example.com, kind: Filter, name: f}}\n    - {type: CORS, cors: {allowOrigins: ['https://a.example.com']}}\n    backendRefs: [{name: web, port: 80}]\n  - matches: [{path: {type: PathPrefix, value: /old}}]\n    filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 308}}]\n";
    let a = analysis(&[
        backend("shop", "web"),
        gateway(&listener("http", "HTTP", 80, None)),
        http_route("all", rules),
    ]);
    // H.2.9: no UnsupportedValue: no error, the route is accepted.
    assert!(
        a.diagnostics.iter().all(|d| d.severity != Severity::Error),
        "{:?}",
        a.diagnostics
    );
    assert!(lints(&a, "route-not-accepted").is_empty());
    for (url, method, headers) in [
        ("http://x.example.com/exact", None, &[][..]),
        ("http://x.example.com/re/42", None, &[][..]),
        (
            "http://x.example.com/prefix/a?q=abc",
            Some("PATCH"),
            &[("v", "v2")][..],
        ),
    ] {
        let t = send(&a, url, headers, method);
        assert_eq!(dest(&t), "shop/web", "{url}\n{}", hops(&t));
        assert_eq!(hit(&t), "all#0", "{url}");
    }
    assert_eq!(
        send(
            &a,
            "http://x.example.com/prefix/a?q=ABC",
            &[("v", "v2")],
            Some("PATCH")
        )
        .verdict,
        "no-route"
    );
    let t = get(&a, "http://x.example.com/old/x");
    assert_eq!(
        t.redirect.as_ref().map(|r| (r.status, r.location.as_str())),
        Some((308, "https://x.example.com/old/x"))
    );
}

// ------------------------------------------------ H.3 HTTPRoute matching

/// H.3.1: the listener is chosen by port, protocol and Host (precise >
/// wildcard with more labels > no hostname), and only its routes count.
#[test]
fn h_3_1_listener_by_port_protocol_and_most_specific_hostname() {
    let listeners = listener("any", "HTTP", 80, None)
        + &listener("wild", "HTTP", 80, Some("*.example.com"))
        + &listener("deep", "HTTP", 80, Some("*.shop.example.com"))
        + &listener("exact", "HTTP", 80, Some("www.shop.example.com"))
        + "  - {name: tls, protocol: HTTPS, port: 443, hostname: '*.example.com', tls: {certificateRefs: [{name: cert}]}}\n";
    let route = |section: &str, rules: &str| {
        route_obj(
            "HTTPRoute",
            &format!("name: r-{section}, namespace: shop"),
            &(parent("edge", section) + rules),
        )
    };
    let a = analysis(&[
        backend("shop", "web"),
        gateway(&listeners),
        route("any", TO_WEB),
        route("wild", TO_WEB),
        route("deep", TO_WEB),
        route(
            "exact",
            &format!(
                "  rules:\n{}",
                route_rule("[{path: {type: Exact, value: /only}}]", "web")
            ),
        ),
        route("tls", TO_WEB),
    ]);
    // H.3.1: listener isolation, no fallback to a less specific listener.
    expect_hits(
        &a,
        &[
            ("http://www.shop.example.com/only", "r-exact#0"),
            ("http://www.shop.example.com/other", "no-route"),
            ("http://a.shop.example.com/", "r-deep#0"),
            ("http://a.b.shop.example.com/", "r-deep#0"),
            ("http://a.example.com/", "r-wild#0"),
            ("http://other.org/", "r-any#0"),
            ("https://a.example.com/", "r-tls#0"),
            ("https://www.shop.example.com/only", "r-tls#0"),
            ("https://other.org/", "no-route"),
            ("http://a.example.com:8080/", "no-route"),
        ],
    );
    let t = get(&a, "http://www.shop.example.com/other");
    assert!(
        hops(&t).contains("listener exact (HTTP port 80, hostname www.shop.example.com)"),
        "{}",
        hops(&t)
    );
}

/// H.3.2: a Gateway API wildcard `*.S` matches any number of labels
/// before `S`, never `S` (unlike an Ingress's, G.3.1).
#[test]
fn h_3_2_gateway_wildcards_cover_any_number_of_labels() {
    let a = analysis(&[
        backend("shop", "web"),
        gateway(
            &(listener("wild", "HTTP", 80, Some("*.example.com"))
                + &listener("open", "HTTP", 8080, None)),
        ),
        route_obj(
            "HTTPRoute",
            "name: l, namespace: shop",
            &(parent("edge", "wild") + TO_WEB),
        ),
        route_obj(
            "HTTPRoute",
            "name: r, namespace: shop",
            &(parent("edge", "open") + "  hostnames: ['*.example.org']\n" + TO_WEB),
        ),
        ingress("shop", "i", "", &host_rule("*.example.net")),
    ]);
    // H.3.2: listener and route wildcards alike.
    expect_hits(
        &a,
        &[
            ("http://a.example.com/", "l#0"),
            ("http://a.b.c.example.com/", "l#0"),
            ("http://example.com/", "no-route"),
            ("http://a.b.example.org:8080/", "r#0"),
            ("http://example.org:8080/", "no-route"),
        ],
    );
    // The Ingress wildcard covers one label only.
    assert_eq!(
        hit(&via(&a, "http://a.example.net/", "ingressclass:(default)")),
        "i#0"
    );
    assert_eq!(
        via(&a, "http://a.b.example.net/", "ingressclass:(default)").verdict,
        "no-route"
    );
}

/// H.3.3: the candidates are the rules of every route attached to the
/// listener whose hostnames match the Host, and only those.
#[test]
fn h_3_3_candidates_are_the_listener_routes_matching_the_host() {
    let prefix = |p: &str| {
        format!(
            "  rules:\n{}",
            route_rule(&format!("[{{path: {{value: {p}}}}}]"), "web")
        )
    };
    let on = |name: &str, section: &str, hosts: &str, p: &str| {
        route_obj(
            "HTTPRoute",
            &format!("name: {name}, namespace: shop"),
            &(parent("edge", section) + hosts + &prefix(p)),
        )
    };
    let a = analysis(&[
        backend("shop", "web"),
        gateway(&(listener("http", "HTTP", 80, None) + &listener("alt", "HTTP", 8080, None))),
        on("a", "http", "  hostnames: [a.example.com]\n", "/a/long"),
        on("b", "http", "  hostnames: [b.example.com]\n", "/a"),
        on("c", "http", "", "/c"),
        on("d", "alt", "", "/a/long/x"),
    ]);
    // H.3.3: route a's longer prefix is not a candidate for b.example.com,
    // nor is route d of the other listener.
    expect_hits(
        &a,
        &[
            ("http://b.example.com/a/long/x", "b#0"),
            ("http://a.example.com/a/long/x", "a#0"),
            ("http://b.example.com/c", "c#0"),
            ("http://a.example.com/a", "no-route"),
            ("http://b.example.com:8080/a/long/x", "d#0"),
        ],
    );
    let t = get(&a, "http://b.example.com/a/long/x");
    assert!(
        hops(&t).contains("2 HTTPRoute(s) attached to the listener serve Host b.example.com"),
        "{}",
        hops(&t)
    );
}

/// A Gateway `shop/edge` with one HTTP listener on port 80, Service
/// `shop/web`, and HTTPRoute `shop/r` with these `rules` items.
fn one_route(rules: &str) -> Analysis {
    analysis(&[
        backend("shop", "web"),
        gateway(&listener("http", "HTTP", 80, None)),
        http_route("r", &format!("  rules:\n{rules}")),
    ])
}

/// H.3.4: a rule matches if any of its matches does; a match is the AND
/// of path, headers (names case-insensitive, values case-sensitive),
/// query parameters (repeated: the first value) and method.
#[test]
fn h_3_4_a_match_is_the_and_of_its_conditions() {
    let a = one_route(&route_rule(
        "[{path: {type: Exact, value: /x}, headers: [{name: Version, value: Two}], queryParams: [{name: q, value: '1'}], method: POST}, {path: {type: Exact, value: /y}}]",
        "web",
    ));
    // H.3.4: (url, method, headers, matches?).
    let cases: [(&str, &str, Headers<'_>, bool); 9] = [
        ("/y", "GET", &[], true),
        ("/x?q=1", "POST", &[("version", "Two")], true),
        ("/x?q=1", "POST", &[("VERSION", "Two")], true),
        ("/x?q=1", "POST", &[("version", "two")], false),
        ("/x?q=1", "GET", &[("version", "Two")], false),
        ("/x?q=2", "POST", &[("version", "Two")], false),
        ("/x", "POST", &[("version", "Two")], false),
        ("/x?q=1&q=2", "POST", &[("version", "Two")], true),
        ("/x?q=2&q=1", "POST", &[("version", "Two")], false),
    ];
    for (p, method, headers, ok) in cases {
        let t = send(
            &a,
            &format!("http://x.example.com{p}"),
            headers,
            Some(method),
        );
        let want = if ok { "r#0" } else { "no-route" };
        assert_eq!(hit(&t), want, "{method} {p} {headers:?}\n{}", hops(&t));
    }
    let t = send(
        &a,
        "http://x.example.com/x?q=1",
        &[("version", "Two")],
        Some("POST"),
    );
    assert_eq!(
        t.route.as_ref().map(|r| r.match_.as_str()),
        Some("path=Exact:/x method=POST headers=[Version=Two] query=[q=1]")
    );
}

/// H.3.4: of several header matches with equivalent names (compared
/// case-insensitively), only the first counts; the others are ignored.
#[test]
fn h_3_4_only_the_first_header_match_of_a_name_counts() {
    let a = one_route(&route_rule(
        "[{headers: [{name: env, value: canary}, {name: ENV, value: prod}]}]",
        "web",
    ));
    // H.3.4 (`HTTPHeaderMatch.Name`): `ENV: prod` is ignored.
    assert!(
        a.diagnostics.iter().all(|d| d.severity != Severity::Error),
        "{:?}",
        a.diagnostics
    );
    let t = send(&a, "http://x.example.com/", &[("env", "canary")], None);
    assert_eq!(hit(&t), "r#0", "{}", hops(&t));
    let t = send(&a, "http://x.example.com/", &[("env", "prod")], None);
    assert_eq!(t.verdict, "no-route", "{}", hops(&t));
}

/// H.3.5: `Exact` is byte-equal; `PathPrefix` is G.3.4's element prefix;
/// `RegularExpression` is RE2 over the whole path, case-sensitive.
#[test]
fn h_3_5_path_match_types() {
    let a = one_route(
        &[
            route_rule("[{path: {type: Exact, value: /abc}}]", "web"),
            route_rule("[{path: {type: PathPrefix, value: /foo/}}]", "web"),
            route_rule(
                "[{path: {type: RegularExpression, value: '/v[0-9]+'}}]",
                "web",
            ),
        ]
        .concat(),
    );
    // H.3.5: one line per path.
    expect_hits(
        &a,
        &[
            ("http://x.example.com/abc", "r#0"),
            ("http://x.example.com/abc/", "no-route"),
            ("http://x.example.com/Abc", "no-route"),
            ("http://x.example.com/foo", "r#1"),
            ("http://x.example.com/foo/bar", "r#1"),
            ("http://x.example.com/foobar", "no-route"),
            ("http://x.example.com/v2", "r#2"),
            ("http://x.example.com/v22", "r#2"),
            ("http://x.example.com/v2/x", "no-route"),
            ("http://x.example.com/xv2", "no-route"),
            ("http://x.example.com/V2", "no-route"),
        ],
    );
}

/// H.3.6 (1)–(4): the precise hostname first, then the longer hostname,
/// then Exact, then RegularExpression (longer first), then the longer
/// PathPrefix.
#[test]
fn h_3_6_hostname_then_path_precedence() {
    let r = |name: &str, hosts: &str, rules: &[String]| {
        http_route(
            name,
            &format!("  hostnames: {hosts}\n  rules:\n{}", rules.concat()),
        )
    };
    let path =
        |ty: &str, v: &str| route_rule(&format!("[{{path: {{type: {ty}, value: '{v}'}}}}]"), "web");
    let a = analysis(&[
        backend("shop", "web"),
        gateway(&listener("http", "HTTP", 80, None)),
        r("wild", "['*.example.com']", &[path("Exact", "/p")]),
        r("precise", "[a.example.com]", &[path("PathPrefix", "/")]),
        r("wider", "['*.b.example.com']", &[path("PathPrefix", "/")]),
        r(
            "paths",
            "[p.example.org]",
            &[
                path("PathPrefix", "/r/long/prefix"),
                path("RegularExpression", "/r/.*"),
                path("Exact", "/r/x"),
                path("PathPrefix", "/r"),
                path("RegularExpression", "/r/lo.*"),
                path("PathPrefix", "/q"),
                path("PathPrefix", "/q/w"),
            ],
        ),
    ]);
    // H.3.6: (1) precise beats an Exact path on a wildcard; (2) the longer
    // wildcard; (3) Exact; (4) regex before prefix, longer first.
    expect_hits(
        &a,
        &[
            ("http://a.example.com/p", "precise#0"),
            ("http://c.example.com/p", "wild#0"),
            ("http://x.b.example.com/p", "wider#0"),
            ("http://p.example.org/r/x", "paths#2"),
            ("http://p.example.org/r/long/prefix/y", "paths#4"),
            ("http://p.example.org/r/z", "paths#1"),
            ("http://p.example.org/r", "paths#3"),
            ("http://p.example.org/q/w/e", "paths#6"),
            ("http://p.example.org/q/e", "paths#5"),
        ],
    );
}

/// H.3.6 (5)–(7): a method beats headers, more headers beat query
/// parameters, more query parameters beat fewer.
#[test]
fn h_3_6_method_then_headers_then_query_params() {
    let m = |extra: &str| route_rule(&format!("[{{path: {{value: /m}}{extra}}}]"), "web");
    let a = one_route(
        &[
            m(""),
            m(", queryParams: [{name: q, value: '1'}, {name: r, value: '1'}]"),
            m(", headers: [{name: a, value: '1'}]"),
            m(", headers: [{name: a, value: '1'}, {name: b, value: '1'}]"),
            m(", method: GET"),
        ]
        .concat(),
    );
    let both: &[(&str, &str)] = &[("a", "1"), ("b", "1")];
    // H.3.6: (url, method, headers, winning rule).
    for (url, method, headers, want) in [
        ("/m?q=1&r=1", "GET", both, "r#4"),
        ("/m?q=1&r=1", "POST", both, "r#3"),
        ("/m?q=1&r=1", "POST", &[("a", "1")][..], "r#2"),
        ("/m?q=1&r=1", "POST", &[][..], "r#1"),
        ("/m", "POST", &[][..], "r#0"),
    ] {
        let t = send(
            &a,
            &format!("http://x.example.com{url}"),
            headers,
            Some(method),
        );
        assert_eq!(hit(&t), want, "{method} {url} {headers:?}\n{}", hops(&t));
    }
}

/// H.3.6 (8)–(10): equal matches go to the older route, then the first by
/// `namespace/name`, then the route's first rule.
#[test]
fn h_3_6_older_route_then_name_then_first_rule() {
    let r = |meta: &str, host: &str, rules: usize| {
        route_obj(
            "HTTPRoute",
            &format!("{meta}, namespace: shop"),
            &format!(
                "  parentRefs: [{{name: edge}}]\n  hostnames: [{host}]\n  rules:\n{}",
                route_rule("[{path: {value: /t}}]", "web").repeat(rules)
            ),
        )
    };
    let a = analysis(&[
        backend("shop", "web"),
        gateway(&listener("http", "HTTP", 80, None)),
        r(
            "name: alpha, creationTimestamp: '2025-01-01T00:00:00Z'",
            "t.example.com",
            1,
        ),
        r(
            "name: zeta, creationTimestamp: '2024-01-01T00:00:00Z'",
            "t.example.com",
            1,
        ),
        r("name: b-route", "u.example.com", 1),
        r("name: a-route", "u.example.com", 1),
        r("name: twice", "v.example.com", 2),
    ]);
    // H.3.6: (8) older, (9) namespace/name, (10) first rule.
    expect_hits(
        &a,
        &[
            ("http://t.example.com/t", "zeta#0"),
            ("http://u.example.com/t", "a-route#0"),
            ("http://v.example.com/t", "twice#0"),
        ],
    );
}

/// H.3.7: when no candidate rule matches, the Gateway answers 404:
/// `no-route`.
#[test]
fn h_3_7_no_matching_rule_is_no_route() {
    let a = one_route(&route_rule("[{path: {value: /a}}]", "web"));
    // H.3.7: 404.
    for url in ["http://x.example.com/b", "http://x.example.com/ab"] {
        let t = get(&a, url);
        assert_eq!(t.verdict, "no-route", "{url}\n{}", hops(&t));
        assert!(t.route.is_none() && t.destinations.is_empty(), "{url}");
        assert!(
            hops(&t).contains(
                "NO ROUTE: no rule of the listener's routes matches; the client gets 404"
            ),
            "{}",
            hops(&t)
        );
    }
    assert_eq!(hit(&get(&a, "http://x.example.com/a/b")), "r#0");
}

/// H.3.8: when the precise-hostname route has no matching rule, a less
/// specific route's matching rule wins (precedence orders matching rules).
#[test]
fn h_3_8_less_specific_route_answers_what_the_precise_one_does_not() {
    let a = analysis(&[
        backend("shop", "web"),
        gateway(&listener("http", "HTTP", 80, None)),
        http_route(
            "precise",
            &format!(
                "  hostnames: [a.example.com]\n  rules:\n{}",
                route_rule("[{path: {value: /only}}]", "web")
            ),
        ),
        http_route("wild", &format!("  hostnames: ['*.example.com']\n{TO_WEB}")),
    ]);
    // H.3.8 [Portolan]: no 404 for the precise hostname's other paths.
    expect_hits(
        &a,
        &[
            ("http://a.example.com/only", "precise#0"),
            ("http://a.example.com/other", "wild#0"),
            ("http://b.example.com/only", "wild#0"),
        ],
    );
}

// ------------------------------------------------- H.4 filters

/// H.4.4: a RequestRedirect answers itself with its status (302 unless
/// set) and a `Location` built from the scheme, hostname, port (explicit,
/// else that of the scheme, else the listener's; left out when default)
/// and path (`ReplaceFullPath`, or `ReplacePrefixMatch` per the
/// `HTTPPathModifier` table).
#[test]
fn h_4_4_request_redirect_location() {
    let redirect = |ty: &str, p: &str, to: &str| {
        format!(
            "  - matches: [{{path: {{type: {ty}, value: '{p}'}}}}]\n    filters: [{{type: RequestRedirect, requestRedirect: {to}}}]\n"
        )
    };
    let rules = [
        redirect("Exact", "/plain", "{}"),
        redirect("Exact", "/secure", "{scheme: https}"),
        redirect(
            "Exact",
            "/moved",
            "{hostname: b.example.com, port: 8443, statusCode: 301}",
        ),
        redirect("Exact", "/eighty", "{port: 80}"),
        redirect(
            "PathPrefix",
            "/foo",
            "{path: {type: ReplacePrefixMatch, replacePrefixMatch: /xyz}}",
        ),
        redirect(
            "PathPrefix",
            "/bar",
            "{path: {type: ReplacePrefixMatch, replacePrefixMatch: ''}}",
        ),
        redirect(
            "PathPrefix",
            "/baz/",
            "{path: {type: ReplacePrefixMatch, replacePrefixMatch: /xyz/}}",
        ),
        redirect(
            "Exact",
            "/full",
            "{path: {type: ReplaceFullPath, replaceFullPath: /new}}",
        ),
    ]
    .concat();
    let a = analysis(&[
        gateway(&listener("http", "HTTP", 8080, None)),
        http_route("r", &format!("  rules:\n{rules}")),
    ]);
    assert!(errors(&[http_route("r", &format!("  rules:\n{rules}"))]).is_empty());
    let at = "http://a.example.com:8080";
    // H.4.4: (path, status, Location).
    for (p, status, location) in [
        ("/plain", 302, "http://a.example.com:8080/plain"),
        ("/secure", 302, "https://a.example.com/secure"),
        ("/moved", 301, "http://b.example.com:8443/moved"),
        ("/eighty", 302, "http://a.example.com/eighty"),
        ("/foo/bar", 302, "http://a.example.com:8080/xyz/bar"),
        ("/foo", 302, "http://a.example.com:8080/xyz"),
        ("/foo/", 302, "http://a.example.com:8080/xyz/"),
        ("/bar", 302, "http://a.example.com:8080/"),
        ("/bar/", 302, "http://a.example.com:8080/"),
        ("/bar/baz", 302, "http://a.example.com:8080/baz"),
        ("/baz/bar", 302, "http://a.example.com:8080/xyz/bar"),
        ("/full", 302, "http://a.example.com:8080/new"),
    ] {
        let t = get(&a, &format!("{at}{p}"));
        assert_eq!(t.verdict, "redirect", "{p}\n{}", hops(&t));
        let r = t.redirect.as_ref().unwrap();
        assert_eq!((r.status, r.location.as_str()), (status, location), "{p}");
        assert!(t.destinations.is_empty() && t.backends.is_none(), "{p}");
        let h = hops(&t);
        assert!(
            h.contains(&format!(
                "RequestRedirect: {status} Location {location} (H.4.4)"
            )),
            "{h}"
        );
        assert!(h.contains("no backend is contacted"), "{h}");
    }
}

/// H.4.4: the other filters are reported in hops and never change the
/// chosen rule; a mirror is not a destination; a backend-level filter acts
/// on its share only.
#[test]
fn h_4_4_filters_are_hops_not_routing() {
    let rules = "  - matches: [{path: {value: /old}}]\n    filters:\n    - {type: URLRewrite, urlRewrite: {hostname: internal.example.com, path: {type: ReplaceFullPath, replaceFullPath: /new}}}\n    - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-a, value: '1'}], add: [{name: x-c, value: '2'}], remove: [x-b]}}\n    - {type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: x-r, value: '3'}]}}\n    - {type: RequestMirror, requestMirror: {backendRef: {name: mirror, port: 80}, percent: 50}}\n    - {type: ExtensionRef, extensionRef: {group: example.com, kind: Filter, name: f}}\n    - {type: CORS, cors: {allowOrigins: ['https://a.example.com']}}\n    backendRefs: [{name: web, port: 80}]\n  - matches: [{path: {value: /new}}]\n    backendRefs: [{name: other, port: 80}]\n  - matches: [{path: {value: /split}}]\n    backendRefs:\n    - {name: web, port: 80, filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-canary, value: 'yes'}]}}]}\n    - {name: other, port: 80}\n";
    let a = analysis(&[
        backend("shop", "web"),
        backend("shop", "other"),
        backend("shop", "mirror"),
        gateway(&listener("http", "HTTP", 80, None)),
        http_route("f", &format!("  rules:\n{rules}")),
    ]);
    let t = get(&a, "http://x.example.com/old/x");
    // H.4.4: the rewrite to /new does not re-route to rule 1.
    assert_eq!(hit(&t), "f#0", "{}", hops(&t));
    assert_eq!(dest(&t), "shop/web");
    assert_eq!(t.destinations.len(), 1);
    assert!(
        t.destinations
            .iter()
            .all(|d| d.pod.as_deref().is_some_and(|p| p.starts_with("shop/web-"))),
        "{:?}",
        t.destinations
    );
    let h = hops(&t);
    for want in [
        "rule filter URLRewrite: the upstream request gets Host internal.example.com and path /new (H.4.4)",
        "rule filter RequestHeaderModifier: set x-a: 1, add x-c: 2, remove x-b (H.4.4)",
        "rule filter ResponseHeaderModifier: set x-r: 3 (H.4.4)",
        "rule filter RequestMirror: a copy of 50% goes to Service mirror; its responses are ignored (H.4.4)",
        "rule filter ExtensionRef Filter/f: not simulated (H.4.4)",
        "rule filter CORS: listed, not simulated (H.4.4)",
    ] {
        assert!(h.contains(want), "{want}\n{h}");
    }
    // A backend filter: reported between its backendRef and the next one.
    let t = get(&a, "http://x.example.com/split");
    assert_eq!(served(&t), ["shop/web", "shop/other"]);
    let at = |needle: &str| {
        t.hops
            .iter()
            .position(|x| x.detail.contains(needle))
            .unwrap_or_else(|| panic!("{needle}\n{}", hops(&t)))
    };
    let filter = at("backend filter RequestHeaderModifier: set x-canary: yes");
    assert!(
        at("backendRefs[0] shop/web") < filter && filter < at("backendRefs[1] shop/other"),
        "{}",
        hops(&t)
    );
}

// ------------------------------------------------------- H.5 GRPCRoute

/// A GRPCRoute `shop/NAME` on Gateway `shop/edge` for `host`, with these
/// `rules` lines (`[]`: no rules).
fn grpc_route(name: &str, host: &str, rules: &str) -> String {
    route_obj(
        "GRPCRoute",
        &format!("name: {name}, namespace: shop"),
        &format!("  parentRefs: [{{name: edge}}]\n  hostnames: ['{host}']\n  rules:\n{rules}"),
    )
}

/// A GRPCRoute rule matching `method` (a flow map's content), to `web`.
fn grpc_rule(method: &str) -> String {
    format!("  - matches: [{{method: {{{method}}}}}]\n    backendRefs: [{{name: web, port: 80}}]\n")
}

/// H.5.1: GRPCRoute method matches: service and method = the path
/// `/S/M`, service only = `/S/…`, method only = `…/M`, regexes likewise;
/// case-sensitive; a rule without matches takes every method.
#[test]
fn h_5_1_grpc_method_matching() {
    let a = analysis(&[
        backend("shop", "web"),
        gateway(&listener("http", "HTTP", 80, Some("*.example.com"))),
        grpc_route(
            "exact",
            "exact.example.com",
            &grpc_rule("service: shop.Cart, method: Add"),
        ),
        grpc_route("svc", "svc.example.com", &grpc_rule("service: shop.Cart")),
        grpc_route("meth", "meth.example.com", &grpc_rule("method: Add")),
        grpc_route(
            "re",
            "re.example.com",
            &grpc_rule("type: RegularExpression, service: 'shop\\..*', method: 'A.*'"),
        ),
        grpc_route(
            "resvc",
            "resvc.example.com",
            &grpc_rule("type: RegularExpression, service: 'shop\\.C.*'"),
        ),
        grpc_route(
            "all",
            "all.example.com",
            "  - backendRefs: [{name: web, port: 80}]\n",
        ),
    ]);
    assert!(
        errors(&[grpc_route(
            "re",
            "re.example.com",
            &grpc_rule("type: RegularExpression, service: 'shop\\..*'")
        )])
        .is_empty()
    );
    // H.5.1 (GEP-1016).
    expect_hits(
        &a,
        &[
            ("grpc://exact.example.com/shop.Cart/Add", "exact#0"),
            ("grpc://exact.example.com/shop.Cart/add", "no-route"),
            ("grpc://exact.example.com/shop.Cart/AddX", "no-route"),
            ("grpc://exact.example.com/shop.cart/Add", "no-route"),
            ("grpc://svc.example.com/shop.Cart/Anything", "svc#0"),
            ("grpc://svc.example.com/shop.Cartx/Add", "no-route"),
            ("grpc://svc.example.com/shop.cart/Add", "no-route"),
            ("grpc://meth.example.com/any.Svc/Add", "meth#0"),
            ("grpc://meth.example.com/any.Svc/Remove", "no-route"),
            ("grpc://meth.example.com/any.Svc/add", "no-route"),
            ("grpc://re.example.com/shop.Cart/Add", "re#0"),
            ("grpc://re.example.com/shop.Cart/Remove", "no-route"),
            ("grpc://re.example.com/other.Cart/Add", "no-route"),
            ("grpc://resvc.example.com/shop.Cart/Anything", "resvc#0"),
            ("grpc://resvc.example.com/shop.Other/Add", "no-route"),
            ("grpc://all.example.com/x.Y/Z", "all#0"),
        ],
    );
}

/// H.5.2: GRPCRoute precedence: the precise hostname, then the service's
/// characters, the method's, the header count; headers as H.3.4.
#[test]
fn h_5_2_grpc_precedence_and_headers() {
    let g = [
        grpc_rule("service: shop.Cart"),
        grpc_rule("method: Add"),
        grpc_rule("service: shop.Cart, method: Add"),
        "  - matches: [{method: {service: shop.Cart, method: Add}, headers: [{name: x-env, value: canary}]}]\n    backendRefs: [{name: web, port: 80}]\n".to_owned(),
    ]
    .concat();
    let w = "  - matches: [{method: {service: shop.Cart, method: Add}, headers: [{name: a, value: '1'}, {name: b, value: '1'}]}]\n    backendRefs: [{name: web, port: 80}]\n";
    let a = analysis(&[
        backend("shop", "web"),
        gateway(&listener("http", "HTTP", 80, None)),
        grpc_route("g", "api.example.com", &g),
        grpc_route("w", "*.example.com", w),
    ]);
    let both: &[(&str, &str)] = &[("a", "1"), ("b", "1")];
    // H.5.2: (url, headers, winner).
    for (url, headers, want) in [
        ("grpc://api.example.com/shop.Cart/Add", &[][..], "g#2"),
        (
            "grpc://api.example.com/shop.Cart/Add",
            &[("X-Env", "canary")][..],
            "g#3",
        ),
        (
            "grpc://api.example.com/shop.Cart/Add",
            &[("x-env", "Canary")][..],
            "g#2",
        ),
        ("grpc://api.example.com/shop.Cart/Remove", &[][..], "g#0"),
        ("grpc://api.example.com/other.Svc/Add", &[][..], "g#1"),
        ("grpc://api.example.com/shop.Cart/Add", both, "g#2"),
        ("grpc://other.example.com/shop.Cart/Add", both, "w#0"),
        (
            "grpc://other.example.com/shop.Cart/Add",
            &[("a", "1")][..],
            "no-route",
        ),
    ] {
        let t = send(&a, url, headers, None);
        assert_eq!(hit(&t), want, "{url} {headers:?}\n{}", hops(&t));
    }
}

/// H.5.3: a gRPC request nothing matches is `no-route` (UNIMPLEMENTED); an
/// invalid backend share is `backend-unresolved` (UNAVAILABLE).
#[test]
fn h_5_3_grpc_no_match_and_unresolved_shares() {
    let rules = "  - matches: [{method: {service: shop.Cart, method: Add}}]\n    backendRefs: [{name: gone, port: 80}]\n  - matches: [{method: {service: shop.Cart, method: Split}}]\n    backendRefs: [{name: web, port: 80}, {name: gone, port: 80}]\n";
    let a = analysis(&[
        backend("shop", "web"),
        gateway(&listener("http", "HTTP", 80, None)),
        grpc_route("g", "api.example.com", rules),
    ]);
    // H.5.3: no match → UNIMPLEMENTED.
    let t = get(&a, "grpc://api.example.com/shop.Cart/Remove");
    assert_eq!(t.verdict, "no-route", "{}", hops(&t));
    assert!(hops(&t).contains("(gRPC: UNIMPLEMENTED)"), "{}", hops(&t));
    // Every share invalid → backend-unresolved; half invalid → half lost.
    let t = get(&a, "grpc://api.example.com/shop.Cart/Add");
    assert_eq!(t.verdict, "backend-unresolved", "{}", hops(&t));
    assert_eq!(t.unresolved_probability, Some(1.0));
    assert!(
        hops(&t).contains("BackendNotFound: no Service shop/gone"),
        "{}",
        hops(&t)
    );
    let t = get(&a, "grpc://api.example.com/shop.Cart/Split");
    assert_eq!(t.verdict, "delivered", "{}", hops(&t));
    assert_eq!(t.unresolved_probability, Some(0.5));
    assert_eq!(t.destinations.len(), 1);
}

/// H.5.3: the status a gRPC client gets for an unresolved share is
/// `UNAVAILABLE` (0.2: Gateway API 500/`UNAVAILABLE`), as the no-route hop
/// names `UNIMPLEMENTED`.
#[test]
fn h_5_3_grpc_unresolved_hops_name_unavailable() {
    let a = analysis(&[
        gateway(&listener("http", "HTTP", 80, None)),
        grpc_route(
            "g",
            "api.example.com",
            &grpc_rule("service: shop.Cart").replace("name: web", "name: gone"),
        ),
    ]);
    let t = get(&a, "grpc://api.example.com/shop.Cart/Add");
    assert_eq!(t.verdict, "backend-unresolved", "{}", hops(&t));
    // H.5.3: the verdict hop names the gRPC status.
    let verdict = t.hops.last().map(|h| h.detail.clone()).unwrap_or_default();
    assert!(verdict.starts_with("BACKEND UNRESOLVED"), "{verdict}");
    assert!(verdict.contains("UNAVAILABLE"), "{}", hops(&t));
}
