//! What a change does to routing (interfaces.md §6.4): two analyses of the
//! same profile compared by meaning — Services, their types and ports, the
//! ready endpoints behind each port, how each port is exposed (node ports,
//! load-balancer and external addresses, Ingress and route hosts and
//! paths), and the findings introduced and fixed. Identities never involve
//! files, lines or input order, so moving or reformatting a manifest is no
//! change.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::analysis::Analysis;
use crate::diag::{Diagnostic, Severity};
use crate::netpol::Policies;
use crate::refs::{PolicyCheck, Reference, Target};
use crate::snapshot::{ClusterPort, ClusterService};

/// Which side of the diff a location is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Base,
    Head,
}

/// One semantic change.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    pub kind: &'static str,
    pub severity: Severity,
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub message: String,
    /// `endpoints-gained`/`-lost`: the pod keys (or `workload:NS/KIND/NAME`
    /// for synthesized pods) whose ready endpoints changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pods: Option<Vec<String>>,
    /// The object it is about: on HEAD where it exists, else on BASE.
    #[serde(skip)]
    pub at: Option<(Side, usize)>,
    /// Where in that object, when finer than the object (a reference's
    /// value).
    #[serde(skip)]
    pub span: Option<crate::source::Span>,
}

/// A diff: the changes sorted by subject then kind, and the findings
/// introduced (indexes into HEAD's diagnostics) and fixed (into BASE's).
#[derive(Debug, Default)]
pub struct Diff {
    pub changes: Vec<Change>,
    pub introduced: Vec<usize>,
    pub fixed: Vec<usize>,
    /// Connections (pod pair, port, protocol, via) on both sides whose
    /// NetworkPolicy verdict changed, listed or not (§6.4: counted in the
    /// summary line), when counted ([`reach_changed`]; the page's compare
    /// mode does not, and keeps `reach` out of its WebAssembly).
    pub reach_changed: Option<usize>,
}

impl Diff {
    /// Exit 1 when a change or an introduced finding is an error.
    pub fn failing(&self, head: &Analysis) -> bool {
        self.changes.iter().any(|c| c.severity == Severity::Error)
            || self
                .introduced
                .iter()
                .any(|&i| head.diagnostics[i].severity == Severity::Error)
    }
}

/// Compare BASE with HEAD.
pub fn diff(base: &Analysis, head: &Analysis) -> Diff {
    let mut changes = Vec::new();
    let b = services(base);
    let h = services(head);
    for (key, s) in &b {
        if !h.contains_key(key) {
            changes.push(change(
                "service-removed",
                format!("service:{key}"),
                (Some(s.type_.as_str().to_owned()), None),
                format!("Service {key} is removed"),
                Some((Side::Base, s.object)),
            ));
        }
    }
    let (base_pods, head_pods) = (PodIndex::new(base), PodIndex::new(head));
    for (key, s) in &h {
        let Some(old) = b.get(key) else {
            changes.push(change(
                "service-added",
                format!("service:{key}"),
                (None, Some(s.type_.as_str().to_owned())),
                format!("Service {key} is added ({})", s.type_.as_str()),
                Some((Side::Head, s.object)),
            ));
            continue;
        };
        let at = Some((Side::Head, s.object));
        if old.type_ != s.type_ {
            changes.push(change(
                "service-type-changed",
                format!("service:{key}"),
                (
                    Some(old.type_.as_str().to_owned()),
                    Some(s.type_.as_str().to_owned()),
                ),
                format!(
                    "Service {key} changes type from {} to {}",
                    old.type_.as_str(),
                    s.type_.as_str()
                ),
                at,
            ));
        }
        ports(&mut changes, key, (old, s), (&base_pods, &head_pods), at);
    }
    routes(&mut changes, base, head);
    references(&mut changes, base, head);
    changes.sort_by(|x, y| (&x.subject, x.kind).cmp(&(&y.subject, y.kind)));
    let (introduced, fixed) = findings(base, head);
    Diff {
        changes,
        introduced,
        fixed,
        reach_changed: None,
    }
}

