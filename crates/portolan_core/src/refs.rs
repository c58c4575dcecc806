//! Client references (interfaces.md §6.5): the Services that a workload's
//! containers name in their environment, arguments and commands, and in the
//! ConfigMap keys that reach their environment — resolved from the pod's
//! namespace as the cluster DNS search list would (spec D.8).
//!
//! Precision over recall: a value counts only when it is a whole host,
//! `host:port` or URL (a comma list counts its `host:port` items and URLs),
//! and only when its host has the shape of a cluster name (`NAME.NS.svc`,
//! `NAME.NS.svc.ZONE`) or names a Service of the input. A bare name without
//! a port counts only under a variable or flag whose name says it holds an
//! address (`…HOST`, `…ADDR`, `…URL`, …). A `host:port` that names no
//! Service counts when it is one or two edits from a Service of its
//! namespace — the typo a reviewer wants caught.
//!
//! Two [Portolan] choices keep real applications free of false alarms:
//! - A manifest without `metadata.namespace` lands where `kubectl apply -n`
//!   puts it, which the input does not say. When its defaulted namespace has
//!   no Service of a bare name and exactly one namespace of the input has,
//!   the reference means that one (the OpenTelemetry demo's Helm output
//!   writes the namespace on some objects only).
//! - A workload naming a Service that selects its own pods (a database's
//!   own URI in a shared ConfigMap, Kafka's advertised listener) is not a
//!   client of it: no reference.

use std::collections::{HashMap, HashSet};

use crate::model::{Body, ConfigMap, Container, Object, Spanned};
use crate::snapshot::Cluster;
use crate::source::{SourceId, Span};
use crate::types::{Protocol, ServiceType};

/// What a reference resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A Service of the input; `port` indexes its ports when the reference
    /// names one (never for an ExternalName Service, whose port the client
    /// uses at the alias).
    Service { service: usize, port: Option<usize> },
    /// `default/kubernetes`, the API server's Service, which every cluster
    /// has whether the input holds it or not.
    ApiServer,
    /// No Service of that name in the namespace; `hint` says where one is,
    /// or which name is close.
    MissingService { hint: Option<String> },
    /// The Service exists, without that port.
    MissingPort { service: usize },
    /// A cluster name under another domain than the cluster's: it does
    /// not resolve.
    OtherZone,
    /// A namespace that holds nothing of the input: not judged.
    Outside,
}

impl Target {
    /// The reference reaches a Service (or the API server).
    pub fn resolves(&self) -> bool {
        matches!(self, Target::Service { .. } | Target::ApiServer)
    }
}

/// One client reference.
#[derive(Clone, Debug)]
pub struct Reference {
    /// The referring Pod or workload (an index into the objects).
    pub object: usize,
    /// `workload:NS/KIND/NAME` or `pod:NS/NAME`.
    pub referrer: String,
    /// `env:NAME`, `arg` (an argument or command word) or
    /// `configmap:NS/NAME:KEY`.
    pub source: String,
    /// Where the value is written.
    pub at: (SourceId, Span),
    /// The object that holds the value (the ConfigMap for a ConfigMap key).
    pub at_object: usize,
    /// The reference as the container sees it (after `$(VAR)` expansion).
    pub text: String,
    /// The Service it names.
    pub namespace: String,
    pub name: String,
    pub port: Option<i64>,
    pub target: Target,
}

impl Reference {
    /// `service:NS/NAME:PORT/PROTO` for a resolved port, else
    /// `service:NS/NAME` (interfaces.md §6.4 subjects).
    pub fn subject(&self, cluster: &Cluster) -> String {
        if let Target::Service {
            service,
            port: Some(p),
        } = self.target
            && let Some(sp) = cluster.services.get(service).and_then(|s| s.ports.get(p))
        {
            return format!(
                "service:{}/{}:{}/{}",
                self.namespace, self.name, sp.port, sp.protocol
            );
        }
        match self.port {
            Some(p) if !matches!(self.target, Target::Service { .. }) => {
                format!("service:{}/{}:{p}/TCP", self.namespace, self.name)
            }
            _ => format!("service:{}/{}", self.namespace, self.name),
        }
    }

    /// Where the value comes from, as a person reads it.
    pub fn describe_source(&self) -> String {
        if let Some(name) = self.source.strip_prefix("env:") {
            format!("env {name}")
        } else if let Some(key) = self.source.strip_prefix("configmap:") {
            format!("ConfigMap key {key}")
        } else {
            "an argument".to_owned()
        }
    }
}

