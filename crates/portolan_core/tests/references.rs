//! Client references (interfaces.md §6.5) on the corpus's real
//! applications: how many each yields, that every one resolves to the
//! Service the application means, and that none is spurious.

mod common;

use portolan_core::analysis::{Analysis, analyze};
use portolan_core::profile::Profile;
use portolan_core::refs::Target;
use portolan_core::source::Source;

fn corpus(file: &str) -> Analysis {
    let text = std::fs::read_to_string(common::material().join("corpus").join(file)).unwrap();
    analyze(vec![Source::new(file, text)], &Profile::default()).unwrap()
}

fn analysis(text: &str) -> Analysis {
    analyze(
        vec![Source::new("app.yaml", text.to_owned())],
        &Profile::default(),
    )
    .unwrap()
}

/// `referrer source -> NS/NAME:PORT` for each reference that resolves to a
/// Service port, and the others with their target.
fn listed(a: &Analysis) -> Vec<String> {
    a.references
        .iter()
        .map(|r| match r.target {
            Target::Service { .. } => {
                format!("{} {} -> {}", r.referrer, r.source, r.subject(&a.cluster))
            }
            ref t => format!(
                "{} {} -> {}/{} {t:?}",
                r.referrer, r.source, r.namespace, r.name
            ),
        })
        .collect()
}

/// The counts the README states; every reference resolves (the one of
/// sock-shop names a namespace the file does not hold).
#[test]
fn the_corpus_applications_reference_the_services_they_call() {
    for (file, count, outside) in [
        ("online-boutique.yaml", 16, 0),
        ("bank-of-anthos.yaml", 12, 0),
        ("sock-shop-complete-demo.yaml", 2, 1),
        ("voting-app.yaml", 0, 0),
        ("opentelemetry-demo.yaml", 57, 0),
    ] {
        let a = corpus(file);
        let list = listed(&a);
        assert_eq!(a.references.len(), count, "{file}:\n{}", list.join("\n"));
        let unresolved: Vec<&String> = a
            .references
            .iter()
            .zip(&list)
            .filter(|(r, _)| !r.target.resolves() && r.target != Target::Outside)
            .map(|(_, l)| l)
            .collect();
        assert!(unresolved.is_empty(), "{file}: {unresolved:#?}");
        let out = a
            .references
            .iter()
            .filter(|r| r.target == Target::Outside)
            .count();
        assert_eq!(out, outside, "{file}");
        assert!(
            !a.diagnostics
                .iter()
                .any(|d| d.code.starts_with("reference-")),
            "{file}: no reference finding on a working application"
        );
    }
}

#[test]
fn online_boutique_frontend_calls_seven_services_at_their_ports() {
    let a = corpus("online-boutique.yaml");
    let frontend: Vec<String> = listed(&a)
        .into_iter()
        .filter(|l| l.starts_with("workload:default/Deployment/frontend "))
        .collect();
    assert_eq!(
        frontend,
        [
            "env:PRODUCT_CATALOG_SERVICE_ADDR -> service:default/productcatalogservice:3550/TCP",
            "env:CURRENCY_SERVICE_ADDR -> service:default/currencyservice:7000/TCP",
            "env:CART_SERVICE_ADDR -> service:default/cartservice:7070/TCP",
            "env:RECOMMENDATION_SERVICE_ADDR -> service:default/recommendationservice:8080/TCP",
            "env:SHIPPING_SERVICE_ADDR -> service:default/shippingservice:50051/TCP",
            "env:CHECKOUT_SERVICE_ADDR -> service:default/checkoutservice:5050/TCP",
            "env:AD_SERVICE_ADDR -> service:default/adservice:9555/TCP",
        ]
        .map(|s| format!("workload:default/Deployment/frontend {s}"))
    );
}

/// Bank of Anthos reads its addresses from ConfigMaps through `envFrom`;
/// the database's own URI in the shared ConfigMap is not a reference from
/// the database to itself.
#[test]
fn bank_of_anthos_references_come_from_its_config_maps() {
    let a = corpus("bank-of-anthos.yaml");
    let list = listed(&a);
    assert!(list.contains(&"workload:default/Deployment/frontend configmap:default/service-api-config:TRANSACTIONS_API_ADDR -> service:default/ledgerwriter:8080/TCP".to_owned()), "{list:#?}");
    assert!(list.contains(&"workload:default/Deployment/userservice configmap:default/accounts-db-config:ACCOUNTS_DB_URI -> service:default/accounts-db:5432/TCP".to_owned()), "{list:#?}");
    assert!(
        !list
            .iter()
            .any(|l| l.starts_with("workload:default/StatefulSet/accounts-db ")),
        "{list:#?}"
    );
    // The position is the ConfigMap's value, where a fix would be made.
    let r = a
        .references
        .iter()
        .find(|r| r.source.ends_with(":TRANSACTIONS_API_ADDR"))
        .unwrap();
    assert_eq!(a.objects[r.at_object].kind.value, "ConfigMap");
}

/// `$(VAR)` is expanded as the kubelet does (the OpenTelemetry demo builds
/// its OTLP endpoint from `$(OTEL_COLLECTOR_NAME)`), and a manifest without
/// a namespace takes the one namespace that has the Service (the demo's
/// Helm output writes `namespace` on some objects only).
#[test]
fn opentelemetry_demo_expands_variables_and_finds_the_collector() {
    let a = corpus("opentelemetry-demo.yaml");
    let r = a
        .references
        .iter()
        .find(|r| {
            r.referrer == "workload:default/Deployment/checkout"
                && r.source == "env:OTEL_EXPORTER_OTLP_ENDPOINT"
        })
        .unwrap();
    assert_eq!(r.text, "http://otel-collector:4317");
    assert_eq!(
        r.subject(&a.cluster),
        "service:otel-demo/otel-collector:4317/TCP"
    );
}

/// The forms of §6.5, and what is not a reference (the fixture
/// `tests/fixtures/lint/references.yaml` holds the findings).
#[test]
fn forms_and_non_references() {
    let a = analysis(
        r#"
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: app}
spec:
  containers:
  - name: c
    image: c
    command: ["/bin/client", "--upstream", "api"]
    args: ["--cache=redis.data.svc.cluster.local:6379", "brokers=kafka:9092", "kafka:9092,kafka:9093", "say hello to api:80"]
    env:
    - {name: API_HOST, value: api}
    - {name: APP_NAME, value: api}
    - {name: API_URL, value: "grpc://api:9000"}
    - {name: KUBE, value: "https://kubernetes.default.svc:443"}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: app}
spec: {selector: {app: api}, ports: [{port: 80}, {port: 9000}]}
---
apiVersion: v1
kind: Service
metadata: {name: redis, namespace: data}
spec: {selector: {app: redis}, ports: [{port: 6379}]}
---
apiVersion: v1
kind: Service
metadata: {name: kafka, namespace: app}
spec: {selector: {app: kafka}, ports: [{port: 9092}]}
"#,
    );
    assert_eq!(
        listed(&a),
        [
            "pod:app/client env:API_HOST -> service:app/api",
            "pod:app/client env:API_URL -> service:app/api:9000/TCP",
            "pod:app/client env:KUBE -> default/kubernetes ApiServer",
            "pod:app/client arg -> service:app/api",
            "pod:app/client arg -> service:data/redis:6379/TCP",
            "pod:app/client arg -> service:app/kafka:9092/TCP",
            "pod:app/client arg -> app/kafka MissingPort { service: 2 }",
        ]
    );
}
