//! Validation exactly as the API server runs it on create: defaulting, then
//! `ValidateService` and the workload validators, with upstream field paths
//! and error types; allocation checks (spec A.13) across the whole input.

mod alloc;
mod gateway;
mod ingress;
mod meta;
mod netpol;
mod service;
mod workload;

use std::sync::Arc;

use crate::diag::{Diagnostic, ErrorType, ObjectRef, Severity};
use crate::model::{Body, Object};
use crate::names;
use crate::profile::Resolved;
use crate::source::Span;
pub use service::{Defaulted, Defaults};

/// A `field.Error`: path, type, bad value and detail, plus where it points.
#[derive(Clone, Debug)]
pub struct FieldError {
    pub code: &'static str,
    pub path: String,
    pub error_type: ErrorType,
    /// The bad value as the API server quotes it (`"HTTP"`, `80`), if any.
    pub value: Option<String>,
    pub detail: String,
    pub span: Span,
    /// Portolan's own hint (not part of the API server's message).
    pub help: Option<String>,
}

impl FieldError {
    pub fn new(
        code: &'static str,
        span: Span,
        path: impl Into<String>,
        error_type: ErrorType,
    ) -> Self {
        FieldError {
            code,
            path: path.into(),
            error_type,
            value: None,
            detail: String::new(),
            span,
            help: None,
        }
    }

    #[must_use]
    pub fn value(mut self, v: impl Into<String>) -> Self {
        self.value = Some(v.into());
        self
    }

    #[must_use]
    pub fn quoted(self, v: &str) -> Self {
        self.value(format!("{v:?}"))
    }

    /// Help for a finding that depends on the cluster profile: which key
    /// to change when the profile, not the manifest, is what is wrong.
    #[must_use]
    pub fn profile_help(mut self, key: &str, what: &str) -> Self {
        self.help = Some(format!(
            "this depends on the cluster profile: {what}; if your cluster differs, set `{key}` in the profile (--profile FILE, or `profile:` in .portolan.yaml)"
        ));
        self
    }

    #[must_use]
    pub fn detail(mut self, d: impl Into<String>) -> Self {
        self.detail = d.into();
        self
    }

    /// The message as the API server prints it: `path: Invalid value: "x": detail`.
    pub fn message(&self) -> String {
        let mut m = format!("{}: {}", self.path, self.error_type.phrase());
        if let Some(v) = &self.value {
            m.push_str(": ");
            m.push_str(v);
        }
        if !self.detail.is_empty() {
            m.push_str(": ");
            m.push_str(&self.detail);
        }
        m
    }

    pub fn into_diagnostic(self, object: &Object, reference: &Arc<ObjectRef>) -> Diagnostic {
        let message = self.message();
        let mut d = Diagnostic::new(
            self.code,
            Severity::Error,
            object.source,
            self.span,
            message,
        )
        .with_object(Some(reference.clone()));
        d.field = Some(self.path);
        d.error_type = Some(self.error_type);
        d.help = self.help;
        d
    }
}

/// A name that must be a DNS-1123 label and unique in its list (Service
/// port names, container names): `Invalid` per failed check, then
/// `Duplicate` for a repeat.
pub(crate) fn unique_dns1123_label(
    code: &'static str,
    name: &crate::model::Spanned<String>,
    path: String,
    seen: &mut std::collections::HashSet<String>,
    errs: &mut Vec<FieldError>,
) {
    for m in names::dns1123_label(&name.value) {
        errs.push(
            FieldError::new(code, name.span, path.clone(), ErrorType::Invalid)
                .quoted(&name.value)
                .detail(m),
        );
    }
    if !seen.insert(name.value.clone()) {
        errs.push(FieldError::new(code, name.span, path, ErrorType::Duplicate).quoted(&name.value));
    }
}

/// Validate every object, then the allocation checks across Services.
pub fn validate_all(
    objects: &[Object],
    defaults: &Defaults,
    profile: &Resolved,
    diags: &mut Vec<Diagnostic>,
) {
    let mut allocator = alloc::Allocator::new(profile, objects);
    for (index, object) in objects.iter().enumerate() {
        if object.decode_failed {
            continue;
        }
        let mut errs = Vec::new();
        match &object.body {
            Body::Service(svc) => {
                let Some(d) = defaults.get(index) else {
                    continue;
                };
                // The registry allocates before it validates (spec A.13, section 0).
                // Objects read from a cluster were allocated by that cluster.
                let alloc_errs = if object.meta.live {
                    Vec::new()
                } else {
                    allocator.allocate(object, svc, d)
                };
                if alloc_errs.is_empty() {
                    meta::validate(object, meta::NameRule::Dns1035, &mut errs);
                    service::validate(object, svc, d, &mut errs);
                    if errs.is_empty() {
                        allocator.commit(object, svc, d);
                    }
                } else {
                    errs = alloc_errs;
                }
            }
            // A custom resource's schema is its CRD's: not validated here.
            Body::Workload(w) if w.origin == crate::model::WorkloadOrigin::BuiltIn => {
                meta::validate(object, meta::NameRule::Dns1123Subdomain, &mut errs);
                workload::validate(object, w, &mut errs);
            }
            Body::Pod(p) => {
                meta::validate(object, meta::NameRule::Dns1123Subdomain, &mut errs);
                workload::validate_pod_spec(&p.0, "spec", &mut errs);
            }
            Body::NetworkPolicy(np) => {
                meta::validate(object, meta::NameRule::Dns1123Subdomain, &mut errs);
                netpol::validate(np, &mut errs);
            }
            Body::Ingress(ing) => {
                meta::validate(object, meta::NameRule::Dns1123Subdomain, &mut errs);
                ingress::validate(object, ing, &mut errs);
            }
            Body::GatewayClass(c) => {
                meta::validate(object, meta::NameRule::Dns1123Subdomain, &mut errs);
                gateway::validate_class(object, c, &mut errs);
            }
            Body::Gateway(g) => {
                meta::validate(object, meta::NameRule::Dns1123Subdomain, &mut errs);
                gateway::validate_gateway(object, g, &mut errs);
            }
            Body::Route(r) => {
                meta::validate(object, meta::NameRule::Dns1123Subdomain, &mut errs);
                gateway::validate_route(object, r, &mut errs);
            }
            Body::ReferenceGrant(g) => {
                meta::validate(object, meta::NameRule::Dns1123Subdomain, &mut errs);
                gateway::validate_grant(object, g, &mut errs);
            }
            Body::IngressClass(c) => {
                meta::validate(object, meta::NameRule::Dns1123Subdomain, &mut errs);
                ingress::validate_class(object, c, &mut errs);
            }
            _ => {}
        }
        if errs.is_empty() {
            continue;
        }
        let reference = object.object_ref();
        let mut capper = crate::diag::Capper::default();
        for e in errs {
            capper.push(e.into_diagnostic(object, &reference), diags);
        }
        capper.finish(diags);
    }
}

/// The object reference of a diagnostic about `object`.
pub fn object_ref(object: &Object) -> Arc<ObjectRef> {
    object.object_ref()
}
