//! One focused test per NetworkPolicy rule of `docs/spec/network-policy.md`
//! that no other test cites; each test names its rule id in a comment.

use portolan_core::analysis::{Analysis, analyze};
use portolan_core::diag::{Diagnostic, ErrorType, Severity};
use portolan_core::profile::{Profile, ProxyMode};
use portolan_core::sim::{From, Request, Trace, trace};
use portolan_core::source::Source;
use portolan_core::types::Protocol;

/// Namespaces `shop` and `other`; `web` (2 pods, port `http` 8080) behind
/// Service `web` (80 → http) and NodePort Service `web-local` (30081, ETP
/// Local); `api` (1 pod) in `shop`; `client` (1 pod) in `other`; Service
/// `empty` selects no pod.
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
      containers: [{name: api, image: api, ports: [{containerPort: 8080}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: other}
spec:
  replicas: 1
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
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
metadata: {name: web-local, namespace: shop}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{port: 80, targetPort: http, nodePort: 30081}]
---
apiVersion: v1
kind: Service
metadata: {name: empty, namespace: shop}
spec:
  selector: {app: nothing}
  ports: [{port: 80, targetPort: 8080}]
";

/// `spec: {}`: every pod of `shop` isolated for ingress, nothing admitted.
const DENY_INGRESS: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec: {}
";

type PolicyRow = (String, String, String);

fn analysis(text: &str) -> Analysis {
    analyze(
        vec![Source::new("c.yaml", text.to_owned())],
        &Profile::default(),
    )
    .expect("the default profile")
}

fn errors(a: &Analysis) -> Vec<&Diagnostic> {
    a.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

/// `CLUSTER` plus `extra`, which must all be valid.
fn cluster(extra: &str) -> Analysis {
    let a = analysis(&format!("{CLUSTER}---\n{extra}"));
    let errs: Vec<&str> = errors(&a).iter().map(|d| d.message.as_str()).collect();
    assert!(errs.is_empty(), "{errs:?}");
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

fn pods(a: &Analysis, prefix: &str) -> Vec<String> {
    a.cluster
        .pods
        .iter()
        .map(portolan_core::snapshot::ClusterPod::key)
        .filter(|k| k.starts_with(prefix))
        .collect()
}

fn pod_ip(a: &Analysis, key: &str) -> String {
    a.cluster
        .pods
        .iter()
        .find(|p| p.key() == key)
        .unwrap_or_else(|| panic!("no pod {key}"))
        .ips[0]
        .clone()
}

fn node_of(a: &Analysis, key: &str) -> String {
    a.cluster
        .pods
        .iter()
        .find(|p| p.key() == key)
        .and_then(|p| p.node.as_deref().map(str::to_owned))
        .unwrap_or_else(|| panic!("pod {key} has no node"))
}

fn node_ip(a: &Analysis, name: &str) -> String {
    a.cluster
        .node_ip(name)
        .unwrap_or_else(|| panic!("node {name} has no address"))
        .to_string()
}

fn cluster_ip(a: &Analysis, service: &str) -> String {
    a.cluster
        .services
        .iter()
        .find(|s| s.name == service)
        .unwrap_or_else(|| panic!("no Service {service}"))
        .cluster_ips[0]
        .clone()
}

fn run_with(a: &Analysis, from: &str, to: &str, protocol: Protocol) -> Trace {
    trace(
        a,
        &Request {
            from: From::parse(from).unwrap(),
            to: to.into(),
            protocol,
            at_node: None,
            proxy_mode: ProxyMode::Iptables,
            method: None,
            headers: Vec::new(),
            via: None,
        },
    )
    .unwrap()
}

fn run(a: &Analysis, from: &str, to: &str) -> Trace {
    run_with(a, from, to, Protocol::Tcp)
}

/// The trace from pod `from` to pod `to`'s own address and `port`.
fn pod_to_pod(a: &Analysis, from: &str, to: &str, port: u16, protocol: Protocol) -> Trace {
    run_with(
        a,
        &format!("pod:{from}"),
        &format!("{}:{port}", pod_ip(a, to)),
        protocol,
    )
}

fn verdicts(t: &Trace) -> Vec<&str> {
    t.destinations
        .iter()
        .map(|d| d.policy.map_or("-", portolan_core::netpol::Verdict::as_str))
        .collect()
}

fn policies_of(t: &Trace) -> Vec<Vec<PolicyRow>> {
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

fn row(name: &str, direction: &str, effect: &str) -> PolicyRow {
    (name.into(), direction.into(), effect.into())
}

fn hops<'t>(t: &'t Trace, step: &str) -> Vec<&'t str> {
    t.hops
        .iter()
        .filter(|h| h.step == step)
        .map(|h| h.detail.as_str())
        .collect()
}

/// A policy over pods `app: SUBJECT` of `shop` with the given spec body.
fn policy(name: &str, subject: &str, body: &str) -> String {
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: {name}, namespace: shop}}\nspec:\n  podSelector: {{matchLabels: {{app: {subject}}}}}\n{body}"
    )
}

