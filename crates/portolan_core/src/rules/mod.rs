//! The registry of every check: the API-server checks declared in
//! [`crate::codes`] and the lint rules. A lint rule is one file: its
//! documented `RULE` (see [`crate::codes::rule`]) and one `check` function;
//! registering it is one line in `lints!`. `cargo xtask new-rule NAME`
//! writes both.

#[cfg(test)]
use crate::codes::Origin;
use std::collections::{BTreeMap, HashMap};

use crate::codes::{self, Rule};
use crate::diag::Diagnostic;
use crate::model::{Body, Object, Service, StringMap};
use crate::selector::{Op, Selector};
use crate::snapshot::{Cluster, ClusterPod};

/// A finding of a rule (its code and severity, `(RULE.code, RULE.severity)`) about
/// `object`, pointing at `span`.
pub(crate) fn finding(
    (code, severity): (&'static str, crate::diag::Severity),
    object: &Object,
    span: crate::source::Span,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(code, severity, object.source, span, message)
        .with_object(Some(object.object_ref()))
}

/// A finding on every route backendRef that `why` picks out (the
/// `ResolvedRefs=False` reasons of spec H.2.7): `why` says what is wrong
/// with the reference, or `None` to pass it.
pub(crate) fn route_backend_findings(
    cx: &LintCx<'_>,
    rule: (&'static str, crate::diag::Severity),
    why: impl Fn(&crate::http::Backend, &crate::model::BackendRef) -> Option<String>,
    out: &mut Vec<Diagnostic>,
) {
    let r = cx.routing();
    for route in &r.routes {
        let o = &cx.objects[route.object];
        for x in route.route.rules.iter().flat_map(|(rules, _)| rules) {
            for b in x.backend_refs.iter().flatten() {
                let found = r.route_backend(route.namespace, route.route.kind(), b);
                let Some(why) = why(&found, b) else { continue };
                out.push(finding(
                    rule,
                    o,
                    b.span,
                    format!(
                        "{} {}/{}: backendRef {}: {why} (ResolvedRefs=False, {}); its share of the requests gets 500",
                        route.route.kind(),
                        route.namespace,
                        route.name,
                        b.name.as_ref().map_or("?", |n| n.value.as_str()),
                        found.reason()
                    ),
                ));
            }
        }
    }
}

/// The distinct label sets of one namespace's pods (a workload's pods
/// share one), with postings by label and by key, so that a selector is
/// tried only against the sets that may match it.
#[derive(Default)]
pub(super) struct LabelSets<'c> {
    pub sets: Vec<&'c BTreeMap<String, String>>,
    /// The pods of each set.
    pub pods: Vec<Vec<usize>>,
    by_value: HashMap<(&'c str, &'c str), Vec<usize>>,
    by_key: HashMap<&'c str, Vec<usize>>,
}

impl<'c> LabelSets<'c> {
    /// Each namespace's distinct label sets, with the pods that carry them.
    pub fn of_pods(
        pods: &'c [crate::snapshot::ClusterPod],
    ) -> std::collections::BTreeMap<&'c str, LabelSets<'c>> {
        let mut out: std::collections::BTreeMap<&str, LabelSets<'_>> =
            std::collections::BTreeMap::new();
        let mut ids: HashMap<(&str, &BTreeMap<String, String>), usize> = HashMap::new();
        for (i, p) in pods.iter().enumerate() {
            let sets = out.entry(&p.namespace).or_default();
            let id = *ids
                .entry((&p.namespace, &*p.labels))
                .or_insert_with(|| sets.add(&p.labels));
            sets.pods[id].push(i);
        }
        out
    }

    fn add(&mut self, labels: &'c BTreeMap<String, String>) -> usize {
        let id = self.sets.len();
        self.sets.push(labels);
        self.pods.push(Vec::new());
        for (k, v) in labels {
            self.by_value.entry((k, v)).or_default().push(id);
            self.by_key.entry(k).or_default().push(id);
        }
        id
    }

    /// Whether some label set matches `selector`, trying only the sets
    /// that carry one of its required labels (or its `exists` key).
    pub fn any_match(&self, selector: &Selector) -> bool {
        !self.matching(selector, true).is_empty()
    }

    /// The ids of the sets `selector` matches (only the first when
    /// `first_only`), trying only the sets that carry one of its required
    /// labels (or its `exists` key).
    pub fn matching(&self, selector: &Selector, first_only: bool) -> Vec<usize> {
        let reqs = selector.requirements();
        let equality = reqs
            .iter()
            .filter(|r| matches!(r.op, Op::Equals | Op::DoubleEquals | Op::In))
            .min_by_key(|r| r.values.len());
        let mut candidates: Vec<usize> = if let Some(r) = equality {
            r.values
                .iter()
                .filter_map(|v| self.by_value.get(&(r.key.as_str(), v.as_str())))
                .flatten()
                .copied()
                .collect()
        } else if let Some(r) = reqs.iter().find(|r| r.op == Op::Exists) {
            self.by_key.get(r.key.as_str()).cloned().unwrap_or_default()
        } else {
            (0..self.sets.len()).collect()
        };
        candidates.sort_unstable();
        candidates.dedup();
        let mut out = Vec::new();
        for i in candidates {
            if selector.matches(self.sets[i]) {
                out.push(i);
                if first_only {
                    break;
                }
            }
        }
        out
    }
}

/// Inputs a lint rule reads.
pub struct LintCx<'a> {
    pub objects: &'a [Object],
    /// Each Service defaulted, by object index.
    pub defaults: &'a crate::validate::Defaults<'a>,
    pub cluster: &'a Cluster,
    /// Objects the API server rejects: lint rules leave them alone, their
    /// errors say enough.
    pub rejected: std::collections::HashSet<usize>,
    /// The cluster profile (CIDRs, node ports) the input is checked against.
    pub profile: &'a crate::profile::Resolved,
    /// The client references (interfaces.md §6.5).
    pub references: &'a [crate::refs::Reference],
    /// The cluster's Services by (namespace, name).
    services_by_name: std::collections::HashMap<(&'a str, &'a str), usize>,
    /// Namespaces where the input holds pods or objects that make pods,
    /// found once for the rules that ask.
    with_pods: std::sync::OnceLock<std::collections::HashSet<&'a str>>,
    /// The HTTP entry points (Ingress classes, Gateways, routes), built
    /// once for the rules that ask.
    routing: std::sync::OnceLock<crate::http::Routing<'a>>,
    /// The Services by port number and node port, built once.
    service_ports: std::sync::OnceLock<HashMap<i64, Vec<usize>>>,
}

