//! `named-target-port-protocol`: a named targetPort whose container port
//! exists with another protocol.

use super::named_target_port_missing::{Resolution, resolve};
use super::{LintCx, Rule};
use crate::cluster::IntOrStringJson;
use crate::diag::{Diagnostic, Severity};

pub const RULE: Rule = Rule {
    code: "named-target-port-protocol",
    name: "named-target-port-protocol",
    severity: Severity::Warning,
    summary: "A named targetPort matches a container port of another protocol.",
    docs: "## What it does\nReports a Service port whose named `targetPort` matches a container port by name but not by protocol (a UDP Service port naming a TCP container port).\n\n## Why is this bad?\n`FindPort` matches name and protocol together: the name does not resolve, the pod is published without that port and gets no traffic on it. The shared name hides the mistake.\n\n## Example\n```yaml\nports:\n- name: dns\n  port: 53\n  protocol: UDP\n  targetPort: dns      # the container's port dns is TCP\n```\n\n## References\nSpec C.3.1 (`FindPort`).\n",
    origin: "lint",
};

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for svc in &cx.cluster.services {
        if svc.selector.is_none() || svc.type_ == "ExternalName" {
            continue;
        }
        let Some((object, model)) = cx.service(svc.object) else {
            continue;
        };
        for (i, port) in svc.ports.iter().enumerate() {
            let IntOrStringJson::Str(name) = &port.target_port else {
                continue;
            };
            let wrong: Vec<(String, String)> = resolve(cx, svc, name, &port.protocol)
                .into_iter()
                .filter_map(|(owner, r)| match r {
                    Resolution::WrongProtocol(p) => Some((owner, p)),
                    _ => None,
                })
                .collect();
            let Some((_, other)) = wrong.first() else {
                continue;
            };
            let span = model
                .ports
                .get(i)
                .and_then(|p| p.target_port.as_ref())
                .map_or(object.anchor_span(), |t| t.span);
            let owners: Vec<&str> = wrong.iter().map(|(o, _)| o.as_str()).collect();
            let mut d = Diagnostic::new(
                RULE.code,
                RULE.severity,
                object.source,
                span,
                format!(
                    "targetPort {name:?} is a {other} port in {}, but this Service port is {}",
                    owners.join(", "),
                    port.protocol
                ),
            )
            .with_object(Some(object.object_ref()));
            d.help = Some(format!(
                "set the Service port's protocol to {other}, or add a {} container port named {name:?}",
                port.protocol
            ));
            out.push(d);
        }
    }
}