/// NetworkPolicy on the connection a reference implies: from the first pod
/// of the referring object, through the Service port, to its ready
/// endpoints after kube-proxy's DNAT (spec E.5).
pub struct PolicyCheck<'a> {
    objects: &'a [Object],
    cluster: &'a Cluster,
    policies: &'a crate::netpol::Policies,
    first_pod: HashMap<usize, usize>,
    by_key: HashMap<String, usize>,
}

/// Endpoints tried per reference: pods of one workload share a verdict, so
/// a few distinct label sets decide it.
const DESTINATIONS: usize = 64;

impl<'a> PolicyCheck<'a> {
    pub fn new(
        objects: &'a [Object],
        cluster: &'a Cluster,
        policies: &'a crate::netpol::Policies,
    ) -> Self {
        let mut first_pod = HashMap::new();
        let mut by_key = HashMap::new();
        for (i, p) in cluster.pods.iter().enumerate() {
            first_pod.entry(p.object).or_insert(i);
            by_key.insert(p.key(), i);
        }
        PolicyCheck {
            objects,
            cluster,
            policies,
            first_pod,
            by_key,
        }
    }

    /// Why no ready endpoint admits the reference's connection (each
    /// verdict with the policies behind it), or `None` when one does, or
    /// when the reference names no port, has no pod or no endpoint.
    pub fn denials(&self, r: &Reference) -> Option<Vec<String>> {
        use crate::netpol::{Connection, Party, Verdict, view_of};
        let Target::Service {
            service,
            port: Some(pi),
        } = r.target
        else {
            return None;
        };
        let svc = &self.cluster.services[service];
        let sp = &svc.ports[pi];
        let sv = view_of(
            self.objects,
            &self.cluster.pods[*self.first_pod.get(&r.object)?],
        );
        if sv.host_network {
            return None;
        }
        let mut tried = HashSet::new();
        let mut denied = std::collections::BTreeSet::new();
        for e in svc.ready_endpoints(&sp.name, sp.protocol) {
            let (Some(key), Some(port)) = (e.pod.as_deref(), e.port) else {
                continue;
            };
            let Some(&q) = self.by_key.get(key) else {
                continue;
            };
            let pod = &self.cluster.pods[q];
            if !tried.insert((pod.namespace.clone(), pod.labels.clone(), port))
                || tried.len() > DESTINATIONS
            {
                continue;
            }
            let qv = view_of(self.objects, pod);
            let d = self.policies.decide(&Connection {
                source_pod: Some(&sv),
                egress_peer: Party::Pod(&qv),
                egress_port: port,
                dest_pod: (!qv.host_network).then_some(&qv),
                ingress_peer: Party::Pod(&sv),
                port,
                protocol: sp.protocol,
                to_self: false,
                from_local_node: false,
            });
            if d.verdict == Verdict::Allowed {
                return None;
            }
            let by: Vec<String> = d
                .policies
                .iter()
                .map(|p| format!("{}/{}", p.namespace, p.name))
                .collect();
            denied.insert(if by.is_empty() {
                d.verdict.as_str().to_owned()
            } else {
                format!("{} by {}", d.verdict.as_str(), by.join(", "))
            });
        }
        (!denied.is_empty()).then(|| denied.into_iter().collect())
    }
}

/// How much near-miss searching one analysis may do (string comparisons):
/// hostile input with thousands of distinct near names stays linear.
const NEAR_BUDGET: usize = 50_000;

/// The lookups references need, built once.
struct Index<'a> {
    objects: &'a [Object],
    cluster: &'a Cluster,
    services: HashMap<(&'a str, &'a str), usize>,
    /// Namespaces by Service name.
    names: HashMap<&'a str, Vec<&'a str>>,
    /// Service names by namespace.
    by_namespace: HashMap<&'a str, Vec<&'a str>>,
    namespaces: HashSet<&'a str>,
    config_maps: HashMap<(&'a str, &'a str), (usize, &'a ConfigMap)>,
    zone: &'a str,
    near_budget: std::cell::Cell<usize>,
}

