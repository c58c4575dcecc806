//! The Kubernetes object model: the kinds that carry routing meaning, typed
//! from the YAML tree with the span of every field kept.

mod custom;
pub mod decode;
mod gateway;
mod ingress;
mod kinds;
mod netpol;
mod pod;
mod service;

use crate::codes;
use crate::diag::{Diagnostic, ObjectRef, Severity};
use crate::source::{SourceId, Span};
use crate::yaml::{Document, Node, Resolved};
pub use decode::{Cx, IntOrString, Spanned, StringMap};
pub use gateway::{
    AllowedRoutes, BackendRef, Cors, Filter, Gateway, GatewayClass, GrantRef, HeaderFilter,
    Listener, ParentRef, PathMatch, PathModifier, ReferenceGrant, Route, RouteMatch, RouteRule,
    Timeouts, UrlFilter, ValueMatch,
};
pub use ingress::{
    BackendAt, Ingress, IngressBackend, IngressClass, IngressPath, IngressRule, IngressTls,
    ServiceBackend, TypedRef,
};
pub use kinds::{
    ConfigMap, EndpointSlice, Endpoints, EpsEndpoint, EpsPort, Hints, LabelSelector, NodeObj,
    SelectorExpr, Workload, WorkloadOrigin, cpu_millis,
};
pub use netpol::{IpBlock, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule};
pub use pod::{Container, ContainerPort, PodSpec, PodStatus, PodTemplate};
pub use service::{LbIngress, Service, ServicePort};

/// Object metadata.
#[derive(Clone, Debug, Default)]
pub struct Meta {
    pub name: Option<Spanned<String>>,
    pub generate_name: Option<Spanned<String>>,
    pub namespace: Option<Spanned<String>>,
    pub labels: StringMap,
    pub annotations: StringMap,
    pub deletion_timestamp: bool,
    /// The object was read from a cluster (`uid`, `resourceVersion` or
    /// `creationTimestamp` present): it exists already, so create-time
    /// allocation does not apply to it.
    pub live: bool,
    /// `metadata.creationTimestamp` as written (RFC 3339): orders routes
    /// and Ingresses where the APIs say "oldest first".
    pub creation_timestamp: Option<String>,
    /// `Kind/name` of the `metadata.ownerReferences` entry with
    /// `controller: true`: the workload that made a live pod.
    pub controller: Option<String>,
    pub span: Span,
}

/// What an object is, by kind.
#[derive(Clone, Debug)]
pub enum Body {
    Service(Box<Service>),
    Pod(Box<(PodSpec, PodStatus)>),
    Workload(Box<Workload>),
    EndpointSlice(Box<EndpointSlice>),
    Endpoints(Box<Endpoints>),
    Node(Box<NodeObj>),
    Namespace,
    Ingress(Box<Ingress>),
    IngressClass(Box<IngressClass>),
    GatewayClass(Box<GatewayClass>),
    Gateway(Box<Gateway>),
    /// An HTTPRoute or a GRPCRoute.
    Route(Box<Route>),
    ReferenceGrant(Box<ReferenceGrant>),
    NetworkPolicy(Box<NetworkPolicy>),
    ConfigMap(Box<ConfigMap>),
    Other,
}

/// One Kubernetes object of the input.
#[derive(Clone, Debug)]
pub struct Object {
    pub source: SourceId,
    pub span: Span,
    pub api_version: String,
    pub kind: Spanned<String>,
    pub meta: Meta,
    /// The namespace after defaulting (`metadata.namespace` or the profile's).
    pub namespace: String,
    /// The object could not be decoded strictly (wrong types, unknown fields,
    /// duplicate keys): the API server rejects it before validating it.
    pub decode_failed: bool,
    /// Fields of a custom resource whose JSON type its schema refuses
    /// (`TypeInvalid`, spec H.1.2): validation still runs, as the API
    /// server's schema validation does, with these errors blocking CEL.
    pub mistyped: Vec<String>,
    pub body: Body,
}

impl Object {
    /// The pod spec this object runs: a Pod's own, or a workload's
    /// template.
    pub fn pod_spec(&self) -> Option<&PodSpec> {
        match &self.body {
            Body::Pod(p) => Some(&p.0),
            Body::Workload(w) => w.template.as_ref().map(|t| &t.spec),
            _ => None,
        }
    }

    pub fn name(&self) -> &str {
        self.meta.name.as_ref().map_or("", |n| n.value.as_str())
    }

