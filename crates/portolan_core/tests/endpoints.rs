//! Endpoints as the EndpointSlice controller publishes them: one test per
//! rule of spec C (and B.1 for Service selectors).

use portolan_core::analysis::{Analysis, analyze};
use portolan_core::profile::Profile;
use portolan_core::snapshot::{ClusterService, Endpoint};
use portolan_core::source::Source;

fn analysis(text: &str) -> Analysis {
    analyze(
        vec![Source::new("t.yaml", text.to_owned())],
        &Profile::default(),
    )
    .unwrap()
}

fn svc<'a>(a: &'a Analysis, name: &str) -> &'a ClusterService {
    a.cluster.services.iter().find(|s| s.name == name).unwrap()
}

fn by_pod<'a>(s: &'a ClusterService, pod: &str) -> Vec<&'a Endpoint> {
    s.endpoints
        .iter()
        .filter(|e| e.pod.as_deref() == Some(pod))
        .collect()
}

fn pod(name: &str, labels: &str, status: &str, extra_spec: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels: {labels}\n  uid: u-{name}\nspec:\n  nodeName: n1\n{extra_spec}  containers:\n  - name: c\n    image: x\n    ports:\n    - {{name: http, containerPort: 8080}}\n    - {{name: dns, containerPort: 5353, protocol: UDP}}\nstatus:\n{status}---\n"
    )
}

const NODE: &str = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus:\n  addresses: [{type: InternalIP, address: 192.168.1.1}]\n---\n";
const READY: &str =
    "  phase: Running\n  podIP: 10.244.1.1\n  conditions: [{type: Ready, status: \"True\"}]\n";

#[test]
fn c_1_1_external_name_and_b_1_2_b_1_3_selectorless_services_get_no_managed_endpoints() {
    let text = format!(
        "{NODE}{}apiVersion: v1\nkind: Service\nmetadata: {{name: ext}}\nspec:\n  type: ExternalName\n  externalName: x.example.com\n  selector: {{app: a}}\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: empty}}\nspec:\n  selector: {{}}\n  ports: [{{port: 80}}]\n",
        pod("p", "{app: a}", READY, "")
    );
    let a = analysis(&text);
    assert!(svc(&a, "ext").endpoints.is_empty());
    // B.1.3: `selector: {}` is no selector, not "select everything".
    assert!(svc(&a, "empty").selector.is_none());
    assert!(svc(&a, "empty").endpoints.is_empty());
}

#[test]
fn c_2_1_terminal_and_ip_less_pods_are_excluded() {
    let text = format!(
        "{NODE}{}{}{}apiVersion: v1\nkind: Service\nmetadata: {{name: s}}\nspec:\n  selector: {{app: a}}\n  ports: [{{port: 80, targetPort: 8080}}]\n",
        pod(
            "done",
            "{app: a}",
            "  phase: Succeeded\n  podIP: 10.244.1.2\n",
            ""
        ),
        pod("noip", "{app: a}", "  phase: Pending\n", ""),
        pod(
            "pending",
            "{app: a}",
            "  phase: Pending\n  podIP: 10.244.1.3\n",
            ""
        ),
    );
    let a = analysis(&text);
    let s = svc(&a, "s");
    assert!(by_pod(s, "default/done").is_empty());
    assert!(by_pod(s, "default/noip").is_empty());
    // Pending is not excluded by phase; it is not ready (no Ready condition).
    let p = by_pod(s, "default/pending");
    assert_eq!(p.len(), 1);
    assert!(!p[0].ready && !p[0].serving);
}

#[test]
fn c_2_5_conditions_table_with_publish_not_ready_addresses() {
    let unready =
        "  phase: Running\n  podIP: 10.244.1.4\n  conditions: [{type: Ready, status: \"False\"}]\n";
    let text = format!(
        "{NODE}{}{}apiVersion: v1\nkind: Service\nmetadata: {{name: s}}\nspec:\n  selector: {{app: a}}\n  ports: [{{port: 80}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: pnra}}\nspec:\n  publishNotReadyAddresses: true\n  selector: {{app: a}}\n  ports: [{{port: 80}}]\n",
        pod("ready", "{app: a}", READY, ""),
        pod("unready", "{app: a}", unready, ""),
    );
    let a = analysis(&text);
    let cond = |s: &str, p: &str| {
        let e = by_pod(svc(&a, s), p)[0];
        (e.ready, e.serving, e.terminating)
    };
    assert_eq!(cond("s", "default/ready"), (true, true, false));
    assert_eq!(cond("s", "default/unready"), (false, false, false));
    assert_eq!(cond("pnra", "default/unready"), (true, false, false));
}