impl<'a> Index<'a> {
    fn new(objects: &'a [Object], cluster: &'a Cluster, zone: &'a str) -> Self {
        let mut ix = Index {
            objects,
            cluster,
            services: HashMap::new(),
            names: HashMap::new(),
            by_namespace: HashMap::new(),
            namespaces: HashSet::new(),
            config_maps: HashMap::new(),
            zone,
            near_budget: std::cell::Cell::new(NEAR_BUDGET),
        };
        for (i, s) in cluster.services.iter().enumerate() {
            if ix.services.insert((&s.namespace, &s.name), i).is_none() {
                ix.names.entry(&s.name).or_default().push(&s.namespace);
                ix.by_namespace
                    .entry(&s.namespace)
                    .or_default()
                    .push(&s.name);
            }
        }
        for (i, o) in objects.iter().enumerate() {
            match &o.body {
                Body::Namespace => {
                    ix.namespaces.insert(o.name());
                }
                Body::ConfigMap(cm) => {
                    ix.config_maps
                        .entry((&o.namespace, o.name()))
                        .or_insert((i, cm));
                }
                _ => {}
            }
            if o.is_namespaced() {
                ix.namespaces.insert(&o.namespace);
            }
        }
        ix
    }

    /// The closest Service name of `namespace`, one or two edits away.
    fn near(&self, namespace: &str, name: &str) -> Option<&'a str> {
        if name.len() < 4 {
            return None;
        }
        let mut best: Option<(usize, &str)> = None;
        for &candidate in self.by_namespace.get(namespace).into_iter().flatten() {
            if candidate.len().abs_diff(name.len()) > 2 {
                continue;
            }
            let left = self.near_budget.get();
            if left == 0 {
                return None;
            }
            self.near_budget.set(left - 1);
            let d = crate::model::decode::edit_distance(name, candidate);
            if d <= 2 && best.is_none_or(|(bd, bn)| (d, candidate) < (bd, bn)) {
                best = Some((d, candidate));
            }
        }
        best.map(|(_, n)| n)
    }
}

/// How a referring object is named: `pod:NS/NAME`, or
/// `workload:NS/KIND/NAME` for an object with a pod template.
pub fn referrer_id(o: &Object) -> String {
    match &o.body {
        Body::Pod(_) => format!("pod:{}/{}", o.namespace, o.name()),
        _ => format!("workload:{}/{}/{}", o.namespace, o.kind.value, o.name()),
    }
}

/// Every client reference of the accepted Pods and workloads, in object
/// order (linear in the input: each value is read once, each ConfigMap key
/// once per container that reads it).
pub fn find<S: std::hash::BuildHasher>(
    objects: &[Object],
    rejected: &HashSet<usize, S>,
    cluster: &Cluster,
    zone: &str,
) -> Vec<Reference> {
    let ix = Index::new(objects, cluster, zone);
    let mut out = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        if rejected.contains(&i) {
            continue;
        }
        let Some(spec) = o.pod_spec() else { continue };
        let referrer = referrer_id(o);
        let labels = match &o.body {
            Body::Workload(w) => w.template.as_ref().map(|t| &t.meta.labels),
            _ => Some(&o.meta.labels),
        };
        let mut seen = HashSet::new();
        for c in spec.containers.iter().chain(&spec.init_containers) {
            let mut cx = Referring {
                ix: &ix,
                object: i,
                labels,
                referrer: &referrer,
                seen: &mut seen,
                out: &mut out,
            };
            cx.container(c);
        }
    }
    out
}

/// Where an environment variable's value comes from.
enum Origin<'a> {
    Env(Span),
    ConfigMap {
        object: usize,
        name: &'a str,
        key: &'a str,
        span: Span,
    },
    /// A Secret, a field or a resource: not read.
    Unknown,
}

struct Var<'a> {
    name: String,
    value: Option<String>,
    origin: Origin<'a>,
}

struct Referring<'a, 'r> {
    ix: &'r Index<'a>,
    object: usize,
    /// The referring pods' labels.
    labels: Option<&'a crate::model::StringMap>,
    referrer: &'r str,
    seen: &'r mut HashSet<(String, String)>,
    out: &'r mut Vec<Reference>,
}

