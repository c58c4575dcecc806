//! `networking.k8s.io/v1` Ingress and IngressClass, decoded strictly with
//! spans (spec G). Admission defaulting (G.2) and validation (G.1) happen
//! in `validate` and `http`; this is what the manifest says.

use std::fmt::Display;

use super::decode::{Cx, Index, Key, Spanned};
use crate::source::Span;
use crate::yaml::Node;

/// `IngressServiceBackend`.
#[derive(Clone, Debug, Default)]
pub struct ServiceBackend {
    pub span: Span,
    pub name: Option<Spanned<String>>,
    /// The `port` field's span (absent: the service's).
    pub port_span: Option<Span>,
    pub port_name: Option<Spanned<String>>,
    pub port_number: Option<Spanned<i64>>,
}

impl ServiceBackend {
    pub fn service(&self) -> &str {
        self.name.as_ref().map_or("", |n| n.value.as_str())
    }

    /// G.4.2: `port.number` names the Service port with that `port`,
    /// `port.name` the one with that `name`.
    pub fn selects_port(&self, port: i64, name: &str) -> bool {
        match (&self.port_number, &self.port_name) {
            (Some(n), _) if n.value != 0 => n.value == port,
            (_, Some(n)) => !name.is_empty() && n.value == name,
            _ => false,
        }
    }

    /// `80` or `named "http"`.
    pub fn port_text(&self) -> String {
        match (&self.port_number, &self.port_name) {
            (Some(n), _) if n.value != 0 => n.value.to_string(),
            (_, Some(n)) => format!("named {:?}", n.value),
            _ => "(none)".to_owned(),
        }
    }
}

/// A `TypedLocalObjectReference` (`resource` backends, IngressClass
/// parameters).
#[derive(Clone, Debug, Default)]
pub struct TypedRef {
    pub span: Span,
    pub api_group: Option<Spanned<String>>,
    pub kind: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub namespace: Option<Spanned<String>>,
    pub scope: Option<Spanned<String>>,
}

/// `IngressBackend`: a Service or a resource.
#[derive(Clone, Debug, Default)]
pub struct IngressBackend {
    pub span: Span,
    pub service: Option<ServiceBackend>,
    pub resource: Option<TypedRef>,
}

/// `HTTPIngressPath`.
#[derive(Clone, Debug, Default)]
pub struct IngressPath {
    pub span: Span,
    pub path: Option<Spanned<String>>,
    pub path_type: Option<Spanned<String>>,
    pub backend: Option<IngressBackend>,
}

/// `IngressRule`: `http` is `None` when absent, else its paths.
#[derive(Clone, Debug, Default)]
pub struct IngressRule {
    pub span: Span,
    pub host: Option<Spanned<String>>,
    pub http: Option<(Span, Vec<IngressPath>)>,
}

#[derive(Clone, Debug, Default)]
pub struct IngressTls {
    pub span: Span,
    pub hosts: Vec<Spanned<String>>,
    pub secret_name: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Default)]
pub struct Ingress {
    pub spec_span: Span,
    pub class_name: Option<Spanned<String>>,
    pub default_backend: Option<IngressBackend>,
    pub rules: Vec<IngressRule>,
    pub tls: Vec<IngressTls>,
    /// `status.loadBalancer.ingress[].ip`.
    pub addresses: Vec<String>,
}

/// One Service backend with where it sits: the default backend (`rule`
/// `None`) or `rules[rule].http.paths[path]`.
pub struct BackendAt<'a> {
    pub rule: Option<usize>,
    pub path: Option<usize>,
    pub host: Option<&'a str>,
    pub path_text: Option<&'a str>,
    pub backend: &'a IngressBackend,
    pub service: &'a ServiceBackend,
}

impl Ingress {
    /// Every Service backend: the default backend first, then each path's.
    pub fn service_backends(&self) -> impl Iterator<Item = BackendAt<'_>> {
        let default = self.default_backend.as_ref().and_then(|b| {
            Some(BackendAt {
                rule: None,
                path: None,
                host: None,
                path_text: None,
                backend: b,
                service: b.service.as_ref()?,
            })
        });
        let paths = self.rules.iter().enumerate().flat_map(|(i, r)| {
            r.http.iter().flat_map(move |(_, paths)| {
                paths.iter().enumerate().filter_map(move |(j, p)| {
                    let b = p.backend.as_ref()?;
                    Some(BackendAt {
                        rule: Some(i),
                        path: Some(j),
                        host: r.host.as_ref().map(|h| h.value.as_str()),
                        path_text: p.path.as_ref().map(|h| h.value.as_str()),
                        backend: b,
                        service: b.service.as_ref()?,
                    })
                })
            })
        });
        default.into_iter().chain(paths)
    }
}

#[derive(Clone, Debug, Default)]
pub struct IngressClass {
    pub spec_span: Span,
    pub controller: Option<Spanned<String>>,
    pub parameters: Option<TypedRef>,
}

/// Calls `f` with each non-null field of a mapping (strictly: fields
/// outside `known` are reported).
pub(super) fn each<'d>(
    cx: &mut Cx<'d>,
    node: &Node<'_>,
    path: &dyn Display,
    known: &[&str],
    mut f: impl FnMut(&mut Cx<'d>, &str, &Node<'_>, &Key<'_>),
) {
    for (k, v) in cx.map(node, path, known).unwrap_or(&[]) {
        let name = k.key_text().unwrap_or("");
        if v.is_null() {
            continue;
        }
        f(cx, name, v, &Key(path, name));
    }
}

