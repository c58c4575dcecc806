//! Packet simulation and cluster DNS, one test per rule of spec D it checks
//! (and the endpoint rules of spec C they rely on), on `tests/sim/cluster.yaml`.

mod common;

use portolan_core::analysis::{Analysis, analyze};
use portolan_core::dns::{self, Answer, QType};
use portolan_core::profile::{Profile, ProxyMode};
use portolan_core::sim::{From, Request, Trace, trace};
use portolan_core::source::Source;

fn cluster_with(edit: impl Fn(String) -> String) -> Analysis {
    let text = std::fs::read_to_string(common::repo().join("tests/sim/cluster.yaml")).unwrap();
    analyze(
        vec![Source::new("cluster.yaml", edit(text))],
        &Profile::default(),
    )
    .unwrap()
}

fn cluster() -> Analysis {
    cluster_with(|t| t)
}

fn run(a: &Analysis, from: &str, to: &str, mode: ProxyMode) -> Trace {
    let req = Request {
        from: From::parse(from).unwrap(),
        to: to.into(),
        protocol: portolan_core::types::Protocol::Tcp,
        at_node: None,
        proxy_mode: mode,
        method: None,
        headers: Vec::new(),
        via: None,
    };
    trace(a, &req).unwrap()
}

/// The completed Service named `name`.
fn service<'a>(a: &'a Analysis, name: &str) -> &'a portolan_core::snapshot::ClusterService {
    a.cluster
        .services
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no Service {name}"))
}

fn pods(t: &Trace) -> Vec<String> {
    let mut p: Vec<String> = t
        .destinations
        .iter()
        .filter_map(|d| d.pod.clone())
        .collect();
    p.sort();
    p
}

#[test]
fn d_3_1_and_d_2_4_cluster_ip_dnat_with_equal_probability_to_ready_endpoints() {
    let a = cluster();
    let t = run(&a, "pod:default/client", "web:80", ProxyMode::Iptables);
    assert_eq!(t.verdict, "delivered");
    // web-4 is not ready (C.2.4): never chosen (D.2.3).
    assert_eq!(
        pods(&t),
        ["default/web-1", "default/web-2", "default/web-3"]
    );
    assert!(
        t.destinations
            .iter()
            .all(|d| d.port == 8080 && (d.probability - 1.0 / 3.0).abs() < 1e-9)
    );
    assert!(!t.masquerade, "D.3.4: pod sources are not masqueraded");
}

#[test]
fn d_3_3_no_endpoints_rejects() {
    let t = run(
        &cluster(),
        "pod:default/client",
        "10.96.0.54:80",
        ProxyMode::Iptables,
    );
    assert_eq!(t.verdict, "reject");
}

#[test]
fn d_3_2_internal_traffic_policy_local_drops_without_local_endpoints() {
    let a = cluster();
    // The client is on n3 whose only web pod is not ready.
    assert_eq!(
        run(
            &a,
            "pod:default/client",
            "10.96.0.51:80",
            ProxyMode::Iptables
        )
        .verdict,
        "drop"
    );
    let t = run(&a, "node:n1", "10.96.0.51:80", ProxyMode::Iptables);
    assert_eq!(pods(&t), ["default/web-1", "default/web-2"]);
}

#[test]
fn d_3_5_unmatched_cluster_ip_traffic_differs_between_modes() {
    let a = cluster();
    assert_eq!(
        run(
            &a,
            "pod:default/client",
            "10.96.0.50:81",
            ProxyMode::Iptables
        )
        .verdict,
        "not-intercepted"
    );
    assert_eq!(
        run(
            &a,
            "pod:default/client",
            "10.96.0.50:81",
            ProxyMode::Nftables
        )
        .verdict,
        "reject"
    );
    assert_eq!(
        run(
            &a,
            "pod:default/client",
            "10.96.9.9:80",
            ProxyMode::Nftables
        )
        .verdict,
        "drop"
    );
    assert_eq!(
        run(
            &a,
            "pod:default/client",
            "10.96.9.9:80",
            ProxyMode::Iptables
        )
        .verdict,
        "not-intercepted"
    );
}