type Check = fn(&LintCx<'_>, &mut Vec<Diagnostic>);

/// Lints that are errors although Kubernetes accepts the manifest: they
/// find a manifest that redirects traffic meant for others, and a check
/// must fail on them without `--deny-warnings`.
pub const SECURITY: &[&str] = &["endpoints-hijack", "external-ip-hijack"];

/// The lint rules in the order they run: each is the file `rules/NAME.rs`
/// (its `RULE` and `check`), and registering one is one line here.
macro_rules! lints {
    ($($rule:ident),+ $(,)?) => {
        $(mod $rule;)+
        /// The rules' metadata (with their documentation).
        const LINTS: &[Rule] = &[$($rule::RULE),+];
        /// Their checks, apart: running the lints does not link the
        /// documentation (the page's worker never lists rules).
        const CHECKS: &[Check] = &[$($rule::check),+];
    };
}

lints! {
    selector_matches_nothing,
    service_pods_unknown,
    selector_spans_unrelated_workloads,
    named_target_port_missing,
    named_target_port_protocol,
    statefulset_service_missing,
    ingress_backend_missing,
    ingress_no_class,
    ingress_class_not_found,
    ingress_multiple_default_classes,
    ingress_nginx_regex_mode,
    ingress_implementation_specific_path,
    listener_unsupported_protocol,
    route_parent_not_found,
    route_not_accepted,
    route_kind_conflict,
    backend_ref_not_found,
    backend_ref_not_permitted,
    backend_ref_invalid_kind,
    rule_without_backends,
    backend_no_endpoints,
    rule_all_weights_zero,
    selectorless_service_without_endpoints,
    endpointslice_orphaned,
    external_name_ignored_fields,
    local_traffic_policy_drops,
    duplicate_allocation,
    endpoints_over_capacity,
    endpoints_hijack,
    external_ip_hijack,
    netpol_rules_ignored,
    netpol_implicit_ingress_isolation,
    netpol_peer_or_not_and,
    netpol_egress_blocks_dns,
    netpol_selects_no_pods,
    netpol_port_is_service_port,
    netpol_namespace_label_unknown,
    netpol_ipblock_cluster_range,
    netpol_plugin_support,
    netpol_selects_host_network_pod,
    netpol_peer_matches_nothing,
    netpol_port_not_declared,
    netpol_cidr_nonstandard,
    reference_to_missing_service,
    reference_to_missing_port,
    reference_unreachable,
}

/// Every check, API-server families first, sorted by code within each.
pub fn all() -> Vec<Rule> {
    let mut rules: Vec<Rule> = codes::API.to_vec();
    rules.extend(LINTS.iter().copied());
    rules
}

pub fn find(code: &str) -> Option<Rule> {
    all().into_iter().find(|r| r.code == code)
}

/// What the lints read.
pub struct Inputs<'a> {
    pub objects: &'a [Object],
    /// Each Service defaulted, by object index.
    pub defaults: &'a crate::validate::Defaults<'a>,
    pub cluster: &'a Cluster,
    pub profile: &'a crate::profile::Resolved,
    pub references: &'a [crate::refs::Reference],
    /// The objects the API server rejects ([`crate::model::rejected`]).
    pub rejected: std::collections::HashSet<usize>,
}