// ---------------------------------------------------------------- E.1 / E.2

#[test]
fn e_1_1_policy_names_are_dns_subdomains() {
    // E.1.1 (E.1.1.1): a NetworkPolicy name is a DNS-1123 subdomain, so a
    // dot and a leading digit are valid and the policy is in force.
    for name in ["my.policy", "1-allow"] {
        let a = cluster(&DENY_INGRESS.replace("deny-all", name));
        let (api, web) = (pod(&a, "shop/api-"), pod(&a, "shop/web-"));
        let t = pod_to_pod(&a, &api, &web, 8080, Protocol::Tcp);
        assert_eq!(verdicts(&t), ["denied-ingress"], "{name}: {:#?}", t.hops);
        assert_eq!(policies_of(&t), [[row(name, "ingress", "isolate")]]);
    }
    // Upper case and `_` are not: `Invalid metadata.name`, and the policy
    // the API server rejects is not evaluated (E.6.1).
    let a = analysis(&format!(
        "{CLUSTER}---\n{}",
        DENY_INGRESS.replace("deny-all", "Deny_All")
    ));
    let errs = errors(&a);
    assert!(!errs.is_empty());
    assert!(
        errs.iter().all(|d| d.code == "object-metadata"
            && d.field.as_deref() == Some("metadata.name")
            && d.error_type == Some(ErrorType::Invalid)),
        "{errs:#?}"
    );
    let (api, web) = (pod(&a, "shop/api-"), pod(&a, "shop/web-"));
    let t = pod_to_pod(&a, &api, &web, 8080, Protocol::Tcp);
    assert_eq!(verdicts(&t), ["allowed"], "{:#?}", t.hops);
    assert!(
        hops(&t, "policy-egress")
            .iter()
            .any(|h| h.contains("shop/Deny_All")),
        "{:#?}",
        t.hops
    );
}

#[test]
fn e_1_1_bad_labels_reject_the_policy_and_only_v1_is_served() {
    // E.1.1 (E.1.1.2): labels are checked as on any object; a bad key
    // rejects the policy.
    let a = analysis(&format!(
        "{CLUSTER}---\n{}",
        DENY_INGRESS.replace(
            "namespace: shop}",
            "namespace: shop, labels: {\"bad key\": x}}"
        )
    ));
    let errs = errors(&a);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].field.as_deref(), Some("metadata.labels"));
    let (api, web) = (pod(&a, "shop/api-"), pod(&a, "shop/web-"));
    assert_eq!(
        verdicts(&pod_to_pod(&a, &api, &web, 8080, Protocol::Tcp)),
        ["allowed"]
    );
    // E.1.1 (E.1.1.3): `extensions/v1beta1` NetworkPolicy is not served:
    // it is no NetworkPolicy, so a trace carries no policy fields (E.6.1).
    let a = cluster(&DENY_INGRESS.replace("networking.k8s.io/v1", "extensions/v1beta1"));
    assert_eq!(a.unknown_kinds(), 1);
    let (api, web) = (pod(&a, "shop/api-"), pod(&a, "shop/web-"));
    let t = pod_to_pod(&a, &api, &web, 8080, Protocol::Tcp);
    assert_eq!(t.verdict, "delivered");
    assert!(t.delivered_probability.is_none());
    assert!(t.destinations.iter().all(|d| d.policy.is_none()));
}

