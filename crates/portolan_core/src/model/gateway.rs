//! Gateway API (`gateway.networking.k8s.io`): GatewayClass, Gateway,
//! HTTPRoute, GRPCRoute and ReferenceGrant, decoded strictly with spans
//! (spec H). Schema defaults (H.1.3) are applied where the model is read
//! (`http`), validation (H.1) in `validate`; this is what the manifest says.

use std::fmt::Display;

use super::decode::{Cx, Index, Spanned};
use super::ingress::each;
use super::kinds::{LabelSelector, decode_label_selector};
use crate::source::Span;
use crate::yaml::Node;

#[derive(Clone, Debug, Default)]
pub struct GatewayClass {
    pub spec_span: Span,
    pub controller_name: Option<Spanned<String>>,
    pub description: Option<Spanned<String>>,
    /// `parametersRef` (group, kind, name, namespace as written).
    pub parameters_ref: Option<GrantRef>,
}

/// A `(group, kind)` pair as written.
pub type GroupKind = (Option<Spanned<String>>, Option<Spanned<String>>);
/// A Gateway address: `(type, value)` as written.
pub type Address = (Option<Spanned<String>>, Option<Spanned<String>>);

/// `allowedRoutes` of a listener.
#[derive(Clone, Debug, Default)]
pub struct AllowedRoutes {
    pub span: Span,
    /// `namespaces.from`; absent = `Same` (H.1.3).
    pub from: Option<Spanned<String>>,
    pub selector: Option<LabelSelector>,
    /// `(group, kind)`: absent group = `gateway.networking.k8s.io`.
    pub kinds: Vec<GroupKind>,
}

#[derive(Clone, Debug, Default)]
pub struct Listener {
    pub span: Span,
    pub name: Option<Spanned<String>>,
    pub hostname: Option<Spanned<String>>,
    pub port: Option<Spanned<i64>>,
    pub protocol: Option<Spanned<String>>,
    /// `tls` as written: its span and `mode`, and whether it names
    /// certificates or options.
    pub tls: Option<(Span, Option<Spanned<String>>, bool)>,
    pub allowed_routes: AllowedRoutes,
}

#[derive(Clone, Debug, Default)]
pub struct Gateway {
    pub spec_span: Span,
    pub class_name: Option<Spanned<String>>,
    pub listeners: Vec<Listener>,
    pub listeners_span: Option<Span>,
    /// `spec.addresses` (`type`, `value`) then `status.addresses`.
    pub addresses: Vec<Address>,
    pub status_addresses: Vec<String>,
}

/// `ParentReference`.
#[derive(Clone, Debug, Default)]
pub struct ParentRef {
    pub span: Span,
    pub group: Option<Spanned<String>>,
    pub kind: Option<Spanned<String>>,
    pub namespace: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub section_name: Option<Spanned<String>>,
    pub port: Option<Spanned<i64>>,
}

/// A `BackendRef` (a rule's, or a mirror filter's).
#[derive(Clone, Debug, Default)]
pub struct BackendRef {
    pub span: Span,
    pub group: Option<Spanned<String>>,
    pub kind: Option<Spanned<String>>,
    pub namespace: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub port: Option<Spanned<i64>>,
    pub weight: Option<Spanned<i64>>,
    pub filters: Vec<Filter>,
}

impl BackendRef {
    /// After defaulting (H.1.3): `("", "Service")` unless written.
    pub fn group_kind(&self) -> (&str, &str) {
        (
            self.group.as_ref().map_or("", |g| g.value.as_str()),
            self.kind.as_ref().map_or("Service", |k| k.value.as_str()),
        )
    }

    pub fn weight(&self) -> i64 {
        self.weight.as_ref().map_or(1, |w| w.value)
    }
}

/// A header or query-parameter match.
#[derive(Clone, Debug, Default)]
pub struct ValueMatch {
    pub span: Span,
    pub type_: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub value: Option<Spanned<String>>,
}

/// An HTTPRoute `path` match, or a GRPCRoute `method` match (`value` is
/// unused there; `service` and `method` are).
#[derive(Clone, Debug, Default)]
pub struct PathMatch {
    pub span: Span,
    pub type_: Option<Spanned<String>>,
    pub value: Option<Spanned<String>>,
    pub service: Option<Spanned<String>>,
    pub method: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Default)]
