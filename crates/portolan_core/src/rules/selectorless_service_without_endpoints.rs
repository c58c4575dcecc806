//! `selectorless-service-without-endpoints`: a Service without a selector
//! and without any EndpointSlice or Endpoints feeding it.

use super::{LintCx, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::Body;

pub const RULE: Rule = Rule {
    code: "selectorless-service-without-endpoints",
    name: "selectorless-service-without-endpoints",
    severity: Severity::Info,
    summary: "A Service without a selector has no EndpointSlice or Endpoints in the input.",
    docs: "## What it does\nReports a non-ExternalName Service without a selector when the input has no EndpointSlice labelled `kubernetes.io/service-name` with its name, and no Endpoints object of its name, in its namespace.\n\n## Why is this bad?\nNo controller creates endpoints for such a Service: unless something outside these manifests does, every connection is rejected. (It is reported as information because operators often manage these endpoints elsewhere.)\n\n## Example\n```yaml\nkind: Service\nmetadata: {name: legacy-db}\nspec:\n  ports: [{port: 5432}]   # no selector, no EndpointSlice\n```\n\n## References\nSpec B.1.2, C.6.\n",
    origin: "lint",
};

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    // (namespace, Service name) that an EndpointSlice or Endpoints object feeds.
    let fed: std::collections::HashSet<(&str, &str)> = cx
        .objects
        .iter()
        .filter_map(|o| {
            let name = match &o.body {
                Body::EndpointSlice(_) => o.meta.labels.get("kubernetes.io/service-name")?,
                Body::Endpoints(_) => o.name(),
                _ => return None,
            };
            Some((o.namespace.as_str(), name))
        })
        .collect();
    for svc in &cx.cluster.services {
        if svc.selector.is_some() || svc.external_name.is_some() || !svc.endpoints.is_empty() {
            continue;
        }
        if fed.contains(&(svc.namespace.as_str(), svc.name.as_str())) {
            continue;
        }
        let Some((o, _)) = cx.service(svc.object) else {
            continue;
        };
        let mut d = Diagnostic::new(
            RULE.code,
            RULE.severity,
            o.source,
            o.anchor_span(),
            format!(
                "Service {}/{} has no selector and nothing in the input gives it endpoints",
                svc.namespace, svc.name
            ),
        )
        .with_object(Some(o.object_ref()));
        d.help = Some("add a selector, or an EndpointSlice labelled kubernetes.io/service-name with the Service's name".to_owned());
        out.push(d);
    }
}