#[test]
fn c_2_4_hostname_only_when_the_subdomain_names_the_service() {
    let text = format!(
        "{NODE}{}{}apiVersion: v1\nkind: Service\nmetadata: {{name: hs}}\nspec:\n  clusterIP: None\n  selector: {{app: a}}\n",
        pod("p0", "{app: a}", READY, "  hostname: p0\n  subdomain: hs\n"),
        pod(
            "p1",
            "{app: a}",
            "  phase: Running\n  podIP: 10.244.1.5\n  conditions: [{type: Ready, status: \"True\"}]\n",
            "  hostname: p1\n  subdomain: other\n"
        ),
    );
    let a = analysis(&text);
    let d = portolan_core::dns::query(
        &a.cluster,
        "cluster.local",
        "p0.hs.default.svc.cluster.local",
        portolan_core::dns::QType::A,
    );
    assert_eq!(d.rcode, "NOERROR");
    let d = portolan_core::dns::query(
        &a.cluster,
        "cluster.local",
        "p1.hs.default.svc.cluster.local",
        portolan_core::dns::QType::A,
    );
    assert_eq!(d.rcode, "NXDOMAIN");
    // C.3.4: a headless Service without ports lists addresses only.
    assert!(svc(&a, "hs").endpoints.iter().all(|e| e.port.is_none()));
}

#[test]
fn c_3_1_named_target_ports_resolve_per_pod_and_protocol_including_sidecars() {
    let sidecar = "  initContainers:\n  - name: proxy\n    image: envoy\n    restartPolicy: Always\n    ports: [{name: admin, containerPort: 15000}]\n  - name: init\n    image: setup\n    ports: [{name: setup, containerPort: 9999}]\n";
    let text = format!(
        "{NODE}{}apiVersion: v1\nkind: Service\nmetadata: {{name: s}}\nspec:\n  selector: {{app: a}}\n  ports:\n  - {{name: web, port: 80, targetPort: http}}\n  - {{name: dns-udp, port: 53, protocol: UDP, targetPort: dns}}\n  - {{name: dns-tcp, port: 53, targetPort: dns}}\n  - {{name: admin, port: 15000, targetPort: admin}}\n  - {{name: setup, port: 9999, targetPort: setup}}\n",
        pod("p", "{app: a}", READY, sidecar)
    );
    let a = analysis(&text);
    let ports: Vec<(Option<String>, Option<i64>)> = by_pod(svc(&a, "s"), "default/p")
        .iter()
        .map(|e| (e.port_name.as_deref().map(str::to_owned), e.port))
        .collect();
    assert!(ports.contains(&(Some("web".into()), Some(8080))));
    assert!(ports.contains(&(Some("dns-udp".into()), Some(5353))));
    // The TCP Service port finds no TCP port named dns: omitted for this pod.
    assert!(!ports.iter().any(|(n, _)| n.as_deref() == Some("dns-tcp")));
    // Restartable init containers (sidecars) are searched; others are not.
    assert!(ports.contains(&(Some("admin".into()), Some(15000))));
    assert!(!ports.iter().any(|(n, _)| n.as_deref() == Some("setup")));
}

#[test]
fn c_3_3_a_pod_resolving_no_port_is_listed_without_ports() {
    let text = format!(
        "{NODE}{}apiVersion: v1\nkind: Service\nmetadata: {{name: s}}\nspec:\n  selector: {{app: a}}\n  ports: [{{name: x, port: 80, targetPort: nope}}]\n",
        pod("p", "{app: a}", READY, "")
    );
    let a = analysis(&text);
    let e = by_pod(svc(&a, "s"), "default/p");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].port, None);
}

#[test]
fn c_4_addresses_follow_the_service_ip_families() {
    let dual = "  phase: Running\n  podIP: 10.244.1.9\n  podIPs: [{ip: 10.244.1.9}, {ip: \"fd00::9\"}]\n  conditions: [{type: Ready, status: \"True\"}]\n";
    let text = format!(
        "{NODE}{}apiVersion: v1\nkind: Service\nmetadata: {{name: v6}}\nspec:\n  clusterIP: \"fd00:10:96::10\"\n  clusterIPs: [\"fd00:10:96::10\"]\n  ipFamilies: [IPv6]\n  selector: {{app: a}}\n  ports: [{{port: 80}}]\n",
        pod("p", "{app: a}", dual, "")
    );
    let a = analyze(
        vec![Source::new("t.yaml", text)],
        &Profile::from_json(
            r#"{"serviceCIDR": "10.96.0.0/12,fd00:10:96::/112", "ipFamilies": ["IPv4", "IPv6"]}"#,
        )
        .unwrap(),
    )
    .unwrap();
    let ips: Vec<&str> = svc(&a, "v6")
        .endpoints
        .iter()
        .map(|e| e.ip.as_str())
        .collect();
    assert_eq!(ips, ["fd00::9"]);
}

