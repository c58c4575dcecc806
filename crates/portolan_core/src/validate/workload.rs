//! Workload and pod validation that decides routing (spec A.6, B.2.6): labels,
//! selectors that must select the template, containers and their ports.

use std::collections::HashSet;

use super::FieldError;
use super::meta::{validate_labels, validate_labels_with};
use crate::codes;
use crate::diag::ErrorType;
use crate::model::{LabelSelector, Object, PodSpec, PodTemplate, Workload};
use crate::names;
use crate::selector::Selector;

pub fn validate(object: &Object, w: &Workload, errs: &mut Vec<FieldError>) {
    let kind = object.kind.value.as_str();
    let (spec_prefix, selector_required) = match kind {
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" => ("spec", true),
        "CronJob" => ("spec.jobTemplate.spec", false),
        _ => ("spec", false),
    };
    let tpath = w.template_path;
    if let Some(sel) = &w.selector {
        let path = format!("{spec_prefix}.selector");
        validate_workload_selector(kind, w, sel, &path, selector_required, errs);
    } else if selector_required {
        errs.push(FieldError::new(
            codes::WORKLOAD_SELECTOR.code,
            w.spec_span,
            format!("{spec_prefix}.selector"),
            ErrorType::Required,
        ));
    }
    if let Some(t) = &w.template {
        validate_labels(&t.meta.labels, &format!("{tpath}.metadata.labels"), errs);
        validate_pod_spec(&t.spec, &format!("{tpath}.spec"), errs);
    } else if kind != "CronJob" || w.spec_span != crate::source::Span::default() {
        errs.push(FieldError::new(
            codes::WORKLOAD_SELECTOR.code,
            w.spec_span,
            tpath.to_owned(),
            ErrorType::Required,
        ));
    }
}

/// A workload's selector: valid, not empty where required, convertible to
/// a selector, and selecting the pod template.
fn validate_workload_selector(
    kind: &str,
    w: &Workload,
    sel: &LabelSelector,
    path: &str,
    selector_required: bool,
    errs: &mut Vec<FieldError>,
) {
    if kind == "ReplicationController" {
        validate_labels_with(&sel.match_labels, path, codes::WORKLOAD_SELECTOR.code, errs);
    } else {
        validate_label_selector(sel, path, codes::WORKLOAD_SELECTOR.code, errs);
    }
    if selector_required && sel.match_labels.is_empty() && sel.match_expressions.is_empty() {
        errs.push(
            FieldError::new(
                codes::WORKLOAD_SELECTOR.code,
                sel.span,
                path.to_owned(),
                ErrorType::Invalid,
            )
            .value("{}")
            .detail(format!(
                "empty selector is invalid for {}",
                kind.to_lowercase()
            )),
        );
    }
    let selector = Selector::from_label_selector(Some(sel));
    let converts = sel.match_expressions.iter().all(|e| {
        let op = e.operator.as_ref().map_or("", |o| o.value.as_str());
        matches!(op, "In" | "NotIn" | "Exists" | "DoesNotExist")
    }) && selector != Selector::Nothing;
    if kind != "ReplicationController" && !converts {
        // `LabelSelectorAsSelector` failed.
        errs.push(
            FieldError::new(
                codes::WORKLOAD_SELECTOR.code,
                sel.span,
                path.to_owned(),
                ErrorType::Invalid,
            )
            .value("{…}")
            .detail("invalid label selector"),
        );
    } else if let Some(t) = &w.template {
        template_selected(t, sel, &selector, w.template_path, errs);
    }
}

/// A non-empty selector must match the pod template's labels.
fn template_selected(
    t: &PodTemplate,
    sel: &LabelSelector,
    selector: &Selector,
    tpath: &str,
    errs: &mut Vec<FieldError>,
) {
    let empty = sel.match_labels.is_empty() && sel.match_expressions.is_empty();
    if !empty && !selector.matches(&t.meta.labels.map) {
        let span = if t.meta.labels.span == crate::source::Span::default() {
            t.span
        } else {
            t.meta.labels.span
        };
        let mut e = FieldError::new(
            codes::WORKLOAD_SELECTOR.code,
            span,
            format!("{tpath}.metadata.labels"),
            ErrorType::Invalid,
        )
        .value(format!("{:?}", t.meta.labels.map))
        .detail("`selector` does not match template `labels`");
        e.help = Some(format!("the selector is {selector}"));
        errs.push(e);
    }
}