impl<'a> Referring<'a, '_> {
    /// One container: its environment as the kubelet builds it (`envFrom`
    /// first, then `env` in order, each `value` expanded against what is
    /// defined so far), then its command and arguments expanded against
    /// the whole environment.
    fn container(&mut self, c: &'a Container) {
        let (vars, latest) = self.environment(c);
        self.env_values(&vars, &latest);
        let env: HashMap<&str, &str> = latest
            .iter()
            .filter_map(|(k, &i)| Some((k.as_str(), vars[i].value.as_deref()?)))
            .collect();
        for words in [&c.command, &c.args] {
            self.words(words, &env);
        }
    }

    /// A container's variables in definition order (`envFrom`, then `env`
    /// expanded against what is defined so far), and the index of each
    /// name's last definition.
    fn environment(&self, c: &'a Container) -> (Vec<Var<'a>>, HashMap<String, usize>) {
        let o = &self.ix.objects[self.object];
        let mut vars: Vec<Var<'a>> = Vec::new();
        let mut latest: HashMap<String, usize> = HashMap::new();
        let define =
            |vars: &mut Vec<Var<'a>>, latest: &mut HashMap<String, usize>, var: Var<'a>| {
                latest.insert(var.name.clone(), vars.len());
                vars.push(var);
            };
        for ef in &c.env_from {
            let Some(&(cm_object, cm)) = self
                .ix
                .config_maps
                .get(&(o.namespace.as_str(), ef.config_map.value.as_str()))
            else {
                continue;
            };
            let cm_name = self.ix.objects[cm_object].name();
            for (key, value) in &cm.data {
                define(
                    &mut vars,
                    &mut latest,
                    Var {
                        name: format!("{}{key}", ef.prefix),
                        value: value.as_ref().map(|v| v.value.clone()),
                        origin: value
                            .as_ref()
                            .map_or(Origin::Unknown, |v| Origin::ConfigMap {
                                object: cm_object,
                                name: cm_name,
                                key,
                                span: v.span,
                            }),
                    },
                );
            }
        }
        for e in &c.env {
            let var = if let Some(v) = &e.value {
                let expanded = expand(&v.value, |n| {
                    latest.get(n).and_then(|&i| vars[i].value.as_deref())
                });
                Var {
                    name: e.name.value.clone(),
                    value: Some(expanded),
                    origin: Origin::Env(v.span),
                }
            } else if let Some((cm, key)) = &e.config_map_key {
                self.config_map_var(&o.namespace, cm, key, &e.name.value)
            } else {
                Var {
                    name: e.name.value.clone(),
                    value: None,
                    origin: Origin::Unknown,
                }
            };
            define(&mut vars, &mut latest, var);
        }
        (vars, latest)
    }

    /// The references in the values of the variables that stand (the last
    /// definition of each name), read where `env` or a ConfigMap sets them.
    fn env_values(&mut self, vars: &[Var<'a>], latest: &HashMap<String, usize>) {
        let o = &self.ix.objects[self.object];
        for (i, var) in vars.iter().enumerate() {
            if latest.get(&var.name) != Some(&i) {
                continue;
            }
            let Some(value) = &var.value else { continue };
            let (source, at, at_object) = match &var.origin {
                Origin::Env(span) => (format!("env:{}", var.name), *span, self.object),
                Origin::ConfigMap {
                    object,
                    name,
                    key,
                    span,
                } => (
                    format!("configmap:{}/{name}:{key}", o.namespace),
                    *span,
                    *object,
                ),
                Origin::Unknown => continue,
            };
            self.value(value, addressy(&var.name), &source, (at, at_object));
        }
    }

    fn config_map_var(
        &self,
        namespace: &str,
        cm: &Spanned<String>,
        key: &'a Spanned<String>,
        env_name: &str,
    ) -> Var<'a> {
        let found = self
            .ix
            .config_maps
            .get(&(namespace, cm.value.as_str()))
            .and_then(|&(object, map)| Some((object, map.get(&key.value)?)));
        match found {
            Some((object, value)) => Var {
                name: env_name.to_owned(),
                value: Some(value.value.clone()),
                origin: Origin::ConfigMap {
                    object,
                    name: self.ix.objects[object].name(),
                    key: &key.value,
                    span: value.span,
                },
            },
            None => Var {
                name: env_name.to_owned(),
                value: None,
                origin: Origin::Unknown,
            },
        }
    }

    /// A command or argument list: each word, or the value of a
    /// `--flag=value` word; a bare name counts after an address flag.
    fn words(&mut self, words: &[Spanned<String>], env: &HashMap<&str, &str>) {
        let mut flag_is_addressy = false;
        for w in words {
            let word = expand(&w.value, |n| env.get(n).copied());
            let at = (w.span, self.object);
            if let Some(flag) = word.strip_prefix('-') {
                match flag.split_once('=') {
                    Some((name, value)) => {
                        self.value(value, addressy(name), "arg", at);
                        flag_is_addressy = false;
                    }
                    None => flag_is_addressy = addressy(flag),
                }
                continue;
            }
            self.value(&word, flag_is_addressy, "arg", at);
            flag_is_addressy = false;
        }
    }

    /// Service `i` selects the referring pods.
    fn selects_itself(&self, i: usize) -> bool {
        let svc = &self.ix.cluster.services[i];
        let o = &self.ix.objects[self.object];
        svc.namespace == o.namespace
            && svc.selector.as_ref().is_some_and(|sel| {
                !sel.is_empty()
                    && self
                        .labels
                        .is_some_and(|l| crate::selector::service_selects(sel, &l.map))
            })
    }

    /// The references of one value.
    fn value(&mut self, value: &str, addressy: bool, source: &str, at: (Span, usize)) {
        let o = &self.ix.objects[self.object];
        for c in candidates(value) {
            let written = o
                .meta
                .namespace
                .as_ref()
                .is_some_and(|n| !n.value.is_empty());
            let Some((namespace, name, target)) =
                self.ix.classify((&o.namespace, written), &c, addressy)
            else {
                continue;
            };
            if let Target::Service { service, .. } = target
                && self.selects_itself(service)
            {
                continue;
            }
            if !self.seen.insert((source.to_owned(), c.text.to_owned())) {
                continue;
            }
            let holder = &self.ix.objects[at.1];
            self.out.push(Reference {
                object: self.object,
                referrer: self.referrer.to_owned(),
                source: source.to_owned(),
                at: (holder.source, at.0),
                at_object: at.1,
                text: c.text.to_owned(),
                namespace,
                name,
                port: c.port,
                target,
            });
        }
    }
}