pub struct RouteMatch {
    pub span: Span,
    /// HTTPRoute `path`, or GRPCRoute `method`.
    pub path: Option<PathMatch>,
    pub headers: Vec<ValueMatch>,
    pub query_params: Vec<ValueMatch>,
    pub method: Option<Spanned<String>>,
}

/// `HTTPPathModifier`.
#[derive(Clone, Debug, Default)]
pub struct PathModifier {
    pub span: Span,
    pub type_: Option<Spanned<String>>,
    pub replace_full_path: Option<Spanned<String>>,
    pub replace_prefix_match: Option<Spanned<String>>,
}

/// `RequestRedirect` (`scheme`, `hostname`, `port`, `statusCode`, `path`)
/// or `URLRewrite` (`hostname`, `path`).
#[derive(Clone, Debug, Default)]
pub struct UrlFilter {
    pub span: Span,
    pub scheme: Option<Spanned<String>>,
    pub hostname: Option<Spanned<String>>,
    pub port: Option<Spanned<i64>>,
    pub status_code: Option<Spanned<i64>>,
    pub path: Option<PathModifier>,
}

/// `HTTPHeaderFilter`.
#[derive(Clone, Debug, Default)]
pub struct HeaderFilter {
    pub span: Span,
    pub set: Vec<(String, String)>,
    pub add: Vec<(String, String)>,
    pub remove: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub span: Span,
    pub type_: Option<Spanned<String>>,
    /// The filter fields written (`requestRedirect`, `urlRewrite`, …), with
    /// their spans, whatever the type (CEL "must be nil if …").
    pub fields: Vec<Spanned<String>>,
    pub redirect: Option<UrlFilter>,
    pub rewrite: Option<UrlFilter>,
    pub request_headers: Option<HeaderFilter>,
    pub response_headers: Option<HeaderFilter>,
    pub mirror: Option<BackendRef>,
    /// `percent` or `fraction` set on the mirror filter.
    pub mirror_share: Option<String>,
    pub extension: Option<String>,
    pub cors: Option<Cors>,
}

/// A CORS filter (`HTTPCORSFilter`): checked (H.1.6), not simulated.
#[derive(Clone, Debug, Default)]
pub struct Cors {
    pub span: Span,
    pub allow_origins: Option<Spanned<Vec<Spanned<String>>>>,
    pub allow_methods: Option<Spanned<Vec<Spanned<String>>>>,
    pub allow_headers: Option<Spanned<Vec<Spanned<String>>>>,
    pub expose_headers: Option<Spanned<Vec<Spanned<String>>>>,
    pub max_age: Option<Spanned<i64>>,
}

#[derive(Clone, Debug, Default)]
pub struct RouteRule {
    pub span: Span,
    pub name: Option<Spanned<String>>,
    /// `None` when absent (one `PathPrefix /` match, H.1.3).
    pub matches: Option<Vec<RouteMatch>>,
    pub filters: Vec<Filter>,
    /// `None` when absent.
    pub backend_refs: Option<Vec<BackendRef>>,
    /// `timeouts` (GEP-1742): checked (H.1.6), not simulated.
    pub timeouts: Option<Timeouts>,
}

/// A rule's `timeouts`, as written (Gateway API `Duration` strings).
#[derive(Clone, Debug, Default)]
pub struct Timeouts {
    pub span: Span,
    pub request: Option<Spanned<String>>,
    pub backend_request: Option<Spanned<String>>,
}

/// An HTTPRoute or a GRPCRoute.
#[derive(Clone, Debug, Default)]
pub struct Route {
    pub grpc: bool,
    pub spec_span: Span,
    pub parent_refs: Vec<ParentRef>,
    pub hostnames: Vec<Spanned<String>>,
    /// `None` when absent; with the list's span.
    pub rules: Option<(Vec<RouteRule>, Span)>,
}

impl Route {
    pub fn kind(&self) -> &'static str {
        if self.grpc { "GRPCRoute" } else { "HTTPRoute" }
    }
}

/// One `from` or `to` entry of a ReferenceGrant.
#[derive(Clone, Debug, Default)]
pub struct GrantRef {
    pub span: Span,
    pub group: Option<Spanned<String>>,
    pub kind: Option<Spanned<String>>,
    pub namespace: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Default)]
