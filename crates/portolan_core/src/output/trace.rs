//! `portolan trace` in the human format (the JSON is the `Trace` itself).

use std::fmt::Write as _;

use crate::sim::{Destination, Trace};

/// The human rendering of a trace.
pub fn human(trace: &Trace) -> String {
    let mut s = String::new();
    // Steps are padded to the longest (at least 11, the width of the
    // kube-proxy steps) so that the details line up.
    let width = trace
        .hops
        .iter()
        .map(|h| h.step.chars().count())
        .max()
        .unwrap_or(0)
        .max(11);
    for (i, h) in trace.hops.iter().enumerate() {
        let _ = writeln!(s, "{:>2}. {:<width$} {}", i + 1, h.step, h.detail);
    }
    let _ = writeln!(s, "verdict: {}", trace.verdict);
    if let Some(c) = &trace.cname {
        let _ = writeln!(s, "cname: {c}");
    }
    if let Some(e) = &trace.entry {
        let _ = writeln!(s, "entry: {e}");
    }
    if let Some(r) = &trace.route {
        let rule = if r.rule < 0 {
            "defaultBackend".to_owned()
        } else {
            format!("rule {}", r.rule)
        };
        let _ = writeln!(
            s,
            "route: {} {}/{} {rule}: {}",
            r.kind, r.namespace, r.name, r.match_
        );
    }
    for b in trace.backends.iter().flatten() {
        let _ = writeln!(
            s,
            "backend: {} port {} weight {}",
            b.service, b.port, b.weight
        );
    }
    if let Some(r) = &trace.redirect {
        let _ = writeln!(s, "redirect: {} {}", r.status, r.location);
    }
    if let Some(u) = trace.unresolved_probability {
        let _ = writeln!(
            s,
            "unresolved: p = {u:.3} (the backend does not resolve: an error status)"
        );
    }
    if let Some(p) = trace.delivered_probability {
        let _ = writeln!(s, "delivered: p = {p:.3} (after NetworkPolicy)");
    }
    for d in &trace.destinations {
        destination(&mut s, "  → ", d);
    }
    if let Some(dns) = &trace.dns {
        let _ = writeln!(
            s,
            "dns lookup: {}/{} to {}",
            dns.port, dns.protocol, dns.service
        );
        for d in &dns.destinations {
            destination(&mut s, "  → ", d);
        }
    }
    s
}

fn destination(s: &mut String, prefix: &str, d: &Destination) {
    let _ = write!(
        s,
        "{prefix}{}:{} {} (p = {:.3})",
        d.ip,
        d.port,
        d.pod.as_deref().unwrap_or("(no pod)"),
        d.probability
    );
    if let Some(policy) = &d.policy {
        let _ = write!(s, " {policy}");
        let by: Vec<String> = d
            .policies
            .iter()
            .flatten()
            .map(ToString::to_string)
            .collect();
        if !by.is_empty() {
            let _ = write!(s, " by {}", by.join(", "));
        }
    }
    s.push('\n');
}