/// A variable or flag whose name says it holds an address.
fn addressy(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "HOST", "ADDR", "SERVER", "URL", "URI", "ENDPOINT", "BROKER", "UPSTREAM", "BACKEND",
    ];
    let upper = name.to_ascii_uppercase();
    WORDS.iter().any(|w| upper.contains(w))
}

/// How a candidate is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Bare,
    HostPort,
    Url,
}

#[derive(Debug)]
struct Candidate<'v> {
    text: &'v str,
    host: &'v str,
    port: Option<i64>,
    form: Form,
}

/// The hosts a value may name: the value itself, or the `host:port` items
/// and URLs of a comma list. Prose (a word with spaces around it) names
/// none.
fn candidates(value: &str) -> Vec<Candidate<'_>> {
    let v = value.trim();
    if v.is_empty() || v.len() > ConfigMap::MAX_VALUE {
        return Vec::new();
    }
    let tokens: Vec<&str> = v
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.iter().any(|t| t.contains(char::is_whitespace)) {
        return Vec::new();
    }
    let list = tokens.len() > 1;
    tokens
        .into_iter()
        .filter_map(token)
        .filter(|c| !list || c.form != Form::Bare)
        .collect()
}

/// `host`, `host:port` or `scheme://[user@]host[:port][/…]`.
fn token(t: &str) -> Option<Candidate<'_>> {
    let (authority, form, scheme) = if let Some((scheme, rest)) = t.split_once("://") {
        let ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'));
        if !ok {
            return None;
        }
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..end];
        let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        (authority, Form::Url, Some(scheme))
    } else {
        if t.contains(['/', '@', '=', '?', '#', '[']) {
            return None;
        }
        (t, Form::Bare, None)
    };
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => {
            let p: i64 = port
                .parse()
                .ok()
                .filter(|p| (1..=65535).contains(p) && port.bytes().all(|b| b.is_ascii_digit()))?;
            (host, Some(p))
        }
        None => (authority, None),
    };
    let port = port.or_else(|| match scheme.map(str::to_ascii_lowercase).as_deref() {
        Some("http" | "ws") => Some(80),
        Some("https" | "wss") => Some(443),
        _ => None,
    });
    let host = host.strip_suffix('.').unwrap_or(host);
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if host.is_empty()
        || host.len() > 253
        || !host.split('.').all(label_ok)
        || crate::names::parse_ip(host).is_some()
        || host.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    {
        return None;
    }
    let form = if form == Form::Bare && port.is_some() {
        Form::HostPort
    } else {
        form
    };
    Some(Candidate {
        text: t,
        host,
        port,
        form,
    })
}

