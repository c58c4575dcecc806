//! `ValidateIngressCreate` and `ValidateIngressClass` (spec G.1), in
//! upstream's order: the class annotation (create only), then the spec —
//! `defaultBackend`, `rules`, `tls`, `ingressClassName`.

use super::FieldError;
use super::service::unsupported;
use crate::codes;
use crate::diag::ErrorType;
use crate::model::{Ingress, IngressBackend, IngressClass, IngressPath, Object, TypedRef};
use crate::names;
use crate::source::Span;

const CODE: &str = codes::INGRESS_SPEC.code;

fn invalid(
    span: Span,
    path: impl Into<String>,
    value: &str,
    detail: impl Into<String>,
) -> FieldError {
    FieldError::new(CODE, span, path, ErrorType::Invalid)
        .quoted(value)
        .detail(detail)
}

pub fn validate(object: &Object, ing: &Ingress, errs: &mut Vec<FieldError>) {
    let spec_span = if ing.spec_span == Span::default() {
        object.anchor_span()
    } else {
        ing.spec_span
    };
    // G.1.12: create only; the path has no `metadata.` prefix.
    validate_class_annotation(object, ing, errs);
    // G.1.2
    if ing.rules.is_empty() && ing.default_backend.is_none() {
        errs.push(
            FieldError::new(CODE, spec_span, "spec", ErrorType::Invalid)
                .value("null")
                .detail("either `defaultBackend` or `rules` must be specified"),
        );
    }
    if let Some(b) = &ing.default_backend {
        backend(b, "spec.defaultBackend", errs);
    }
    validate_rules(ing, errs);
    validate_tls(ing, errs);
    if let Some(c) = &ing.class_name {
        for m in names::dns1123_subdomain(&c.value) {
            errs.push(invalid(c.span, "spec.ingressClassName", &c.value, m));
        }
    }
}

/// G.1.12: the class annotation must match `ingressClassName` when both
/// are set.
fn validate_class_annotation(object: &Object, ing: &Ingress, errs: &mut Vec<FieldError>) {
    if let (Some(a), Some(field)) = (
        object.meta.annotations.get(crate::http::CLASS_ANNOTATION),
        &ing.class_name,
    ) && a != field.value
    {
        let span = object
            .meta
            .annotations
            .spans_of(crate::http::CLASS_ANNOTATION)
            .map_or(field.span, |(_, v)| v);
        errs.push(invalid(
            span,
            format!("annotations.{}", crate::http::CLASS_ANNOTATION),
            a,
            "must match `ingressClassName` when both are specified",
        ));
    }
}

/// Each rule's host and HTTP paths.
fn validate_rules(ing: &Ingress, errs: &mut Vec<FieldError>) {
    for (i, rule) in ing.rules.iter().enumerate() {
        let path = format!("spec.rules[{i}]");
        if let Some(h) = &rule.host
            && !h.value.is_empty()
        {
            host(&h.value, h.span, &format!("{path}.host"), true, errs);
        }
        if let Some((span, paths)) = &rule.http {
            if paths.is_empty() {
                errs.push(FieldError::new(
                    CODE,
                    *span,
                    format!("{path}.http.paths"),
                    ErrorType::Required,
                ));
            }
            for (j, p) in paths.iter().enumerate() {
                http_path(p, &format!("{path}.http.paths[{j}]"), errs);
            }
        }
    }
}

/// Each TLS entry's hosts and Secret name.
fn validate_tls(ing: &Ingress, errs: &mut Vec<FieldError>) {
    for (i, tls) in ing.tls.iter().enumerate() {
        for (j, h) in tls.hosts.iter().enumerate() {
            host(
                &h.value,
                h.span,
                &format!("spec.tls[{i}].hosts[{j}]"),
                false,
                errs,
            );
        }
        if let Some(s) = &tls.secret_name
            && !s.value.is_empty()
        {
            for m in names::dns1123_subdomain(&s.value) {
                errs.push(invalid(
                    s.span,
                    format!("spec.tls[{i}].secretName"),
                    &s.value,
                    m,
                ));
            }
        }
    }
}

