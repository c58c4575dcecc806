//! `netpol-implicit-ingress-isolation`: a NetworkPolicy without
//! `policyTypes` that has egress rules and no ingress rules also denies
//! every ingress (spec E.2.2, E.8.8).

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;

rule! {
    /// ## What it does
    /// Reports a NetworkPolicy with `egress` rules, no `ingress` rules and no
    /// `policyTypes`.
    ///
    /// ## Why it matters
    /// The API server defaults `policyTypes` to `[Ingress]`, plus `Egress`
    /// because there are egress rules (spec E.2.2). So a policy written to
    /// restrict where pods may connect also isolates them for ingress with no
    /// rule admitting anything: every connection to them is dropped.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web-egress
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: web}
    ///   egress:                    # no policyTypes: Ingress is isolated too
    ///   - to: [{podSelector: {matchLabels: {app: db}}}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web-egress
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: web}
    ///   policyTypes: [Egress]
    ///   egress:
    ///   - to: [{podSelector: {matchLabels: {app: db}}}]
    /// ```
    ///
    /// ## References
    /// `SetDefaults_NetworkPolicy` (`pkg/apis/networking/v1/defaults.go`); spec E.2.2, E.8.8, E.9.1.
    pub const RULE {
        code: "netpol-implicit-ingress-isolation",
        name: "netpol-implicit-ingress-isolation",
        severity: Warning,
        origin: Lint,
        summary: "An egress-only NetworkPolicy without policyTypes also denies all ingress to its pods.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for (o, np) in cx.network_policies() {
        let typed = np.policy_types.as_ref().is_some_and(|(t, _)| !t.is_empty());
        let egress = np.egress.as_ref().is_some_and(|r| !r.is_empty());
        let ingress = np.ingress.as_ref().is_some_and(|r| !r.is_empty());
        if typed || !egress || ingress {
            continue;
        }
        let mut d = finding(
            (RULE.code, RULE.severity),
            o,
            np.spec_span,
            format!(
                "NetworkPolicy {}/{} has egress rules and no policyTypes: it is [Ingress, Egress], so every ingress to its pods is denied",
                o.namespace,
                o.name()
            ),
        );
        d.help = Some("set `policyTypes: [Egress]` to restrict egress only".to_owned());
        out.push(d);
    }
}
