//! `listener-unsupported-protocol`: a Gateway listener's protocol is neither a core protocol nor domain-prefixed.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;

rule! {
    /// ## What it does
    /// Checks each listener's `protocol` against the core values `HTTP`, `HTTPS`, `TLS`, `TCP` and `UDP`; implementation-specific protocols must be domain-prefixed (`example.com/proto`).
    ///
    /// ## Why it matters
    /// The CRD checks a pattern, not an enum, so `http` or `Http` is stored; the controller then refuses the listener (`UnsupportedProtocol`) and no route attaches to it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: Gateway
    /// metadata:
    ///   name: edge
    ///   namespace: infra
    /// spec:
    ///   gatewayClassName: eg
    ///   listeners:
    ///   - name: http
    ///     protocol: http         # protocols are case-sensitive
    ///     port: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: Gateway
    /// metadata:
    ///   name: edge
    ///   namespace: infra
    /// spec:
    ///   gatewayClassName: eg
    ///   listeners:
    ///   - name: http
    ///     protocol: HTTP
    ///     port: 80
    /// ```
    ///
    /// ## References
    /// Gateway API `ProtocolType`; spec H.1.5, I.11.
    pub const RULE {
        code: "listener-unsupported-protocol",
        name: "listener-unsupported-protocol",
        severity: Warning,
        origin: Lint,
        summary: "A Gateway listener's protocol is neither a core protocol nor domain-prefixed.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for g in &cx.routing().gateways {
        let o = &cx.objects[g.object];
        for l in &g.gateway.listeners {
            let Some(p) = &l.protocol else { continue };
            if matches!(p.value.as_str(), "HTTP" | "HTTPS" | "TLS" | "TCP" | "UDP") || p.value.contains('/') {
                continue;
            }
            let hint = ["HTTP", "HTTPS", "TLS", "TCP", "UDP"]
                .iter()
                .find(|c| c.eq_ignore_ascii_case(&p.value))
                .map_or(String::new(), |c| format!(" (did you mean {c}?)"));
            out.push(finding(
                (RULE.code, RULE.severity),
                o,
                p.span,
                format!(
                    "Gateway {} listener {}: protocol {:?} is not a core protocol and not domain-prefixed{hint}; the controller refuses the listener",
                    g.key(),
                    l.name.as_ref().map_or("?", |n| n.value.as_str()),
                    p.value
                ),
            ));
        }
    }
}
