//! `portolan diff` (interfaces.md §6.4): semantic changes between two
//! inputs, never text changes; realistic pull-request edits of a corpus
//! application, each with exactly the changes it makes.

mod common;

use portolan_core::analysis::{Analysis, analyze};
use portolan_core::cli::{execute_diff, parse_args};
use portolan_core::diag::Severity;
use portolan_core::diff::{Diff, diff};
use portolan_core::profile::Profile;
use portolan_core::source::Source;

fn bookinfo() -> String {
    std::fs::read_to_string(common::material().join("corpus/bookinfo.yaml")).unwrap()
}

fn analysis(text: &str) -> Analysis {
    analyze(
        vec![Source::new("app.yaml", text.to_owned())],
        &Profile::default(),
    )
    .unwrap()
}

fn changes(base: &str, head: &str) -> (Diff, Vec<(String, String)>) {
    let (b, h) = (analysis(base), analysis(head));
    let d = diff(&b, &h);
    let list = d
        .changes
        .iter()
        .map(|c| (c.kind.to_owned(), c.subject.clone()))
        .collect();
    (d, list)
}

fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the corpus file has {from:?}");
    text.replacen(from, to, 1)
}

/// The same objects in another order, reformatted and commented: no change.
#[test]
fn layout_order_comments_and_formatting_are_no_change() {
    let text = bookinfo();
    let mut docs: Vec<&str> = text.split("\n---\n").collect();
    docs.reverse();
    let shuffled = format!("# reordered\n{}", docs.join("\n---\n# a comment\n"));
    let (d, list) = changes(&text, &shuffled);
    assert!(list.is_empty(), "{list:?}");
    assert!(d.introduced.is_empty() && d.fixed.is_empty());
}

/// A selector typo empties a Service: its port loses its endpoints and is
/// unreachable (error), and the finding is introduced.
#[test]
fn a_selector_typo_makes_a_service_unreachable() {
    let text = bookinfo();
    let head = edit(
        &text,
        "  selector:\n    app: ratings",
        "  selector:\n    app: rating",
    );
    let (d, list) = changes(&text, &head);
    assert_eq!(
        list,
        [
            (
                "endpoints-lost".into(),
                "service:default/ratings:9080/TCP".into()
            ),
            (
                "service-unreachable".into(),
                "service:default/ratings:9080/TCP".into()
            ),
        ]
    );
    let endpoints_lost = &d.changes[0];
    assert_eq!(
        endpoints_lost.pods.as_deref(),
        Some(&["workload:default/Deployment/ratings-v1".to_owned()][..])
    );
    assert_eq!(
        (
            endpoints_lost.before.as_deref(),
            endpoints_lost.after.as_deref()
        ),
        (Some("1"), Some("0"))
    );
    assert_eq!(d.changes[1].severity, Severity::Error);
    assert!(d.failing(&analysis(&head)));
    let h = analysis(&head);
    let codes: Vec<&str> = d
        .introduced
        .iter()
        .map(|&i| h.diagnostics[i].code)
        .collect();
    assert_eq!(codes, ["selector-matches-nothing"]);
    // And back: the reverse edit fixes it.
    let (d, list) = changes(&head, &text);
    assert_eq!(list[1].0, "service-reachable");
    assert_eq!(d.fixed.len(), 1);
}

