//! The facade's test cases, shared by the Node and the browser test crates.

use wasm_bindgen_test::wasm_bindgen_test;

const BOOKINFO_LIKE: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: reviews
spec:
  selector:
    app: reviews
  ports:
  - name: http
    port: 9080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v1
spec:
  replicas: 2
  selector:
    matchLabels: {app: reviews}
  template:
    metadata:
      labels: {app: reviews}
    spec:
      containers:
      - name: reviews
        image: reviews:v1
        ports:
        - containerPort: 9080
";

#[wasm_bindgen_test]
fn check_reports_field_path_and_line() {
    let bad = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n  - port: 81\n";
    let json = portolan_wasm::check(vec!["web.yaml".into()], vec![bad.into()], None).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["version"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["field"], "spec.ports[0].name");
    assert_eq!(d["errorType"], "Required");
    assert_eq!(d["line"], 7);
}

#[wasm_bindgen_test]
fn graph_has_endpoints_for_each_replica() {
    let json =
        portolan_wasm::graph(vec!["a.yaml".into()], vec![BOOKINFO_LIKE.into()], None).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let svc = &v["services"][0];
    assert_eq!(svc["name"], "reviews");
    assert_eq!(svc["endpoints"].as_array().unwrap().len(), 2);
    assert_eq!(svc["endpoints"][0]["port"], 9080);
}

#[wasm_bindgen_test]
fn trace_splits_traffic_between_the_replicas() {
    let files = || (vec!["a.yaml".to_owned()], vec![BOOKINFO_LIKE.to_owned()]);
    let (n, t) = files();
    let json = portolan_wasm::trace(
        n,
        t,
        None,
        "node:node-1".into(),
        "reviews.default.svc.cluster.local:9080".into(),
        None,
        None,
        None,
        None,
        None,
        None,
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["verdict"], "delivered");
    assert_eq!(v["destinations"].as_array().unwrap().len(), 2);
    assert_eq!(v["destinations"][0]["probability"], 0.5);
    // Bad requests are errors with messages, not traps.
    let (n, t) = files();
    assert!(
        portolan_wasm::trace(
            n,
            t,
            None,
            "nowhere".into(),
            "x:1".into(),
            None,
            None,
            None,
            None,
            None,
            None
        )
        .is_err()
    );
    let (n, t) = files();
    assert!(
        portolan_wasm::trace(
            n,
            t,
            None,
            "node:node-1".into(),
            "x:1".into(),
            None,
            None,
            Some("ipvs".into()),
            None,
            None,
            None
        )
        .is_err()
    );
}

#[wasm_bindgen_test]
fn dns_answers_srv_for_named_ports() {
    let json = portolan_wasm::dns(
        vec!["a.yaml".into()],
        vec![BOOKINFO_LIKE.into()],
        None,
        "_http._tcp.reviews.default.svc.cluster.local".into(),
        Some("SRV".into()),
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["rcode"], "NOERROR");
    assert_eq!(v["answers"][0]["port"], 9080);
    assert!(portolan_wasm::dns(vec![], vec![], None, "x".into(), Some("MX".into())).is_err());
}

#[wasm_bindgen_test]
fn cli_matches_the_contract() {
    let out = portolan_wasm::run_cli(
        vec![
            "check".into(),
            "--format".into(),
            "json".into(),
            "a.yaml".into(),
        ],
        vec!["a.yaml".into()],
        BOOKINFO_LIKE.as_bytes().to_vec(),
        vec![BOOKINFO_LIKE.len() as u32],
        None,
        None,
        false,
        None,
    )
    .unwrap();
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.starts_with("{\n  \"version\": 1"));
    let usage = portolan_wasm::run_cli(
        vec!["bogus".into()],
        vec![],
        vec![],
        vec![],
        None,
        None,
        false,
        None,
    )
    .unwrap();
    assert_eq!(usage.code, 2);
}

#[wasm_bindgen_test]
fn a_file_that_is_not_utf8_is_read_with_findings_at_the_bad_bytes() {
    // Two files, the second with a Latin-1 byte: both are analysed, the bad
    // byte is an error at its line and column, and the exit code is 1.
    let good =
        b"apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports: [{port: 80}]\n"
            .to_vec();
    let bad = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  annotations: {owner: Jos\xe9}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: c}\nspec:\n  ports: [{port: 80}]\n".to_vec();
    let lengths = vec![good.len() as u32, bad.len() as u32];
    let out = portolan_wasm::run_cli(
        vec!["check".into(), "--format".into(), "json".into()],
        vec!["good.yaml".into(), "bad.yaml".into()],
        [good, bad].concat(),
        lengths,
        None,
        None,
        false,
        None,
    )
    .unwrap();
    assert_eq!(out.code, 1, "{}", out.stdout);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["summary"]["objects"], 3, "{}", out.stdout);
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "invalid-utf8")
        .expect("an invalid-utf8 finding");
    assert_eq!(d["file"], "bad.yaml");
    assert_eq!(d["line"], 5);
    assert_eq!(d["column"], 27);
}

#[wasm_bindgen_test]
fn a_bad_profile_is_an_error_not_a_trap() {
    let err = portolan_wasm::check(
        vec!["a.yaml".into()],
        vec![BOOKINFO_LIKE.into()],
        Some("{\"serviceCIDR\": \"nope\"}".into()),
    );
    assert!(err.is_err());
}

#[wasm_bindgen_test]
fn trace_routes_an_http_request_through_a_gateway() {
    let gateway = "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: edge}\nspec:\n  gatewayClassName: eg\n  listeners: [{name: http, protocol: HTTP, port: 80}]\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: reviews}\nspec:\n  parentRefs: [{name: edge}]\n  rules:\n  - matches: [{headers: [{name: x-user, value: jason}]}]\n    backendRefs: [{name: reviews, port: 9080}]\n";
    let json = portolan_wasm::trace(
        vec!["a.yaml".to_owned(), "gw.yaml".to_owned()],
        vec![BOOKINFO_LIKE.to_owned(), gateway.to_owned()],
        None,
        "external:203.0.113.9".into(),
        "http://bookinfo.example.com/reviews/1".into(),
        None,
        None,
        None,
        Some("GET".into()),
        Some(vec!["x-user: jason".to_owned()]),
        Some("gateway:default/edge".into()),
    )
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["verdict"], "delivered", "{json}");
    assert_eq!(v["route"]["kind"], "HTTPRoute");
    assert_eq!(v["backends"][0]["service"], "default/reviews");
    assert_eq!(v["destinations"].as_array().unwrap().len(), 2);
    // Without the header no rule matches: the controller's 404.
    let json = portolan_wasm::trace(
        vec!["a.yaml".to_owned(), "gw.yaml".to_owned()],
        vec![BOOKINFO_LIKE.to_owned(), gateway.to_owned()],
        None,
        "external:203.0.113.9".into(),
        "http://bookinfo.example.com/reviews/1".into(),
        None,
        None,
        None,
        None,
        None,
        None,
    )
    .unwrap();
    assert!(json.contains("\"verdict\":\"no-route\""), "{json}");
}