/// Run every lint (on up to `threads` threads; the findings in lint order).
pub fn run(inputs: Inputs<'_>, diags: &mut Vec<Diagnostic>, threads: usize) {
    let Inputs {
        objects,
        defaults,
        cluster,
        profile,
        references,
        rejected,
    } = inputs;
    let cx = LintCx {
        objects,
        defaults,
        cluster,
        rejected,
        profile,
        references,
        services_by_name: std::collections::HashMap::new(),
        with_pods: std::sync::OnceLock::new(),
        routing: std::sync::OnceLock::new(),
        service_ports: std::sync::OnceLock::new(),
    };
    let mut cx = cx;
    for (i, s) in cluster.services.iter().enumerate() {
        // The first of two Services with one name, as a scan would find it.
        cx.services_by_name
            .entry((s.namespace.as_str(), s.name.as_str()))
            .or_insert(i);
    }
    for found in crate::par::map(CHECKS, threads, |check| {
        let mut found = Vec::new();
        check(&cx, &mut found);
        found
    }) {
        diags.extend(found);
    }
}

impl<'a> LintCx<'a> {
    /// The HTTP entry points of the accepted objects (spec G.2, H.2).
    pub fn routing(&self) -> &crate::http::Routing<'a> {
        self.routing
            .get_or_init(|| crate::http::Routing::new(self.objects, &self.rejected, self.cluster))
    }

    /// The Services (indexes into the snapshot's) with `n` as a port or a
    /// node port.
    pub fn service_ports(&self, n: i64) -> &[usize] {
        self.service_ports
            .get_or_init(|| {
                let mut m: HashMap<i64, Vec<usize>> = HashMap::new();
                for (i, s) in self.cluster.services.iter().enumerate() {
                    for p in &s.ports {
                        for n in std::iter::once(p.port).chain(p.node_port) {
                            let list = m.entry(n).or_default();
                            if list.last() != Some(&i) {
                                list.push(i);
                            }
                        }
                    }
                }
                m
            })
            .get(&n)
            .map_or(&[], Vec::as_slice)
    }

    /// Namespaces where the input holds a Pod or an object that makes pods
    /// (a workload with a pod template, built-in or custom).
    pub fn namespaces_with_pods(&self) -> &std::collections::HashSet<&'a str> {
        self.with_pods.get_or_init(|| {
            self.objects
                .iter()
                .filter(|o| match &o.body {
                    Body::Pod(_) => true,
                    Body::Workload(w) => w.template.is_some(),
                    _ => false,
                })
                .map(|o| o.namespace.as_str())
                .collect()
        })
    }

    /// The Service `namespace/name` of the completed snapshot (a lookup, so
    /// that rules asking it per object stay linear).
    pub fn find_service(
        &self,
        namespace: &str,
        name: &str,
    ) -> Option<&'a crate::snapshot::ClusterService> {
        let i = *self.services_by_name.get(&(namespace, name))?;
        self.cluster.services.get(i)
    }

    /// The container ports (`spec.containers[*].ports`) of snapshot pod `i`.
    pub fn container_ports(&self, i: usize) -> Option<Vec<i64>> {
        let pod = self.cluster.pods.get(i)?;
        let spec = self.objects.get(pod.object)?.pod_spec()?;
        Some(
            spec.containers
                .iter()
                .flat_map(|c| c.ports.iter())
                .filter_map(|p| p.container_port.as_ref().map(|c| c.value))
                .collect(),
        )
    }

    /// The NetworkPolicies the API server accepts.
    pub fn network_policies(
        &self,
    ) -> impl Iterator<Item = (&Object, &crate::model::NetworkPolicy)> {
        self.accepted().filter_map(|o| match &o.body {
            Body::NetworkPolicy(np) => Some((o, &**np)),
            _ => None,
        })
    }

    /// The objects the API server accepts.
    pub fn accepted(&self) -> impl Iterator<Item = &Object> {
        self.objects
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.rejected.contains(i))
            .map(|(_, o)| o)
    }

    /// The Service object behind a cluster Service, unless it is rejected.
    pub fn service(&self, index: usize) -> Option<(&Object, &Service)> {
        if self.rejected.contains(&index) {
            return None;
        }
        let o = self.objects.get(index)?;
        match &o.body {
            Body::Service(s) => Some((o, s)),
            _ => None,
        }
    }

    /// Where a finding about a Service's selector points: the selector, or
    /// the object when it has none.
    pub fn selector_span(object: &Object, model: &Service) -> crate::source::Span {
        model
            .selector
            .as_ref()
            .map_or(object.anchor_span(), |s| s.span)
    }

    /// The labels a pod got, with spans: the Pod's own or its template's.
    pub fn pod_labels(&self, pod: &ClusterPod) -> Option<(&Object, &StringMap)> {
        let o = self.objects.get(pod.object)?;
        match &o.body {
            Body::Pod(_) => Some((o, &o.meta.labels)),
            Body::Workload(w) => w.template.as_ref().map(|t| (o, &t.meta.labels)),
            _ => None,
        }
    }
}

