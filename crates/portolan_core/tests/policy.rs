//! NetworkPolicy on traced packets (spec `network-policy.md` E.2–E.6,
//! interfaces.md §6.1). Each test names the rules it checks.

use portolan_core::analysis::{Analysis, analyze};
use portolan_core::profile::{Profile, ProxyMode};
use portolan_core::sim::{From, Request, Trace, trace};
use portolan_core::source::Source;
use portolan_core::types::Protocol;

/// Two namespaces; `web` (2 pods, port `http` 8080) behind Service `web`
/// (80 → http) and NodePort Service `web-np` (30080, ETP Cluster) and
/// `web-local` (30081, ETP Local); `api` (1 pod) in `shop`; `client` in
/// `other`.
const CLUSTER: &str = "\
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop}}
---
apiVersion: v1
kind: Namespace
metadata: {name: other}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        ports: [{name: http, containerPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: api}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: other}
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: client, image: client}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: web-np, namespace: shop}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: http, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: web-local, namespace: shop}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{port: 80, targetPort: http, nodePort: 30081}]
";

fn cluster(policies: &str) -> Analysis {
    let text = format!("{CLUSTER}---\n{policies}");
    let a = analyze(vec![Source::new("c.yaml", text)], &Profile::default()).unwrap();
    let errors: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.severity == portolan_core::diag::Severity::Error)
        .filter(|d| !d.code.starts_with("network-policy"))
        .map(|d| d.message.clone())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    a
}

fn pod(a: &Analysis, prefix: &str) -> String {
    a.cluster
        .pods
        .iter()
        .find(|p| p.key().starts_with(prefix))
        .unwrap_or_else(|| panic!("no pod {prefix}"))
        .key()
}

fn pod_ip(a: &Analysis, key: &str) -> String {
    a.cluster.pods.iter().find(|p| p.key() == key).unwrap().ips[0].clone()
}

fn node_of(a: &Analysis, key: &str) -> String {
    a.cluster
        .pods
        .iter()
        .find(|p| p.key() == key)
        .and_then(|p| p.node.as_deref().map(str::to_owned))
        .unwrap()
}

fn run(a: &Analysis, from: &str, to: &str) -> Trace {
    run_at(a, from, to, None)
}

fn run_at(a: &Analysis, from: &str, to: &str, at_node: Option<&str>) -> Trace {
    trace(
        a,
        &Request {
            from: From::parse(from).unwrap(),
            to: to.into(),
            protocol: Protocol::Tcp,
            at_node: at_node.map(str::to_owned),
            proxy_mode: ProxyMode::Iptables,
            method: None,
            headers: Vec::new(),
            via: None,
        },
    )
    .unwrap()
}

fn policies_of(t: &Trace) -> Vec<Vec<(String, String, String)>> {
    t.destinations
        .iter()
        .map(|d| {
            d.policies
                .iter()
                .flatten()
                .map(|p| {
                    (
                        p.name.to_string(),
                        p.direction.to_string(),
                        p.effect.to_string(),
                    )
                })
                .collect()
        })
        .collect()
}

fn verdicts(t: &Trace) -> Vec<&str> {
    t.destinations
        .iter()
        .map(|d| d.policy.map_or("-", portolan_core::netpol::Verdict::as_str))
        .collect()
}

fn steps(t: &Trace) -> Vec<&str> {
    t.hops.iter().map(|h| h.step.as_str()).collect()
}

const DENY_INGRESS: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec: {}
";

#[test]
fn without_policies_traces_carry_no_policy_fields() {
    // E.6.1: no NetworkPolicy in the input, none of the 6.1 fields.
    let a = analyze(vec![Source::new("c.yaml", CLUSTER)], &Profile::default()).unwrap();
    let api = pod(&a, "shop/api-");
    let t = run(&a, &format!("pod:{api}"), "web.shop:80");
    assert_eq!(t.verdict, "delivered");
    assert!(t.delivered_probability.is_none() && t.dns.is_none());
    assert!(
        t.destinations
            .iter()
            .all(|d| d.policy.is_none() && d.policies.is_none())
    );
    let json = serde_json::to_string(&t).unwrap();
    assert!(
        !json.contains("policy") && !json.contains("deliveredProbability"),
        "{json}"
    );
}