pub struct ReferenceGrant {
    pub spec_span: Span,
    pub from: Vec<GrantRef>,
    pub to: Vec<GrantRef>,
}

const TOP: &[&str] = &["apiVersion", "kind", "metadata", "spec", "status"];

pub(super) fn decode_class(cx: &mut Cx<'_>, node: &Node<'_>) -> GatewayClass {
    cx.map(node, "", TOP);
    let mut c = GatewayClass::default();
    let Some(spec) = node.get("spec") else {
        return c;
    };
    c.spec_span = node.key_span("spec").unwrap_or(spec.span);
    let known = ["controllerName", "description", "parametersRef"];
    each(cx, spec, &"spec", &known, |cx, name, v, path| match name {
        "controllerName" => c.controller_name = cx.string(v, path),
        "description" => c.description = cx.string(v, path),
        "parametersRef" => c.parameters_ref = Some(object_ref(cx, v, path)),
        _ => {}
    });
    c
}

/// A reference by group, kind, name and namespace (ReferenceGrant's
/// entries, GatewayClass's `parametersRef`).
fn object_ref(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display) -> GrantRef {
    let mut r = GrantRef {
        span: node.span,
        ..GrantRef::default()
    };
    let known = ["group", "kind", "name", "namespace"];
    each(cx, node, path, &known, |cx, n, v, p| {
        let s = cx.string(v, p);
        match n {
            "group" => r.group = s,
            "kind" => r.kind = s,
            "name" => r.name = s,
            "namespace" => r.namespace = s,
            _ => {}
        }
    });
    r
}

pub(super) fn decode_gateway(cx: &mut Cx<'_>, node: &Node<'_>) -> Gateway {
    cx.map(node, "", TOP);
    let mut g = Gateway::default();
    if let Some(list) = node
        .get("status")
        .and_then(|s| s.get("addresses"))
        .and_then(Node::as_seq)
    {
        g.status_addresses = list
            .iter()
            .filter_map(|a| a.get("value").and_then(Node::as_scalar))
            .map(|(s, _)| s.to_owned())
            .collect();
    }
    let Some(spec) = node.get("spec") else {
        return g;
    };
    g.spec_span = node.key_span("spec").unwrap_or(spec.span);
    let known = [
        "addresses",
        "allowedListeners",
        "backendTLS",
        "defaultScope",
        "gatewayClassName",
        "infrastructure",
        "listeners",
        "tls",
    ];
    each(cx, spec, &"spec", &known, |cx, name, v, path| match name {
        "gatewayClassName" => g.class_name = cx.string(v, path),
        "listeners" => {
            g.listeners_span = Some(v.span);
            for (i, l) in cx.seq(v, path).iter().enumerate() {
                g.listeners.push(listener(cx, l, &Index(path, i)));
            }
        }
        "addresses" => {
            for (i, a) in cx.seq(v, path).iter().enumerate() {
                let (mut ty, mut value) = (None, None);
                each(
                    cx,
                    a,
                    &Index(path, i),
                    &["type", "value"],
                    |cx, n, v, p| match n {
                        "type" => ty = cx.string(v, p),
                        "value" => value = cx.string(v, p),
                        _ => {}
                    },
                );
                g.addresses.push((ty, value));
            }
        }
        _ => {}
    });
    g
}

fn listener(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display) -> Listener {
    let mut l = Listener {
        span: node.span,
        ..Listener::default()
    };
    let known = [
        "allowedRoutes",
        "hostname",
        "name",
        "port",
        "protocol",
        "tls",
    ];
    each(cx, node, path, &known, |cx, name, v, path| match name {
        "name" => l.name = cx.string(v, path),
        "hostname" => l.hostname = cx.string(v, path),
        "port" => l.port = cx.int(v, path),
        "protocol" => l.protocol = cx.string(v, path),
        "tls" => {
            let (mut mode, mut certs) = (None, false);
            let known = ["certificateRefs", "frontendValidation", "mode", "options"];
            each(cx, v, path, &known, |cx, n, v, p| match n {
                "mode" => mode = cx.string(v, p),
                "certificateRefs" | "options" => certs = true,
                _ => {}
            });
            l.tls = Some((v.span, mode, certs));
        }
        "allowedRoutes" => {
            l.allowed_routes.span = v.span;
            each(
                cx,
                v,
                path,
                &["kinds", "namespaces"],
                |cx, n, v, p| match n {
                    "namespaces" => each(cx, v, p, &["from", "selector"], |cx, n, v, p| match n {
                        "from" => l.allowed_routes.from = cx.string(v, p),
                        "selector" => {
                            l.allowed_routes.selector = Some(decode_label_selector(cx, v, p));
                        }
                        _ => {}
                    }),
                    "kinds" => {
                        for (i, k) in cx.seq(v, p).iter().enumerate() {
                            let (mut group, mut kind) = (None, None);
                            each(
                                cx,
                                k,
                                &Index(p, i),
                                &["group", "kind"],
                                |cx, n, v, p| match n {
                                    "group" => group = cx.string(v, p),
                                    "kind" => kind = cx.string(v, p),
                                    _ => {}
                                },
                            );
                            l.allowed_routes.kinds.push((group, kind));
                        }
                    }
                    _ => {}
                },
            );
        }
        _ => {}
    });
    l
}

