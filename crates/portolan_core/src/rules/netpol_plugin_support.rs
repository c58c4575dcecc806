//! `netpol-plugin-support`: `endPort` or SCTP in a NetworkPolicy, which
//! some network plugins do not enforce (spec E.4.8, E.8.12).

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;

rule! {
    /// ## What it does
    /// Notes each NetworkPolicy port that uses `endPort` (a port range) or
    /// the SCTP protocol.
    ///
    /// ## Why it matters
    /// Kubernetes validates both, but leaves enforcement to the network
    /// plugin: some plugins ignore `endPort` and enforce only `port`, some
    /// lack SCTP. Portolan evaluates them as the API defines them; check that
    /// your plugin does too before relying on the range.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: media
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: media}
    ///   ingress:
    ///   - ports: [{port: 32000, endPort: 32768}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: media
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: media}
    ///   ingress:
    ///   - ports: [{port: 32000}]   # or keep the range where the plugin supports it
    /// ```
    ///
    /// ## References
    /// Kubernetes docs, *Network Policies* ("Targeting a range of ports"); cilium #28684; spec E.4.8, E.8.12.
    pub const RULE {
        code: "netpol-plugin-support",
        name: "netpol-plugin-support",
        severity: Info,
        origin: Lint,
        summary: "A NetworkPolicy uses endPort or SCTP, which some network plugins do not enforce.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for (o, np) in cx.network_policies() {
        for port in [&np.ingress, &np.egress]
            .into_iter()
            .flatten()
            .flatten()
            .flat_map(|r| r.ports.iter())
        {
            let what = if let Some(end) = &port.end_port {
                Some((end.span, "endPort (a port range)"))
            } else {
                port.protocol
                    .as_ref()
                    .filter(|p| p.value == "SCTP")
                    .map(|p| (p.span, "the SCTP protocol"))
            };
            if let Some((span, what)) = what {
                out.push(finding(
                    (RULE.code, RULE.severity),
                    o,
                    span,
                    format!(
                        "NetworkPolicy {}/{} uses {what}: enforced only where the network plugin supports it",
                        o.namespace,
                        o.name()
                    ),
                ));
            }
        }
    }
}