#[test]
fn spec_empty_denies_all_ingress_in_the_namespace() {
    // E.2.2, E.2.3: `spec: {}` is [Ingress] over every pod; E.3.5: no rule
    // admits; E.6.2 step 5: the isolating policy; E.6.3: verdict denied.
    let a = cluster(DENY_INGRESS);
    let api = pod(&a, "shop/api-");
    let t = run(&a, &format!("pod:{api}"), "web.shop:80");
    assert_eq!(t.verdict, "denied");
    assert_eq!(verdicts(&t), ["denied-ingress", "denied-ingress"]);
    assert_eq!(t.delivered_probability, Some(0.0));
    for p in policies_of(&t) {
        assert_eq!(p, [("deny-all".into(), "ingress".into(), "isolate".into())]);
    }
    assert!(steps(&t).contains(&"policy-ingress"), "{:?}", t.hops);
    // The DNAT share is kept (§6.1).
    assert!(
        t.destinations
            .iter()
            .all(|d| (d.probability - 0.5).abs() < 1e-9)
    );
}

const ALLOW_API_ON: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: api}}}]
    ports: [{port: PORT}]
";

#[test]
fn rules_match_the_container_port_after_dnat_not_the_service_port() {
    // E.4.7, E.9.4: the Service listens on 80, the pods on 8080; a rule on
    // 80 admits nothing, a rule on 8080 (or the named port) admits.
    let api_trace = |port: &str| {
        let a = cluster(&ALLOW_API_ON.replace("PORT", port));
        let api = pod(&a, "shop/api-");
        run(&a, &format!("pod:{api}"), "web.shop:80")
    };
    let on_service_port = api_trace("80");
    assert_eq!(on_service_port.verdict, "denied");
    let on_target_port = api_trace("8080");
    assert_eq!(on_target_port.verdict, "delivered");
    assert_eq!(verdicts(&on_target_port), ["allowed", "allowed"]);
    assert_eq!(on_target_port.delivered_probability, Some(1.0));
    assert_eq!(
        policies_of(&on_target_port)[0],
        [("web-from-api".into(), "ingress".into(), "allow".into())]
    );
    // E.4.6: a named port resolves on the destination pod.
    assert_eq!(api_trace("http").verdict, "delivered");
    assert_eq!(api_trace("metrics").verdict, "denied");
}

#[test]
fn a_pod_selector_peer_is_the_policy_namespace_and_both_selectors_are_anded() {
    // E.4.3: podSelector alone selects pods of the policy's namespace; the
    // client in `other` has the same labels and is not admitted.
    let a = cluster(&ALLOW_API_ON.replace("PORT", "8080"));
    let client = pod(&a, "other/client-");
    assert_eq!(
        run(&a, &format!("pod:{client}"), "web.shop:80").verdict,
        "denied"
    );
    // E.4.3 + E.4.4: namespaceSelector AND podSelector in one peer, the
    // namespace chosen by its automatic name label (E.2.5).
    let both = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-other, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: other}}
      podSelector: {matchLabels: {app: api}}
";
    let a = cluster(both);
    let client = pod(&a, "other/client-");
    let api = pod(&a, "shop/api-");
    assert_eq!(
        run(&a, &format!("pod:{client}"), "web.shop:80").verdict,
        "delivered"
    );
    assert_eq!(
        run(&a, &format!("pod:{api}"), "web.shop:80").verdict,
        "denied"
    );
    // A namespace label from the Namespace object (team: shop).
    let by_label = both.replace("kubernetes.io/metadata.name: other", "team: shop");
    let a = cluster(&by_label);
    let client = pod(&a, "other/client-");
    let api = pod(&a, "shop/api-");
    assert_eq!(
        run(&a, &format!("pod:{client}"), "web.shop:80").verdict,
        "denied"
    );
    assert_eq!(
        run(&a, &format!("pod:{api}"), "web.shop:80").verdict,
        "delivered"
    );
}

const DENY_EGRESS: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-no-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
";