pub(super) fn decode_route(cx: &mut Cx<'_>, node: &Node<'_>, grpc: bool) -> Route {
    cx.map(node, "", TOP);
    let mut r = Route {
        grpc,
        ..Route::default()
    };
    let Some(spec) = node.get("spec") else {
        return r;
    };
    r.spec_span = node.key_span("spec").unwrap_or(spec.span);
    let known = ["hostnames", "parentRefs", "rules", "useDefaultGateways"];
    each(cx, spec, &"spec", &known, |cx, name, v, path| match name {
        "hostnames" => r.hostnames = cx.strings(v, path),
        "parentRefs" => {
            for (i, p) in cx.seq(v, path).iter().enumerate() {
                r.parent_refs.push(parent_ref(cx, p, &Index(path, i)));
            }
        }
        "rules" => {
            let mut rules = Vec::new();
            for (i, x) in cx.seq(v, path).iter().enumerate() {
                rules.push(rule(cx, x, &Index(path, i), grpc));
            }
            r.rules = Some((rules, v.span));
        }
        _ => {}
    });
    r
}

fn parent_ref(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display) -> ParentRef {
    let mut p = ParentRef {
        span: node.span,
        ..ParentRef::default()
    };
    let known = ["group", "kind", "name", "namespace", "port", "sectionName"];
    each(cx, node, path, &known, |cx, name, v, path| {
        if name == "port" {
            p.port = cx.int(v, path);
            return;
        }
        let s = cx.string(v, path);
        match name {
            "group" => p.group = s,
            "kind" => p.kind = s,
            "name" => p.name = s,
            "namespace" => p.namespace = s,
            "sectionName" => p.section_name = s,
            _ => {}
        }
    });
    p
}

fn rule(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display, grpc: bool) -> RouteRule {
    let mut r = RouteRule {
        span: node.span,
        ..RouteRule::default()
    };
    let known = [
        "backendRefs",
        "filters",
        "matches",
        "name",
        "retry",
        "sessionPersistence",
        "timeouts",
    ];
    each(cx, node, path, &known, |cx, name, v, path| match name {
        "name" => r.name = cx.string(v, path),
        "matches" => {
            let mut matches = Vec::new();
            for (i, m) in cx.seq(v, path).iter().enumerate() {
                matches.push(route_match(cx, m, &Index(path, i), grpc));
            }
            r.matches = Some(matches);
        }
        "filters" => {
            for (i, f) in cx.seq(v, path).iter().enumerate() {
                r.filters.push(filter(cx, f, &Index(path, i)));
            }
        }
        "backendRefs" => {
            let mut refs = Vec::new();
            for (i, b) in cx.seq(v, path).iter().enumerate() {
                refs.push(backend_ref(cx, b, &Index(path, i), true));
            }
            r.backend_refs = Some(refs);
        }
        "timeouts" => {
            let mut t = Timeouts {
                span: v.span,
                ..Timeouts::default()
            };
            let known = ["backendRequest", "request"];
            each(cx, v, path, &known, |cx, name, v, path| {
                let s = cx.string(v, path);
                if name == "request" {
                    t.request = s;
                } else {
                    t.backend_request = s;
                }
            });
            r.timeouts = Some(t);
        }
        _ => {}
    });
    r
}