#[test]
fn d_3_4_node_sources_are_masqueraded() {
    assert!(run(&cluster(), "node:n2", "10.96.0.50:80", ProxyMode::Iptables).masquerade);
}

#[test]
fn d_4_3_external_traffic_policy_local_keeps_the_client_address_and_local_endpoints() {
    let a = cluster();
    let req = |node: &str| Request {
        from: From::parse("external:198.51.100.7").unwrap(),
        to: "203.0.113.10:80".into(),
        protocol: portolan_core::types::Protocol::Tcp,
        at_node: Some(node.into()),
        proxy_mode: ProxyMode::Iptables,
        method: None,
        headers: Vec::new(),
        via: None,
    };
    let t = trace(&a, &req("n1")).unwrap();
    assert_eq!(pods(&t), ["default/web-1", "default/web-2"]);
    assert!(!t.masquerade);
    // n3 has no ready local endpoint: dropped, not rejected (F.10).
    assert_eq!(trace(&a, &req("n3")).unwrap().verdict, "drop");
}

#[test]
fn d_4_6_load_balancer_source_ranges_drop_other_sources_including_pods() {
    let a = cluster();
    assert_eq!(
        run(
            &a,
            "external:192.0.2.1",
            "203.0.113.10:80",
            ProxyMode::Iptables
        )
        .verdict,
        "drop"
    );
    assert_eq!(
        run(
            &a,
            "pod:default/client",
            "203.0.113.10:80",
            ProxyMode::Iptables
        )
        .verdict,
        "drop"
    );
    // ... but the NodePort of the same Service bypasses them (F.9).
    assert_eq!(
        run(
            &a,
            "external:192.0.2.1",
            "192.168.0.1:30080",
            ProxyMode::Iptables
        )
        .verdict,
        "delivered"
    );
}

#[test]
fn d_4_4_in_cluster_sources_short_circuit_external_traffic_policy_local() {
    let a = cluster_with(|t| t.replace("  loadBalancerSourceRanges: [198.51.100.0/24]\n", ""));
    let t = run(
        &a,
        "pod:default/client",
        "203.0.113.10:80",
        ProxyMode::Iptables,
    );
    assert_eq!(
        pods(&t),
        ["default/web-1", "default/web-2", "default/web-3"]
    );
    assert!(!t.masquerade);
}

#[test]
fn d_4_2_and_d_5_1_node_port_cluster_policy_snat_and_client_ip_affinity() {
    let t = run(
        &cluster(),
        "external:198.51.100.7",
        "192.168.0.3:30081",
        ProxyMode::Iptables,
    );
    assert_eq!(t.verdict, "delivered");
    assert_eq!(t.destinations.len(), 3);
    assert!(t.masquerade);
    assert!(t.sticky);
}

#[test]
fn d_4_1_node_port_addresses_iptables_any_local_nftables_primary_only() {
    let a = cluster();
    assert_eq!(
        run(&a, "node:n1", "127.0.0.1:30081", ProxyMode::Iptables).verdict,
        "delivered"
    );
    assert_eq!(
        run(&a, "node:n1", "127.0.0.1:30081", ProxyMode::Nftables).verdict,
        "not-intercepted"
    );
    assert_eq!(
        run(&a, "node:n1", "192.168.0.1:30081", ProxyMode::Nftables).verdict,
        "delivered"
    );
}

#[test]
fn d_6_1_external_name_is_a_cname_not_intercepted() {
    let t = run(
        &cluster(),
        "pod:default/client",
        "db:5432",
        ProxyMode::Iptables,
    );
    assert_eq!(t.verdict, "cname");
    assert_eq!(t.cname.as_deref(), Some("db.example.com"));
}

#[test]
fn d_1_1_headless_services_get_no_translation() {
    let t = run(
        &cluster(),
        "pod:default/client",
        "web-hs:9999",
        ProxyMode::Iptables,
    );
    assert_eq!(t.verdict, "delivered");
    assert_eq!(
        pods(&t),
        ["default/web-1", "default/web-2", "default/web-3"]
    );
    assert!(
        t.destinations.iter().all(|d| d.port == 9999),
        "F.13: the client's port is kept"
    );
}

