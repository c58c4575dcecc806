//! Precision on real input (issue 11): the shapes of real manifests and
//! cluster dumps that must not draw false warnings, and the profile options
//! real clusters need.

use portolan_core::analysis::{Analysis, analyze};
use portolan_core::profile::Profile;
use portolan_core::source::Source;

fn analysis_with(text: &str, profile: &Profile) -> Analysis {
    analyze(vec![Source::new("t.yaml", text.to_owned())], profile).unwrap()
}

fn analysis(text: &str) -> Analysis {
    analysis_with(text, &Profile::default())
}

fn codes(a: &Analysis) -> Vec<&'static str> {
    a.diagnostics.iter().map(|d| d.code).collect()
}

const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: c\n        image: x\n        ports: [{name: http, containerPort: 8080}]\n";

#[test]
fn a_dual_stack_pod_network_gives_synthesized_pods_an_address_of_each_family() {
    let profile = Profile {
        pod_cidr: "fd00:10:244::/56, 10.244.0.0/16".to_owned(),
        service_cidr: "10.96.0.0/12,fd00:10:96::/112".to_owned(),
        ip_families: vec!["IPv4".to_owned(), "IPv6".to_owned()],
        ..Profile::default()
    };
    let a = analysis_with(DEPLOYMENT, &profile);
    let pod = &a.cluster.pods[0];
    // The primary family (the first of ipFamilies) first, as podIPs lists them.
    assert_eq!(pod.ips.len(), 2, "{:?}", pod.ips);
    assert!(pod.ips[0].starts_with("10.244."), "{:?}", pod.ips);
    assert!(pod.ips[1].starts_with("fd00:10:244::"), "{:?}", pod.ips);
    // The other pod gets the next addresses of both.
    assert_ne!(a.cluster.pods[1].ips, pod.ips);
}

#[test]
fn a_pod_cidr_must_be_one_cidr_or_one_of_each_family() {
    for (cidr, says) in [
        ("10.244.0.0/16,10.245.0.0/16", "two CIDRs of one family"),
        ("10.244.0.0/16,fd00::/56,10.1.0.0/16", "more than two"),
        ("10.244.0.0/33", "not a valid CIDR"),
    ] {
        let profile = Profile {
            pod_cidr: cidr.to_owned(),
            ..Profile::default()
        };
        let err = profile.resolve().unwrap_err();
        assert!(
            err.starts_with("podCIDR: ") && err.contains(says),
            "{cidr}: {err}"
        );
    }
}

#[test]
fn local_traffic_policy_on_a_load_balancer_is_the_documented_way_to_keep_client_ips() {
    // Two replicas, three nodes: the LoadBalancer health-checks
    // healthCheckNodePort and avoids the third node; a NodePort client does not.
    let text = format!(
        "{DEPLOYMENT}---\napiVersion: v1\nkind: Service\nmetadata: {{name: lb}}\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n  selector: {{app: web}}\n  ports: [{{port: 80, targetPort: http}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: np}}\nspec:\n  type: NodePort\n  externalTrafficPolicy: Local\n  selector: {{app: web}}\n  ports: [{{port: 80, targetPort: http}}]\n"
    );
    let a = analysis(&text);
    let drops: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == "local-traffic-policy-drops")
        .collect();
    assert_eq!(drops.len(), 1, "{:?}", codes(&a));
    assert!(
        drops[0].message.contains("default/np"),
        "{}",
        drops[0].message
    );
}

fn corpus(file: &str) -> Analysis {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus")
        .join(file);
    analysis(&std::fs::read_to_string(path).unwrap())
}