impl Index<'_> {
    /// The Service a candidate names from `namespace` (the pod's), if it
    /// counts as a reference at all.
    fn classify(
        &self,
        (namespace, written): (&str, bool),
        c: &Candidate<'_>,
        addressy: bool,
    ) -> Option<(String, String, Target)> {
        let labels: Vec<&str> = c.host.split('.').collect();
        let zone_matches = |rest: &[&str]| rest.is_empty() || rest.join(".") == self.zone;
        // `NAME.NS.svc[.ZONE]`, and a pod's `HOST.NAME.NS.svc[.ZONE]` under
        // a headless Service.
        let (name, ns, shaped, zone_ok) =
            match (labels.len(), labels.iter().position(|l| *l == "svc")) {
                (_, Some(2)) => (labels[0], labels[1], true, zone_matches(&labels[3..])),
                (_, Some(3)) => (labels[1], labels[2], true, zone_matches(&labels[4..])),
                (1, None) => {
                    let elsewhere = self.names.get(labels[0]).map_or(&[][..], Vec::as_slice);
                    let ns = match elsewhere {
                        [only]
                            if !written && !self.services.contains_key(&(namespace, labels[0])) =>
                        {
                            only
                        }
                        _ => namespace,
                    };
                    (labels[0], ns, false, true)
                }
                (2, None) => (labels[0], labels[1], false, true),
                _ => return None,
            };
        let api_server = name == "kubernetes" && ns == "default";
        let exists = self.services.get(&(ns, name)).copied();
        if !shaped {
            if c.form == Form::Bare && !addressy {
                return None;
            }
            let known_name = self.names.contains_key(name) || api_server;
            let near = (exists.is_none() && !known_name && c.form != Form::Bare)
                .then(|| self.near(ns, name))
                .flatten();
            if exists.is_none() && !known_name && near.is_none() {
                return None;
            }
        }
        let target = match exists {
            Some(i) if zone_ok => self.port_of(i, c.port),
            None if api_server && zone_ok => Target::ApiServer,
            _ if !zone_ok => Target::OtherZone,
            _ if !self.namespaces.contains(ns) => Target::Outside,
            _ => Target::MissingService {
                hint: self.hint(ns, name),
            },
        };
        Some((ns.to_owned(), name.to_owned(), target))
    }

    /// Where a missing Service is: the namespaces that have one of that
    /// name, or the close name in its own.
    fn hint(&self, namespace: &str, name: &str) -> Option<String> {
        if let Some(elsewhere) = self.names.get(name) {
            let mut list: Vec<&str> = elsewhere.clone();
            list.sort_unstable();
            list.truncate(3);
            return Some(format!(
                "there is one in namespace {} (write {name}.{})",
                list.join(", "),
                list[0]
            ));
        }
        self.near(namespace, name)
            .map(|n| format!("did you mean {n}?"))
    }

    /// A named port on Service `i`: the Service port (any protocol, TCP
    /// first); for a headless Service, whose clients connect to the pods,
    /// a Service port or a numeric targetPort.
    fn port_of(&self, i: usize, port: Option<i64>) -> Target {
        let svc = &self.cluster.services[i];
        let Some(n) = port else {
            return Target::Service {
                service: i,
                port: None,
            };
        };
        if svc.type_ == ServiceType::ExternalName || (svc.headless && svc.ports.is_empty()) {
            return Target::Service {
                service: i,
                port: None,
            };
        }
        let found = svc
            .ports
            .iter()
            .position(|p| p.port == n && p.protocol == Protocol::Tcp)
            .or_else(|| svc.ports.iter().position(|p| p.port == n))
            .or_else(|| {
                svc.headless
                    .then(|| {
                        svc.ports
                            .iter()
                            .position(|p| p.target_port == crate::snapshot::IntOrStringJson::Int(n))
                    })
                    .flatten()
            });
        match found {
            Some(p) => Target::Service {
                service: i,
                port: Some(p),
            },
            None => Target::MissingPort { service: i },
        }
    }
}

