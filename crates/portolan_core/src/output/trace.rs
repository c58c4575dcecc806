//! `portolan trace` in the human format (the JSON is the `Trace` itself).

use std::fmt::Write as _;

use crate::sim::Trace;

/// The human rendering of a trace.
pub fn human(trace: &Trace) -> String {
    let mut s = String::new();
    for (i, h) in trace.hops.iter().enumerate() {
        let _ = writeln!(s, "{:>2}. {:<11} {}", i + 1, h.step, h.detail);
    }
    let _ = writeln!(s, "verdict: {}", trace.verdict);
    if let Some(c) = &trace.cname {
        let _ = writeln!(s, "cname: {c}");
    }
    for d in &trace.destinations {
        let _ = writeln!(
            s,
            "  → {}:{} {} (p = {:.3})",
            d.ip,
            d.port,
            d.pod.as_deref().unwrap_or("(no pod)"),
            d.probability
        );
    }
    s
}