/// [`Diff::reach_changed`]: without a NetworkPolicy on either side every
/// connection is allowed on both, and nothing is computed.
pub fn reach_changed(base: &Analysis, head: &Analysis) -> usize {
    reach_changed_with(base, head, 1)
}

/// [`reach_changed`] on up to `threads` threads.
pub fn reach_changed_with(base: &Analysis, head: &Analysis, threads: usize) -> usize {
    let has_policies = |a: &Analysis| {
        a.objects
            .iter()
            .any(|o| matches!(o.body, crate::model::Body::NetworkPolicy(_)))
    };
    if !has_policies(base) && !has_policies(head) {
        return 0;
    }
    crate::reach::changed_count_with(base, head, threads)
}

fn change(
    kind: &'static str,
    subject: String,
    (before, after): (Option<String>, Option<String>),
    message: String,
    at: Option<(Side, usize)>,
) -> Change {
    let severity = match kind {
        "service-unreachable" | "reach-denied" | "reference-broken" => Severity::Error,
        "exposure-added" => Severity::Warning,
        _ => Severity::Info,
    };
    Change {
        kind,
        severity,
        subject,
        before,
        after,
        message,
        pods: None,
        at,
        span: None,
    }
}

/// The Services by `NS/NAME` (the first of two with one name, as a scan
/// finds it).
fn services(a: &Analysis) -> BTreeMap<String, &ClusterService> {
    let mut out = BTreeMap::new();
    for s in &a.cluster.services {
        out.entry(s.key()).or_insert(s);
    }
    out
}

/// References by identity: referrer, source, and rank among the
/// references of that referrer and source (interfaces.md §6.4).
fn reference_keys(a: &Analysis) -> BTreeMap<(&str, &str, usize), &Reference> {
    let mut rank: HashMap<(&str, &str), usize> = HashMap::new();
    let mut out = BTreeMap::new();
    for r in &a.references {
        let n = rank.entry((&r.referrer, &r.source)).or_default();
        out.insert((r.referrer.as_str(), r.source.as_str(), *n), r);
        *n += 1;
    }
    out
}

/// Why a reference does not resolve, as the end of a sentence.
fn unresolved(r: &Reference) -> &'static str {
    match r.target {
        Target::MissingService { .. } => "names no Service of its namespace",
        Target::MissingPort { .. } => "names a port the Service does not have",
        Target::OtherZone => "is not under the cluster domain",
        Target::Outside => "names a namespace outside the input",
        Target::Service { .. } | Target::ApiServer => "resolves",
    }
}

/// HEAD's referring objects by referrer id, and its ConfigMaps by
/// `NS/NAME`, to tell an edited reference from a deleted one.
struct Holders<'a> {
    referrers: HashMap<String, usize>,
    config_maps: HashMap<String, &'a crate::model::ConfigMap>,
}

impl<'a> Holders<'a> {
    fn new(a: &'a Analysis) -> Self {
        let mut referrers = HashMap::new();
        let mut config_maps = HashMap::new();
        for (i, o) in a.objects.iter().enumerate() {
            if let crate::model::Body::ConfigMap(m) = &o.body {
                config_maps.insert(format!("{}/{}", o.namespace, o.name()), &**m);
            } else if o.pod_spec().is_some() {
                referrers.insert(crate::refs::referrer_id(o), i);
            }
        }
        Holders {
            referrers,
            config_maps,
        }
    }

    /// The object of `r`'s referrer, when its source still holds a value
    /// (so that a reference missing on HEAD was edited, not deleted): the
    /// env variable is still set, the ConfigMap key still has a value, or
    /// the object has as many command and argument words as before.
    fn kept(&self, a: &Analysis, r: &Reference, words_before: usize) -> Option<usize> {
        let i = *self.referrers.get(&r.referrer)?;
        let o = &a.objects[i];
        let spec = o.pod_spec()?;
        let kept = if let Some(name) = r.source.strip_prefix("env:") {
            spec.containers
                .iter()
                .chain(&spec.init_containers)
                .any(|c| c.env.iter().any(|e| e.name.value == name))
        } else if let Some(rest) = r.source.strip_prefix("configmap:") {
            let (cm, key) = rest.rsplit_once(':').unwrap_or((rest, ""));
            self.config_maps
                .get(cm)
                .is_some_and(|m| m.get(key).is_some())
        } else {
            words(o) == words_before
        };
        kept.then_some(i)
    }
}