#[test]
fn e_2_1_a_port_without_protocol_is_tcp_in_both_directions() {
    // E.2.1: `ports[j]` without `protocol` is TCP, for ingress and egress
    // rules alike; it is valid (no error, `cluster` checks).
    let ingress = policy(
        "web-from-api",
        "web",
        "  ingress:\n  - from: [{podSelector: {matchLabels: {app: api}}}]\n    ports: [{port: 8080}]\n",
    );
    let a = cluster(&ingress);
    let (api, web) = (pod(&a, "shop/api-"), pod(&a, "shop/web-"));
    let tcp = pod_to_pod(&a, &api, &web, 8080, Protocol::Tcp);
    let udp = pod_to_pod(&a, &api, &web, 8080, Protocol::Udp);
    assert_eq!(verdicts(&tcp), ["allowed"], "{:#?}", tcp.hops);
    assert_eq!(verdicts(&udp), ["denied-ingress"], "{:#?}", udp.hops);
    // The same rule written with UDP admits UDP (the trace is evaluated).
    let a = cluster(&ingress.replace("{port: 8080}", "{protocol: UDP, port: 8080}"));
    let udp = pod_to_pod(&a, &api, &web, 8080, Protocol::Udp);
    assert_eq!(verdicts(&udp), ["allowed"], "{:#?}", udp.hops);
    let egress = policy(
        "api-to-web",
        "api",
        "  policyTypes: [Egress]\n  egress:\n  - to: [{podSelector: {matchLabels: {app: web}}}]\n    ports: [{port: 8080}]\n",
    );
    let a = cluster(&egress);
    let tcp = pod_to_pod(&a, &api, &web, 8080, Protocol::Tcp);
    let udp = pod_to_pod(&a, &api, &web, 8080, Protocol::Udp);
    assert_eq!(verdicts(&tcp), ["allowed"], "{:#?}", tcp.hops);
    assert_eq!(verdicts(&udp), ["denied-egress"], "{:#?}", udp.hops);
}

#[test]
fn e_2_4_empty_lists_mean_absent() {
    // E.2.4: `ingress: []` is no rules (deny), but `from: []` is every peer
    // and `ports: []` every port; `egress: []` under `policyTypes: [Egress]`
    // denies like an absent list.
    let with = |body: &str| {
        let a = cluster(&policy("web-in", "web", body));
        let (client, web) = (pod(&a, "other/client-"), pod(&a, "shop/web-"));
        let on = |port| verdicts(&pod_to_pod(&a, &client, &web, port, Protocol::Tcp))[0].to_owned();
        (on(8080), on(9999))
    };
    let deny = ("denied-ingress".to_owned(), "denied-ingress".to_owned());
    let allow = ("allowed".to_owned(), "allowed".to_owned());
    assert_eq!(with("  ingress: []\n"), deny);
    assert_eq!(with("  policyTypes: [Ingress]\n"), deny);
    assert_eq!(with("  ingress: [{}]\n"), allow);
    assert_eq!(with("  ingress:\n  - from: []\n    ports: []\n"), allow);
    assert_eq!(
        with("  ingress:\n  - from: []\n    ports: [{port: 8080}]\n"),
        ("allowed".to_owned(), "denied-ingress".to_owned())
    );
    assert_eq!(
        with("  ingress:\n  - from: [{podSelector: {}}]\n    ports: []\n"),
        deny,
        "a pod selector alone stays in `shop`, so the client is not admitted"
    );
    for body in [
        "  policyTypes: [Egress]\n  egress: []\n",
        "  policyTypes: [Egress]\n",
    ] {
        let a = cluster(&policy("api-out", "api", body));
        let (api, web) = (pod(&a, "shop/api-"), pod(&a, "shop/web-"));
        let t = pod_to_pod(&a, &api, &web, 8080, Protocol::Tcp);
        assert_eq!(verdicts(&t), ["denied-egress"], "{body}");
    }
}

// ---------------------------------------------------------------- E.3 / E.4

