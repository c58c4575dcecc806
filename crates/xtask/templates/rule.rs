//! `new-rule`: one line saying what the rule finds.
//!
//! Written by `cargo xtask new-rule new-rule`. Fill in the documentation
//! (its Example must fire the code and its Use instead must not: `cargo
//! test -p portolan_core --test rule_docs` runs them), write `fires`, add
//! fixtures under `tests/fixtures/lint/`, then `cargo xtask docs`.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::snapshot::ClusterService;

rule! {
    /// ## What it does
    /// Reports each Service that … (what the rule finds, and where the
    /// finding points).
    ///
    /// ## Why it matters
    /// … (what goes wrong in a cluster, and for whom).
    ///
    /// ## Example
    /// ```yaml
    /// # a complete manifest (apiVersion, kind, metadata, spec) that fires new-rule
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # the same manifest, fixed: it does not fire new-rule
    /// ```
    ///
    /// ## References
    /// … (the upstream source or the spec section the rule follows).
    pub const RULE {
        code: "new-rule",
        name: "new-rule",
        severity: Warning,
        origin: Lint,
        summary: "One sentence under 120 characters, as `portolan rules` lists it.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for svc in &cx.cluster.services {
        // Objects the API server rejects are left alone: their errors say enough.
        let Some((object, model)) = cx.service(svc.object) else {
            continue;
        };
        if fires(svc) {
            out.push(finding(
                (RULE.code, RULE.severity),
                object,
                LintCx::selector_span(object, model),
                format!("Service {}: …", svc.key()),
            ));
        }
    }
}

/// Whether `svc` has the problem the rule finds.
fn fires(svc: &ClusterService) -> bool {
    let _ = svc;
    false
}