/// Command and argument words of an object's containers.
fn words(o: &crate::model::Object) -> usize {
    o.pod_spec().map_or(0, |s| {
        s.containers
            .iter()
            .chain(&s.init_containers)
            .map(|c| c.command.len() + c.args.len())
            .sum()
    })
}

/// Client references broken and fixed, and the NetworkPolicy verdicts of
/// the connections they back (`reach-allowed`, `reach-denied`).
fn references(changes: &mut Vec<Change>, base: &Analysis, head: &Analysis) {
    let (before, after) = (reference_keys(base), reference_keys(head));
    let base_policies = Policies::of(&base.objects, &base.diagnostics, &base.cluster.pods);
    let head_policies = Policies::of(&head.objects, &head.diagnostics, &head.cluster.pods);
    let base_check = base_policies
        .as_ref()
        .map(|p| PolicyCheck::new(&base.objects, &base.cluster, p));
    let head_check = head_policies
        .as_ref()
        .map(|p| PolicyCheck::new(&head.objects, &head.cluster, p));
    let checks = (base_check.as_ref(), head_check.as_ref());
    let holders = Holders::new(head);
    for (key, r) in &before {
        let was = format!("{} -> {}", r.referrer, r.subject(&base.cluster));
        let Some(n) = after.get(key) else {
            changes.extend(dropped_reference(base, head, &holders, r, &was));
            continue;
        };
        changes.extend(changed_reference(head, r, n, was, checks));
    }
}

/// The `reference-broken` change for a resolving reference the head no
/// longer makes, when its holder is kept.
fn dropped_reference(
    base: &Analysis,
    head: &Analysis,
    holders: &Holders<'_>,
    r: &Reference,
    was: &str,
) -> Option<Change> {
    if !r.target.resolves() {
        return None;
    }
    let i = holders.kept(head, r, words(&base.objects[r.object]))?;
    Some(change(
        "reference-broken",
        was.to_owned(),
        (Some(r.text.clone()), None),
        format!("{was}: {} no longer names the Service", r.describe_source()),
        Some((Side::Head, i)),
    ))
}

/// The change of a reference made on both sides (`r` in the base, `n` in
/// the head): broken, fixed, or its connection's NetworkPolicy verdict.
fn changed_reference(
    head: &Analysis,
    r: &Reference,
    n: &Reference,
    was: String,
    checks: (Option<&PolicyCheck<'_>>, Option<&PolicyCheck<'_>>),
) -> Option<Change> {
    let is = format!("{} -> {}", n.referrer, n.subject(&head.cluster));
    let at = Some((Side::Head, n.at_object));
    let mut c = match (r.target.resolves(), n.target.resolves()) {
        (true, false) => change(
            "reference-broken",
            was.clone(),
            (Some(r.text.clone()), Some(n.text.clone())),
            format!(
                "{was}: {} is now {}, which {}",
                n.describe_source(),
                n.text,
                unresolved(n)
            ),
            at,
        ),
        (false, true) => change(
            "reference-fixed",
            is.clone(),
            (Some(r.text.clone()), Some(n.text.clone())),
            format!(
                "{is}: {} is now {}, which resolves",
                n.describe_source(),
                n.text
            ),
            at,
        ),
        (true, true) if was == is => reach_change(r, n, &is, at, checks)?,
        _ => return None,
    };
    c.span = Some(n.at.1);
    Some(c)
}