#[test]
fn e_3_4_a_direction_without_isolation_allows_everything() {
    // E.3.4: `web-out` isolates web for egress only, `web-in` web for
    // ingress from api only; api itself is selected by nothing.
    let policies = format!(
        "{}---\n{}",
        policy("web-out", "web", "  policyTypes: [Egress]\n"),
        policy(
            "web-in",
            "web",
            "  ingress:\n  - from: [{podSelector: {matchLabels: {app: api}}}]\n"
        )
    );
    let a = cluster(&policies);
    let (api, web, client) = (
        pod(&a, "shop/api-"),
        pod(&a, "shop/web-"),
        pod(&a, "other/client-"),
    );
    // api is isolated in no direction: anything reaches it, no policy named.
    let t = pod_to_pod(&a, &client, &api, 8080, Protocol::Tcp);
    assert_eq!(verdicts(&t), ["allowed"], "{:#?}", t.hops);
    assert_eq!(policies_of(&t), [Vec::<PolicyRow>::new()]);
    assert!(
        hops(&t, "policy-ingress")
            .iter()
            .any(|h| h.contains(&api) && h.contains("allowed")),
        "{:#?}",
        t.hops
    );
    // api's egress is not isolated: only web's ingress decides.
    let t = pod_to_pod(&a, &api, &web, 8080, Protocol::Tcp);
    assert_eq!(verdicts(&t), ["allowed"]);
    assert_eq!(policies_of(&t), [[row("web-in", "ingress", "allow")]]);
    // web's egress is isolated (control): it cannot send to api.
    let t = pod_to_pod(&a, &web, &api, 8080, Protocol::Tcp);
    assert_eq!(verdicts(&t), ["denied-egress"]);
    // The client is not isolated for egress, web is for ingress (control).
    let t = pod_to_pod(&a, &client, &web, 8080, Protocol::Tcp);
    assert_eq!(verdicts(&t), ["denied-ingress"]);
}

#[test]
fn e_3_6_pod_to_pod_needs_egress_at_the_source_and_ingress_at_the_destination() {
    // E.3.6: both sides must admit the packet.
    let egress_ok = policy(
        "api-to-web",
        "api",
        "  policyTypes: [Egress]\n  egress:\n  - to: [{podSelector: {matchLabels: {app: web}}}]\n",
    );
    let egress_deny = policy("api-no-egress", "api", "  policyTypes: [Egress]\n");
    let ingress_ok = policy(
        "web-from-api",
        "web",
        "  ingress:\n  - from: [{podSelector: {matchLabels: {app: api}}}]\n",
    );
    let ingress_deny = policy("web-no-ingress", "web", "  policyTypes: [Ingress]\n");
    let verdict = |egress: &str, ingress: &str| {
        let a = cluster(&format!("{egress}---\n{ingress}"));
        let (api, web) = (pod(&a, "shop/api-"), pod(&a, "shop/web-"));
        let t = pod_to_pod(&a, &api, &web, 8080, Protocol::Tcp);
        (verdicts(&t)[0].to_owned(), policies_of(&t).remove(0))
    };
    let (v, _) = verdict(&egress_ok, &ingress_deny);
    assert_eq!(v, "denied-ingress");
    let (v, p) = verdict(&egress_deny, &ingress_ok);
    assert_eq!(v, "denied-egress");
    assert_eq!(p, [row("api-no-egress", "egress", "isolate")]);
    let (v, p) = verdict(&egress_ok, &ingress_ok);
    assert_eq!(v, "allowed");
    assert_eq!(
        p,
        [
            row("api-to-web", "egress", "allow"),
            row("web-from-api", "ingress", "allow")
        ]
    );
}