#[test]
fn c_6_manual_slices_by_label_ports_by_name_defaults_and_mirroring() {
    let text = "\
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  ports: [{name: pg, port: 5432}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: db-1
  labels: {kubernetes.io/service-name: db}
addressType: IPv4
ports: [{name: pg, port: 6432}, {name: other, port: 1}]
endpoints:
- addresses: [10.0.0.1]
- addresses: [10.0.0.2]
  conditions: {ready: false}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: unlabelled}
addressType: IPv4
ports: [{name: pg, port: 6432}]
endpoints: [{addresses: [10.0.0.3]}]
---
apiVersion: v1
kind: Service
metadata: {name: legacy}
spec:
  ports: [{port: 3306}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: legacy}
subsets:
- addresses: [{ip: 10.0.1.1}]
  notReadyAddresses: [{ip: 10.0.1.2}]
  ports: [{port: 3306}]
---
apiVersion: v1
kind: Service
metadata: {name: skipped}
spec:
  ports: [{port: 3306}]
---
apiVersion: v1
kind: Endpoints
metadata:
  name: skipped
  labels: {endpointslice.kubernetes.io/skip-mirror: \"true\"}
subsets:
- addresses: [{ip: 10.0.2.1}]
  ports: [{port: 3306}]
";
    let a = analysis(text);
    let db = svc(&a, "db");
    // C.6.1 only the labelled slice; C.6.2 ports matched by name, the slice's
    // number is the destination; C.6.3 conditions default to ready.
    let got: Vec<(&str, Option<i64>, bool)> = db
        .endpoints
        .iter()
        .map(|e| (e.ip.as_str(), e.port, e.ready))
        .collect();
    assert_eq!(
        got,
        [
            ("10.0.0.1", Some(6432), true),
            ("10.0.0.2", Some(6432), false)
        ]
    );
    // C.6.4 legacy Endpoints are mirrored, unless marked to skip.
    let legacy: Vec<(&str, bool)> = svc(&a, "legacy")
        .endpoints
        .iter()
        .map(|e| (e.ip.as_str(), e.ready))
        .collect();
    assert_eq!(legacy, [("10.0.1.1", true), ("10.0.1.2", false)]);
    assert!(svc(&a, "skipped").endpoints.is_empty());
}

#[test]
fn c_1_2_c_1_3_selection_is_by_selector_within_the_namespace_only() {
    let other_ns = pod("far", "{app: web}", READY, "").replace(
        "metadata:\n  name: far",
        "metadata:\n  namespace: other\n  name: far",
    );
    let text = format!(
        "{NODE}{}{}{other_ns}apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec:\n  selector: {{app: web}}\n  ports: [{{name: http, port: 80, targetPort: http}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: manual}}\nspec:\n  ports: [{{name: http, port: 80}}]\n",
        pod("near", "{app: web}", READY, ""),
        pod("stranger", "{app: db}", READY, ""),
    );
    let a = analysis(&text);
    let pods: Vec<_> = svc(&a, "web")
        .endpoints
        .iter()
        .filter_map(|e| e.pod.as_deref().map(str::to_owned))
        .collect();
    // C.1.3: only matching pods of the Service's own namespace.
    assert_eq!(pods, ["default/near"]);
    // C.1.2: no selector, no controller-managed endpoints (C.6 instead).
    assert!(svc(&a, "manual").endpoints.is_empty());
}

#[test]
fn c_1_4_a_selector_service_with_no_usable_pod_is_drawn_with_no_endpoints() {
    let text = format!(
        "{NODE}apiVersion: v1\nkind: Service\nmetadata: {{name: lonely}}\nspec:\n  selector: {{app: nobody}}\n  ports: [{{port: 80}}]\n"
    );
    let a = analysis(&text);
    // The controller publishes an empty placeholder slice: no endpoints,
    // and the Service is still there (kube-proxy REJECTs, D.3.3).
    assert!(svc(&a, "lonely").endpoints.is_empty());
    let g = portolan_core::graph::build(&a);
    let json: serde_json::Value =
        serde_json::from_str(&portolan_core::output::graph_json::render(&a, &g)).unwrap();
    assert_eq!(json["services"][0]["endpoints"], serde_json::json!([]));
}