#[test]
fn kube_prometheus_services_route_to_the_pods_the_operator_makes() {
    // prometheus-operator runs prometheus-k8s-{0,1} and alertmanager-main-{0,1,2}
    // (pkg/prometheus/server/statefulset.go, pkg/alertmanager/statefulset.go),
    // labelled with spec.podMetadata.labels and the operator's selector labels.
    let a = corpus("kube-prometheus.yaml");
    let nothing: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == "selector-matches-nothing" || d.code == "named-target-port-missing")
        .map(|d| d.message.as_str())
        .collect();
    assert!(nothing.is_empty(), "{nothing:#?}");
    let svc = |name: &str| a.cluster.services.iter().find(|s| s.name == name).unwrap();
    let pods = |name: &str| {
        let mut p: Vec<_> = svc(name)
            .endpoints
            .iter()
            .filter_map(|e| e.pod.as_deref())
            .collect();
        p.sort_unstable();
        p.dedup();
        p
    };
    assert_eq!(
        pods("prometheus-k8s"),
        ["monitoring/prometheus-k8s-0", "monitoring/prometheus-k8s-1"]
    );
    assert_eq!(pods("alertmanager-main").len(), 3);
    // Both ports resolve on the operator's containers: web and reloader-web.
    let ports: Vec<_> = svc("prometheus-k8s")
        .endpoints
        .iter()
        .filter(|e| e.pod.as_deref() == Some("monitoring/prometheus-k8s-0"))
        .map(|e| e.port)
        .collect();
    assert_eq!(ports, [Some(9090), Some(8080)]);
}

#[test]
fn a_service_in_front_of_an_argo_rollout_selects_its_pods() {
    let text = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: checkout}\nspec:\n  replicas: 3\n  strategy: {canary: {steps: [{setWeight: 20}]}}\n  selector: {matchLabels: {app: checkout}}\n  template:\n    metadata: {labels: {app: checkout}}\n    spec:\n      containers:\n      - name: c\n        image: x\n        ports: [{name: http, containerPort: 8080}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: checkout}\nspec:\n  selector: {app: checkout}\n  ports: [{port: 80, targetPort: http}]\n";
    let a = analysis(text);
    assert!(codes(&a).is_empty(), "{:?}", a.diagnostics);
    let svc = &a.cluster.services[0];
    assert_eq!(svc.endpoints.len(), 3);
    assert!(
        a.cluster
            .pods
            .iter()
            .all(|p| p.owner.as_deref() == Some("Rollout/checkout"))
    );
    // The configuration can exclude a kind.
    let options = portolan_core::options::Options {
        excluded_kinds: vec!["Rollout".to_owned()],
        ..Default::default()
    };
    let a = portolan_core::analysis::analyze_with(
        vec![Source::new("t.yaml", text.to_owned())],
        &Profile::default(),
        &options,
    )
    .unwrap();
    assert!(a.cluster.services[0].endpoints.is_empty());
}

#[test]
fn hostile_replica_counts_are_bounded_by_the_snapshot_limit() {
    // Three Deployments of 5 replicas against a limit of 12 pods: the third
    // is cut short, and an info says how many pods were left out.
    let text = (0..3)
        .map(|i| {
            DEPLOYMENT
                .replace("name: web", &format!("name: web{i}"))
                .replace("replicas: 2", "replicas: 5")
        })
        .collect::<Vec<_>>()
        .join("---\n");
    let options = portolan_core::options::Options {
        limits: portolan_core::yaml::Limits {
            max_synthesized_pods: 12,
            ..Default::default()
        },
        ..Default::default()
    };
    let a = portolan_core::analysis::analyze_with(
        vec![Source::new("t.yaml", text)],
        &Profile::default(),
        &options,
    )
    .unwrap();
    assert_eq!(a.cluster.pods.len(), 12);
    let info: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == "snapshot-limit")
        .collect();
    assert_eq!(info.len(), 1, "{:?}", a.diagnostics);
    assert!(
        info[0].message.starts_with("3 pods "),
        "{}",
        info[0].message
    );
    assert_eq!(
        info[0].object.as_ref().map(|o| o.name.as_str()),
        Some("web2")
    );
}

#[test]
fn one_workload_beyond_its_own_cap_is_noted_too() {
    // 10,000 pods per workload, whatever the total budget: the rest of a
    // Deployment of 2^31-1 replicas is counted, not silently dropped.
    let text = DEPLOYMENT.replace("replicas: 2", "replicas: 2147483647");
    let a = analyze(vec![Source::new("t.yaml", text)], &Profile::default()).unwrap();
    assert_eq!(a.cluster.pods.len(), 10_000);
    let info: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == "snapshot-limit")
        .collect();
    assert_eq!(info.len(), 1, "{:?}", a.diagnostics);
    assert!(
        info[0].message.starts_with("2147473647 pods "),
        "{}",
        info[0].message
    );
}