/// The `reach-denied` or `reach-allowed` change when NetworkPolicy's
/// verdict on a reference's connection changed.
fn reach_change(
    r: &Reference,
    n: &Reference,
    is: &str,
    at: Option<(Side, usize)>,
    (base_check, head_check): (Option<&PolicyCheck<'_>>, Option<&PolicyCheck<'_>>),
) -> Option<Change> {
    let denied = |c: Option<&PolicyCheck<'_>>, r: &Reference| c.and_then(|c| c.denials(r));
    match (denied(base_check, r), denied(head_check, n)) {
        (None, Some(why)) => Some(change(
            "reach-denied",
            is.to_owned(),
            (Some("allowed".into()), Some("denied".into())),
            format!(
                "{is}: NetworkPolicy now denies the connection ({})",
                why.join("; ")
            ),
            at,
        )),
        (Some(_), None) => Some(change(
            "reach-allowed",
            is.to_owned(),
            (Some("denied".into()), Some("allowed".into())),
            format!("{is}: NetworkPolicy now admits the connection"),
            at,
        )),
        _ => None,
    }
}

/// How endpoint pods are named in a diff: a pod of the input by its key,
/// a synthesized pod by its workload (its name is generated).
struct PodIndex<'a> {
    by_key: HashMap<String, &'a crate::snapshot::ClusterPod>,
}

impl<'a> PodIndex<'a> {
    fn new(a: &'a Analysis) -> Self {
        PodIndex {
            by_key: a.cluster.pods.iter().map(|p| (p.key(), p)).collect(),
        }
    }

    fn name(&self, pod: &str) -> String {
        match self.by_key.get(pod) {
            Some(p) if p.synthetic => match &p.owner {
                Some(owner) => format!("workload:{}/{owner}", p.namespace),
                None => format!("pod:{pod}"),
            },
            _ => format!("pod:{pod}"),
        }
    }
}

fn port_key(p: &ClusterPort) -> (i64, &'static str) {
    (p.port, p.protocol.as_str())
}

/// Ready endpoints of a Service port, counted per pod (or workload).
fn ready(s: &ClusterService, p: &ClusterPort, pods: &PodIndex<'_>) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for e in s.ready_endpoints(&p.name, p.protocol) {
        let who = e
            .pod
            .as_deref()
            .map_or_else(|| format!("address:{}", e.ip), |k| pods.name(k));
        *out.entry(who).or_default() += 1;
    }
    out
}

/// How a Service port is reached from outside: `nodePort:N`,
/// `loadBalancer:IP`, `externalIP:IP` (allocated values without their
/// number, which depends on the allocator, not on the change).
fn exposure(s: &ClusterService, p: &ClusterPort) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if let Some(n) = p.node_port {
        out.insert(if p.node_port_synthetic {
            "nodePort".to_owned()
        } else {
            format!("nodePort:{n}")
        });
    }
    for lb in &s.load_balancer_ips {
        out.insert(if lb.synthetic {
            "loadBalancer".to_owned()
        } else {
            format!("loadBalancer:{}", lb.ip)
        });
    }
    for ip in &s.external_ips {
        out.insert(format!("externalIP:{ip}"));
    }
    out
}

/// Ports added, removed and changed; endpoints and exposure of the ports on
/// both sides.
fn ports(
    changes: &mut Vec<Change>,
    key: &str,
    (old, new): (&ClusterService, &ClusterService),
    (base_pods, head_pods): (&PodIndex<'_>, &PodIndex<'_>),
    at: Option<(Side, usize)>,
) {
    let before: BTreeMap<_, _> = old.ports.iter().map(|p| (port_key(p), p)).collect();
    let after: BTreeMap<_, _> = new.ports.iter().map(|p| (port_key(p), p)).collect();
    for ((port, proto), p) in &before {
        if !after.contains_key(&(*port, *proto)) {
            changes.push(change(
                "port-removed",
                format!("service:{key}:{port}/{proto}"),
                (Some(describe(p)), None),
                format!("Service {key} no longer serves {port}/{proto}"),
                Some((Side::Base, old.object)),
            ));
        }
    }
    for ((port, proto), p) in &after {
        let subject = format!("service:{key}:{port}/{proto}");
        let Some(q) = before.get(&(*port, *proto)) else {
            changes.push(change(
                "port-added",
                subject,
                (None, Some(describe(p))),
                format!("Service {key} serves {port}/{proto}"),
                at,
            ));
            continue;
        };
        let (was, is) = (describe(q), describe(p));
        if was != is {
            changes.push(change(
                "port-changed",
                subject.clone(),
                (Some(was.clone()), Some(is.clone())),
                format!("Service {key} port {port}/{proto}: {was} → {is}"),
                at,
            ));
        }
        endpoints(
            changes,
            &subject,
            (ready(old, q, base_pods), ready(new, p, head_pods)),
            at,
        );
        let (x, y) = (exposure(old, q), exposure(new, p));
        for e in y.difference(&x) {
            changes.push(change(
                "exposure-added",
                subject.clone(),
                (None, Some(e.clone())),
                format!("{subject} is now reachable from outside the cluster through {e}"),
                at,
            ));
        }
        for e in x.difference(&y) {
            changes.push(change(
                "exposure-removed",
                subject.clone(),
                (Some(e.clone()), None),
                format!("{subject} is no longer exposed through {e}"),
                at,
            ));
        }
    }
}