#[test]
fn d_2_1_terminating_serving_endpoints_are_the_fallback() {
    // All ready web pods are terminating but still serving.
    let a = cluster_with(|t| {
        t.replace("metadata: {name: web-1, namespace: default, labels: {app: web}}", "metadata: {name: web-1, namespace: default, labels: {app: web}, deletionTimestamp: \"2026-01-01T00:00:00Z\"}")
        .replace("metadata: {name: web-2, namespace: default, labels: {app: web}}", "metadata: {name: web-2, namespace: default, labels: {app: web}, deletionTimestamp: \"2026-01-01T00:00:00Z\"}")
        .replace("metadata: {name: web-3, namespace: default, labels: {app: web}}", "metadata: {name: web-3, namespace: default, labels: {app: web}, deletionTimestamp: \"2026-01-01T00:00:00Z\"}")
    });
    let t = run(&a, "pod:default/client", "web:80", ProxyMode::Iptables);
    assert_eq!(t.verdict, "delivered");
    assert_eq!(
        pods(&t),
        ["default/web-1", "default/web-2", "default/web-3"]
    );
    assert!(t.hops.iter().any(|h| h.detail.contains("terminating")));
}

#[test]
fn d_7_1_prefer_close_keeps_traffic_in_the_zone_when_hinted() {
    // web-4 on n3 (zone-b) made ready: zone-b has one endpoint, zone-a three.
    let ready4 = |t: String| {
        let i = t.find("name: web-4").unwrap();
        let j = i + t[i..].find("status: \"False\"").unwrap();
        format!(
            "{}status: \"True\"{}",
            &t[..j],
            &t[j + "status: \"False\"".len()..]
        )
    };
    let a = cluster_with(ready4);
    let t = run(&a, "node:n3", "10.96.0.55:80", ProxyMode::Iptables);
    assert_eq!(pods(&t), ["default/web-4"]);
    let t = run(&a, "node:n2", "10.96.0.55:80", ProxyMode::Iptables);
    assert_eq!(
        pods(&t),
        ["default/web-1", "default/web-2", "default/web-3"]
    );
    // Without trafficDistribution every ready endpoint is used.
    assert_eq!(
        run(&a, "node:n3", "10.96.0.50:80", ProxyMode::Iptables)
            .destinations
            .len(),
        4
    );
    // n3's only endpoint not ready: no hint for zone-b, all endpoints are used.
    let t = run(&cluster(), "node:n3", "10.96.0.55:80", ProxyMode::Iptables);
    assert_eq!(t.destinations.len(), 3);
}

#[test]
fn c_2_3_pods_on_unknown_nodes_are_skipped() {
    let a = cluster_with(|t| t.replacen("  nodeName: n1\n", "  nodeName: gone\n", 2));
    let svc = service(&a, "web");
    let names: Vec<String> = svc
        .endpoints
        .iter()
        .filter_map(|e| e.pod.as_deref().map(str::to_owned))
        .collect();
    assert!(!names.contains(&"default/web-1".to_owned()));
}

fn ask(a: &Analysis, name: &str, q: QType) -> dns::DnsAnswer {
    dns::resolve(&a.cluster, "cluster.local", "default", name, q)
}

#[test]
fn d_8_1_cluster_ip_a_and_srv_records() {
    let a = cluster();
    assert_eq!(
        ask(&a, "web", QType::A).answers,
        [Answer::Text("10.96.0.50".into())]
    );
    let srv = ask(&a, "_http._tcp.web.default.svc.cluster.local", QType::Srv);
    assert_eq!(
        srv.answers,
        [Answer::Srv {
            port: 80,
            target: "web.default.svc.cluster.local".into()
        }]
    );
    // Unnamed ports have no SRV record.
    assert_eq!(
        ask(&a, "_http._tcp.empty.default.svc.cluster.local", QType::Srv).rcode,
        "NXDOMAIN"
    );
    assert_eq!(
        ask(&a, "50.0.96.10.in-addr.arpa", QType::Ptr).answers,
        [Answer::Text("web.default.svc.cluster.local".into())]
    );
}