pub(super) fn decode(cx: &mut Cx<'_>, node: &Node<'_>) -> Ingress {
    cx.map(
        node,
        "",
        &["apiVersion", "kind", "metadata", "spec", "status"],
    );
    let mut ing = Ingress::default();
    if let Some(lb) = node
        .get("status")
        .and_then(|s| s.get("loadBalancer"))
        .and_then(|l| l.get("ingress"))
        .and_then(Node::as_seq)
    {
        ing.addresses = lb
            .iter()
            .filter_map(|e| e.get("ip").and_then(Node::as_scalar))
            .map(|(s, _)| s.to_owned())
            .collect();
    }
    let Some(spec) = node.get("spec") else {
        return ing;
    };
    ing.spec_span = node.key_span("spec").unwrap_or(spec.span);
    let known = ["defaultBackend", "ingressClassName", "rules", "tls"];
    each(cx, spec, &"spec", &known, |cx, name, v, path| match name {
        "ingressClassName" => ing.class_name = cx.string(v, path),
        "defaultBackend" => ing.default_backend = Some(backend(cx, v, path)),
        "rules" => {
            for (i, r) in cx.seq(v, path).iter().enumerate() {
                ing.rules.push(rule(cx, r, &Index(path, i)));
            }
        }
        "tls" => {
            for (i, t) in cx.seq(v, path).iter().enumerate() {
                let mut tls = IngressTls {
                    span: t.span,
                    ..IngressTls::default()
                };
                each(
                    cx,
                    t,
                    &Index(path, i),
                    &["hosts", "secretName"],
                    |cx, n, v, p| match n {
                        "hosts" => tls.hosts = cx.strings(v, p),
                        "secretName" => tls.secret_name = cx.string(v, p),
                        _ => {}
                    },
                );
                ing.tls.push(tls);
            }
        }
        _ => {}
    });
    ing
}

fn rule(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display) -> IngressRule {
    let mut r = IngressRule {
        span: node.span,
        ..IngressRule::default()
    };
    each(
        cx,
        node,
        path,
        &["host", "http"],
        |cx, name, v, path| match name {
            "host" => r.host = cx.string(v, path),
            "http" => {
                let mut paths = Vec::new();
                each(cx, v, path, &["paths"], |cx, _, v, path| {
                    for (j, p) in cx.seq(v, path).iter().enumerate() {
                        paths.push(http_path(cx, p, &Index(path, j)));
                    }
                });
                r.http = Some((v.span, paths));
            }
            _ => {}
        },
    );
    r
}

fn http_path(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display) -> IngressPath {
    let mut p = IngressPath {
        span: node.span,
        ..IngressPath::default()
    };
    let known = ["backend", "path", "pathType"];
    each(cx, node, path, &known, |cx, name, v, path| match name {
        "path" => p.path = cx.string(v, path),
        "pathType" => p.path_type = cx.string(v, path),
        "backend" => p.backend = Some(backend(cx, v, path)),
        _ => {}
    });
    p
}

fn backend(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display) -> IngressBackend {
    let mut b = IngressBackend {
        span: node.span,
        ..IngressBackend::default()
    };
    each(
        cx,
        node,
        path,
        &["resource", "service"],
        |cx, name, v, path| match name {
            "service" => {
                let mut s = ServiceBackend {
                    span: v.span,
                    ..ServiceBackend::default()
                };
                each(cx, v, path, &["name", "port"], |cx, n, v, p| match n {
                    "name" => s.name = cx.string(v, p),
                    "port" => {
                        s.port_span = Some(v.span);
                        each(cx, v, p, &["name", "number"], |cx, n, v, p| match n {
                            "name" => s.port_name = cx.string(v, p),
                            "number" => s.port_number = cx.int(v, p),
                            _ => {}
                        });
                    }
                    _ => {}
                });
                b.service = Some(s);
            }
            "resource" => b.resource = Some(typed_ref(cx, v, path, false)),
            _ => {}
        },
    );
    b
}

fn typed_ref(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn Display, scoped: bool) -> TypedRef {
    let mut r = TypedRef {
        span: node.span,
        ..TypedRef::default()
    };
    let known: &[&str] = if scoped {
        &["apiGroup", "kind", "name", "namespace", "scope"]
    } else {
        &["apiGroup", "kind", "name"]
    };
    each(cx, node, path, known, |cx, name, v, path| {
        let s = cx.string(v, path);
        match name {
            "apiGroup" => r.api_group = s,
            "kind" => r.kind = s,
            "name" => r.name = s,
            "namespace" => r.namespace = s,
            "scope" => r.scope = s,
            _ => {}
        }
    });
    r
}

pub(super) fn decode_class(cx: &mut Cx<'_>, node: &Node<'_>) -> IngressClass {
    cx.map(node, "", &["apiVersion", "kind", "metadata", "spec"]);
    let mut c = IngressClass::default();
    let Some(spec) = node.get("spec") else {
        return c;
    };
    c.spec_span = node.key_span("spec").unwrap_or(spec.span);
    each(
        cx,
        spec,
        &"spec",
        &["controller", "parameters"],
        |cx, name, v, path| match name {
            "controller" => c.controller = cx.string(v, path),
            "parameters" => c.parameters = Some(typed_ref(cx, v, path, true)),
            _ => {}
        },
    );
    c
}
