//! The HTTP entry points (spec G and H): which controller serves each
//! Ingress (G.2), which Gateway listeners accept each route (H.2), and what
//! each backend reference resolves to (G.4, H.2.7–8). Shared by the trace
//! (`sim::http`), the lints and the graph; the matching rules themselves
//! are in `matching`.

pub mod matching;

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::model::{
    BackendRef, Body, Gateway, Ingress, Listener, Object, ReferenceGrant, Route, ServiceBackend,
};
use crate::selector::Selector;
use crate::snapshot::{Cluster, ClusterService};

pub const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";
/// G.2.1.
pub const DEFAULT_CLASS_ANNOTATION: &str = "ingressclass.kubernetes.io/is-default-class";
/// G.2.3.
pub const CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";
/// G.5.2: ingress-nginx annotations that make a host's paths regexes.
pub const USE_REGEX: &str = "nginx.ingress.kubernetes.io/use-regex";
pub const REWRITE_TARGET: &str = "nginx.ingress.kubernetes.io/rewrite-target";
/// H.5.4: the protocol ingress-nginx speaks to the backend (`HTTP` unless
/// set; `GRPC`/`GRPCS` for gRPC servers).
pub const BACKEND_PROTOCOL: &str = "nginx.ingress.kubernetes.io/backend-protocol";
/// GEP-1762: the label a Gateway's data-plane Service and pods carry.
pub const GATEWAY_NAME_LABEL: &str = "gateway.networking.k8s.io/gateway-name";
/// The controller whose `ImplementationSpecific` paths are string prefixes
/// (G.3.7).
pub const INGRESS_NGINX: &str = "k8s.io/ingress-nginx";

/// An IngressClass of the input.
#[derive(Debug)]
pub struct Class<'a> {
    pub object: usize,
    pub name: &'a str,
    pub controller: &'a str,
    pub default: bool,
}

/// Which class an Ingress belongs to (G.2.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClassOf {
    /// `spec.ingressClassName`, and the class's index when the input has it.
    Field(String, Option<usize>),
    /// The `kubernetes.io/ingress.class` annotation.
    Annotation(String, Option<usize>),
    /// Neither: the default class admission sets (G.2.2).
    Defaulted(usize),
    /// Neither, and no default class: no controller serves it.
    None,
}

/// The routing table of the cluster's default class when the input holds
/// no IngressClass at all.
pub const ASSUMED_DEFAULT: &str = "(default)";

impl ClassOf {
    /// The routing table the Ingress joins (G.2.4), if a controller serves
    /// it. When the input holds no IngressClass at all, the classes are
    /// assumed installed with their controllers (**[Portolan]**: a manifest
    /// repository seldom holds them): a named class is its own table and an
    /// unclassed Ingress joins the default class's.
    pub fn table(&self, classes: &[Class<'_>]) -> Option<String> {
        match self {
            ClassOf::Field(_, Some(i))
            | ClassOf::Annotation(_, Some(i))
            | ClassOf::Defaulted(i) => Some(classes[*i].name.to_owned()),
            ClassOf::Annotation(name, None) => Some(name.clone()),
            ClassOf::Field(name, None) if classes.is_empty() => Some(name.clone()),
            ClassOf::None if classes.is_empty() => Some(ASSUMED_DEFAULT.to_owned()),
            ClassOf::Field(_, None) | ClassOf::None => None,
        }
    }
}

#[derive(Debug)]
pub struct IngressAt<'a> {
    pub object: usize,
    pub ingress: &'a Ingress,
    pub class: ClassOf,
}

#[derive(Debug)]
pub struct GatewayAt<'a> {
    pub object: usize,
    pub namespace: &'a str,
    pub name: &'a str,
    pub gateway: &'a Gateway,
    /// The GatewayClass object, when the input has it (H.2.1).
    pub class: Option<usize>,
    /// A controller serves the Gateway: its class is in the input, or the
    /// input holds no GatewayClass at all (they are then assumed installed
    /// with their controllers, **[Portolan]**).
    pub served: bool,
}

impl GatewayAt<'_> {
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// The listeners with their defaulted fields: (index, listener, port,
    /// protocol).
    pub fn listeners(&self) -> impl Iterator<Item = (usize, &Listener, i64, &str)> {
        self.gateway.listeners.iter().enumerate().map(|(i, l)| {
            (
                i,
                l,
                l.port.as_ref().map_or(0, |p| p.value),
                l.protocol.as_ref().map_or("", |p| p.value.as_str()),
            )
        })
    }
}