#[test]
fn default_deny_egress_breaks_the_dns_lookup() {
    // E.5.10, E.6.5: by name, the lookup to cluster DNS (synthesized per
    // kubeadm here) is denied first: verdict denied, probability 0.
    let a = cluster(DENY_EGRESS);
    let api = pod(&a, "shop/api-");
    let t = run(&a, &format!("pod:{api}"), "web.shop:80");
    assert_eq!(t.verdict, "denied");
    assert_eq!(t.delivered_probability, Some(0.0));
    let dns = t.dns.as_ref().expect("the lookup is reported");
    assert_eq!(
        (dns.service.as_str(), dns.protocol, dns.port),
        ("kube-system/kube-dns", "UDP", 53)
    );
    assert_eq!(dns.destinations.len(), 2);
    assert!(
        dns.destinations
            .iter()
            .all(|d| d.policy.map(portolan_core::netpol::Verdict::as_str) == Some("denied-egress"))
    );
    // The data destinations still carry their own verdict.
    assert_eq!(verdicts(&t), ["denied-egress", "denied-egress"]);
    // By address there is no lookup (E.6.5: `--to IP` skips it).
    let ip = &a
        .cluster
        .services
        .iter()
        .find(|s| s.name == "web")
        .unwrap()
        .cluster_ips[0];
    let t = run(&a, &format!("pod:{api}"), &format!("{ip}:80"));
    assert!(t.dns.is_none());
    assert_eq!(t.verdict, "denied");
}

#[test]
fn allowing_dns_and_the_endpoint_port_lets_the_packet_through() {
    // E.9.10: the fix allows UDP 53 to kube-system pods k8s-app=kube-dns;
    // E.5.2: egress sees the endpoint pod and its container port.
    let policy = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]
  - to: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 8080}]
";
    let a = cluster(policy);
    let api = pod(&a, "shop/api-");
    let t = run(&a, &format!("pod:{api}"), "web.shop:80");
    assert_eq!(t.verdict, "delivered", "{:#?}", t.hops);
    assert_eq!(t.delivered_probability, Some(1.0));
    let dns = t.dns.as_ref().unwrap();
    assert!(
        dns.destinations
            .iter()
            .all(|d| d.policy.map(portolan_core::netpol::Verdict::as_str) == Some("allowed"))
    );
    assert_eq!(
        policies_of(&t)[0],
        [("api-egress".into(), "egress".into(), "allow".into())]
    );
    // The Service port is not what egress sees (E.4.7).
    let a = cluster(&policy.replace("ports: [{port: 8080}]", "ports: [{port: 80}]"));
    let api = pod(&a, "shop/api-");
    let t = run(&a, &format!("pod:{api}"), "web.shop:80");
    assert_eq!(t.verdict, "denied");
    assert_eq!(verdicts(&t), ["denied-egress", "denied-egress"]);
}

#[test]
fn masqueraded_external_traffic_arrives_from_a_node_address() {
    // E.5.3, E.9.6: NodePort with ETP Cluster masquerades; ingress sees the
    // node's address, so a selector cannot admit it, an ipBlock of the
    // node addresses can. ETP Local keeps the client's address.
    let a = cluster(&ALLOW_API_ON.replace("PORT", "8080"));
    let node_ip = a.cluster.nodes[0].ip.clone();
    let t = run(&a, "external:203.0.113.7", &format!("{node_ip}:30080"));
    assert!(t.masquerade);
    assert_eq!(t.verdict, "denied");
    let by_block = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-block, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{ipBlock: {cidr: CIDR}}]
";
    let a = cluster(&by_block.replace("CIDR", "172.18.0.0/16"));
    let t = run(&a, "external:203.0.113.7", &format!("{node_ip}:30080"));
    assert_eq!(t.verdict, "delivered");
    let a = cluster(&by_block.replace("CIDR", "203.0.113.0/24"));
    assert_eq!(
        run(&a, "external:203.0.113.7", &format!("{node_ip}:30080")).verdict,
        "denied",
        "ETP Cluster hides the client"
    );
    let local = run(&a, "external:203.0.113.7", &format!("{node_ip}:30081"));
    assert!(!local.masquerade);
    assert!(
        local
            .destinations
            .iter()
            .all(|d| d.policy.map(portolan_core::netpol::Verdict::as_str) == Some("allowed")),
        "{:#?}",
        local.hops
    );
}

