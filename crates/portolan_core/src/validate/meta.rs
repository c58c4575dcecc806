//! `ValidateObjectMeta` (spec A.1): name, generateName, namespace, labels, annotations.

use super::FieldError;
use crate::codes;
use crate::diag::ErrorType;
use crate::model::{Object, StringMap};
use crate::names;

#[derive(Clone, Copy)]
pub enum NameRule {
    Dns1035,
    Dns1123Subdomain,
}

const TOTAL_ANNOTATION_SIZE: usize = 256 * 1024;

pub fn validate(object: &Object, rule: NameRule, errs: &mut Vec<FieldError>) {
    let meta = &object.meta;
    let check = |s: &str| match rule {
        NameRule::Dns1035 => names::dns1035_label(s),
        NameRule::Dns1123Subdomain => names::dns1123_subdomain(s),
    };
    match (&meta.name, &meta.generate_name) {
        (Some(n), _) if !n.value.is_empty() => {
            for m in check(&n.value) {
                errs.push(
                    FieldError::new(
                        codes::OBJECT_METADATA.code,
                        n.span,
                        "metadata.name",
                        ErrorType::Invalid,
                    )
                    .quoted(&n.value)
                    .detail(m),
                );
            }
        }
        (_, Some(g)) if !g.value.is_empty() => {
            let masked = g
                .value
                .strip_suffix('-')
                .map_or(g.value.clone(), |s| format!("{s}a"));
            for m in check(&masked) {
                errs.push(
                    FieldError::new(
                        codes::OBJECT_METADATA.code,
                        g.span,
                        "metadata.generateName",
                        ErrorType::Invalid,
                    )
                    .quoted(&g.value)
                    .detail(m),
                );
            }
        }
        _ => errs.push(
            FieldError::new(
                codes::OBJECT_METADATA.code,
                if meta.span == crate::source::Span::default() {
                    object.kind.span
                } else {
                    meta.span
                },
                "metadata.name",
                ErrorType::Required,
            )
            .detail("name or generateName is required"),
        ),
    }
    if let Some(ns) = &meta.namespace
        && !ns.value.is_empty()
    {
        for m in names::dns1123_label(&ns.value) {
            errs.push(
                FieldError::new(
                    codes::OBJECT_METADATA.code,
                    ns.span,
                    "metadata.namespace",
                    ErrorType::Invalid,
                )
                .quoted(&ns.value)
                .detail(m),
            );
        }
    }
    validate_labels(&meta.labels, "metadata.labels", errs);
    validate_annotations(&meta.annotations, errs);
}

/// `ValidateLabels`: keys are qualified names, values label values; errors
/// at `path` itself (spec A.6.1).
pub fn validate_labels(labels: &StringMap, path: &str, errs: &mut Vec<FieldError>) {
    validate_labels_with(labels, path, codes::OBJECT_METADATA.code, errs);
}

pub fn validate_labels_with(
    labels: &StringMap,
    path: &str,
    code: &'static str,
    errs: &mut Vec<FieldError>,
) {
    for (k, v, kspan, vspan) in labels.entries() {
        for m in names::qualified_name(k) {
            errs.push(
                FieldError::new(code, kspan, path, ErrorType::Invalid)
                    .quoted(k)
                    .detail(m),
            );
        }
        for m in names::label_value(v) {
            errs.push(
                FieldError::new(code, vspan, path, ErrorType::Invalid)
                    .quoted(v)
                    .detail(m),
            );
        }
    }
}

fn validate_annotations(ann: &StringMap, errs: &mut Vec<FieldError>) {
    let mut total = 0;
    for (k, v, span, _) in ann.entries() {
        total += k.len() + v.len();
        for m in names::qualified_name(&k.to_lowercase()) {
            errs.push(
                FieldError::new(
                    codes::OBJECT_METADATA.code,
                    span,
                    "metadata.annotations",
                    ErrorType::Invalid,
                )
                .quoted(k)
                .detail(m),
            );
        }
    }
    if total > TOTAL_ANNOTATION_SIZE {
        errs.push(
            FieldError::new(
                codes::OBJECT_METADATA.code,
                ann.span,
                "metadata.annotations",
                ErrorType::TooLong,
            )
            .detail(format!(
                "may not be more than {TOTAL_ANNOTATION_SIZE} bytes"
            )),
        );
    }
    let hints = ann.get("service.kubernetes.io/topology-aware-hints");
    let mode = ann.get("service.kubernetes.io/topology-mode");
    if let (Some(h), Some(m)) = (hints, mode)
        && h != m
    {
        errs.push(
                FieldError::new(
                    codes::OBJECT_METADATA.code,
                    ann.key_span("service.kubernetes.io/topology-mode"),
                    "metadata.annotations[service.kubernetes.io/topology-mode]",
                    ErrorType::Invalid,
                )
                .quoted(m)
                .detail("must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified"),
            );
    }
}
