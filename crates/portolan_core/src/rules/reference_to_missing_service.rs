//! `reference-to-missing-service`: a container names a Service (in its
//! environment, arguments or a ConfigMap key it reads) that its namespace
//! does not have.

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::refs::{Reference, Target};

rule! {
    /// ## What it does
    /// Resolves every client reference (interfaces.md §6.5) — a host,
    /// `host:port` or URL in a container's `env`, `args` or `command`, or in
    /// a ConfigMap key that reaches its environment — as the pod's DNS
    /// search list would: `NAME` is a Service of the pod's own namespace,
    /// `NAME.NS` and `NAME.NS.svc.ZONE` one of namespace NS. Reports each
    /// reference whose Service is not in the input, with the namespace that
    /// has one of that name, or the Service one or two letters away.
    ///
    /// ## Why it matters
    /// The name does not resolve (NXDOMAIN) and the client fails at run
    /// time, often only on the code path that calls it. A reference to a
    /// Service in another namespace needs the namespace in the name; a
    /// typo in an address is invisible to every schema check.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: cart
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels: {app: cart}
    ///   template:
    ///     metadata:
    ///       labels: {app: cart}
    ///     spec:
    ///       containers:
    ///       - name: cart
    ///         image: cart:1.0
    ///         env:
    ///         - name: REDIS_ADDR
    ///           value: redis-crat:6379
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: redis-cart
    ///   namespace: shop
    /// spec:
    ///   selector: {app: redis-cart}
    ///   ports:
    ///   - port: 6379
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: cart
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels: {app: cart}
    ///   template:
    ///     metadata:
    ///       labels: {app: cart}
    ///     spec:
    ///       containers:
    ///       - name: cart
    ///         image: cart:1.0
    ///         env:
    ///         - name: REDIS_ADDR
    ///           value: redis-cart:6379
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: redis-cart
    ///   namespace: shop
    /// spec:
    ///   selector: {app: redis-cart}
    ///   ports:
    ///   - port: 6379
    /// ```
    ///
    /// ## References
    /// Kubernetes docs, *DNS for Services and Pods* (the search list);
    /// *Define Dependent Environment Variables* (`$(VAR)` expansion);
    /// interfaces.md §6.5; spec D.8.
    pub const RULE {
        code: "reference-to-missing-service",
        name: "reference-to-missing-service",
        severity: Warning,
        origin: Lint,
        summary: "A container names a Service its namespace does not have: the name does not resolve.",
    }
}

/// `Deployment shop/cart`: the referring object as a person reads it.
pub(super) fn referrer(cx: &LintCx<'_>, r: &Reference) -> String {
    let o = &cx.objects[r.object];
    format!("{} {}/{}", o.kind.value, o.namespace, o.name())
}

/// A finding of `rule` at the reference's value, whose message starts
/// with "KIND NS/NAME calls TEXT (SOURCE), ".
pub(super) fn at_reference(
    cx: &LintCx<'_>,
    rule: (&'static str, crate::diag::Severity),
    r: &Reference,
    rest: &str,
) -> Diagnostic {
    finding(
        rule,
        &cx.objects[r.at_object],
        r.at.1,
        format!(
            "{} calls {} ({}), {rest}",
            referrer(cx, r),
            r.text,
            r.describe_source()
        ),
    )
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for r in cx.references {
        let message = match &r.target {
            Target::MissingService { hint } => format!(
                "{} names {} ({}), but namespace {} has no Service {}{}",
                referrer(cx, r),
                r.text,
                r.describe_source(),
                r.namespace,
                r.name,
                hint.as_ref().map_or(String::new(), |h| format!("; {h}"))
            ),
            Target::OtherZone => format!(
                "{} names {} ({}), which is not under the cluster domain {}: it does not resolve",
                referrer(cx, r),
                r.text,
                r.describe_source(),
                cx.profile.profile.cluster_domain
            ),
            _ => continue,
        };
        let mut d = finding(
            (RULE.code, RULE.severity),
            &cx.objects[r.at_object],
            r.at.1,
            message,
        );
        d.help = Some(
            "a pod resolves NAME in its own namespace and NAME.NS in namespace NS (the cluster DNS search list); fix the name, or add the Service".to_owned(),
        );
        out.push(d);
    }
}