#[test]
fn a_node_always_reaches_its_own_pods_but_not_others() {
    // E.5.6: traffic originated by the destination pod's own node is
    // admitted to a pod isolated for ingress; another node's is not.
    let a = cluster(DENY_INGRESS);
    let web = pod(&a, "shop/web-");
    let ip = pod_ip(&a, &web);
    let own = node_of(&a, &web);
    let t = run(&a, &format!("node:{own}"), &format!("{ip}:8080"));
    assert_eq!(t.verdict, "delivered", "{:#?}", t.hops);
    assert_eq!(verdicts(&t), ["allowed"]);
    assert_eq!(policies_of(&t), [Vec::<(String, String, String)>::new()]);
    let other = a
        .cluster
        .nodes
        .iter()
        .find(|n| n.name != own)
        .unwrap()
        .name
        .clone();
    let t = run(&a, &format!("node:{other}"), &format!("{ip}:8080"));
    assert_eq!(t.verdict, "denied");
}

#[test]
fn a_pod_reaches_its_own_address_whatever_the_policies() {
    // E.5.8: traffic to the pod's own IP never leaves it.
    let a = cluster(&format!(
        "{DENY_INGRESS}---\n{}",
        DENY_EGRESS.replace("app: api", "app: web")
    ));
    let web = pod(&a, "shop/web-");
    let ip = pod_ip(&a, &web);
    let t = run(&a, &format!("pod:{web}"), &format!("{ip}:8080"));
    assert_eq!(t.verdict, "delivered");
    assert_eq!(verdicts(&t), ["allowed"]);
    assert_eq!(policies_of(&t), [Vec::<(String, String, String)>::new()]);
}

#[test]
fn some_destinations_denied_keep_the_verdict_and_give_the_share() {
    // E.6.3: one of two endpoints denied: delivered, deliveredProbability 0.5.
    let a = cluster(
        DENY_INGRESS
            .replace(
                "spec: {}",
                "spec:\n  podSelector: {matchLabels: {app: web}}",
            )
            .as_str(),
    );
    let api = pod(&a, "shop/api-");
    let web = pod(&a, "shop/web-");
    let ip = pod_ip(&a, &web);
    // Only the pod addressed directly is evaluated.
    let t = run(&a, &format!("pod:{api}"), &format!("{ip}:8080"));
    assert_eq!(t.verdict, "denied");
    // Through a Service selecting web and api pods: api is not isolated.
    let both = "\
apiVersion: v1
kind: Service
metadata: {name: both, namespace: shop}
spec:
  selector: {tier: any}
  ports: [{port: 80, targetPort: 8080}]
";
    let text = CLUSTER
        .replace("labels: {app: web}}", "labels: {app: web, tier: any}}")
        .replace(
            "labels: {app: api}}\n    spec:\n      containers: [{name: api",
            "labels: {app: api, tier: any}}\n    spec:\n      containers: [{name: api",
        );
    let policy = DENY_INGRESS.replace(
        "spec: {}",
        "spec:\n  podSelector: {matchLabels: {app: web}}",
    );
    let a = analyze(
        vec![Source::new(
            "c.yaml",
            format!("{text}---\n{both}---\n{policy}"),
        )],
        &Profile::default(),
    )
    .unwrap();
    let client = pod(&a, "other/client-");
    let t = run(&a, &format!("pod:{client}"), "both.shop:80");
    assert_eq!(t.destinations.len(), 3, "{:#?}", t.destinations);
    assert_eq!(t.verdict, "delivered");
    let p = t.delivered_probability.unwrap();
    assert!((p - 1.0 / 3.0).abs() < 1e-12, "{p}");
}

#[test]
fn a_policy_the_api_server_rejects_is_ignored_and_named() {
    // E.6.1: invalid policies never exist in a cluster.
    let a = cluster(&DENY_INGRESS.replace("spec: {}", "spec:\n  policyTypes: [ingress]"));
    let api = pod(&a, "shop/api-");
    let t = run(&a, &format!("pod:{api}"), "web.shop:80");
    assert_eq!(t.verdict, "delivered");
    assert_eq!(verdicts(&t), ["allowed", "allowed"]);
    assert!(
        t.hops
            .iter()
            .any(|h| h.step == "policy-egress" && h.detail.contains("shop/deny-all")),
        "{:#?}",
        t.hops
    );
}

