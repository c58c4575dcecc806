//! `external-name-ignored-fields`: ports or a selector on an ExternalName
//! Service, which Kubernetes accepts and ignores.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;

rule! {
    /// ## What it does
    /// Reports `spec.selector` on Services of type ExternalName, and their `spec.ports` when a port has a `targetPort` other than its `port` (ports without a translation are left alone).
    ///
    /// ## Why it matters
    /// An ExternalName Service is only a DNS CNAME: no endpoints are created from the selector and no port is translated or even checked. Such fields suggest the author expected proxying that never happens.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
    ///   type: ExternalName
    ///   externalName: db.example.com
    ///   ports:
    ///   - port: 5432
    ///     targetPort: 6432   # no translation happens: clients connect to port 5432
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
    ///   type: ExternalName
    ///   externalName: db.example.com   # a CNAME: clients connect to db.example.com:6432
    /// ```
    ///
    /// ## References
    /// Spec A.7.2, C.1.1, D.6.1.
    pub const RULE {
        code: "external-name-ignored-fields",
        name: "external-name-ignored-fields",
        severity: Warning,
        origin: Lint,
        summary: "An ExternalName Service has ports or a selector, which are ignored.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for svc in &cx.cluster.services {
        if svc.external_name.is_none() {
            continue;
        }
        let Some((o, model)) = cx.service(svc.object) else {
            continue;
        };
        if let Some(sel) = &model.selector {
            out.push(finding((RULE.code, RULE.severity), o, sel.span, format!("the selector of ExternalName Service {}/{} is ignored: it gets no endpoints", svc.namespace, svc.name)));
        }
        let translated = svc
            .ports
            .iter()
            .any(|p| p.target_port_text() != p.port.to_string());
        if translated && let Some(span) = model.ports_span {
            let mut d = finding((RULE.code, RULE.severity), o, span, format!("the ports of ExternalName Service {}/{} are ignored: clients connect to the external name on the port they chose, no targetPort applies", svc.namespace, svc.name));
            d.help = Some("connect to the external service's real port, or use a Service with endpoints to translate ports".to_owned());
            out.push(d);
        }
    }
}
