//! `reference-unreachable`: NetworkPolicy denies a container the Service it
//! names.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::reference_to_missing_service::referrer;
use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::netpol::{Connection, Party, Policies, Verdict, view_of};
use crate::refs::Target;

rule! {
    /// ## What it does
    /// For each client reference (interfaces.md §6.5) that resolves to a
    /// Service port, evaluates the NetworkPolicies of the input on the
    /// connection from the referring pods through the Service to its ready
    /// endpoints, after kube-proxy's DNAT (spec E.5): egress on the client,
    /// ingress on the endpoint, on the targetPort. Reports the reference
    /// when no endpoint admits it, naming the direction and the policies.
    ///
    /// ## Why it matters
    /// The manifests say the client calls the Service, and the policies
    /// say it may not: the connection times out. Policies written on the
    /// Service port instead of the targetPort, or an ingress allow-list
    /// that forgot one caller, are the usual causes, and nothing fails
    /// until the call is made.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels: {app: web}
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: web:1.0
    ///     env:
    ///     - name: API_ADDR
    ///       value: api:80
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    ///   labels: {app: api}
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: api:1.0
    ///     ports: [{containerPort: 8080}]
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector: {app: api}
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api-ingress
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: api}
    ///   ingress:
    ///   - from: [{podSelector: {matchLabels: {app: web}}}]
    ///     ports: [{port: 80}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels: {app: web}
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: web:1.0
    ///     env:
    ///     - name: API_ADDR
    ///       value: api:80
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    ///   labels: {app: api}
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: api:1.0
    ///     ports: [{containerPort: 8080}]
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    /// spec:
    ///   selector: {app: api}
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api-ingress
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: api}
    ///   ingress:
    ///   - from: [{podSelector: {matchLabels: {app: web}}}]
    ///     ports: [{port: 8080}]
    /// ```
    ///
    /// ## References
    /// Kubernetes docs, *Network Policies*; interfaces.md §6.1, §6.5;
    /// spec E.5, E.6.
    pub const RULE {
        code: "reference-unreachable",
        name: "reference-unreachable",
        severity: Warning,
        origin: Lint,
        summary: "NetworkPolicy denies a container the Service it names.",
    }
}

/// Why no ready endpoint of Service port `sp` admits `sv`'s connection
/// (verdict and policies), or `None` when one does or there is none.
fn denials(
    cx: &LintCx<'_>,
    policies: &Policies,
    by_key: &HashMap<String, usize>,
    sv: &crate::netpol::PodView,
    svc: &crate::snapshot::ClusterService,
    sp: &crate::snapshot::ClusterPort,
) -> Option<BTreeSet<(&'static str, String)>> {
    let mut tried = HashSet::new();
    let mut denied: BTreeSet<(&'static str, String)> = BTreeSet::new();
    for e in svc.endpoints.iter().filter(|e| {
        e.ready
            && e.port_name.as_deref().unwrap_or("") == sp.name
            && e.protocol.is_none_or(|p| p == sp.protocol)
    }) {
        let (Some(key), Some(port)) = (e.pod.as_deref(), e.port) else {
            continue;
        };
        let Some(&q) = by_key.get(key) else { continue };
        let pod = &cx.cluster.pods[q];
        if !tried.insert((pod.namespace.clone(), pod.labels.clone(), port))
            || tried.len() > DESTINATIONS
        {
            continue;
        }
        let qv = view_of(cx.objects, pod);
        let conn = Connection {
            source_pod: Some(sv),
            egress_peer: Party::Pod(&qv),
            egress_port: port,
            dest_pod: (!qv.host_network).then_some(&qv),
            ingress_peer: Party::Pod(sv),
            port,
            protocol: sp.protocol,
            to_self: false,
            from_local_node: false,
        };
        let d = policies.decide(&conn);
        if d.verdict == Verdict::Allowed {
            return None;
        }
        let names: Vec<String> = d
            .policies
            .iter()
            .map(|p| format!("{}/{}", p.namespace, p.name))
            .collect();
        denied.insert((d.verdict.as_str(), names.join(", ")));
    }
    (!denied.is_empty()).then_some(denied)
}

/// Endpoints tried per reference: pods of one workload share a verdict, so
/// a few distinct label sets decide it.
const DESTINATIONS: usize = 64;

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    if cx.network_policies().next().is_none() || cx.references.is_empty() {
        return;
    }
    let policies = Policies::new(cx.objects, &cx.rejected, &cx.cluster.pods);
    let mut first_pod: HashMap<usize, usize> = HashMap::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, p) in cx.cluster.pods.iter().enumerate() {
        first_pod.entry(p.object).or_insert(i);
        by_key.insert(p.key(), i);
    }
    for r in cx.references {
        let Target::Service {
            service,
            port: Some(pi),
        } = r.target
        else {
            continue;
        };
        let svc = &cx.cluster.services[service];
        let sp = &svc.ports[pi];
        let Some(&src) = first_pod.get(&r.object) else {
            continue;
        };
        let sv = view_of(cx.objects, &cx.cluster.pods[src]);
        if sv.host_network {
            continue;
        }
        let Some(denied) = denials(cx, &policies, &by_key, &sv, svc, sp) else {
            continue;
        };
        let why: Vec<String> = denied
            .into_iter()
            .map(|(verdict, by)| {
                if by.is_empty() {
                    verdict.to_owned()
                } else {
                    format!("{verdict} by {by}")
                }
            })
            .collect();
        let mut d = finding(
            (RULE.code, RULE.severity),
            &cx.objects[r.at_object],
            r.at.1,
            format!(
                "{} calls {} ({}), but NetworkPolicy lets none of Service {}/{}'s endpoints on port {}/{} accept it: {}",
                referrer(cx, r),
                r.text,
                r.describe_source(),
                svc.namespace,
                svc.name,
                sp.port,
                sp.protocol,
                why.join("; ")
            ),
        );
        d.help = Some(format!(
            "policies see the packet after kube-proxy's DNAT: allow the client's pods to the endpoints on the targetPort ({}), not the Service port; `portolan trace --from pod:… --to {}` shows each hop",
            sp.target_port_text(),
            r.text
        ));
        out.push(d);
    }
}