#[test]
fn ip_blocks_match_pod_addresses_and_honour_except() {
    // E.4.5: ipBlock matches pod IPs too (kube-network-policies, e2e);
    // `except` carves addresses out.
    let a = cluster(DENY_INGRESS);
    let web = pod(&a, "shop/web-");
    let web_ip = pod_ip(&a, &web);
    let policy = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 10.244.0.0/16, except: [EXCEPT]}}]
";
    let allowed = cluster(
        &policy
            .replace("EXCEPT", "10.245.0.0/24")
            .replace("[10.245.0.0/24]", "[]"),
    );
    let api = pod(&allowed, "shop/api-");
    let t = run(&allowed, &format!("pod:{api}"), &format!("{web_ip}:8080"));
    assert_eq!(verdicts(&t), ["allowed"], "{:#?}", t.hops);
    let excepted = cluster(&policy.replace("EXCEPT", &format!("{web_ip}/32")));
    let api = pod(&excepted, "shop/api-");
    let t = run(&excepted, &format!("pod:{api}"), &format!("{web_ip}:8080"));
    assert_eq!(verdicts(&t), ["denied-egress"]);
}

#[test]
fn port_ranges_and_protocols() {
    // E.4.6: endPort ranges; a UDP rule never admits TCP.
    let with_ports = |ports: &str| {
        let a = cluster(&ALLOW_API_ON.replace("[{port: PORT}]", ports));
        let api = pod(&a, "shop/api-");
        run(&a, &format!("pod:{api}"), "web.shop:80").verdict
    };
    assert_eq!(with_ports("[{port: 8000, endPort: 8100}]"), "delivered");
    assert_eq!(with_ports("[{port: 8081, endPort: 8100}]"), "denied");
    assert_eq!(with_ports("[{protocol: UDP, port: 8080}]"), "denied");
    assert_eq!(with_ports("[{protocol: TCP}]"), "delivered");
}

#[test]
fn egress_to_a_node_port_on_another_node_sees_that_node_untranslated() {
    // E.5.2: a NodePort on another node is not DNATed on the source's node,
    // so egress sees remoteNodeIP:nodePort, not the endpoint.
    let policy = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
  egress:
  - to: [PEER]
    ports: [{port: PORT}]
";
    let to_pods = cluster(
        &policy
            .replace("PEER", "{podSelector: {matchLabels: {app: web}}}")
            .replace("PORT", "8080"),
    );
    let api = pod(&to_pods, "shop/api-");
    let own = node_of(&to_pods, &api);
    let remote = to_pods
        .cluster
        .nodes
        .iter()
        .find(|n| n.name != own)
        .unwrap()
        .ip
        .clone();
    let t = run(&to_pods, &format!("pod:{api}"), &format!("{remote}:30080"));
    assert!(
        verdicts(&t).iter().all(|v| *v == "denied-egress"),
        "{:#?}",
        t.hops
    );
    let to_nodes = cluster(
        &policy
            .replace("PEER", "{ipBlock: {cidr: 172.18.0.0/16}}")
            .replace("PORT", "30080"),
    );
    let api = pod(&to_nodes, "shop/api-");
    let t = run(&to_nodes, &format!("pod:{api}"), &format!("{remote}:30080"));
    assert!(
        verdicts(&t).iter().all(|v| *v == "allowed"),
        "{:#?}",
        t.hops
    );
}