/// G.1.3 and G.1.10: a rule host (not an IP) or a TLS host.
fn host(h: &str, span: Span, path: &str, rule: bool, errs: &mut Vec<FieldError>) {
    if rule && names::parse_ip(h).is_some() {
        errs.push(invalid(
            span,
            path,
            h,
            "must be a DNS name, not an IP address",
        ));
    }
    let found = if h.contains('*') {
        names::wildcard_dns1123_subdomain(h)
    } else {
        names::dns1123_subdomain(h)
    };
    for m in found {
        errs.push(invalid(span, path, h, m));
    }
}

/// G.1.5–G.1.8: `validateHTTPIngressPath`.
fn http_path(p: &IngressPath, path: &str, errs: &mut Vec<FieldError>) {
    let Some(ty) = &p.path_type else {
        errs.push(
            FieldError::new(
                CODE,
                p.span,
                format!("{path}.pathType"),
                ErrorType::Required,
            )
            .detail("pathType must be specified"),
        );
        return;
    };
    let text = p.path.as_ref().map_or("", |x| x.value.as_str());
    let span = p.path.as_ref().map_or(p.span, |x| x.span);
    let at = format!("{path}.path");
    match ty.value.as_str() {
        "Exact" | "Prefix" => {
            if !text.starts_with('/') {
                errs.push(invalid(span, &at, text, "must be an absolute path"));
            }
            if !text.is_empty() {
                for seq in ["//", "/./", "/../", "%2f", "%2F"] {
                    if text.contains(seq) {
                        errs.push(invalid(
                            span,
                            &at,
                            text,
                            format!("must not contain '{seq}'"),
                        ));
                    }
                }
                for suffix in ["/..", "/."] {
                    if text.ends_with(suffix) {
                        errs.push(invalid(
                            span,
                            &at,
                            text,
                            format!("cannot end with '{suffix}'"),
                        ));
                    }
                }
            }
        }
        "ImplementationSpecific" => {
            if !text.is_empty() && !text.starts_with('/') {
                errs.push(invalid(span, &at, text, "must be an absolute path"));
            }
        }
        other => errs.push(unsupported(
            CODE,
            ty.span,
            format!("{path}.pathType"),
            other,
            &["Exact", "ImplementationSpecific", "Prefix"],
        )),
    }
    if let Some(b) = &p.backend {
        backend(b, &format!("{path}.backend"), errs);
    }
}

/// G.1.9: `validateIngressBackend`.
fn backend(b: &IngressBackend, path: &str, errs: &mut Vec<FieldError>) {
    match (&b.service, &b.resource) {
        (Some(_), Some(_)) => errs.push(invalid(
            b.span,
            path,
            "",
            "cannot set both resource and service backends",
        )),
        (None, Some(r)) => typed_ref(r, &format!("{path}.resource"), errs),
        (None, None) => errs.push(invalid(
            b.span,
            path,
            "",
            "resource or service backend is required",
        )),
        (Some(s), None) => {
            match &s.name {
                Some(n) if !n.value.is_empty() => {
                    for m in names::dns1035_label(&n.value) {
                        errs.push(invalid(n.span, format!("{path}.service.name"), &n.value, m));
                    }
                }
                _ => errs.push(FieldError::new(
                    CODE,
                    s.span,
                    format!("{path}.service.name"),
                    ErrorType::Required,
                )),
            }
            let name = s.port_name.as_ref().filter(|n| !n.value.is_empty());
            let number = s.port_number.as_ref().filter(|n| n.value != 0);
            match (name, number) {
                (Some(_), Some(_)) => errs.push(invalid(
                    s.port_span.unwrap_or(s.span),
                    path,
                    "",
                    "cannot set both port name & port number",
                )),
                (Some(n), None) => {
                    for m in names::port_name(&n.value) {
                        errs.push(invalid(
                            n.span,
                            format!("{path}.service.port.name"),
                            &n.value,
                            m,
                        ));
                    }
                }
                (None, Some(n)) => {
                    for m in names::port_num(n.value) {
                        errs.push(
                            FieldError::new(
                                CODE,
                                n.span,
                                format!("{path}.service.port.number"),
                                ErrorType::Invalid,
                            )
                            .value(n.value.to_string())
                            .detail(m),
                        );
                    }
                }
                (None, None) => errs.push(
                    FieldError::new(
                        CODE,
                        s.port_span.unwrap_or(s.span),
                        path,
                        ErrorType::Required,
                    )
                    .detail("port name or number is required"),
                ),
            }
        }
    }
}