    /// The object's reference for findings (shared: clone the `Arc` for
    /// each finding about the same object).
    pub fn object_ref(&self) -> std::sync::Arc<ObjectRef> {
        std::sync::Arc::new(ObjectRef {
            api_version: self.api_version.clone(),
            kind: self.kind.value.clone(),
            namespace: self.namespace.clone(),
            name: self.name().to_owned(),
        })
    }

    /// The span to point at for the object as a whole: its name, else its kind.
    pub fn anchor_span(&self) -> Span {
        self.meta.name.as_ref().map_or(self.kind.span, |n| n.span)
    }

    pub fn is_namespaced(&self) -> bool {
        !matches!(
            self.body,
            Body::Node(_)
                | Body::Namespace
                | Body::IngressClass(_)
                | Body::GatewayClass(_)
                | Body::Other
        )
    }
}

/// Decode one YAML document into objects (several for a `List`).
pub fn decode_document(
    source: SourceId,
    doc: &Document<'_>,
    default_namespace: &str,
    diags: &mut Vec<Diagnostic>,
    out: &mut Vec<Object>,
    maps: &mut decode::MapCache,
) {
    decode_item(source, &doc.root, None, default_namespace, diags, out, maps);
}

/// `apiVersion` and `kind` (a list item takes its list's kind, `v1` by
/// default); `None`, with a finding, when the kind is missing.
fn type_meta(
    cx: &mut Cx<'_>,
    node: &Node<'_>,
    item_kind: Option<&str>,
) -> Option<(String, Spanned<String>)> {
    let kind = match node.get("kind") {
        Some(k) => cx.string(k, "kind"),
        None => item_kind.map(|k| Spanned::new(k.to_owned(), node.span)),
    };
    let api_version = node
        .get("apiVersion")
        .and_then(|v| match v.resolve() {
            Resolved::Str(s) => Some(s.to_owned()),
            _ => None,
        })
        .unwrap_or_else(|| {
            if item_kind.is_some() {
                "v1".to_owned()
            } else {
                String::new()
            }
        });
    let Some(kind) = kind.filter(|k| !k.value.is_empty()) else {
        cx.diags.push(
            Diagnostic::new(
                codes::MISSING_KIND.code,
                Severity::Error,
                cx.source,
                node.span,
                "Object 'Kind' is missing",
            )
            .with_help("every manifest needs `apiVersion` and `kind`"),
        );
        return None;
    };
    if node.get("apiVersion").is_none() && item_kind.is_none() {
        cx.diags.push(
            Diagnostic::new(
                codes::MISSING_KIND.code,
                Severity::Error,
                cx.source,
                kind.span,
                "Object 'apiVersion' is missing",
            )
            .with_help("every manifest needs `apiVersion` and `kind`"),
        );
    }
    Some((api_version, kind))
}

fn decode_item(
    source: SourceId,
    node: &Node<'_>,
    item_kind: Option<&str>,
    default_namespace: &str,
    diags: &mut Vec<Diagnostic>,
    out: &mut Vec<Object>,
    maps: &mut decode::MapCache,
) {
    let Some(_) = node.as_map() else {
        if !node.is_null() {
            diags.push(Diagnostic::new(
                codes::MISSING_KIND.code,
                Severity::Error,
                source,
                node.span,
                format!("a manifest must be an object, found {}", node.type_name()),
            ));
        }
        return;
    };
    let mut cx = Cx {
        source,
        diags,
        maps,
        schema: None,
    };
    let Some((api_version, kind)) = type_meta(&mut cx, node, item_kind) else {
        return;
    };
    // `List` and typed lists (`ServiceList`, …): flatten the items.
    if kind.value == "List" || (kind.value.ends_with("List") && node.get("items").is_some()) {
        let typed = kind.value.strip_suffix("List").filter(|k| !k.is_empty());
        if let Some(items) = node.get("items") {
            let items = cx.seq(items, "items").to_vec();
            for item in &items {
                decode_item(
                    source,
                    item,
                    typed,
                    default_namespace,
                    cx.diags,
                    out,
                    cx.maps,
                );
            }
        }
        return;
    }
    let meta_node = node.get("metadata");
    let mut meta = meta_node
        .map(|m| decode_meta(&mut cx, m))
        .unwrap_or_default();
    // Findings about missing metadata point at the `metadata:` key.
    if let Some(key) = node.key_span("metadata") {
        meta.span = key;
    }
    let namespace = meta
        .namespace
        .as_ref()
        .filter(|n| !n.value.is_empty())
        .map_or_else(|| default_namespace.to_owned(), |n| n.value.clone());
    let mut object = Object {
        source,
        span: node.span,
        api_version,
        kind,
        meta,
        namespace,
        decode_failed: false,
        mistyped: Vec::new(),
        body: Body::Other,
    };
    let before = cx.diags.len();
    object.body = kinds::decode_body(&mut cx, &object.api_version, &object.kind.value, node);
    // Findings about the body name the object (built only when there are any).
    let found = &mut cx.diags[before..];
    if !found.is_empty() {
        let object_ref = object.object_ref();
        for d in found.iter_mut() {
            d.object = Some(object_ref.clone());
        }
    }
    (object.decode_failed, object.mistyped) = decode_outcome(found);
    crate::diag::cap_per_code(cx.diags, before);
    out.push(object);
}