/// Ports: a targetPort edit is `port-changed`; an added port stands for
/// everything on it (no endpoints or exposure change of its own); a
/// scaled Deployment gains endpoints.
#[test]
fn ports_and_replicas() {
    let text = bookinfo();
    let head = edit(
        &text,
        "  - port: 9080\n    name: http\n  selector:\n    app: details",
        "  - port: 9080\n    name: http\n    targetPort: 8080\n  selector:\n    app: details",
    );
    let (_, list) = changes(&text, &head);
    assert!(
        list.contains(&(
            "port-changed".into(),
            "service:default/details:9080/TCP".into()
        )),
        "{list:?}"
    );
    let head = edit(
        &text,
        "  - port: 9080\n    name: http\n  selector:\n    app: reviews",
        "  - port: 9080\n    name: http\n  - port: 9443\n    name: https\n  selector:\n    app: reviews",
    );
    let (_, list) = changes(&text, &head);
    assert_eq!(
        list,
        [(
            "port-added".into(),
            "service:default/reviews:9443/TCP".into()
        )]
    );
    let head = edit(
        &text,
        "  name: productpage-v1\n  labels:\n    app: productpage\n    version: v1\nspec:\n  replicas: 1",
        "  name: productpage-v1\n  labels:\n    app: productpage\n    version: v1\nspec:\n  replicas: 3",
    );
    let (d, list) = changes(&text, &head);
    assert_eq!(
        list,
        [(
            "endpoints-gained".into(),
            "service:default/productpage:9080/TCP".into()
        )]
    );
    assert_eq!(
        (
            d.changes[0].before.as_deref(),
            d.changes[0].after.as_deref()
        ),
        (Some("1"), Some("3"))
    );
}

/// Exposure: a NodePort (warning), an Ingress host; Services added and
/// removed; a type change.
#[test]
fn exposure_and_services() {
    let text = bookinfo();
    let head = edit(
        &text,
        "  ports:\n  - port: 9080\n    name: http\n  selector:\n    app: productpage",
        "  type: NodePort\n  ports:\n  - port: 9080\n    name: http\n    nodePort: 30080\n  selector:\n    app: productpage",
    );
    let (d, list) = changes(&text, &head);
    assert_eq!(
        list,
        [
            (
                "service-type-changed".into(),
                "service:default/productpage".into()
            ),
            (
                "exposure-added".into(),
                "service:default/productpage:9080/TCP".into()
            ),
            (
                "port-changed".into(),
                "service:default/productpage:9080/TCP".into()
            ),
        ]
    );
    let exposure = d
        .changes
        .iter()
        .find(|c| c.kind == "exposure-added")
        .unwrap();
    assert_eq!(
        (exposure.severity, exposure.after.as_deref()),
        (Severity::Warning, Some("nodePort:30080"))
    );
    let ingress = "\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: shop}\nspec:\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - {path: /productpage, pathType: Prefix, backend: {service: {name: productpage, port: {number: 9080}}}}\n";
    let (_, list) = changes(&text, &format!("{text}{ingress}"));
    assert_eq!(
        list,
        [("exposure-added".into(), "ingress:default/shop".into())]
    );
    let extra = "\n---\napiVersion: v1\nkind: Service\nmetadata: {name: cache}\nspec:\n  clusterIP: None\n  ports: [{port: 6379}]\n";
    let (_, list) = changes(&text, &format!("{text}{extra}"));
    assert_eq!(
        list,
        [("service-added".into(), "service:default/cache".into())]
    );
    let (_, list) = changes(&format!("{text}{extra}"), &text);
    assert_eq!(
        list,
        [("service-removed".into(), "service:default/cache".into())]
    );
}