/// Why a parentRef did not attach (H.2, the `Accepted=False` reasons).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a Gateway (a Service parent is GAMMA, H.6: not modelled).
    NotModelled(String),
    /// The Gateway is not in the input.
    ParentNotFound(String),
    /// The Gateway's GatewayClass is not in the input.
    ClassNotFound(String),
    NoMatchingParent,
    NotAllowedByListeners,
    NoMatchingListenerHostname,
    /// H.2.6: a route of the other kind holds the listener's hostnames.
    KindConflict(String),
}

impl Refusal {
    /// Gateway API's reason.
    pub fn reason(&self) -> &'static str {
        match self {
            Refusal::NotModelled(_) => "NotModelled",
            Refusal::ParentNotFound(_) | Refusal::ClassNotFound(_) => "NoController",
            Refusal::NoMatchingParent => "NoMatchingParent",
            Refusal::NotAllowedByListeners | Refusal::KindConflict(_) => "NotAllowedByListeners",
            Refusal::NoMatchingListenerHostname => "NoMatchingListenerHostname",
        }
    }
}

/// A listener a route serves on, with the hostnames it serves there
/// (`None`: any host).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// Index in `Routing::gateways`.
    pub gateway: usize,
    pub listener: usize,
    pub hostnames: Option<Vec<String>>,
}

#[derive(Debug)]
pub struct ParentStatus {
    /// Index in the route's `parentRefs`.
    pub index: usize,
    /// The Gateway it names, when the input holds it (index in
    /// `Routing::gateways`).
    pub gateway: Option<usize>,
    pub outcome: Result<Vec<Attachment>, Refusal>,
}

#[derive(Debug)]
pub struct RouteAt<'a> {
    pub object: usize,
    pub namespace: &'a str,
    pub name: &'a str,
    pub route: &'a Route,
    pub parents: Vec<ParentStatus>,
}

impl RouteAt<'_> {
    pub fn attachments(&self) -> impl Iterator<Item = &Attachment> {
        self.parents
            .iter()
            .filter_map(|p| p.outcome.as_ref().ok())
            .flatten()
    }
}

/// What a backend reference resolves to (H.2.7, G.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A Service port: indexes in `cluster.services` and its `ports`.
    Service { service: usize, port: usize },
    /// An ExternalName Service (Ingress: proxied by name, G.4.4; Gateway
    /// API: not supported, H.4.3).
    ExternalName { service: usize, name: String },
    /// `InvalidKind`: not a core Service.
    InvalidKind(String),
    /// `RefNotPermitted`: another namespace, no ReferenceGrant.
    RefNotPermitted(String),
    /// `BackendNotFound`: the Service, or its port, is absent.
    NotFound(String),
}

impl Backend {
    pub fn reason(&self) -> &'static str {
        match self {
            Backend::Service { .. } => "ResolvedRefs",
            Backend::ExternalName { .. } => "UnsupportedProtocol",
            Backend::InvalidKind(_) => "InvalidKind",
            Backend::RefNotPermitted(_) => "RefNotPermitted",
            Backend::NotFound(_) => "BackendNotFound",
        }
    }
}

/// The HTTP entry points of an input.
pub struct Routing<'a> {
    pub objects: &'a [Object],
    pub cluster: &'a Cluster,
    pub classes: Vec<Class<'a>>,
    pub ingresses: Vec<IngressAt<'a>>,
    pub gateways: Vec<GatewayAt<'a>>,
    pub routes: Vec<RouteAt<'a>>,
    grants: Vec<(&'a str, &'a ReferenceGrant)>,
    services: HashMap<(&'a str, &'a str), usize>,
    namespaces: BTreeMap<String, BTreeMap<String, String>>,
}

/// `creationTimestamp` order: oldest first; an object without one (not
/// created yet) after those with one (spec H.3.6 (8), G.3.5 **[Portolan]**).
pub fn age_key(o: &Object) -> (bool, &str) {
    match &o.meta.creation_timestamp {
        Some(t) => (false, t.as_str()),
        None => (true, ""),
    }
}