/// `80 → 8080` with the name, node port and appProtocol when set.
fn describe(p: &ClusterPort) -> String {
    let mut s = format!("targetPort {}", p.target_port_text());
    if !p.name.is_empty() {
        s.push_str(&format!(", name {}", p.name));
    }
    if let (Some(n), false) = (p.node_port, p.node_port_synthetic) {
        s.push_str(&format!(", nodePort {n}"));
    }
    if let Some(a) = &p.app_protocol {
        s.push_str(&format!(", appProtocol {a}"));
    }
    s
}

fn endpoints(
    changes: &mut Vec<Change>,
    subject: &str,
    (was, is): (BTreeMap<String, i64>, BTreeMap<String, i64>),
    at: Option<(Side, usize)>,
) {
    let (n, m): (i64, i64) = (was.values().sum(), is.values().sum());
    let keys: BTreeSet<&String> = was.keys().chain(is.keys()).collect();
    let (mut gained, mut lost) = (Vec::new(), Vec::new());
    for k in keys {
        let (x, y) = (
            was.get(k).copied().unwrap_or(0),
            is.get(k).copied().unwrap_or(0),
        );
        if y > x {
            gained.push(k.clone());
        } else if x > y {
            lost.push(k.clone());
        }
    }
    for (kind, list) in [("endpoints-gained", gained), ("endpoints-lost", lost)] {
        if list.is_empty() {
            continue;
        }
        let mut c = change(
            kind,
            subject.to_owned(),
            (Some(n.to_string()), Some(m.to_string())),
            format!(
                "{subject}: ready endpoints {n} → {m} ({} {})",
                if kind == "endpoints-gained" {
                    "gained"
                } else {
                    "lost"
                },
                list.join(", ")
            ),
            at,
        );
        c.pods = Some(list);
        changes.push(c);
    }
    if n > 0 && m == 0 {
        changes.push(change(
            "service-unreachable",
            subject.to_owned(),
            (Some(n.to_string()), Some("0".to_owned())),
            format!("{subject} had {n} ready endpoint(s) and has none: its clients get connection refused"),
            at,
        ));
    } else if n == 0 && m > 0 {
        changes.push(change(
            "service-reachable",
            subject.to_owned(),
            (Some("0".to_owned()), Some(m.to_string())),
            format!("{subject} had no ready endpoint and now has {m}"),
            at,
        ));
    }
}

/// Ingress and route exposure: the `host/path` pairs each Ingress and each
/// accepted route serves (interfaces.md §6.4).
fn routes(changes: &mut Vec<Change>, base: &Analysis, head: &Analysis) {
    let (b, h) = (http_exposure(base), http_exposure(head));
    let subjects: BTreeSet<&String> = b.keys().chain(h.keys()).collect();
    for subject in subjects {
        let empty = (BTreeSet::new(), None);
        let (x, bat) = b.get(subject).unwrap_or(&empty);
        let (y, hat) = h.get(subject).unwrap_or(&empty);
        let at = hat
            .map(|i| (Side::Head, i))
            .or(bat.map(|i| (Side::Base, i)));
        for e in y.difference(x) {
            changes.push(change(
                "exposure-added",
                subject.clone(),
                (None, Some(e.clone())),
                format!("{subject} now routes {e} from outside the cluster"),
                at,
            ));
        }
        for e in x.difference(y) {
            changes.push(change(
                "exposure-removed",
                subject.clone(),
                (Some(e.clone()), None),
                format!("{subject} no longer routes {e}"),
                at,
            ));
        }
    }
}