fn route_match(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display, grpc: bool) -> RouteMatch {
    let mut m = RouteMatch {
        span: node.span,
        ..RouteMatch::default()
    };
    let known: &[&str] = if grpc {
        &["headers", "method"]
    } else {
        &["headers", "method", "path", "queryParams"]
    };
    each(cx, node, path, known, |cx, name, v, path| match name {
        "path" => m.path = Some(path_match(cx, v, path, false)),
        "method" if grpc => m.path = Some(path_match(cx, v, path, true)),
        "method" => m.method = cx.string(v, path),
        "headers" | "queryParams" => {
            let mut out = Vec::new();
            for (i, h) in cx.seq(v, path).iter().enumerate() {
                let mut x = ValueMatch {
                    span: h.span,
                    ..ValueMatch::default()
                };
                each(
                    cx,
                    h,
                    &Index(path, i),
                    &["name", "type", "value"],
                    |cx, n, v, p| {
                        let s = cx.string(v, p);
                        match n {
                            "name" => x.name = s,
                            "type" => x.type_ = s,
                            "value" => x.value = s,
                            _ => {}
                        }
                    },
                );
                out.push(x);
            }
            if name == "headers" {
                m.headers = out;
            } else {
                m.query_params = out;
            }
        }
        _ => {}
    });
    m
}

fn path_match(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display, grpc: bool) -> PathMatch {
    let mut p = PathMatch {
        span: node.span,
        ..PathMatch::default()
    };
    let known: &[&str] = if grpc {
        &["method", "service", "type"]
    } else {
        &["type", "value"]
    };
    each(cx, node, path, known, |cx, name, v, path| {
        let s = cx.string(v, path);
        match name {
            "type" => p.type_ = s,
            "value" => p.value = s,
            "service" => p.service = s,
            "method" => p.method = s,
            _ => {}
        }
    });
    p
}

const FILTER_FIELDS: &[&str] = &[
    "cors",
    "extensionRef",
    "externalAuth",
    "requestHeaderModifier",
    "requestMirror",
    "requestRedirect",
    "responseHeaderModifier",
    "type",
    "urlRewrite",
];

fn filter(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display) -> Filter {
    let mut f = Filter {
        span: node.span,
        ..Filter::default()
    };
    each(cx, node, path, FILTER_FIELDS, |cx, name, v, path| {
        if name != "type" {
            f.fields.push(Spanned::new(name.to_owned(), v.span));
        }
        match name {
            "type" => f.type_ = cx.string(v, path),
            "requestRedirect" => f.redirect = Some(url_filter(cx, v, path, true)),
            "urlRewrite" => f.rewrite = Some(url_filter(cx, v, path, false)),
            "requestHeaderModifier" => f.request_headers = Some(header_filter(cx, v, path)),
            "responseHeaderModifier" => f.response_headers = Some(header_filter(cx, v, path)),
            "requestMirror" => {
                let known = ["backendRef", "fraction", "percent"];
                each(cx, v, path, &known, |cx, n, v, p| match n {
                    "backendRef" => f.mirror = Some(backend_ref(cx, v, p, false)),
                    "percent" => f.mirror_share = v.as_scalar().map(|s| format!("{}%", s.0)),
                    "fraction" => {
                        let num = v.get("numerator").and_then(Node::as_scalar);
                        let den = v.get("denominator").and_then(Node::as_scalar);
                        f.mirror_share = Some(format!(
                            "{}/{}",
                            num.map_or("?", |s| s.0),
                            den.map_or("100", |s| s.0)
                        ));
                    }
                    _ => {}
                });
            }
            "cors" => f.cors = Some(cors(cx, v, path)),
            "extensionRef" => {
                let kind = v.get("kind").and_then(Node::as_scalar).map_or("", |s| s.0);
                let name = v.get("name").and_then(Node::as_scalar).map_or("", |s| s.0);
                f.extension = Some(format!("{kind}/{name}"));
            }
            _ => {}
        }
    });
    f
}