/// The command line: `diff BASE HEAD` in each format; exit 1 on an error
/// change; usage errors.
#[test]
fn the_command_line() {
    let text = bookinfo();
    let head = edit(
        &text,
        "  selector:\n    app: ratings",
        "  selector:\n    app: rating",
    );
    let run = |format: &str| {
        let inv = parse_args(&[
            "diff".into(),
            "a/".into(),
            "b/".into(),
            "--format".into(),
            format.into(),
        ])
        .unwrap();
        execute_diff(
            &inv,
            (
                vec![Source::new("app.yaml", text.clone())],
                vec![Source::new("app.yaml", head.clone())],
            ),
            None,
            None,
        )
    };
    let json = run("json");
    assert_eq!(json.code, 1);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["changes"][1]["kind"], "service-unreachable");
    assert_eq!(v["changes"][1]["severity"], "error");
    assert_eq!(v["changes"][1]["file"], "app.yaml");
    assert!(v["changes"][1]["line"].as_u64().unwrap() > 1);
    assert_eq!(
        v["findings"]["introduced"][0]["code"],
        "selector-matches-nothing"
    );
    assert_eq!(v["findings"]["fixed"].as_array().unwrap().len(), 0);
    let md = run("md").stdout;
    assert!(md.starts_with("### ❌ Portolan: 1 breaking"), "{md}");
    assert!(md.contains("**`service:default/ratings`**"), "{md}");
    let gh = run("github").stdout;
    assert!(gh.contains("::error file=app.yaml,line="), "{gh}");
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif").stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["ruleId"],
        "service-unreachable"
    );
    assert!(
        run("human")
            .stdout
            .ends_with("1 breaking: 2 change(s), 1 finding(s) introduced, 0 fixed\n")
    );
    for bad in [
        &["diff", "only-one"][..],
        &["diff", "a", "b", "c"],
        &["diff", "--base-ref", "main", "a", "b"],
        &["check", "--base-ref", "main", "a"],
    ] {
        let args: Vec<String> = bad.iter().map(|s| (*s).to_owned()).collect();
        assert!(parse_args(&args).is_err(), "{bad:?}");
    }
}

/// The pair Online Boutique's cart service backs with `REDIS_ADDR`.
const CART_TO_REDIS: &str =
    "workload:default/Deployment/cartservice -> service:default/redis-cart:6379/TCP";

/// One change of `kind` on the cart → redis reference.
fn on_cart_to_redis(kind: &str) -> [(String, String); 1] {
    [(kind.to_owned(), CART_TO_REDIS.to_owned())]
}

fn boutique() -> String {
    std::fs::read_to_string(common::material().join("corpus/online-boutique.yaml")).unwrap()
}

/// A typo in an address breaks the reference (an error); fixing it is
/// reported as fixed; deleting the variable is no change (§6.4).
#[test]
fn client_references_broken_fixed_and_deleted() {
    let base = boutique();
    let typo = edit(
        &base,
        "value: \"redis-cart:6379\"",
        "value: \"redis-crat:6379\"",
    );
    let (d, list) = changes(&base, &typo);
    assert_eq!(list, on_cart_to_redis("reference-broken"));
    assert_eq!(d.changes[0].severity, Severity::Error);
    assert!(
        d.changes[0]
            .message
            .contains("redis-crat:6379, which names no Service"),
        "{}",
        d.changes[0].message
    );
    let (_, back) = changes(&typo, &base);
    assert_eq!(back, on_cart_to_redis("reference-fixed"));
    // The wrong port breaks it too.
    let (_, port) = changes(
        &base,
        &edit(
            &base,
            "value: \"redis-cart:6379\"",
            "value: \"redis-cart:6380\"",
        ),
    );
    assert_eq!(port[0].0, "reference-broken");
    // Deleting the variable, or renaming it, is not a broken reference.
    let deleted = edit(
        &base,
        "- name: REDIS_ADDR\n          value: \"redis-cart:6379\"\n",
        "",
    );
    let (_, none) = changes(&base, &deleted);
    assert!(
        none.iter().all(|(k, _)| !k.starts_with("reference")),
        "{none:?}"
    );
}

/// A NetworkPolicy that stops a caller the manifests name is `reach-denied`
/// on the pair the reference backs; removing it is `reach-allowed`.
#[test]
fn policies_on_referenced_pairs_are_reach_changes() {
    let base = boutique();
    let head = format!(
        "{base}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: redis-from-nobody\nspec:\n  podSelector:\n    matchLabels: {{app: redis-cart}}\n  policyTypes: [Ingress]\n"
    );
    let (d, list) = changes(&base, &head);
    assert_eq!(list, on_cart_to_redis("reach-denied"));
    assert_eq!(d.changes[0].severity, Severity::Error);
    assert!(
        d.changes[0]
            .message
            .contains("denied-ingress by default/redis-from-nobody"),
        "{}",
        d.changes[0].message
    );
    let (_, back) = changes(&head, &base);
    assert_eq!(back[0].0, "reach-allowed");
}