/// The template `cargo xtask new-rule` copies, compiled with the tests so
/// that a scaffolded rule always builds against today's `LintCx`.
#[cfg(test)]
#[path = "../../../xtask/templates/rule.rs"]
mod scaffold;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;

    #[test]
    fn the_new_rule_scaffold_builds_and_runs() {
        let objects = Vec::new();
        let cluster = Cluster::default();
        let profile = crate::profile::Profile::default()
            .resolve()
            .expect("the default profile resolves");
        let defaults = crate::validate::Defaults::default();
        let cx = LintCx {
            objects: &objects,
            defaults: &defaults,
            cluster: &cluster,
            rejected: std::collections::HashSet::new(),
            profile: &profile,
            references: &[],
            services_by_name: std::collections::HashMap::new(),
            with_pods: std::sync::OnceLock::new(),
            routing: std::sync::OnceLock::new(),
            service_ports: std::sync::OnceLock::new(),
        };
        let mut out = Vec::new();
        scaffold::check(&cx, &mut out);
        assert!(out.is_empty());
        let docs = scaffold::RULE.markdown();
        for heading in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "## Use instead",
            "## References",
        ] {
            assert!(docs.contains(heading), "the template lacks {heading}");
        }
        assert_eq!(scaffold::RULE.code, "new-rule");
    }

    #[test]
    fn every_rule_file_is_registered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        let registered: Vec<&str> = LINTS.iter().map(|r| r.code).collect();
        let mut files = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let Some(stem) = name.strip_suffix(".rs") else {
                continue;
            };
            if stem == "mod" {
                continue;
            }
            files += 1;
            let code = stem.replace('_', "-");
            assert!(
                registered.contains(&code.as_str()),
                "rule file {name} is not registered in LINTS"
            );
        }
        assert_eq!(files, LINTS.len(), "one file per lint rule");
    }

    /// Every `rule!` in `codes.rs` is listed in `codes::API`, and no code
    /// is written as a string literal where a finding is made.
    #[test]
    fn every_code_is_declared_once_and_registered() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let codes_rs = std::fs::read_to_string(src.join("codes.rs")).unwrap();
        let declared = codes_rs.matches("\nrule! {").count();
        assert_eq!(
            declared,
            codes::API.len(),
            "every rule! in codes.rs is in API"
        );
        let mut stack = vec![src];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                // Unit tests make findings of made-up codes.
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                let compact: String = code.split_whitespace().collect();
                assert!(
                    !compact.contains("Diagnostic::new(\""),
                    "{}: a code written as a literal; declare it with rule!",
                    path.display()
                );
            }
        }
    }

    #[test]
    fn what_kubernetes_rejects_is_an_error_and_lints_are_not() {
        for r in all() {
            assert_eq!(
                r.severity == Severity::Error,
                r.origin == Origin::Kubernetes || SECURITY.contains(&r.code),
                "{}",
                r.code
            );
        }
    }
}
