//! `named-target-port-protocol`: a named targetPort whose container port
//! exists with another protocol.

use super::{LintCx, finding};
use super::named_target_port_missing::{Resolution, named_targets, resolve};
use crate::codes::rule;
use crate::diag::Diagnostic;

rule! {
    /// ## What it does
    /// Reports a Service port whose named `targetPort` matches a container port by name but not by protocol (a UDP Service port naming a TCP container port).
    ///
    /// ## Why it matters
    /// `FindPort` matches name and protocol together: the name does not resolve, the pod is published without that port and gets no traffic on it. The shared name hides the mistake.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: dns
    /// spec:
    ///   selector:
    ///     app: dns
    ///   ports:
    ///   - name: dns
    ///     port: 53
    ///     protocol: UDP
    ///     targetPort: dns    # the container's port dns is TCP
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: dns
    /// spec:
    ///   selector:
    ///     matchLabels: {app: dns}
    ///   template:
    ///     metadata:
    ///       labels: {app: dns}
    ///     spec:
    ///       containers:
    ///       - name: dns
    ///         image: coredns/coredns:1.11.1
    ///         ports:
    ///         - name: dns
    ///           containerPort: 53   # protocol defaults to TCP
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: dns
    /// spec:
    ///   selector:
    ///     app: dns
    ///   ports:
    ///   - name: dns
    ///     port: 53
    ///     protocol: UDP
    ///     targetPort: dns
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: dns
    /// spec:
    ///   selector:
    ///     matchLabels: {app: dns}
    ///   template:
    ///     metadata:
    ///       labels: {app: dns}
    ///     spec:
    ///       containers:
    ///       - name: dns
    ///         image: coredns/coredns:1.11.1
    ///         ports:
    ///         - name: dns
    ///           containerPort: 53
    ///           protocol: UDP       # the Service port's protocol
    /// ```
    ///
    /// ## References
    /// Spec C.3.1 (`FindPort`).
    pub const RULE {
        code: "named-target-port-protocol",
        name: "named-target-port-protocol",
        severity: Warning,
        origin: Lint,
        summary: "A named targetPort matches a container port of another protocol.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for t in named_targets(cx) {
        let wrong: Vec<(String, String)> = resolve(cx, &t, t.port.protocol)
            .into_iter()
            .filter_map(|(owner, r)| match r {
                Resolution::WrongProtocol(p) => Some((owner, p)),
                _ => None,
            })
            .collect();
        let Some((_, other)) = wrong.first() else {
            continue;
        };
        let owners: Vec<&str> = wrong.iter().map(|(o, _)| o.as_str()).collect();
        let (name, protocol) = (t.name, &t.port.protocol);
        let mut d = finding((RULE.code, RULE.severity), t.object, t.span, format!(
                "targetPort {name:?} is a {other} port in {}, but this Service port is {protocol}",
                owners.join(", ")
            ));
        d.help = Some(format!(
            "set the Service port's protocol to {other}, or add a {protocol} container port named {name:?}"
        ));
        out.push(d);
    }
}