type Exposure = BTreeMap<String, (BTreeSet<String>, Option<usize>)>;

fn http_exposure(a: &Analysis) -> Exposure {
    let rejected = crate::model::rejected(&a.objects, &a.diagnostics);
    let r = crate::http::Routing::new(&a.objects, &rejected, &a.cluster);
    let mut out: Exposure = BTreeMap::new();
    for at in &r.ingresses {
        if at.class.table(&r.classes).is_none() {
            continue;
        }
        let o = &a.objects[at.object];
        let entry = out
            .entry(format!("ingress:{}/{}", o.namespace, o.name()))
            .or_insert_with(|| (BTreeSet::new(), Some(at.object)));
        for b in at.ingress.service_backends() {
            entry.0.insert(format!(
                "{}{}",
                b.host.unwrap_or("*"),
                b.path_text
                    .unwrap_or(if b.rule.is_none() { "/ (default)" } else { "/" })
            ));
        }
    }
    for route in &r.routes {
        let mut hosts: BTreeSet<String> = BTreeSet::new();
        for a in route.attachments() {
            match &a.hostnames {
                Some(h) => hosts.extend(h.iter().cloned()),
                None => {
                    hosts.insert("*".to_owned());
                }
            }
        }
        if hosts.is_empty() {
            continue;
        }
        let paths: BTreeSet<String> = route
            .route
            .rules
            .iter()
            .flat_map(|(rules, _)| rules)
            .flat_map(|rule| match &rule.matches {
                Some(m) if !m.is_empty() => m
                    .iter()
                    .map(|m| {
                        m.path
                            .as_ref()
                            .and_then(|p| p.value.as_ref().or(p.service.as_ref()))
                            .map_or("/".to_owned(), |v| v.value.clone())
                    })
                    .collect::<Vec<_>>(),
                _ => vec!["/".to_owned()],
            })
            .collect();
        let entry = out
            .entry(format!(
                "route:{}/{}/{}",
                route.namespace,
                route.route.kind(),
                route.name
            ))
            .or_insert_with(|| (BTreeSet::new(), Some(route.object)));
        for h in &hosts {
            for p in &paths {
                entry.0.insert(format!(
                    "{h}{}{p}",
                    if p.starts_with('/') { "" } else { "/" }
                ));
            }
        }
    }
    out
}

/// A finding's identity: code, object and field — never file or line.
fn identity(
    d: &Diagnostic,
) -> (
    &'static str,
    Option<&crate::diag::ObjectRef>,
    Option<&str>,
    &str,
) {
    // Without an object (YAML errors), the message stands in for it.
    let message = if d.object.is_none() {
        d.message.as_str()
    } else {
        ""
    };
    (d.code, d.object.as_deref(), d.field.as_deref(), message)
}

/// Findings on one side only, matched as multisets of identities.
fn findings(base: &Analysis, head: &Analysis) -> (Vec<usize>, Vec<usize>) {
    let mut seen: HashMap<_, Vec<usize>> = HashMap::new();
    for (i, d) in base.diagnostics.iter().enumerate() {
        seen.entry(identity(d)).or_default().push(i);
    }
    let mut introduced = Vec::new();
    for (i, d) in head.diagnostics.iter().enumerate() {
        match seen.get_mut(&identity(d)).and_then(Vec::pop) {
            Some(_) => {}
            None => introduced.push(i),
        }
    }
    let mut fixed: Vec<usize> = seen.into_values().flatten().collect();
    fixed.sort_unstable();
    (introduced, fixed)
}