/// `$(VAR)` expanded as the kubelet expands env values, commands and
/// arguments (`third_party/forked/golang/expansion/expand.go`): `$$` is a
/// literal `$`, and a reference to an undefined variable, or one never
/// closed, stays as written. Linear: once no `)` follows, no later `$(`
/// scans for one again.
pub fn expand<'v>(input: &str, lookup: impl Fn(&str) -> Option<&'v str>) -> String {
    let b = input.as_bytes();
    let mut out = String::with_capacity(input.len());
    let (mut checkpoint, mut cursor) = (0, 0);
    let mut no_closer_after = usize::MAX;
    while cursor < b.len() {
        if b[cursor] != b'$' || cursor + 1 >= b.len() {
            cursor += 1;
            continue;
        }
        out.push_str(&input[checkpoint..cursor]);
        match b[cursor + 1] {
            b'$' => {
                out.push('$');
                cursor += 2;
            }
            b'(' => {
                let close = (cursor + 2 < no_closer_after)
                    .then(|| input[cursor + 2..].find(')').map(|i| cursor + 2 + i))
                    .flatten();
                if let Some(end) = close {
                    let name = &input[cursor + 2..end];
                    if let Some(v) = lookup(name) {
                        out.push_str(v);
                    } else {
                        out.push_str("$(");
                        out.push_str(name);
                        out.push(')');
                    }
                    cursor = end + 1;
                } else {
                    no_closer_after = cursor;
                    out.push_str("$(");
                    cursor += 2;
                }
            }
            _ => {
                out.push('$');
                cursor += 1;
            }
        }
        checkpoint = cursor;
    }
    out.push_str(&input[checkpoint..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> {
        move |n| pairs.iter().find(|(k, _)| *k == n).map(|(_, v)| *v)
    }

    /// The cases of upstream's `TestMapReference` / `TestMapping`
    /// (third_party/forked/golang/expansion/expand_test.go).
    #[test]
    fn expansion_follows_the_kubelet() {
        let vars = [("VAR_A", "A"), ("VAR_B", "B"), ("VAR_EMPTY", "")];
        let f = env(&vars);
        for (input, want) in [
            ("$(VAR_A)", "A"),
            ("___$(VAR_B)___", "___B___"),
            ("$(VAR_A)-$(VAR_B)", "A-B"),
            ("$(VAR_EMPTY)", ""),
            ("$(VAR_DNE)", "$(VAR_DNE)"),
            ("$$(VAR_A)", "$(VAR_A)"),
            ("$$$(VAR_A)", "$A"),
            ("$(VAR_A", "$(VAR_A"),
            ("$(VAR_A$(VAR_B)", "$(VAR_A$(VAR_B)"),
            ("$VAR_A", "$VAR_A"),
            ("foo$", "foo$"),
            ("$()", "$()"),
            ("$$", "$"),
            ("$(($(VAR_A)", "$(($(VAR_A)"),
        ] {
            assert_eq!(expand(input, &f), want, "{input}");
        }
    }

    #[test]
    fn expansion_is_linear_on_unclosed_references() {
        let input = "$(".repeat(200_000);
        assert_eq!(expand(&input, |_| None), input);
    }

    #[test]
    fn values_name_hosts_only_when_whole() {
        let hosts = |v: &str| -> Vec<(String, Option<i64>)> {
            candidates(v)
                .into_iter()
                .map(|c| (c.host.to_owned(), c.port))
                .collect()
        };
        assert_eq!(
            hosts("redis-cart:6379"),
            [("redis-cart".into(), Some(6379))]
        );
        assert_eq!(
            hosts("http://email:8080/send"),
            [("email".into(), Some(8080))]
        );
        assert_eq!(hosts("http://frontend"), [("frontend".into(), Some(80))]);
        assert_eq!(
            hosts("redis://u:p@cache.data:6379/0"),
            [("cache.data".into(), Some(6379))]
        );
        assert_eq!(
            hosts("a:1, b:2"),
            [("a".into(), Some(1)), ("b".into(), Some(2))]
        );
        // A list of names is not a list of addresses; prose is not an address.
        assert!(hosts("api,web").is_empty());
        assert!(hosts("connect to redis:6379 now").is_empty());
        for v in [
            "0.0.0.0:4317",
            ":9411",
            "http://*:8080",
            "/etc/redis",
            "10.0.0.1",
            "x:99999",
            "Host=db;User=u",
        ] {
            assert!(hosts(v).is_empty(), "{v}");
        }
    }
}
