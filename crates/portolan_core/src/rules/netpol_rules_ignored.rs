//! `netpol-rules-ignored`: ingress or egress rules in a NetworkPolicy whose
//! explicit `policyTypes` leaves that direction out (spec E.3.3, E.8.7).

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;

rule! {
    /// ## What it does
    /// Reports a NetworkPolicy that has `ingress` (or `egress`) rules while its
    /// explicit `policyTypes` does not list `Ingress` (or `Egress`).
    ///
    /// ## Why it matters
    /// The API server accepts the policy and ignores those rules: a
    /// direction's rules are consulted only when the direction is in
    /// `policyTypes` (spec E.3.3). The rules look like they allow or restrict
    /// traffic; they do nothing.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: api}
    ///   policyTypes: [Ingress]
    ///   ingress:
    ///   - from: [{podSelector: {matchLabels: {app: web}}}]
    ///   egress:                # ignored: Egress is not in policyTypes
    ///   - to: [{podSelector: {matchLabels: {app: db}}}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: api}
    ///   policyTypes: [Ingress, Egress]
    ///   ingress:
    ///   - from: [{podSelector: {matchLabels: {app: web}}}]
    ///   egress:
    ///   - to: [{podSelector: {matchLabels: {app: db}}}]
    /// ```
    ///
    /// ## References
    /// `networking/v1` types.go (`policyTypes`); spec E.3.3, E.8.7, E.9.11.
    pub const RULE {
        code: "netpol-rules-ignored",
        name: "netpol-rules-ignored",
        severity: Warning,
        origin: Lint,
        summary: "NetworkPolicy rules of a direction its explicit policyTypes leaves out are ignored.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for (o, np) in cx.network_policies() {
        let Some((types, span)) = &np.policy_types else {
            continue;
        };
        if types.is_empty() {
            continue;
        }
        for (direction, listed, rules) in [
            ("ingress", "Ingress", &np.ingress),
            ("egress", "Egress", &np.egress),
        ] {
            let has_rules = rules.as_ref().is_some_and(|r| !r.is_empty());
            if has_rules && !types.iter().any(|t| t.value == listed) {
                let at = rules
                    .as_ref()
                    .and_then(|r| r.first())
                    .map_or(*span, |r| r.span);
                let mut d = finding(
                    (RULE.code, RULE.severity),
                    o,
                    at,
                    format!(
                        "NetworkPolicy {}/{}: its {direction} rules are ignored, policyTypes does not list {listed}",
                        o.namespace,
                        o.name()
                    ),
                );
                d.help = Some(format!(
                    "add {listed} to policyTypes to apply them (it also isolates the pods for {direction}), or delete them"
                ));
                out.push(d);
            }
        }
    }
}