/// `validateIngressTypedLocalObjectReference`.
fn typed_ref(r: &TypedRef, path: &str, errs: &mut Vec<FieldError>) {
    if let Some(g) = &r.api_group {
        for m in names::dns1123_subdomain(&g.value) {
            errs.push(invalid(g.span, format!("{path}.apiGroup"), &g.value, m));
        }
    }
    for (field, value) in [("kind", &r.kind), ("name", &r.name)] {
        match value {
            Some(v) if !v.value.is_empty() => {
                for m in names::path_segment_name(&v.value) {
                    errs.push(invalid(v.span, format!("{path}.{field}"), &v.value, m));
                }
            }
            _ => errs.push(
                FieldError::new(CODE, r.span, format!("{path}.{field}"), ErrorType::Required)
                    .detail(format!("{field} is required")),
            ),
        }
    }
}

/// G.1.13–G.1.14: `ValidateIngressClass` (after `SetDefaults_IngressClass`:
/// a parameters reference without `scope` is `Cluster`).
pub fn validate_class(object: &Object, c: &IngressClass, errs: &mut Vec<FieldError>) {
    let code = codes::INGRESS_CLASS_SPEC.code;
    let span = if c.spec_span == Span::default() {
        object.anchor_span()
    } else {
        c.spec_span
    };
    let controller = c.controller.as_ref().map_or("", |x| x.value.as_str());
    let cspan = c.controller.as_ref().map_or(span, |x| x.span);
    if controller.len() > 250 {
        errs.push(
            FieldError::new(code, cspan, "spec.controller", ErrorType::TooLong)
                .detail("may not be more than 250 bytes"),
        );
    }
    let bad = |value: &str, detail: String| {
        FieldError::new(code, cspan, "spec.controller", ErrorType::Invalid)
            .quoted(value)
            .detail(detail)
    };
    match controller.split_once('/') {
        _ if controller.is_empty() => errs.push(FieldError::new(
            code,
            cspan,
            "spec.controller",
            ErrorType::Required,
        )),
        Some((host, path)) if !host.is_empty() && !path.is_empty() => {
            for m in names::dns1123_subdomain(host) {
                errs.push(bad(host, m));
            }
            let ok = path
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/-._~%!$&'()*+,;=:".contains(&b));
            if !ok {
                errs.push(bad(
                    path,
                    "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"
                        .to_owned(),
                ));
            }
        }
        _ => errs.push(bad(
            controller,
            "must be a domain-prefixed path (such as \"acme.io/foo\")".to_owned(),
        )),
    }
    if let Some(p) = &c.parameters {
        let mut inner = Vec::new();
        typed_ref(p, "spec.parameters", &mut inner);
        errs.extend(inner.into_iter().map(|mut e| {
            e.code = code;
            e
        }));
        parameters_scope(p, code, errs);
    }
}

fn parameters_scope(p: &TypedRef, code: &'static str, errs: &mut Vec<FieldError>) {
    let scope = p.scope.as_ref().map_or("Cluster", |s| s.value.as_str());
    let sspan = p.scope.as_ref().map_or(p.span, |s| s.span);
    match scope {
        "Namespace" => match &p.namespace {
            None => errs.push(
                FieldError::new(
                    code,
                    p.span,
                    "spec.parameters.namespace",
                    ErrorType::Required,
                )
                .detail("`parameters.scope` is set to 'Namespace'"),
            ),
            Some(ns) => {
                for m in names::dns1123_label(&ns.value) {
                    errs.push(
                        FieldError::new(
                            code,
                            ns.span,
                            "spec.parameters.namespace",
                            ErrorType::Invalid,
                        )
                        .quoted(&ns.value)
                        .detail(m),
                    );
                }
            }
        },
        "Cluster" => {
            if let Some(ns) = &p.namespace {
                errs.push(
                    FieldError::new(
                        code,
                        ns.span,
                        "spec.parameters.namespace",
                        ErrorType::Forbidden,
                    )
                    .detail("`parameters.scope` is set to 'Cluster'"),
                );
            }
        }
        other => errs.push(unsupported(
            code,
            sspan,
            "spec.parameters.scope",
            other,
            &["Cluster", "Namespace"],
        )),
    }
}