#[test]
fn d_8_2_headless_records_list_ready_endpoints() {
    let a = cluster();
    let r = ask(&a, "web-hs.default", QType::A);
    assert_eq!(r.answers.len(), 3, "{r:?}");
    assert_eq!(
        ask(&a, "nope.default.svc.cluster.local", QType::A).rcode,
        "NXDOMAIN"
    );
}

#[test]
fn d_8_3_external_name_answers_a_cname() {
    assert_eq!(
        ask(&cluster(), "db", QType::A).answers,
        [Answer::Text("db.example.com".into())]
    );
}

fn with_what_if(text: &str, what_if: portolan_core::snapshot::WhatIf) -> Analysis {
    let options = portolan_core::options::Options {
        what_if,
        ..Default::default()
    };
    portolan_core::analysis::analyze_with(
        vec![Source::new("w.yaml", text.to_owned())],
        &Profile::default(),
        &options,
    )
    .unwrap()
}

const DEPLOYMENT: &str = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n";

#[test]
fn what_if_a_deleted_pod_is_replaced_and_the_service_stays_put() {
    let before = with_what_if(DEPLOYMENT, portolan_core::snapshot::WhatIf::default());
    let victim = before.cluster.pods[0].key();
    let mut w = portolan_core::snapshot::WhatIf::default();
    w.deleted_pods.insert(victim.clone());
    let after = with_what_if(DEPLOYMENT, w);
    let svc = |a: &Analysis| a.cluster.services[0].clone();
    assert_eq!(
        svc(&before).cluster_ips,
        svc(&after).cluster_ips,
        "the Service's address does not change"
    );
    let pods: Vec<String> = svc(&after)
        .endpoints
        .iter()
        .filter_map(|e| e.pod.as_deref().map(str::to_owned))
        .collect();
    assert_eq!(pods.len(), 2, "the ReplicaSet replaced the pod");
    assert!(!pods.contains(&victim));
}

#[test]
fn what_if_unready_scaled_and_node_loss() {
    let mut w = portolan_core::snapshot::WhatIf::default();
    w.replicas.insert("default/Deployment/web".into(), 5);
    let a = with_what_if(DEPLOYMENT, w.clone());
    assert_eq!(a.cluster.services[0].endpoints.len(), 5);
    let first = a.cluster.pods[0].key();
    w.unready_pods.insert(first.clone());
    let a = with_what_if(DEPLOYMENT, w.clone());
    let e = a.cluster.services[0]
        .endpoints
        .iter()
        .find(|e| e.pod.as_deref() == Some(first.as_str()))
        .unwrap();
    assert!(!e.ready && !e.serving);
    w.deleted_nodes.insert("node-1".into());
    let a = with_what_if(DEPLOYMENT, w);
    assert_eq!(a.cluster.nodes.len(), 2);
    assert!(
        a.cluster
            .pods
            .iter()
            .all(|p| p.node.as_deref() != Some("node-1")),
        "pods were rescheduled"
    );
    assert_eq!(a.cluster.pods.len(), 5);
}

/// The cluster with allocatable CPU on every node (n1, n2 in zone-a, n3 in
/// zone-b, two cores each) and a Service with `topology-mode: Auto`.
fn auto_cluster(cpu: bool) -> Analysis {
    cluster_with(|t| {
        let mut t = t;
        if cpu {
            t = t.replace(
                "status:\n  addresses: [{type: InternalIP",
                "status:\n  allocatable: {cpu: \"2\"}\n  addresses: [{type: InternalIP",
            );
        }
        t + "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-auto\n  annotations: {service.kubernetes.io/topology-mode: Auto}\nspec:\n  clusterIP: 10.96.0.56\n  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: 8080}]\n"
    })
}

