//! `reference-unreachable`: NetworkPolicy denies a container the Service it
//! names.

use super::LintCx;
use super::reference_to_missing_service::at_reference;
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::netpol::Policies;
use crate::refs::{PolicyCheck, Target};

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

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    if cx.network_policies().next().is_none() || cx.references.is_empty() {
        return;
    }
    let policies = Policies::new(cx.objects, &cx.rejected, &cx.cluster.pods);
    let check = PolicyCheck::new(cx.objects, cx.cluster, &policies);
    for r in cx.references {
        let Some(why) = check.denials(r) else {
            continue;
        };
        let Target::Service {
            service,
            port: Some(pi),
        } = r.target
        else {
            continue;
        };
        let svc = &cx.cluster.services[service];
        let sp = &svc.ports[pi];
        let mut d = at_reference(
            cx,
            (RULE.code, RULE.severity),
            r,
            &format!(
                "but NetworkPolicy lets none of Service {}/{}'s endpoints on port {}/{} accept it: {}",
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