#[test]
fn reach_lists_direct_and_service_paths_with_their_verdicts() {
    // E.6.6: for each source, destination pod and port: one direct entry
    // (via null; a pod to itself is allowed, E.5.8) and one per Service
    // port that routes the source to it; sorted by from, to, port,
    // protocol, via.
    use portolan_core::reach::{Scope, reach};
    let a = cluster(&ALLOW_API_ON.replace("PORT", "8080"));
    let from = Scope::parse_from("workload:shop/Deployment/api").unwrap();
    let (to, port) = Scope::parse_to("service:shop/web").unwrap();
    let r = reach(&a, Some(&from), Some(&to), port);
    let api = pod(&a, "shop/api-");
    let rows: Vec<(String, String, i64, Option<String>, &str)> = r
        .connections
        .iter()
        .map(|c| {
            (
                c.from.clone(),
                c.to.clone(),
                c.port,
                c.via.clone(),
                c.verdict.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows.len(),
        2 * 4,
        "two web pods × (direct + 3 Services): {rows:#?}"
    );
    assert!(
        rows.iter()
            .all(|r| r.0 == format!("pod:{api}") && r.2 == 8080 && r.4 == "allowed")
    );
    let vias: Vec<Option<&str>> = rows.iter().take(4).map(|r| r.3.as_deref()).collect();
    assert_eq!(
        vias,
        [
            None,
            Some("service:shop/web-local:80"),
            Some("service:shop/web-np:80"),
            Some("service:shop/web:80")
        ]
    );
    let mut sorted = r.connections.clone();
    sorted.sort_by(|x, y| (&x.from, &x.to, x.port, &x.via).cmp(&(&y.from, &y.to, y.port, &y.via)));
    assert_eq!(sorted, r.connections);
    // The client in `other` is denied everywhere.
    let from = Scope::parse_from("namespace:other").unwrap();
    let r = reach(&a, Some(&from), Some(&to), None);
    assert!(!r.connections.is_empty());
    assert!(r.connections.iter().all(|c| c.verdict == "denied-ingress"));
    // Without policies every connection is allowed with no policies.
    let plain = analyze(vec![Source::new("c.yaml", CLUSTER)], &Profile::default()).unwrap();
    let r = reach(&plain, None, None, None);
    assert!(
        r.connections
            .iter()
            .all(|c| c.verdict == "allowed" && c.policies.is_empty())
    );
    // Argument syntax.
    assert!(Scope::parse_from("pod:nope").is_err());
    assert!(Scope::parse_to("service:shop/web:http").is_ok_and(|(_, p)| p.is_none()));
    assert!(Scope::parse_to("pod:shop/web-1:99999").is_err());
}

#[test]
fn reach_honours_internal_traffic_policy_local() {
    // E.6.6: a Service with internalTrafficPolicy Local routes a source only
    // to endpoints on its own node.
    use portolan_core::reach::{Scope, reach};
    let text = CLUSTER.replace(
        "metadata: {name: web, namespace: shop}\nspec:\n  selector: {app: web}",
        "metadata: {name: web, namespace: shop}\nspec:\n  internalTrafficPolicy: Local\n  selector: {app: web}",
    );
    let a = analyze(vec![Source::new("c.yaml", text)], &Profile::default()).unwrap();
    let api = pod(&a, "shop/api-");
    let api_node = node_of(&a, &api);
    let from = Scope::parse_from(&format!("pod:{api}")).unwrap();
    let r = reach(&a, Some(&from), None, None);
    for c in r
        .connections
        .iter()
        .filter(|c| c.via.as_deref() == Some("service:shop/web:80"))
    {
        let key = c.to.trim_start_matches("pod:");
        assert_eq!(node_of(&a, key), api_node, "{c:?}");
    }
}

const HOST_NETWORK_POD: &str = "\
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: shop, labels: {app: agent}}
spec:
  hostNetwork: true
  nodeName: edge
  containers: [{name: agent, image: agent, ports: [{name: http, containerPort: 8080}]}]
";

#[test]
fn host_network_pods_are_never_selected_and_send_as_their_node() {
    // E.3.2: a host-network pod is not a subject: `spec: {}` does not
    // isolate it. E.5.7: as a source it is its node's address, which a pod
    // selector cannot admit.
    let a = cluster(&format!(
        "{DENY_INGRESS}---\n{HOST_NETWORK_POD}---\n{}",
        ALLOW_API_ON
            .replace("PORT", "8080")
            .replace("app: api", "app: web")
            .replace("web-from-api", "web-from-web")
    ));
    let api = pod(&a, "shop/api-");
    let agent_ip = pod_ip(&a, "shop/agent");
    let t = run(&a, &format!("pod:{api}"), &format!("{agent_ip}:8080"));
    assert_eq!(verdicts(&t), ["allowed"], "{:#?}", t.hops);
    // The agent sends as its node `edge` (E.5.7), where the web pods run
    // too (the input names only that node): the local-node exemption admits
    // it although no rule would (E.5.6).
    let web = pod(&a, "shop/web-");
    assert_eq!(node_of(&a, &web), "edge");
    let t = run(&a, "pod:shop/agent", &format!("{}:8080", pod_ip(&a, &web)));
    assert_eq!(verdicts(&t), ["allowed"], "{:#?}", t.hops);
    assert!(
        t.hops.iter().any(|h| h.detail.contains("E.5.6")),
        "{:#?}",
        t.hops
    );
    // A regular pod that web-from-agent does not name is denied.
    let api = pod(&a, "shop/api-");
    let t = run(
        &a,
        &format!("pod:{api}"),
        &format!("{}:8080", pod_ip(&a, &web)),
    );
    assert_eq!(verdicts(&t), ["denied-ingress"], "{:#?}", t.hops);
}

#[test]
fn a_namespace_missing_from_the_input_still_has_its_name_label() {
    // E.4.4: namespaces used by pods but not declared are synthesized with
    // only kubernetes.io/metadata.name.
    let text = CLUSTER.replace(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n---\n",
        "",
    );
    assert!(
        !text.contains("name: other}\n---"),
        "the Namespace object is gone"
    );
    let policy = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-other, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: other}}}]