#[test]
fn d_7_3_topology_mode_auto_allocates_endpoints_in_proportion_to_cpu() {
    // topologycache.go: zone-a holds 4 of 6 cores, zone-b 2. Three ready
    // endpoints, all in zone-a (web-1, web-2 on n1, web-3 on n2): desired
    // 2 and 1, minimum ceil(desired / 1.2) = 2 and 1, so zone-a gives one
    // endpoint to zone-b.
    let a = auto_cluster(true);
    let svc = service(&a, "web-auto");
    let hinted: Vec<(String, Vec<String>)> = svc
        .endpoints
        .iter()
        .filter(|e| e.ready)
        .map(|e| {
            (
                e.pod.as_deref().unwrap().to_owned(),
                e.hints.clone().unwrap().for_zones,
            )
        })
        .collect();
    assert_eq!(
        hinted,
        [
            ("default/web-1".to_owned(), vec!["zone-b".to_owned()]),
            ("default/web-2".to_owned(), vec!["zone-a".to_owned()]),
            ("default/web-3".to_owned(), vec!["zone-a".to_owned()]),
        ]
    );
    // kube-proxy in zone-b uses the endpoint hinted for zone-b only.
    let t = run(&a, "node:n3", "10.96.0.56:80", ProxyMode::Iptables);
    assert_eq!(pods(&t), ["default/web-1"]);
    assert!(
        t.hops
            .iter()
            .any(|h| h.detail.contains("topology-mode Auto"))
    );
    let t = run(&a, "node:n2", "10.96.0.56:80", ProxyMode::Iptables);
    assert_eq!(pods(&t), ["default/web-2", "default/web-3"]);
}

#[test]
fn d_7_3_topology_mode_auto_publishes_no_hints_without_node_cpu() {
    let a = auto_cluster(false);
    let svc = service(&a, "web-auto");
    assert!(svc.endpoints.iter().all(|e| e.hints.is_none()));
    let t = run(&a, "node:n3", "10.96.0.56:80", ProxyMode::Iptables);
    assert_eq!(t.destinations.len(), 3);
    assert!(
        t.hops
            .iter()
            .any(|h| h.detail.contains("no hints are published")
                && h.detail.contains("allocatable CPU")),
        "{:?}",
        t.hops
    );
}

#[test]
fn d_4_8_health_check_node_port_is_answered_by_kube_proxy() {
    // web-lb is a LoadBalancer with externalTrafficPolicy Local and no
    // healthCheckNodePort: the registry allocates one (the first free port).
    let a = cluster();
    let svc = service(&a, "web-lb");
    let hc = svc.health_check_node_port.expect("allocated");
    assert!((30000..=32767).contains(&hc));
    // n1 runs two ready endpoints: 200; n3 none ready: 503.
    let t = run(
        &a,
        "external:198.51.100.7",
        &format!("192.168.0.1:{hc}"),
        ProxyMode::Iptables,
    );
    assert_eq!(t.verdict, "delivered");
    assert_eq!(t.destinations.len(), 1);
    assert_eq!(t.destinations[0].pod, None);
    assert!(t.hops.iter().any(|h| h.step == "health-check"
        && h.detail.starts_with("HTTP 200")
        && h.detail.contains("\"localEndpoints\": 2")));
    let t = run(
        &a,
        "external:198.51.100.7",
        &format!("192.168.0.3:{hc}"),
        ProxyMode::Iptables,
    );
    assert!(
        t.hops
            .iter()
            .any(|h| h.step == "health-check" && h.detail.starts_with("HTTP 503"))
    );
}

fn run_proto(a: &Analysis, from: &str, to: &str, protocol: &str, at_node: Option<&str>) -> Trace {
    trace(
        a,
        &Request {
            from: From::parse(from).unwrap(),
            to: to.into(),
            protocol: portolan_core::types::Protocol::parse(protocol).expect("a protocol"),
            at_node: at_node.map(str::to_owned),
            proxy_mode: ProxyMode::Iptables,
            method: None,
            headers: Vec::new(),
            via: None,
        },
    )
    .unwrap()
}