/// Whether an object's decoding failed, and the fields whose JSON type a
/// custom resource's schema refused: a schema's TypeInvalid is one of its
/// validation errors, not a decoding failure, so the object is still
/// validated (spec H.1.2).
fn decode_outcome(found: &[Diagnostic]) -> (bool, Vec<String>) {
    let type_invalid = |d: &Diagnostic| d.error_type == Some(crate::diag::ErrorType::TypeInvalid);
    let failed = found
        .iter()
        .any(|d| d.severity == Severity::Error && !type_invalid(d));
    let mistyped = found
        .iter()
        .filter(|d| type_invalid(d))
        .filter_map(|d| d.field.clone())
        .collect();
    (failed, mistyped)
}

const META_FIELDS: &[&str] = &[
    "annotations",
    "creationTimestamp",
    "deletionGracePeriodSeconds",
    "deletionTimestamp",
    "finalizers",
    "generateName",
    "generation",
    "labels",
    "managedFields",
    "name",
    "namespace",
    "ownerReferences",
    "resourceVersion",
    "selfLink",
    "uid",
];

pub(crate) fn decode_meta(cx: &mut Cx<'_>, node: &Node<'_>) -> Meta {
    let mut meta = Meta {
        span: node.span,
        ..Meta::default()
    };
    let Some(entries) = cx.map(node, "metadata", META_FIELDS) else {
        return meta;
    };
    for (k, v) in entries {
        match k.key_text().unwrap_or("") {
            "name" => meta.name = cx.string(v, "metadata.name"),
            "generateName" => meta.generate_name = cx.string(v, "metadata.generateName"),
            "namespace" => meta.namespace = cx.string(v, "metadata.namespace"),
            "labels" => {
                meta.labels = cx.string_map(v, "metadata.labels");
                meta.labels.span = k.span;
            }
            "annotations" => {
                meta.annotations = cx.string_map(v, "metadata.annotations");
                meta.annotations.span = k.span;
            }
            "deletionTimestamp" => meta.deletion_timestamp = !v.is_null(),
            "uid" | "resourceVersion" => meta.live |= !v.is_null(),
            "creationTimestamp" => {
                meta.live |= !v.is_null();
                meta.creation_timestamp = v.as_scalar().map(|s| s.0.to_owned());
            }
            "ownerReferences" => meta.controller = controller(v),
            _ => {}
        }
    }
    meta
}

/// `Kind/name` of the controller among `ownerReferences` (read, not
/// validated: owner references are written by controllers, not users).
fn controller(refs: &Node<'_>) -> Option<String> {
    refs.as_seq()?.iter().find_map(|r| {
        let text = |key: &str| r.get(key).and_then(|n| n.as_scalar()).map(|(t, _)| t);
        let is_controller = r
            .get("controller")
            .is_some_and(|c| matches!(c.resolve(), crate::yaml::Resolved::Bool(true)));
        match (is_controller, text("kind"), text("name")) {
            (true, Some(kind), Some(name)) if !kind.is_empty() && !name.is_empty() => {
                Some(format!("{kind}/{name}"))
            }
            _ => None,
        }
    })
}

/// The objects the API server rejects: those holding an error finding,
/// and those that could not be decoded. (`diags` in source order within
/// each source, as the analysis sorts them.)
pub fn rejected(
    objects: &[Object],
    diags: &[crate::diag::Diagnostic],
) -> std::collections::HashSet<usize> {
    diags
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .filter_map(|d| {
            let i =
                objects.partition_point(|o| (o.source, o.span.start) <= (d.source, d.span.start));
            let o = objects.get(i.checked_sub(1)?)?;
            (o.source == d.source && d.span.end <= o.span.end).then_some(i - 1)
        })
        .chain(
            objects
                .iter()
                .enumerate()
                .filter(|(_, o)| o.decode_failed)
                .map(|(i, _)| i),
        )
        .collect()
}