";
    let a = analyze(
        vec![Source::new("c.yaml", format!("{text}---\n{policy}"))],
        &Profile::default(),
    )
    .unwrap();
    let client = pod(&a, "other/client-");
    assert_eq!(
        run(&a, &format!("pod:{client}"), "web.shop:80").verdict,
        "delivered"
    );
}

#[test]
fn masquerading_on_the_destination_node_is_noted() {
    // E.5.5: when kube-proxy masquerades on the destination pod's own node,
    // the hop says netfilter-based plugins see the original source.
    let a = cluster(DENY_INGRESS);
    let web = pod(&a, "shop/web-");
    let node = node_of(&a, &web);
    let node_ip = a
        .cluster
        .nodes
        .iter()
        .find(|n| n.name == node)
        .unwrap()
        .ip
        .clone();
    let t = run(&a, "external:203.0.113.7", &format!("{node_ip}:30080"));
    assert!(t.masquerade);
    assert!(
        t.hops
            .iter()
            .any(|h| h.step == "policy-ingress" && h.detail.contains("E.5.5")),
        "{:#?}",
        t.hops
    );
}

#[test]
fn a_host_network_pod_has_its_node_address_and_receives_on_its_ports() {
    // The kubelet reports a host-network pod's IPs as its node's
    // (`kubelet_pods.go` generateAPIPodStatus: podIPs = hostIPs), so an
    // endpoint or peer of such a pod is the node's address (E.4.5, E.5.7);
    // a packet to that address and a port the pod declares reaches it.
    let daemon = "\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: exporter, namespace: shop}
spec:
  selector: {matchLabels: {app: exporter}}
  template:
    metadata: {labels: {app: exporter}}
    spec:
      hostNetwork: true
      containers: [{name: e, image: e, ports: [{containerPort: 9100}]}]
";
    let a = cluster(&format!("{HOST_NETWORK_POD}---\n{daemon}"));
    let node_ip = |name: &str| {
        a.cluster
            .node_ip(name)
            .map(|ip| ip.to_string())
            .expect("nodes get addresses")
    };
    assert_eq!(pod_ip(&a, "shop/agent"), node_ip("edge"));
    let exporters: Vec<_> = a
        .cluster
        .pods
        .iter()
        .filter(|p| p.name.starts_with("exporter-"))
        .collect();
    assert!(!exporters.is_empty());
    for p in exporters {
        let node = p.node.as_deref().expect("a DaemonSet pod has a node");
        assert_eq!(p.ips, [node_ip(node)], "{}", p.key());
    }
    let t = run(&a, "pod:shop/agent", &format!("{}:8080", node_ip("edge")));
    assert_eq!(t.destinations.len(), 1, "{:#?}", t.hops);
    assert_eq!(t.destinations[0].pod.as_deref(), Some("shop/agent"));
    assert!(
        t.hops
            .iter()
            .any(|h| h.detail.contains("host-network pod shop/agent listens")),
        "{:#?}",
        t.hops
    );
    // Another port of the node is the node itself.
    let t = run(&a, "pod:shop/agent", &format!("{}:8081", node_ip("edge")));
    assert!(t.destinations.is_empty(), "{:#?}", t.hops);
}