#[test]
fn d_1_2_rules_are_per_service_port_and_protocol_and_proxy_mode_vips_are_skipped() {
    let a = cluster_with(|t| {
        t + "---\napiVersion: v1\nkind: Service\nmetadata: {name: dns, namespace: default}\nspec:\n  clusterIP: 10.96.0.60\n  selector: {app: web}\n  ports:\n  - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 8053}\n  - {name: dns-udp, port: 53, protocol: UDP, targetPort: 5353}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web-proxied, namespace: default}\nspec:\n  type: LoadBalancer\n  clusterIP: 10.96.0.61\n  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: 8080, nodePort: 30090}]\nstatus:\n  loadBalancer: {ingress: [{ip: 203.0.113.30, ipMode: Proxy}]}\n"
    });
    let udp = run_proto(&a, "pod:default/client", "10.96.0.60:53", "UDP", None);
    assert!(udp.destinations.iter().all(|d| d.port == 5353), "{udp:?}");
    let tcp = run_proto(&a, "pod:default/client", "10.96.0.60:53", "TCP", None);
    assert!(tcp.destinations.iter().all(|d| d.port == 8053));
    // SCTP has no rule: under iptables the ClusterIP does not answer it.
    assert_ne!(
        run_proto(&a, "pod:default/client", "10.96.0.60:53", "SCTP", None).verdict,
        "delivered"
    );
    // An ingress IP in Proxy mode gets no kube-proxy rule: the load
    // balancer proxies to the nodes itself.
    let t = run_proto(
        &a,
        "external:198.51.100.7",
        "203.0.113.30:80",
        "TCP",
        Some("n1"),
    );
    assert_eq!(t.verdict, "not-intercepted", "{:?}", t.hops);
}

#[test]
fn d_2_2_local_policy_falls_back_to_local_serving_terminating_endpoints() {
    // web-3 (the only pod on n2) is terminating but still serving.
    let a = cluster_with(|t| {
        t.replace(
            "metadata: {name: web-3, namespace: default, labels: {app: web}}",
            "metadata: {name: web-3, namespace: default, labels: {app: web}, deletionTimestamp: \"2026-01-01T00:00:00Z\"}",
        )
    });
    let svc = service(&a, "web-local");
    let e = svc
        .endpoints
        .iter()
        .find(|e| e.pod.as_deref() == Some("default/web-3"))
        .unwrap();
    assert!(!e.ready && e.serving && e.terminating);
    let t = run(&a, "node:n2", "10.96.0.51:80", ProxyMode::Iptables);
    assert_eq!(pods(&t), ["default/web-3"], "{:?}", t.hops);
}

#[test]
fn d_4_5_itp_is_for_cluster_ips_and_etp_for_external_traffic() {
    // web-np is a NodePort with ITP Local: NodePort traffic ignores it.
    let a = cluster_with(|t| {
        t.replace(
            "  sessionAffinity: ClientIP\n",
            "  sessionAffinity: ClientIP\n  internalTrafficPolicy: Local\n",
        )
    });
    let t = run(
        &a,
        "external:198.51.100.7",
        "192.168.0.3:30081",
        ProxyMode::Iptables,
    );
    assert_eq!(
        t.destinations.len(),
        3,
        "all ready endpoints, not n3's none"
    );
    // web-lb has ETP Local: its ClusterIP ignores it.
    let t = run(&cluster(), "node:n3", "10.96.0.52:80", ProxyMode::Iptables);
    assert_eq!(t.verdict, "delivered");
    assert_eq!(t.destinations.len(), 3);
}

#[test]
fn d_4_7_external_ips_are_captured_on_every_node_as_external_traffic() {
    let a = cluster_with(|t| {
        t + "---\napiVersion: v1\nkind: Service\nmetadata: {name: web-xip, namespace: default}\nspec:\n  clusterIP: 10.96.0.62\n  externalIPs: [198.51.100.200]\n  externalTrafficPolicy: Local\n  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: 8080}]\n"
    });
    // Any node captures it; ETP Local keeps it on that node's endpoints.
    let on_n1 = run_proto(
        &a,
        "external:203.0.113.99",
        "198.51.100.200:80",
        "TCP",
        Some("n1"),
    );
    assert_eq!(pods(&on_n1), ["default/web-1", "default/web-2"]);
    assert!(!on_n1.masquerade);
    let on_n3 = run_proto(
        &a,
        "external:203.0.113.99",
        "198.51.100.200:80",
        "TCP",
        Some("n3"),
    );
    assert_eq!(on_n3.verdict, "drop");
}