impl<'a> Routing<'a> {
    /// The entry points of `objects` that are not `rejected`.
    pub fn new(objects: &'a [Object], rejected: &HashSet<usize>, cluster: &'a Cluster) -> Self {
        let mut r = Routing {
            objects,
            cluster,
            classes: Vec::new(),
            ingresses: Vec::new(),
            gateways: Vec::new(),
            routes: Vec::new(),
            grants: Vec::new(),
            services: HashMap::new(),
            namespaces: BTreeMap::new(),
        };
        for (i, s) in cluster.services.iter().enumerate() {
            r.services.entry((&s.namespace, &s.name)).or_insert(i);
        }
        let mut gateway_classes: HashMap<&str, usize> = HashMap::new();
        for (i, o) in objects.iter().enumerate() {
            if rejected.contains(&i) {
                continue;
            }
            r.collect(i, o, &mut gateway_classes);
        }
        for g in &mut r.gateways {
            g.class = g
                .gateway
                .class_name
                .as_ref()
                .and_then(|c| gateway_classes.get(c.value.as_str()).copied());
            g.served = g.class.is_some() || gateway_classes.is_empty();
        }
        r.classify_ingresses();
        r.attach_routes();
        r
    }

    fn collect(&mut self, i: usize, o: &'a Object, gateway_classes: &mut HashMap<&'a str, usize>) {
        match &o.body {
            Body::IngressClass(c) => self.classes.push(Class {
                object: i,
                name: o.name(),
                controller: c.controller.as_ref().map_or("", |c| c.value.as_str()),
                default: o.meta.annotations.get(DEFAULT_CLASS_ANNOTATION) == Some("true"),
            }),
            Body::Ingress(ing) => self.ingresses.push(IngressAt {
                object: i,
                ingress: ing,
                class: ClassOf::None,
            }),
            Body::GatewayClass(_) => {
                gateway_classes.entry(o.name()).or_insert(i);
            }
            Body::Gateway(g) => self.gateways.push(GatewayAt {
                object: i,
                namespace: &o.namespace,
                name: o.name(),
                gateway: g,
                class: None,
                served: false,
            }),
            Body::Route(route) => self.routes.push(RouteAt {
                object: i,
                namespace: &o.namespace,
                name: o.name(),
                route,
                parents: Vec::new(),
            }),
            Body::ReferenceGrant(g) => self.grants.push((&o.namespace, g)),
            Body::Namespace => {
                let mut labels = (*o.meta.labels.map).clone();
                labels.insert(
                    crate::netpol::NAMESPACE_NAME_LABEL.to_owned(),
                    o.name().to_owned(),
                );
                self.namespaces.insert(o.name().to_owned(), labels);
            }
            _ => {}
        }
    }