/// `ValidateLabelSelector` with `ValidateLabelSelectorRequirement` (B.2.6).
pub fn validate_label_selector(
    sel: &LabelSelector,
    path: &str,
    code: &'static str,
    errs: &mut Vec<FieldError>,
) {
    validate_labels_with(
        &sel.match_labels,
        &format!("{path}.matchLabels"),
        code,
        errs,
    );
    for (i, e) in sel.match_expressions.iter().enumerate() {
        let epath = format!("{path}.matchExpressions[{i}]");
        let op = e.operator.as_ref().map_or("", |o| o.value.as_str());
        let op_span = e.operator.as_ref().map_or(e.span, |o| o.span);
        let values_span = e.values_span.unwrap_or(e.span);
        match op {
            "In" | "NotIn" if e.values.is_empty() => {
                errs.push(
                    FieldError::new(
                        code,
                        values_span,
                        format!("{epath}.values"),
                        ErrorType::Required,
                    )
                    .detail("must be specified when `operator` is 'In' or 'NotIn'"),
                );
            }
            "Exists" | "DoesNotExist" if !e.values.is_empty() => {
                errs.push(
                    FieldError::new(
                        code,
                        values_span,
                        format!("{epath}.values"),
                        ErrorType::Forbidden,
                    )
                    .detail("may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
                );
            }
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => errs.push(
                FieldError::new(
                    code,
                    op_span,
                    format!("{epath}.operator"),
                    ErrorType::Invalid,
                )
                .quoted(other)
                .detail("not a valid selector operator"),
            ),
        }
        let key = e.key.as_ref().map_or("", |k| k.value.as_str());
        let key_span = e.key.as_ref().map_or(e.span, |k| k.span);
        for m in names::qualified_name(key) {
            errs.push(
                FieldError::new(code, key_span, format!("{epath}.key"), ErrorType::Invalid)
                    .quoted(key)
                    .detail(m),
            );
        }
        for (j, v) in e.values.iter().enumerate() {
            for m in names::label_value(&v.value) {
                errs.push(
                    FieldError::new(
                        code,
                        v.span,
                        format!("{epath}.values[{j}]"),
                        ErrorType::Invalid,
                    )
                    .quoted(&v.value)
                    .detail(m),
                );
            }
        }
    }
}

/// Containers and their ports (`validateContainers`, `validateContainerPorts`).
pub fn validate_pod_spec(spec: &PodSpec, path: &str, errs: &mut Vec<FieldError>) {
    if spec.containers.is_empty() {
        errs.push(FieldError::new(
            codes::POD_CONTAINERS.code,
            spec.span,
            format!("{path}.containers"),
            ErrorType::Required,
        ));
    }
    let mut names_seen = HashSet::new();
    for (group, list) in [
        ("containers", &spec.containers),
        ("initContainers", &spec.init_containers),
    ] {
        for (i, c) in list.iter().enumerate() {
            let cpath = format!("{path}.{group}[{i}]");
            match &c.name {
                Some(n) if !n.value.is_empty() => {
                    super::unique_dns1123_label(
                        codes::POD_CONTAINERS.code,
                        n,
                        format!("{cpath}.name"),
                        &mut names_seen,
                        errs,
                    );
                }
                _ => errs.push(FieldError::new(
                    codes::POD_CONTAINERS.code,
                    spec.span,
                    format!("{cpath}.name"),
                    ErrorType::Required,
                )),
            }
            let mut port_names = HashSet::new();
            for (j, p) in c.ports.iter().enumerate() {
                let ppath = format!("{cpath}.ports[{j}]");
                validate_container_port(p, &ppath, &mut port_names, errs);
            }
        }
    }
}

/// One container port (`validateContainerPorts`): name (IANA_SVC_NAME,
/// unique in its container), containerPort, protocol.
fn validate_container_port(
    p: &crate::model::ContainerPort,
    ppath: &str,
    port_names: &mut HashSet<String>,
    errs: &mut Vec<FieldError>,
) {
    if let Some(n) = p.name.as_ref().filter(|n| !n.value.is_empty()) {
        let msgs = names::port_name(&n.value);
        if !msgs.is_empty() {
            for m in msgs {
                errs.push(
                    FieldError::new(
                        codes::POD_CONTAINERS.code,
                        n.span,
                        format!("{ppath}.name"),
                        ErrorType::Invalid,
                    )
                    .quoted(&n.value)
                    .detail(m),
                );
            }
        } else if !port_names.insert(n.value.clone()) {
            errs.push(
                FieldError::new(
                    codes::POD_CONTAINERS.code,
                    n.span,
                    format!("{ppath}.name"),
                    ErrorType::Duplicate,
                )
                .quoted(&n.value),
            );
        }
    }
    match &p.container_port {
        None => errs.push(FieldError::new(
            codes::POD_CONTAINERS.code,
            p.span,
            format!("{ppath}.containerPort"),
            ErrorType::Required,
        )),
        Some(cp) if cp.value == 0 => errs.push(FieldError::new(
            codes::POD_CONTAINERS.code,
            cp.span,
            format!("{ppath}.containerPort"),
            ErrorType::Required,
        )),
        Some(cp) => {
            for m in names::port_num(cp.value) {
                errs.push(
                    FieldError::new(
                        codes::POD_CONTAINERS.code,
                        cp.span,
                        format!("{ppath}.containerPort"),
                        ErrorType::Invalid,
                    )
                    .value(cp.value.to_string())
                    .detail(m),
                );
            }
        }
    }
    let proto = p.protocol();
    if !matches!(proto, "TCP" | "UDP" | "SCTP") {
        let span = p.protocol.as_ref().map_or(p.span, |x| x.span);
        errs.push(super::service::unsupported(
            codes::POD_CONTAINERS.code,
            span,
            format!("{ppath}.protocol"),
            proto,
            &["SCTP", "TCP", "UDP"],
        ));
    }
}