#[test]
fn d_7_2_prefer_same_node_keeps_traffic_on_the_node_when_hinted() {
    let a = cluster_with(|t| {
        t.replace(
            "  trafficDistribution: PreferClose\n",
            "  trafficDistribution: PreferSameNode\n",
        )
    });
    let svc = service(&a, "web-close");
    assert!(svc.endpoints.iter().filter(|e| e.ready).all(|e| {
        e.hints
            .as_ref()
            .is_some_and(|h| h.for_nodes.len() == 1 && h.for_zones.len() == 1)
    }));
    // n2 runs web-3: node hints win.
    let t = run(&a, "node:n2", "10.96.0.55:80", ProxyMode::Iptables);
    assert_eq!(pods(&t), ["default/web-3"]);
    // n3 runs no ready endpoint: falls back to zone hints (zone-b has
    // none ready either), then to every endpoint.
    let t = run(&a, "node:n3", "10.96.0.55:80", ProxyMode::Iptables);
    assert_eq!(t.destinations.len(), 3, "{:?}", t.hops);
}

#[test]
fn d_8_4_deprecated_pod_records() {
    let a = cluster();
    let answer = ask(&a, "10-244-1-11.default.pod.cluster.local", QType::A);
    assert_eq!(answer.rcode, "NOERROR");
    assert_eq!(answer.answers, [Answer::Text("10.244.1.11".into())]);
}

fn live(file: &str) -> Analysis {
    let path = common::material().join("corpus/live").join(file);
    let text = std::fs::read_to_string(path).unwrap();
    analyze(vec![Source::new(file, text)], &Profile::default()).unwrap()
}

#[test]
fn live_minikube_dump_node_port_and_cluster_dns() {
    let a = live("np-guard-minikube-services-live.yaml");
    // D.4.1 + D.4.2: the ingress controller's NodePort on the node's address
    // reaches the controller pod at its live IP, on the named target port.
    let t = run_proto(&a, "external:198.51.100.7", "172.18.0.2:30308", "TCP", None);
    assert_eq!(t.verdict, "delivered", "{:?}", t.hops);
    assert_eq!(t.destinations.len(), 1);
    assert_eq!(t.destinations[0].ip, "172.17.0.3");
    assert_eq!(t.destinations[0].port, 80);
    assert!(t.masquerade);
    // D.3.1 + D.8.1: a pod asks kube-dns over UDP 53.
    let t = run_proto(
        &a,
        "pod:default/demo-764c97f6fd-452fq",
        "kube-dns.kube-system:53",
        "UDP",
        None,
    );
    assert_eq!(t.verdict, "delivered");
    assert_eq!(
        t.destinations
            .iter()
            .map(|d| (d.pod.clone().unwrap(), d.port))
            .collect::<Vec<_>>(),
        [("kube-system/coredns-64897985d-ms7j4".to_owned(), 53)]
    );
}

#[test]
fn live_gke_dump_cluster_ip_splits_between_live_pods() {
    let a = live("kalc-gke-cluster-dump.yaml");
    let t = run_proto(
        &a,
        "pod:default/redis-master-57fc67768d-hl44k",
        "redis-slave:6379",
        "TCP",
        None,
    );
    assert_eq!(t.verdict, "delivered");
    let mut ips: Vec<(String, f64)> = t
        .destinations
        .iter()
        .map(|d| (d.ip.clone(), d.probability))
        .collect();
    ips.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        ips,
        [
            ("10.8.2.106".to_owned(), 0.5),
            ("10.8.4.150".to_owned(), 0.5)
        ]
    );
}