    /// G.2.2: the default class — the newest of several, ties by the
    /// smallest name (≥ 1.25).
    pub fn default_class(&self) -> Option<usize> {
        self.classes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.default)
            .max_by(|(_, x), (_, y)| {
                age_key(&self.objects[y.object])
                    .cmp(&age_key(&self.objects[x.object]))
                    .reverse()
                    .then_with(|| y.name.cmp(x.name))
            })
            .map(|(i, _)| i)
    }

    fn classify_ingresses(&mut self) {
        let default = self.default_class();
        let by_name: HashMap<&str, usize> = self
            .classes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name, i))
            .collect();
        for at in &mut self.ingresses {
            let o = &self.objects[at.object];
            at.class = if let Some(f) = &at.ingress.class_name {
                ClassOf::Field(f.value.clone(), by_name.get(f.value.as_str()).copied())
            } else if let Some(a) = o.meta.annotations.get(CLASS_ANNOTATION) {
                ClassOf::Annotation(a.to_owned(), by_name.get(a).copied())
            } else {
                default.map_or(ClassOf::None, ClassOf::Defaulted)
            };
        }
    }

    /// The controller of an Ingress routing table (`""` for a class known
    /// only by its annotation).
    pub fn controller_of(&self, table: &str) -> &str {
        self.classes
            .iter()
            .find(|c| c.name == table)
            .map_or("", |c| c.controller)
    }

    /// Whether ingress-nginx serves a routing table: its class names that
    /// controller, or (no IngressClass in the input) the table is `nginx`.
    pub fn is_ingress_nginx(&self, table: &str) -> bool {
        match self.controller_of(table) {
            "" => table == "nginx",
            c => c == INGRESS_NGINX,
        }
    }

    /// G.5.2: the annotation that puts an Ingress's hosts in ingress-nginx's
    /// regex mode, if it has one.
    pub fn regex_annotation(o: &Object) -> Option<&'static str> {
        [USE_REGEX, REWRITE_TARGET]
            .into_iter()
            .find(|a| match o.meta.annotations.get(a) {
                Some(v) => *a != USE_REGEX || v == "true",
                None => false,
            })
    }

    fn namespace_labels(&self, ns: &str) -> BTreeMap<String, String> {
        self.namespaces.get(ns).cloned().unwrap_or_else(|| {
            [(
                crate::netpol::NAMESPACE_NAME_LABEL.to_owned(),
                ns.to_owned(),
            )]
            .into()
        })
    }

    fn attach_routes(&mut self) {
        let gateways: HashMap<(&str, &str), usize> = self
            .gateways
            .iter()
            .enumerate()
            .map(|(i, g)| ((g.namespace, g.name), i))
            .collect();
        let mut statuses = Vec::with_capacity(self.routes.len());
        for r in &self.routes {
            let parents = r
                .route
                .parent_refs
                .iter()
                .enumerate()
                .map(|(index, p)| ParentStatus {
                    index,
                    gateway: p.name.as_ref().and_then(|name| {
                        let ns = p
                            .namespace
                            .as_ref()
                            .map_or(r.namespace, |n| n.value.as_str());
                        gateways.get(&(ns, name.value.as_str())).copied()
                    }),
                    outcome: self.attach(r, p, &gateways),
                })
                .collect();
            statuses.push(parents);
        }
        for (r, parents) in self.routes.iter_mut().zip(statuses) {
            r.parents = parents;
        }
        self.kind_conflicts();
    }

    /// H.2.1–H.2.5 for one parentRef.
    fn attach(
        &self,
        r: &RouteAt<'_>,
        p: &crate::model::ParentRef,
        gateways: &HashMap<(&str, &str), usize>,
    ) -> Result<Vec<Attachment>, Refusal> {
        let group = p.group.as_ref().map_or(GATEWAY_GROUP, |g| g.value.as_str());
        let kind = p.kind.as_ref().map_or("Gateway", |k| k.value.as_str());
        if (group, kind) != (GATEWAY_GROUP, "Gateway") {
            return Err(Refusal::NotModelled(format!("{group}/{kind}")));
        }
        let ns = p
            .namespace
            .as_ref()
            .map_or(r.namespace, |n| n.value.as_str());
        let name = p.name.as_ref().map_or("", |n| n.value.as_str());
        let Some(&gi) = gateways.get(&(ns, name)) else {
            return Err(Refusal::ParentNotFound(format!("{ns}/{name}")));
        };
        let g = &self.gateways[gi];
        if !g.served {
            let class = g
                .gateway
                .class_name
                .as_ref()
                .map_or("", |c| c.value.as_str());
            return Err(Refusal::ClassNotFound(class.to_owned()));
        }
        let candidates: Vec<(usize, &Listener, i64, &str)> = g
            .listeners()
            .filter(|(_, l, port, _)| {
                p.section_name
                    .as_ref()
                    .is_none_or(|s| l.name.as_ref().is_some_and(|n| n.value == s.value))
                    && p.port.as_ref().is_none_or(|want| want.value == *port)
            })
            .collect();
        if candidates.is_empty() {
            return Err(Refusal::NoMatchingParent);
        }
        let route_kind = r.route.kind();
        let route_labels = self.namespace_labels(r.namespace);
        let admitting: Vec<_> = candidates
            .into_iter()
            .filter(|(_, l, _, protocol)| {
                admits_kind(l, protocol, route_kind)
                    && admits_namespace(l, g.namespace, r.namespace, &route_labels)
            })
            .collect();
        if admitting.is_empty() {
            return Err(Refusal::NotAllowedByListeners);
        }
        let hostnames: Vec<String> = r.route.hostnames.iter().map(|h| h.value.clone()).collect();
        let attached: Vec<Attachment> = admitting
            .into_iter()
            .filter_map(|(li, l, _, _)| {
                let lh = l.hostname.as_ref().map(|h| h.value.as_str());
                let hosts = matching::intersect(lh, &hostnames);
                if hosts.as_ref().is_some_and(Vec::is_empty) {
                    return None;
                }
                Some(Attachment {
                    gateway: gi,
                    listener: li,
                    hostnames: hosts,
                })
            })
            .collect();
        if attached.is_empty() {
            return Err(Refusal::NoMatchingListenerHostname);
        }
        Ok(attached)
    }

    /// H.2.6: an HTTPRoute and a GRPCRoute on one listener with
    /// intersecting hostnames (a wildcard overlaps the names under it and
    /// the wildcards around it): only the older keeps the listener.
    fn kind_conflicts(&mut self) {
        // Per (gateway, listener, is GRPCRoute): the hostnames held.
        let mut held: HashMap<(usize, usize, bool), Held> = HashMap::new();
        let order = {
            let mut idx: Vec<usize> = (0..self.routes.len()).collect();
            idx.sort_by(|&x, &y| self.precedence(x).cmp(&self.precedence(y)));
            idx
        };
        let mut lost: Vec<(usize, usize, usize, String)> = Vec::new();
        for &ri in &order {
            let r = &self.routes[ri];
            for (pi, p) in r.parents.iter().enumerate() {
                let Ok(atts) = &p.outcome else { continue };
                for (ai, a) in atts.iter().enumerate() {
                    let other = held.get(&(a.gateway, a.listener, !r.route.grpc));
                    match other.and_then(|o| o.overlap(a.hostnames.as_deref())) {
                        Some(w) => {
                            let wr = &self.routes[w];
                            lost.push((
                                ri,
                                pi,
                                ai,
                                format!("{} {}/{}", wr.route.kind(), wr.namespace, wr.name),
                            ));
                        }
                        None => held
                            .entry((a.gateway, a.listener, r.route.grpc))
                            .or_default()
                            .hold(a.hostnames.as_deref(), ri),
                    }
                }
            }
        }
        lost.sort();
        lost.dedup_by(|a, b| (a.0, a.1, a.2) == (b.0, b.1, b.2));
        for (ri, pi, ai, winner) in lost.into_iter().rev() {
            let p = &mut self.routes[ri].parents[pi];
            if let Ok(atts) = &mut p.outcome {
                atts.remove(ai);
                if atts.is_empty() {
                    p.outcome = Err(Refusal::KindConflict(winner));
                }
            }
        }
    }

    /// H.3.6 (8)–(9): older first, then `namespace/name`.
    pub fn precedence(&self, route: usize) -> ((bool, &str), &str, &str) {
        let r = &self.routes[route];
        (age_key(&self.objects[r.object]), r.namespace, r.name)
    }

    fn service(&self, ns: &str, name: &str) -> Option<(usize, &'a ClusterService)> {
        let i = *self.services.get(&(ns, name))?;
        Some((i, &self.cluster.services[i]))
    }

    /// G.4.1–G.4.2: an Ingress backend in namespace `ns`.
    pub fn ingress_backend(&self, ns: &str, b: &ServiceBackend) -> Backend {
        let Some((si, s)) = self.service(ns, b.service()) else {
            return Backend::NotFound(format!("no Service {ns}/{}", b.service()));
        };
        if let Some(name) = &s.external_name {
            return Backend::ExternalName {
                service: si,
                name: name.clone(),
            };
        }
        match s.ports.iter().position(|p| b.selects_port(p.port, &p.name)) {
            Some(port) => Backend::Service { service: si, port },
            None => Backend::NotFound(format!(
                "Service {ns}/{} has no port {}",
                b.service(),
                b.port_text()
            )),
        }
    }

    /// H.2.7–H.2.8: a backendRef of a route (kind `route_kind`) in `ns`.
    pub fn route_backend(&self, ns: &str, route_kind: &str, b: &BackendRef) -> Backend {
        let (group, kind) = b.group_kind();
        if (group, kind) != ("", "Service") {
            return Backend::InvalidKind(format!(
                "{}/{kind} is not a core Service",
                if group.is_empty() { "core" } else { group }
            ));
        }
        let name = b.name.as_ref().map_or("", |n| n.value.as_str());
        let target = b.namespace.as_ref().map_or(ns, |n| n.value.as_str());
        if target != ns && !self.granted(ns, route_kind, target, name) {
            return Backend::RefNotPermitted(format!(
                "no ReferenceGrant in namespace {target} lets {route_kind}s of namespace {ns} refer to Service {name}"
            ));
        }
        let Some((si, s)) = self.service(target, name) else {
            return Backend::NotFound(format!("no Service {target}/{name}"));
        };
        if let Some(external) = &s.external_name {
            return Backend::ExternalName {
                service: si,
                name: external.clone(),
            };
        }
        let Some(port) = b.port.as_ref() else {
            return Backend::NotFound(format!("no port given for Service {target}/{name}"));
        };
        match s.ports.iter().position(|p| p.port == port.value) {
            Some(p) => Backend::Service {
                service: si,
                port: p,
            },
            None => Backend::NotFound(format!(
                "Service {target}/{name} has no port {} (ports: {})",
                port.value,
                s.ports
                    .iter()
                    .map(|p| p.port.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// H.2.8: a ReferenceGrant in the Service's namespace lets routes of
    /// kind `route_kind` in `from_ns` refer to Service `name`.
    fn granted(&self, from_ns: &str, route_kind: &str, to_ns: &str, name: &str) -> bool {
        let text = |s: &Option<crate::model::Spanned<String>>| {
            s.as_ref().map_or("", |v| v.value.as_str()).to_owned()
        };
        self.grants
            .iter()
            .filter(|(ns, _)| *ns == to_ns)
            .any(|(_, g)| {
                g.from.iter().any(|f| {
                    text(&f.group) == GATEWAY_GROUP
                        && text(&f.kind) == route_kind
                        && text(&f.namespace) == from_ns
                }) && g.to.iter().any(|t| {
                    text(&t.group).is_empty()
                        && text(&t.kind) == "Service"
                        && t.name.as_ref().is_none_or(|n| n.value == name)
                })
            })
    }
}

/// H.2.3: the listener admits the route's kind.
fn admits_kind(l: &Listener, protocol: &str, route_kind: &str) -> bool {
    if l.allowed_routes.kinds.is_empty() {
        return matches!(protocol, "HTTP" | "HTTPS")
            && matches!(route_kind, "HTTPRoute" | "GRPCRoute");
    }
    l.allowed_routes.kinds.iter().any(|(g, k)| {
        g.as_ref().map_or(GATEWAY_GROUP, |g| g.value.as_str()) == GATEWAY_GROUP
            && k.as_ref().is_some_and(|k| k.value == route_kind)
    })
}

/// H.2.3: the listener admits routes of namespace `ns`.
fn admits_namespace(
    l: &Listener,
    gateway_ns: &str,
    ns: &str,
    labels: &BTreeMap<String, String>,
) -> bool {
    match l
        .allowed_routes
        .from
        .as_ref()
        .map_or("Same", |f| f.value.as_str())
    {
        "All" => true,
        "Selector" => l
            .allowed_routes
            .selector
            .as_ref()
            .is_some_and(|s| Selector::from_label_selector(Some(s)).matches(labels)),
        _ => gateway_ns == ns,
    }
}

/// The hostnames the routes of one kind hold on one listener (H.2.6),
/// indexed so that an overlap costs a lookup per label, not a scan.
#[derive(Default)]
struct Held {
    /// A route that holds every hostname.
    any: Option<usize>,
    /// Precise names.
    exact: HashMap<String, usize>,
    /// Wildcards (`*.S`).
    wild: HashMap<String, usize>,
    /// For each wildcard `*.S`, a route holding a name or wildcard under
    /// (or equal to) it.
    under: HashMap<String, usize>,
}

/// The wildcards `*.S` over a name or wildcard: one per label suffix `S`
/// of it (its own suffix included for a wildcard, never the bare name).
fn wildcards_over(host: &str) -> impl Iterator<Item = String> + '_ {
    let rest = host.strip_prefix('*').unwrap_or(host);
    let own = host.starts_with('*').then(|| host.to_owned());
    own.into_iter().chain(
        rest.char_indices()
            .filter(|&(i, c)| c == '.' && i + 1 < rest.len() && i > 0)
            .map(move |(i, _)| format!("*{}", &rest[i..])),
    )
}

impl Held {
    /// The route holding a hostname that overlaps `hosts` (`None`: all).
    fn overlap(&self, hosts: Option<&[String]>) -> Option<usize> {
        if let Some(r) = self.any {
            return Some(r);
        }
        let Some(hosts) = hosts else {
            return self.exact.values().chain(self.wild.values()).min().copied();
        };
        hosts.iter().find_map(|h| {
            let around = wildcards_over(h).find_map(|w| self.wild.get(&w).copied());
            if h.starts_with('*') {
                around.or_else(|| self.under.get(h).copied())
            } else {
                self.exact.get(h).copied().or(around)
            }
        })
    }

    fn hold(&mut self, hosts: Option<&[String]>, route: usize) {
        let Some(hosts) = hosts else {
            self.any.get_or_insert(route);
            return;
        };
        for h in hosts {
            if h.starts_with('*') {
                self.wild.entry(h.clone()).or_insert(route);
            } else {
                self.exact.entry(h.clone()).or_insert(route);
            }
            for w in wildcards_over(h) {
                self.under.entry(w).or_insert(route);
            }
        }
    }
}