/// Two declared nodes; `agent` (host network, `app: agent`) on n1; `web`
/// (`app: web`, port 8080) and `api` (`app: api`) on n2.
const TWO_NODES: &str = "\
apiVersion: v1
kind: Node
metadata: {name: n1}
status: {addresses: [{type: InternalIP, address: 10.0.0.1}]}
---
apiVersion: v1
kind: Node
metadata: {name: n2}
status: {addresses: [{type: InternalIP, address: 10.0.0.2}]}
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: shop, labels: {app: agent}}
spec:
  hostNetwork: true
  nodeName: n1
  containers: [{name: agent, image: agent, ports: [{containerPort: 9100}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  nodeName: n2
  containers: [{name: web, image: web, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec:
  nodeName: n2
  containers: [{name: api, image: api}]
";

fn two_nodes(policies: &str) -> Analysis {
    let a = analysis(&format!("{TWO_NODES}---\n{policies}"));
    let errs: Vec<&str> = errors(&a).iter().map(|d| d.message.as_str()).collect();
    assert!(errs.is_empty(), "{errs:?}");
    a
}

#[test]
fn e_4_2_host_network_pods_and_outside_addresses_are_ip_peers() {
    // E.4.2: a host-network pod is no pod peer: a selector naming its
    // labels does not match it, an ipBlock of its node address does.
    let ingress = |peer: &str| {
        policy(
            "web-in",
            "web",
            &format!(
                "  ingress:\n  - from: [{peer}, {{podSelector: {{matchLabels: {{app: api}}}}}}]\n"
            ),
        )
    };
    let a = two_nodes(&ingress("{podSelector: {matchLabels: {app: agent}}}"));
    assert_eq!(pod_ip(&a, "shop/agent"), "10.0.0.1");
    let t = pod_to_pod(&a, "shop/agent", "shop/web", 8080, Protocol::Tcp);
    assert_eq!(verdicts(&t), ["denied-ingress"], "{:#?}", t.hops);
    // A pod of the snapshot is a pod peer (control).
    let t = pod_to_pod(&a, "shop/api", "shop/web", 8080, Protocol::Tcp);
    assert_eq!(verdicts(&t), ["allowed"], "{:#?}", t.hops);
    let a = two_nodes(&ingress("{ipBlock: {cidr: 10.0.0.1/32}}"));
    let t = pod_to_pod(&a, "shop/agent", "shop/web", 8080, Protocol::Tcp);
    assert_eq!(verdicts(&t), ["allowed"], "{:#?}", t.hops);
    // An outside address is an IP peer: `namespaceSelector: {}` (every pod
    // of every namespace) does not admit it.
    let a = two_nodes(&ingress("{namespaceSelector: {}}"));
    let t = run(
        &a,
        "external:203.0.113.9",
        &format!("{}:8080", pod_ip(&a, "shop/web")),
    );
    assert_eq!(verdicts(&t), ["denied-ingress"], "{:#?}", t.hops);
    // Egress to the host-network pod: the destination is its node address.
    let egress = |peer: &str| {
        policy(
            "api-out",
            "api",
            &format!("  policyTypes: [Egress]\n  egress:\n  - to: [{peer}]\n"),
        )
    };
    let a = two_nodes(&egress("{podSelector: {matchLabels: {app: agent}}}"));
    let t = pod_to_pod(&a, "shop/api", "shop/agent", 9100, Protocol::Tcp);
    assert_eq!(verdicts(&t), ["denied-egress"], "{:#?}", t.hops);
    let a = two_nodes(&egress("{ipBlock: {cidr: 10.0.0.1/32}}"));
    let t = pod_to_pod(&a, "shop/api", "shop/agent", 9100, Protocol::Tcp);
    assert_eq!(verdicts(&t), ["allowed"], "{:#?}", t.hops);
}

// ---------------------------------------------------------------- E.5

#[test]
fn e_5_1_rejected_and_dropped_packets_are_not_evaluated() {
    // E.5.1: kube-proxy's REJECT (no endpoint, D.3.3) and DROP (ETP Local
    // without a local endpoint, D.4.3) come first: no destination, no
    // policy hop, and the verdict keeps its Services value (E.6.3).
    let a = cluster(DENY_INGRESS);
    let api = pod(&a, "shop/api-");
    let t = run(
        &a,
        &format!("pod:{api}"),
        &format!("{}:80", cluster_ip(&a, "empty")),
    );
    assert_eq!(t.verdict, "reject", "{:#?}", t.hops);
    assert!(t.destinations.is_empty());
    assert!(
        t.hops.iter().all(|h| !h.step.starts_with("policy-")),
        "{:#?}",
        t.hops
    );
    let web_nodes: Vec<String> = pods(&a, "shop/web-")
        .iter()
        .map(|w| node_of(&a, w))
        .collect();
    let bare = a
        .cluster
        .nodes
        .iter()
        .find(|n| !web_nodes.contains(&n.name))
        .expect("a node without web pods")
        .name
        .clone();
    let t = run(
        &a,
        "external:203.0.113.7",
        &format!("{}:30081", node_ip(&a, &bare)),
    );
    assert_eq!(t.verdict, "drop", "{:#?}", t.hops);
    assert!(t.destinations.is_empty());
    assert!(t.hops.iter().all(|h| !h.step.starts_with("policy-")));
    // Through a node that has an endpoint the same policy decides (control).
    let t = run(
        &a,
        "external:203.0.113.7",
        &format!("{}:30081", node_ip(&a, &web_nodes[0])),
    );
    assert_eq!(t.verdict, "denied", "{:#?}", t.hops);
    assert!(!hops(&t, "policy-ingress").is_empty());
}

/// Node n1 has an ExternalIP before two InternalIPs; n2 only an ExternalIP;
/// pod `web` (`app: web`) runs on n2, pod `db` (`app: web`) on n1.
const ADDRESSED_NODES: &str = "\
apiVersion: v1
kind: Node
metadata: {name: n1}
status:
  addresses:
  - {type: Hostname, address: n1}
  - {type: ExternalIP, address: 203.0.113.10}
  - {type: InternalIP, address: 10.0.0.11}
  - {type: InternalIP, address: 10.0.0.12}
---
apiVersion: v1
kind: Node
metadata: {name: n2}
status: {addresses: [{type: ExternalIP, address: 198.51.100.20}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  nodeName: n2
  containers: [{name: web, image: web, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: web}}
spec:
  nodeName: n1
  containers: [{name: db, image: db, ports: [{containerPort: 8080}]}]
";

#[test]
fn e_5_4_a_node_is_its_first_internal_ip_else_its_external_ip() {
    // E.5.4: the address a node's packets carry, as ipBlocks see it.
    let from_block = |cidr: &str| {
        let body = format!("  ingress:\n  - from: [{{ipBlock: {{cidr: {cidr}}}}}]\n");
        let a = analysis(&format!(
            "{ADDRESSED_NODES}---\n{}",
            policy("web-from-nodes", "web", &body)
        ));
        assert!(errors(&a).is_empty(), "{:#?}", errors(&a));
        let n1_to_web = pod_to_node_verdict(&a, "n1", "shop/web");
        let n2_to_db = pod_to_node_verdict(&a, "n2", "shop/db");
        (a, n1_to_web, n2_to_db)
    };
    let (a, n1, _) = from_block("10.0.0.11/32");
    assert_eq!(node_ip(&a, "n1"), "10.0.0.11");
    assert_eq!(node_ip(&a, "n2"), "198.51.100.20");
    assert_eq!(n1, "allowed");
    let (_, n1, _) = from_block("10.0.0.12/32");
    assert_eq!(n1, "denied-ingress", "only the first InternalIP");
    let (_, n1, _) = from_block("203.0.113.10/32");
    assert_eq!(
        n1, "denied-ingress",
        "an InternalIP wins over an ExternalIP"
    );
    let (_, _, n2) = from_block("198.51.100.20/32");
    assert_eq!(n2, "allowed", "without an InternalIP, the ExternalIP");
    // Without Node objects the nodes are synthesized with their own
    // addresses, which ipBlocks match the same way.
    let a = cluster("");
    let web = pod(&a, "shop/web-");
    let other = a
        .cluster
        .nodes
        .iter()
        .find(|n| n.name != node_of(&a, &web))
        .unwrap()
        .name
        .clone();
    let ip = node_ip(&a, &other);
    let body = format!("  ingress:\n  - from: [{{ipBlock: {{cidr: {ip}/32}}}}]\n");
    let a = cluster(&policy("web-from-node", "web", &body));
    assert_eq!(pod_to_node_verdict(&a, &other, &web), "allowed");
}

/// The verdict of a packet from node `node` to pod `key`'s own address.
fn pod_to_node_verdict(a: &Analysis, node: &str, key: &str) -> String {
    let t = run(
        a,
        &format!("node:{node}"),
        &format!("{}:8080", pod_ip(a, key)),
    );
    assert_eq!(t.destinations.len(), 1, "{:#?}", t.hops);
    verdicts(&t)[0].to_owned()
}

#[test]
fn e_5_9_only_the_first_packet_is_evaluated() {
    // E.5.9: connections are stateful: web may send nothing, yet api's
    // connection to web is allowed (its replies are not evaluated); web's
    // own connection to api is a separate trace, and denied.
    let a = cluster(&policy("web-no-egress", "web", "  policyTypes: [Egress]\n"));
    let (api, web) = (pod(&a, "shop/api-"), pod(&a, "shop/web-"));
    let t = pod_to_pod(&a, &api, &web, 8080, Protocol::Tcp);
    assert_eq!(verdicts(&t), ["allowed"], "{:#?}", t.hops);
    assert_eq!(policies_of(&t), [Vec::<PolicyRow>::new()]);
    let t = pod_to_pod(&a, &web, &api, 8080, Protocol::Tcp);
    assert_eq!(verdicts(&t), ["denied-egress"]);
    // Only TCP, UDP and SCTP are traced.
    for proto in ["TCP", "UDP", "SCTP"] {
        assert!(Protocol::from_option(proto).is_ok(), "{proto}");
    }
    for proto in ["ICMP", "ICMPv6", "GRE"] {
        assert!(Protocol::from_option(proto).is_err(), "{proto}");
    }
}

// ---------------------------------------------------------------- E.6

#[test]
fn e_6_4_one_egress_hop_and_one_ingress_hop_per_destination_pod() {
    // E.6.4: api (isolated for egress) to the Service `web` by address (no
    // DNS lookup): one `policy-egress` hop, one `policy-ingress` hop for
    // each of the two web pods.
    let policies = format!(
        "{}---\n{}",
        policy(
            "api-to-web",
            "api",
            "  policyTypes: [Egress]\n  egress:\n  - to: [{podSelector: {matchLabels: {app: web}}}]\n",
        ),
        policy(
            "web-from-api",
            "web",
            "  ingress:\n  - from: [{podSelector: {matchLabels: {app: api}}}]\n"
        )
    );
    let a = cluster(&policies);
    let api = pod(&a, "shop/api-");
    let t = run(
        &a,
        &format!("pod:{api}"),
        &format!("{}:80", cluster_ip(&a, "web")),
    );
    assert_eq!(t.destinations.len(), 2, "{:#?}", t.hops);
    assert_eq!(verdicts(&t), ["allowed", "allowed"]);
    assert!(t.dns.is_none());
    let ingress = hops(&t, "policy-ingress");
    assert_eq!(ingress.len(), 2, "{:#?}", t.hops);
    assert!(
        ingress.iter().all(|h| h.contains("shop/web-from-api")),
        "{ingress:#?}"
    );
    // The policy hops come after kube-proxy's.
    let first_policy = t.hops.iter().position(|h| h.step.starts_with("policy-"));
    let last_other = t
        .hops
        .iter()
        .rposition(|h| !h.step.starts_with("policy-") && h.step != "verdict");
    assert!(first_policy > last_other, "{:#?}", t.hops);
    // One egress hop for the packet, naming the policy consulted.
    let egress = hops(&t, "policy-egress");
    assert!(
        egress.iter().all(|h| h.contains("shop/api-to-web")),
        "{egress:#?}"
    );
    assert_eq!(egress.len(), 1, "{:#?}", t.hops);
}

// ---------------------------------------------------------------- E.7

/// Admin-tier and baseline-tier policies of `policy.networking.k8s.io`
/// (v1alpha1 and v1alpha2), each denying all ingress to `shop`.
const ADMIN_POLICIES: &str = "\
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny-shop}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
  ingress:
  - {name: deny-all, action: Deny, from: [{namespaces: {}}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress:
  - {name: deny-all, action: Deny, from: [{namespaces: {}}]}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: admin-deny}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {}}
  ingress:
  - {name: deny-all, action: Deny, from: [{namespaces: {}}]}
";

#[test]
fn e_7_1_admin_network_policies_are_not_built_in() {
    // E.7.1: the policy.networking.k8s.io kinds are CRDs, not built in:
    // read as unknown kinds, not validated, and not NetworkPolicies, so
    // alone they put no policy fields on a trace (E.6.1).
    let a = cluster(ADMIN_POLICIES);
    assert_eq!(a.unknown_kinds(), 3);
    let (client, web) = (pod(&a, "other/client-"), pod(&a, "shop/web-"));
    let t = pod_to_pod(&a, &client, &web, 8080, Protocol::Tcp);
    assert_eq!(t.verdict, "delivered");
    assert!(t.delivered_probability.is_none());
    assert!(
        t.destinations
            .iter()
            .all(|d| d.policy.is_none() && d.policies.is_none())
    );
}

#[test]
fn e_7_2_e_7_3_admin_tiers_are_not_evaluated_in_v1() {
    // E.7.2, E.7.3 (a later extension, E.7.5): v1 evaluates the
    // NetworkPolicy tier only; an admin Deny, even at an equal priority
    // with another admin policy, changes no verdict.
    let allow_api = policy(
        "web-from-api",
        "web",
        "  ingress:\n  - from: [{podSelector: {matchLabels: {app: api}}}]\n",
    );
    let tied = ADMIN_POLICIES
        .split("---")
        .next()
        .unwrap()
        .replace("name: deny-shop", "name: allow-shop")
        .replace("action: Deny", "action: Allow");
    let a = cluster(&format!("{ADMIN_POLICIES}---\n{tied}---\n{allow_api}"));
    let (api, web, client) = (
        pod(&a, "shop/api-"),
        pod(&a, "shop/web-"),
        pod(&a, "other/client-"),
    );
    let t = pod_to_pod(&a, &api, &web, 8080, Protocol::Tcp);
    assert_eq!(verdicts(&t), ["allowed"]);
    assert_eq!(policies_of(&t), [[row("web-from-api", "ingress", "allow")]]);
    let t = pod_to_pod(&a, &client, &web, 8080, Protocol::Tcp);
    assert_eq!(verdicts(&t), ["denied-ingress"]);
    assert_eq!(
        policies_of(&t),
        [[row("web-from-api", "ingress", "isolate")]]
    );
}

#[test]
fn e_7_4_e_7_5_pods_not_isolated_fall_to_default_allow_and_entries_stay_v1() {
    // E.7.4: a pod selected by a NetworkPolicy but not isolated in a
    // direction is not decided by that policy; with no baseline tier in v1
    // (E.7.5) the default allows. web is selected for egress only.
    let egress_only = policy("web-out", "web", "  policyTypes: [Egress]\n");
    let a = cluster(&format!("{ADMIN_POLICIES}---\n{egress_only}"));
    let (client, web) = (pod(&a, "other/client-"), pod(&a, "shop/web-"));
    let t = pod_to_pod(&a, &client, &web, 8080, Protocol::Tcp);
    assert_eq!(verdicts(&t), ["allowed"], "{:#?}", t.hops);
    assert_eq!(policies_of(&t), [Vec::<PolicyRow>::new()]);
    // E.7.5: a v1 policy entry has no `kind`, and its effect is `allow` or
    // `isolate` (never `deny` or `pass`).
    let t = pod_to_pod(&a, &web, &client, 8080, Protocol::Tcp);
    assert_eq!(verdicts(&t), ["denied-egress"]);
    let json = serde_json::to_value(&t).unwrap();
    let entries = json["destinations"][0]["policies"]
        .as_array()
        .expect("policies on the destination")
        .clone();
    assert_eq!(entries.len(), 1);
    let entry = entries[0].as_object().unwrap();
    let mut keys: Vec<&str> = entry.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["direction", "effect", "name", "namespace"]);
    assert_eq!(entry["effect"], "isolate");
}