fn cors(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display) -> Cors {
    let mut c = Cors {
        span: node.span,
        ..Cors::default()
    };
    let known = [
        "allowCredentials",
        "allowHeaders",
        "allowMethods",
        "allowOrigins",
        "exposeHeaders",
        "maxAge",
    ];
    each(cx, node, path, &known, |cx, name, v, path| {
        let list = |cx: &mut Cx<'_>| Some(Spanned::new(cx.strings(v, path), v.span));
        match name {
            "allowOrigins" => c.allow_origins = list(cx),
            "allowMethods" => c.allow_methods = list(cx),
            "allowHeaders" => c.allow_headers = list(cx),
            "exposeHeaders" => c.expose_headers = list(cx),
            "maxAge" => c.max_age = cx.int(v, path),
            "allowCredentials" => {
                cx.bool(v, path);
            }
            _ => {}
        }
    });
    c
}

fn url_filter(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display, redirect: bool) -> UrlFilter {
    let mut u = UrlFilter {
        span: node.span,
        ..UrlFilter::default()
    };
    let known: &[&str] = if redirect {
        &["hostname", "path", "port", "scheme", "statusCode"]
    } else {
        &["hostname", "path"]
    };
    each(cx, node, path, known, |cx, name, v, path| match name {
        "scheme" => u.scheme = cx.string(v, path),
        "hostname" => u.hostname = cx.string(v, path),
        "port" => u.port = cx.int(v, path),
        "statusCode" => u.status_code = cx.int(v, path),
        "path" => {
            let mut m = PathModifier {
                span: v.span,
                ..PathModifier::default()
            };
            let known = ["replaceFullPath", "replacePrefixMatch", "type"];
            each(cx, v, path, &known, |cx, n, v, p| {
                let s = cx.string(v, p);
                match n {
                    "type" => m.type_ = s,
                    "replaceFullPath" => m.replace_full_path = s,
                    "replacePrefixMatch" => m.replace_prefix_match = s,
                    _ => {}
                }
            });
            u.path = Some(m);
        }
        _ => {}
    });
    u
}

fn header_filter(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display) -> HeaderFilter {
    let mut h = HeaderFilter {
        span: node.span,
        ..HeaderFilter::default()
    };
    each(
        cx,
        node,
        path,
        &["add", "remove", "set"],
        |cx, name, v, path| {
            if name == "remove" {
                h.remove = cx.strings(v, path).into_iter().map(|s| s.value).collect();
                return;
            }
            let mut pairs = Vec::new();
            for (i, e) in cx.seq(v, path).iter().enumerate() {
                let (mut k, mut val) = (String::new(), String::new());
                each(cx, e, &Index(path, i), &["name", "value"], |cx, n, v, p| {
                    let s = cx.string(v, p).map(|s| s.value).unwrap_or_default();
                    if n == "name" {
                        k = s;
                    } else {
                        val = s;
                    }
                });
                pairs.push((k, val));
            }
            if name == "set" {
                h.set = pairs;
            } else {
                h.add = pairs;
            }
        },
    );
    h
}

fn backend_ref(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display, rule: bool) -> BackendRef {
    let mut b = BackendRef {
        span: node.span,
        ..BackendRef::default()
    };
    let known: &[&str] = if rule {
        &[
            "filters",
            "group",
            "kind",
            "name",
            "namespace",
            "port",
            "weight",
        ]
    } else {
        &["group", "kind", "name", "namespace", "port"]
    };
    each(cx, node, path, known, |cx, name, v, path| match name {
        "port" => b.port = cx.int(v, path),
        "weight" => b.weight = cx.int(v, path),
        "filters" => {
            for (i, f) in cx.seq(v, path).iter().enumerate() {
                b.filters.push(filter(cx, f, &Index(path, i)));
            }
        }
        _ => {
            let s = cx.string(v, path);
            match name {
                "group" => b.group = s,
                "kind" => b.kind = s,
                "name" => b.name = s,
                "namespace" => b.namespace = s,
                _ => {}
            }
        }
    });
    b
}

pub(super) fn decode_grant(cx: &mut Cx<'_>, node: &Node<'_>) -> ReferenceGrant {
    cx.map(node, "", TOP);
    let mut g = ReferenceGrant::default();
    let Some(spec) = node.get("spec") else {
        return g;
    };
    g.spec_span = node.key_span("spec").unwrap_or(spec.span);
    each(cx, spec, &"spec", &["from", "to"], |cx, name, v, path| {
        let mut out = Vec::new();
        for (i, e) in cx.seq(v, path).iter().enumerate() {
            out.push(object_ref(cx, e, &Index(path, i)));
        }
        if name == "from" {
            g.from = out;
        } else {
            g.to = out;
        }
    });
    g
}