#[test]
fn c_2_2_addresses_come_from_pod_ips_of_the_slice_family() {
    let dual = "  phase: Running\n  podIP: 10.244.1.7\n  podIPs: [{ip: 10.244.1.7}, {ip: 'fd00::7'}]\n  conditions: [{type: Ready, status: \"True\"}]\n";
    let text = format!(
        "{NODE}{}apiVersion: v1\nkind: Service\nmetadata: {{name: v6}}\nspec:\n  ipFamilies: [IPv6]\n  ipFamilyPolicy: SingleStack\n  selector: {{app: web}}\n  ports: [{{name: http, port: 80, targetPort: http}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: v4}}\nspec:\n  selector: {{app: web}}\n  ports: [{{name: http, port: 80, targetPort: http}}]\n",
        pod("dual", "{app: web}", dual, "")
    );
    // A dual-stack cluster, so the IPv6 Service is accepted.
    let profile = Profile {
        service_cidr: "10.96.0.0/12,fd00:10:96::/112".into(),
        ip_families: vec!["IPv4".into(), "IPv6".into()],
        ..Profile::default()
    };
    let a = analyze(vec![Source::new("t.yaml", text)], &profile).unwrap();
    assert!(
        a.diagnostics
            .iter()
            .all(|d| d.severity != portolan_core::diag::Severity::Error),
        "{:?}",
        a.diagnostics
    );
    let ips =
        |s: &str| -> Vec<String> { svc(&a, s).endpoints.iter().map(|e| e.ip.clone()).collect() };
    assert_eq!(ips("v4"), ["10.244.1.7"]);
    assert_eq!(ips("v6"), ["fd00::7"]);
}

#[test]
fn c_2_6_two_pods_with_one_ip_are_both_listed() {
    let same = READY; // both pods report 10.244.1.1
    let text = format!(
        "{NODE}{}{}apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec:\n  selector: {{app: web}}\n  ports: [{{name: http, port: 80, targetPort: http}}]\n",
        pod("a", "{app: web}", same, ""),
        pod("b", "{app: web}", same, ""),
    );
    let a = analysis(&text);
    let eps = &svc(&a, "web").endpoints;
    assert_eq!(eps.len(), 2, "no dedup in the controller");
    assert!(eps.iter().all(|e| e.ip == "10.244.1.1"));
}

#[test]
fn c_3_2_endpoint_ports_carry_the_service_port_name_and_protocol() {
    let text = format!(
        "{NODE}{}apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec:\n  selector: {{app: web}}\n  ports:\n  - {{name: web, port: 80, targetPort: http}}\n  - {{name: resolver, port: 53, targetPort: dns, protocol: UDP}}\n",
        pod("a", "{app: web}", READY, ""),
    );
    let a = analysis(&text);
    let mut got: Vec<(Option<String>, Option<i64>, String)> = svc(&a, "web")
        .endpoints
        .iter()
        .map(|e| {
            (
                e.port_name.as_deref().map(str::to_owned),
                e.port,
                e.protocol
                    .map_or_else(String::new, |p| p.as_str().to_owned()),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            (Some("resolver".to_owned()), Some(5353), "UDP".to_owned()),
            (Some("web".to_owned()), Some(8080), "TCP".to_owned()),
        ]
    );
}

#[test]
fn c_5_controller_managed_slices_are_the_controllers_own() {
    // A live dump carries the slices the controller wrote for a selector
    // Service (labelled managed-by and service-name, C.5): the Service's
    // endpoints still come from its pods, and the slice is no orphan.
    let managed = "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: web-abc12\n  uid: s1\n  labels:\n    kubernetes.io/service-name: web\n    endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io\naddressType: IPv4\nports: [{name: http, port: 8080, protocol: TCP}]\nendpoints:\n- addresses: [10.244.9.9]\n  conditions: {ready: true}\n---\n";
    let text = format!(
        "{NODE}{}{managed}apiVersion: v1\nkind: Service\nmetadata: {{name: web, uid: w1}}\nspec:\n  clusterIP: 10.96.0.77\n  selector: {{app: web}}\n  ports: [{{name: http, port: 80, targetPort: http}}]\n",
        pod("a", "{app: web}", READY, ""),
    );
    let a = analysis(&text);
    let ips: Vec<_> = svc(&a, "web")
        .endpoints
        .iter()
        .map(|e| e.ip.as_str())
        .collect();
    assert_eq!(ips, ["10.244.1.1"], "from the pods, not the stale slice");
    assert!(
        a.diagnostics
            .iter()
            .all(|d| d.code != "endpointslice-orphaned"),
        "{:?}",
        a.diagnostics
    );
}
