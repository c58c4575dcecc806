//! `SetDefaults_Service` + `NormalizeClusterIPs` (spec A.0) and
//! `ValidateService` (spec A.2–A.12), rule by rule.

use std::collections::HashSet;

use super::FieldError;
use super::meta::validate_labels_with;
use crate::codes;
use crate::diag::ErrorType;
use crate::model::{IntOrString, Object, Service, Spanned};
use crate::names;
use crate::source::Span;

/// The defaulted view of a Service (R-D1…R-D9 and normalization).
/// A Service's fields after the API server's defaulting, borrowed from the
/// Service where they are set.
#[derive(Clone, Debug)]
pub struct Defaulted<'a> {
    pub type_: &'a str,
    pub session_affinity: &'a str,
    /// `sessionAffinityConfig.clientIP.timeoutSeconds` after R-D2/R-D3.
    pub affinity_timeout: Option<i64>,
    pub protocols: Vec<&'a str>,
    pub target_ports: Vec<IntOrString>,
    pub external_traffic_policy: Option<&'a str>,
    pub internal_traffic_policy: Option<&'a str>,
    pub allocate_lb_node_ports: Option<bool>,
    /// `clusterIPs` after normalization (R: `clusterIPs = [clusterIP]`).
    pub cluster_ips: &'a [Spanned<String>],
    pub cluster_ips_span: Option<Span>,
    pub headless: bool,
}

impl Defaulted<'_> {
    pub fn externally_accessible(&self, svc: &Service) -> bool {
        matches!(self.type_, "LoadBalancer" | "NodePort")
            || (self.type_ == "ClusterIP" && !svc.external_ips.is_empty())
    }

    pub fn needs_health_check(&self) -> bool {
        self.type_ == "LoadBalancer" && self.external_traffic_policy == Some("Local")
    }
}

fn val(s: Option<&Spanned<String>>) -> Option<&str> {
    s.map(|s| s.value.as_str()).filter(|s| !s.is_empty())
}

/// Every Service of the input defaulted once, as the API server defaults it
/// before it allocates and validates (spec A.13, section 0); allocation,
/// validation, the completed snapshot and `duplicate-allocation` all read
/// these values. Indexed by object: one pointer per object that is not a
/// Service.
#[derive(Debug, Default)]
pub struct Defaults<'a>(Vec<Option<Box<Defaulted<'a>>>>);

impl<'a> Defaults<'a> {
    pub fn of(objects: &'a [crate::model::Object]) -> Self {
        Defaults(
            objects
                .iter()
                .map(|o| match &o.body {
                    crate::model::Body::Service(svc) => Some(Box::new(default_service(svc))),
                    _ => None,
                })
                .collect(),
        )
    }

    /// The defaulted Service of object `index`, if it is a Service.
    pub fn get(&self, index: usize) -> Option<&Defaulted<'a>> {
        self.0.get(index)?.as_deref()
    }
}

fn default_service(svc: &Service) -> Defaulted<'_> {
    let type_ = val(svc.type_.as_ref()).unwrap_or("ClusterIP");
    let session_affinity = val(svc.session_affinity.as_ref()).unwrap_or("None");
    let affinity_timeout = match session_affinity {
        "None" => None,
        "ClientIP" => Some(svc.affinity_timeout.as_ref().map_or(10800, |t| t.value)),
        _ => svc.affinity_timeout.as_ref().map(|t| t.value),
    };
    let protocols = svc
        .ports
        .iter()
        .map(|p| val(p.protocol.as_ref()).unwrap_or("TCP"))
        .collect();
    let target_ports = svc
        .ports
        .iter()
        .map(|p| match &p.target_port {
            Some(t)
                if t.value != IntOrString::Int(0) && t.value != IntOrString::Str(String::new()) =>
            {
                t.value.clone()
            }
            _ => IntOrString::Int(p.port.as_ref().map_or(0, |p| p.value)),
        })
        .collect();
    let accessible = matches!(type_, "LoadBalancer" | "NodePort")
        || (type_ == "ClusterIP" && !svc.external_ips.is_empty());
    let external_traffic_policy =
        val(svc.external_traffic_policy.as_ref()).or_else(|| accessible.then_some("Cluster"));
    let internal_traffic_policy = val(svc.internal_traffic_policy.as_ref())
        .or_else(|| (type_ != "ExternalName").then_some("Cluster"));
    let allocate_lb_node_ports = svc
        .allocate_lb_node_ports
        .as_ref()
        .map(|b| b.value)
        .or_else(|| (type_ == "LoadBalancer").then_some(true));
    let mut cluster_ips: &[Spanned<String>] = svc.cluster_ips.as_ref().map_or(&[], |c| &c.value);
    let mut cluster_ips_span = svc.cluster_ips.as_ref().map(|c| c.span);
    if cluster_ips.is_empty()
        && let Some(ip) = svc.cluster_ip.as_ref().filter(|c| !c.value.is_empty())
    {
        cluster_ips = std::slice::from_ref(ip);
        cluster_ips_span = Some(ip.span);
    }
    let headless = cluster_ips.len() == 1 && cluster_ips[0].value == "None";
    Defaulted {
        type_,
        session_affinity,
        affinity_timeout,
        protocols,
        target_ports,
        external_traffic_policy,
        internal_traffic_policy,
        allocate_lb_node_ports,
        cluster_ips,
        cluster_ips_span,
        headless,
    }
}

/// A `NotSupported` error listing the supported values, as the API server words it.
pub(super) fn unsupported(
    code: &'static str,
    span: Span,
    path: impl Into<String>,
    value: &str,
    allowed: &[&str],
) -> FieldError {
    FieldError::new(code, span, path, ErrorType::NotSupported)
        .quoted(value)
        .detail(supported(allowed))
}

fn supported(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
    format!("supported values: {}", quoted.join(", "))
}

pub fn validate(object: &Object, svc: &Service, d: &Defaulted, errs: &mut Vec<FieldError>) {
    const TYPES: &[&str] = &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    let spec = if svc.spec_span == Span::default() {
        object.anchor_span()
    } else {
        svc.spec_span
    };
    // A.2 type
    if !TYPES.contains(&d.type_) {
        let span = svc.type_.as_ref().map_or(spec, |t| t.span);
        errs.push(unsupported(
            codes::SERVICE_TYPE.code,
            span,
            "spec.type",
            d.type_,
            TYPES,
        ));
    }
    validate_cluster_ips(svc, d, spec, errs);
    validate_ports(svc, d, spec, errs);
    if let Some(sel) = &svc.selector {
        validate_labels_with(sel, "spec.selector", codes::SERVICE_SELECTOR.code, errs);
    }
    if d.type_ == "ExternalName" {
        validate_external_name(svc, spec, errs);
    }
    for (i, ip) in svc.external_ips.iter().enumerate() {
        let path = format!("spec.externalIPs[{i}]");
        let msgs = names::ip(&ip.value);
        if msgs.is_empty()
            && let Some(why) = special_ip(&ip.value)
        {
            errs.push(
                FieldError::new(
                    codes::SERVICE_EXTERNAL_IPS.code,
                    ip.span,
                    path.clone(),
                    ErrorType::Invalid,
                )
                .quoted(&ip.value)
                .detail(why),
            );
        }
        for m in msgs {
            errs.push(
                FieldError::new(
                    codes::SERVICE_EXTERNAL_IPS.code,
                    ip.span,
                    path.clone(),
                    ErrorType::Invalid,
                )
                .quoted(&ip.value)
                .detail(m),
            );
        }
    }
    validate_affinity(svc, d, spec, errs);
    validate_traffic_policies(svc, d, spec, errs);
    validate_load_balancer(object, svc, d, spec, errs);
}

/// `ValidateNonSpecialIP` (spec A.8.2).
fn special_ip(s: &str) -> Option<&'static str> {
    let ip = names::parse_ip(s)?;
    if ip.is_unspecified() {
        return Some("may not be unspecified (0.0.0.0)");
    }
    if ip.is_loopback() {
        return Some("may not be in the loopback range (127.0.0.0/8, ::1/128)");
    }
    let link_local = match ip {
        std::net::IpAddr::V4(v) => v.is_link_local(),
        std::net::IpAddr::V6(v) => (v.segments()[0] & 0xffc0) == 0xfe80,
    };
    if link_local {
        return Some("may not be in the link-local range (169.254.0.0/16, fe80::/10)");
    }
    let ll_multicast = match ip {
        std::net::IpAddr::V4(v) => v.octets()[0] == 224 && v.octets()[1] == 0 && v.octets()[2] == 0,
        std::net::IpAddr::V6(v) => (v.segments()[0] & 0xff0f) == 0xff02,
    };
    if ll_multicast {
        return Some("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
    }
    None
}

fn validate_cluster_ips(svc: &Service, d: &Defaulted, spec: Span, errs: &mut Vec<FieldError>) {
    let ips_span = d.cluster_ips_span.unwrap_or(spec);
    if d.type_ == "ExternalName" {
        // A.5.4
        if !d.cluster_ips.is_empty() {
            errs.push(
                FieldError::new(
                    codes::SERVICE_CLUSTER_IPS.code,
                    ips_span,
                    "spec.clusterIPs",
                    ErrorType::Forbidden,
                )
                .detail("may not be set for ExternalName services"),
            );
        }
        if !svc.ip_families.is_empty() {
            let span = svc.ip_families_span.unwrap_or(spec);
            errs.push(
                FieldError::new(
                    codes::SERVICE_CLUSTER_IPS.code,
                    span,
                    "spec.ipFamilies",
                    ErrorType::Forbidden,
                )
                .detail("may not be set for ExternalName services"),
            );
        }
        if let Some(p) = &svc.ip_family_policy {
            errs.push(
                FieldError::new(
                    codes::SERVICE_CLUSTER_IPS.code,
                    p.span,
                    "spec.ipFamilyPolicy",
                    ErrorType::Forbidden,
                )
                .detail("may not be set for ExternalName services"),
            );
        }
        return;
    }
    validate_cluster_ip_fields(svc, d, spec, errs);
    // A.5.2 / A.5.3
    if d.headless && matches!(d.type_, "LoadBalancer" | "NodePort") {
        errs.push(
            FieldError::new(
                codes::SERVICE_CLUSTER_IPS.code,
                d.cluster_ips[0].span,
                "spec.clusterIPs[0]",
                ErrorType::Invalid,
            )
            .quoted("None")
            .detail(format!("may not be set to 'None' for {} services", d.type_)),
        );
    }
}

/// `ValidateServiceClusterIPsRelatedFields` (A.5.5–A.5.10); also run by the
/// allocator before allocation.
pub(super) fn validate_cluster_ip_fields(
    svc: &Service,
    d: &Defaulted,
    spec: Span,
    errs: &mut Vec<FieldError>,
) {
    let ips_span = d.cluster_ips_span.unwrap_or(spec);
    first_cluster_ip(svc, d, ips_span, errs);
    ip_families(svc, errs);
    let any_invalid = each_cluster_ip(d, errs);
    if d.cluster_ips.len() > 2 {
        errs.push(
            FieldError::new(
                codes::SERVICE_CLUSTER_IPS.code,
                ips_span,
                "spec.clusterIPs",
                ErrorType::Invalid,
            )
            .value(list(d.cluster_ips))
            .detail("may only hold up to 2 values"),
        );
        return;
    }
    if any_invalid || d.headless {
        return;
    }
    families_match(svc, d, ips_span, errs);
}

/// `clusterIPs` must be empty without `clusterIP`, and start with it.
fn first_cluster_ip(svc: &Service, d: &Defaulted, ips_span: Span, errs: &mut Vec<FieldError>) {
    let cluster_ip = svc.cluster_ip.as_ref().filter(|c| !c.value.is_empty());
    match cluster_ip {
        Some(ip) if !d.cluster_ips.is_empty() && d.cluster_ips[0].value != ip.value => {
            errs.push(
                FieldError::new(
                    codes::SERVICE_CLUSTER_IPS.code,
                    ips_span,
                    "spec.clusterIPs",
                    ErrorType::Invalid,
                )
                .value(list(d.cluster_ips))
                .detail("first value must match `clusterIP`"),
            );
        }
        None if !d.cluster_ips.is_empty() => {
            errs.push(
                FieldError::new(
                    codes::SERVICE_CLUSTER_IPS.code,
                    ips_span,
                    "spec.clusterIPs",
                    ErrorType::Invalid,
                )
                .value(list(d.cluster_ips))
                .detail("must be empty when `clusterIP` is not specified"),
            );
        }
        _ => {}
    }
}

/// A.5.6 and A.5.7: `ipFamilies` (each supported, none twice) and
/// `ipFamilyPolicy`.
fn ip_families(svc: &Service, errs: &mut Vec<FieldError>) {
    // A.5.6 families
    let mut seen = HashSet::new();
    for (i, f) in svc.ip_families.iter().enumerate() {
        let path = format!("spec.ipFamilies[{i}]");
        if f.value != "IPv4" && f.value != "IPv6" {
            errs.push(unsupported(
                codes::SERVICE_CLUSTER_IPS.code,
                f.span,
                path,
                &f.value,
                &["IPv4", "IPv6"],
            ));
        } else if !seen.insert(f.value.clone()) {
            errs.push(
                FieldError::new(
                    codes::SERVICE_CLUSTER_IPS.code,
                    f.span,
                    path,
                    ErrorType::Duplicate,
                )
                .quoted(&f.value),
            );
        }
    }
    // A.5.7 policy
    if let Some(p) = &svc.ip_family_policy {
        const POLICIES: &[&str] = &["PreferDualStack", "RequireDualStack", "SingleStack"];
        if !POLICIES.contains(&p.value.as_str()) {
            errs.push(unsupported(
                codes::SERVICE_CLUSTER_IPS.code,
                p.span,
                "spec.ipFamilyPolicy",
                &p.value,
                POLICIES,
            ));
        }
    }
}

/// A.5.8: each ClusterIP valid (`None` only alone); whether any is not.
fn each_cluster_ip(d: &Defaulted, errs: &mut Vec<FieldError>) -> bool {
    let mut any_invalid = false;
    for (i, ip) in d.cluster_ips.iter().enumerate() {
        let path = format!("spec.clusterIPs[{i}]");
        if ip.value == "None" {
            if i != 0 || d.cluster_ips.len() > 1 {
                any_invalid = true;
                errs.push(
                    FieldError::new(
                        codes::SERVICE_CLUSTER_IPS.code,
                        ip.span,
                        path,
                        ErrorType::Invalid,
                    )
                    .quoted("None")
                    .detail("'None' must be the first and only value"),
                );
            }
            continue;
        }
        let msgs = names::ip(&ip.value);
        if !msgs.is_empty() {
            any_invalid = true;
        }
        for m in msgs {
            errs.push(
                FieldError::new(
                    codes::SERVICE_CLUSTER_IPS.code,
                    ip.span,
                    path.clone(),
                    ErrorType::Invalid,
                )
                .quoted(&ip.value)
                .detail(m),
            );
        }
    }
    any_invalid
}

/// A.5.9 one IP per family, A.5.10 the families match the IPs.
fn families_match(svc: &Service, d: &Defaulted, ips_span: Span, errs: &mut Vec<FieldError>) {
    // A.5.9
    let v6: Vec<bool> = d
        .cluster_ips
        .iter()
        .filter_map(|ip| names::parse_ip(&ip.value))
        .map(|ip| ip.is_ipv6())
        .collect();
    if v6.len() == 2 && v6[0] == v6[1] {
        errs.push(
            FieldError::new(
                codes::SERVICE_CLUSTER_IPS.code,
                ips_span,
                "spec.clusterIPs",
                ErrorType::Invalid,
            )
            .value(list(d.cluster_ips))
            .detail("may specify no more than one IP for each IP family"),
        );
    }
    // A.5.10 families match IPs
    for (i, (fam, is_v6)) in svc.ip_families.iter().zip(&v6).enumerate() {
        let want_v6 = fam.value == "IPv6";
        if (fam.value == "IPv4" || want_v6) && want_v6 != *is_v6 {
            let ip = &d.cluster_ips[i];
            errs.push(
                FieldError::new(
                    codes::SERVICE_CLUSTER_IPS.code,
                    ip.span,
                    format!("spec.clusterIPs[{i}]"),
                    ErrorType::Invalid,
                )
                .value(list(d.cluster_ips))
                .detail(format!(
                    "expected an {} value as indicated by `ipFamilies[{i}]`",
                    fam.value
                )),
            );
        }
    }
}

fn list(ips: &[Spanned<String>]) -> String {
    let q: Vec<String> = ips.iter().map(|i| format!("{:?}", i.value)).collect();
    format!("[]string{{{}}}", q.join(", "))
}

fn validate_ports(svc: &Service, d: &Defaulted, spec: Span, errs: &mut Vec<FieldError>) {
    // A.3.1
    if svc.ports.is_empty() && !d.headless && d.type_ != "ExternalName" {
        let span = svc.ports_span.unwrap_or(spec);
        errs.push(FieldError::new(
            codes::SERVICE_PORTS.code,
            span,
            "spec.ports",
            ErrorType::Required,
        ));
    }
    let require_name = svc.ports.len() > 1;
    let mut names_seen = HashSet::new();
    let mut pairs = HashSet::new();
    let mut node_ports = HashSet::new();
    for (i, p) in svc.ports.iter().enumerate() {
        let path = format!("spec.ports[{i}]");
        let port = p.port.as_ref().map_or(0, |x| x.value);
        let protocol = d.protocols[i];
        validate_port_fields(
            p,
            &path,
            (protocol, &d.target_ports[i]),
            require_name,
            &mut names_seen,
            errs,
        );
        // A.3.2 duplicate (protocol, port)
        if !pairs.insert((protocol.to_owned(), port)) {
            errs.push(
                FieldError::new(
                    codes::SERVICE_PORTS.code,
                    p.span,
                    path.clone(),
                    ErrorType::Duplicate,
                )
                .value(format!(
                    "core.ServicePort{{Name:{:?}, Protocol:{protocol:?}, Port:{port}}}",
                    p.name.as_ref().map_or("", |n| n.value.as_str())
                )),
            );
        }
        let node_port = p.node_port.as_ref().map_or(0, |x| x.value);
        if node_port != 0 {
            let np_span = p.node_port.as_ref().map_or(p.span, |x| x.span);
            // A.3.3
            if !node_ports.insert((protocol.to_owned(), node_port)) {
                errs.push(
                    FieldError::new(
                        codes::SERVICE_PORTS.code,
                        np_span,
                        format!("{path}.nodePort"),
                        ErrorType::Duplicate,
                    )
                    .value(node_port.to_string()),
                );
            }
            // A.3.4
            if d.type_ == "ClusterIP" {
                errs.push(
                    FieldError::new(
                        codes::SERVICE_PORTS.code,
                        np_span,
                        format!("{path}.nodePort"),
                        ErrorType::Forbidden,
                    )
                    .detail("may not be used when `type` is 'ClusterIP'"),
                );
            }
        }
    }
}

/// One port's own fields (A.4.1–A.4.8): name, port, protocol, targetPort,
/// appProtocol.
fn validate_port_fields(
    p: &crate::model::ServicePort,
    path: &str,
    (protocol, target): (&str, &IntOrString),
    require_name: bool,
    names_seen: &mut HashSet<String>,
    errs: &mut Vec<FieldError>,
) {
    // A.4.1–A.4.3
    match &p.name {
        Some(n) if !n.value.is_empty() => {
            super::unique_dns1123_label(
                codes::SERVICE_PORTS.code,
                n,
                format!("{path}.name"),
                names_seen,
                errs,
            );
        }
        _ if require_name => errs.push(FieldError::new(
            codes::SERVICE_PORTS.code,
            p.span,
            format!("{path}.name"),
            ErrorType::Required,
        )),
        _ => {}
    }
    // A.4.4
    let port = p.port.as_ref().map_or(0, |x| x.value);
    let port_span = p.port.as_ref().map_or(p.span, |x| x.span);
    for m in names::port_num(port) {
        errs.push(
            FieldError::new(
                codes::SERVICE_PORTS.code,
                port_span,
                format!("{path}.port"),
                ErrorType::Invalid,
            )
            .value(port.to_string())
            .detail(m),
        );
    }
    // A.4.5
    if !matches!(protocol, "TCP" | "UDP" | "SCTP") {
        let span = p.protocol.as_ref().map_or(p.span, |x| x.span);
        errs.push(unsupported(
            codes::SERVICE_PORTS.code,
            span,
            format!("{path}.protocol"),
            protocol,
            &["SCTP", "TCP", "UDP"],
        ));
    }
    // A.4.6
    let tp_span = p.target_port.as_ref().map_or(port_span, |x| x.span);
    validate_target_port(target, tp_span, path, errs);
    // A.4.8
    if let Some(ap) = p.app_protocol.as_ref().filter(|a| !a.value.is_empty()) {
        for m in names::qualified_name(&ap.value) {
            errs.push(
                FieldError::new(
                    codes::SERVICE_PORTS.code,
                    ap.span,
                    format!("{path}.appProtocol"),
                    ErrorType::Invalid,
                )
                .quoted(&ap.value)
                .detail(m),
            );
        }
    }
}

/// A.4.6: a numeric `targetPort` a valid port number, a named one a valid
/// port name.
fn validate_target_port(
    target: &IntOrString,
    tp_span: Span,
    path: &str,
    errs: &mut Vec<FieldError>,
) {
    match target {
        IntOrString::Int(t) => {
            for m in names::port_num(*t) {
                errs.push(
                    FieldError::new(
                        codes::SERVICE_PORTS.code,
                        tp_span,
                        format!("{path}.targetPort"),
                        ErrorType::Invalid,
                    )
                    .value(t.to_string())
                    .detail(m),
                );
            }
        }
        IntOrString::Str(s) => {
            for m in names::port_name(s) {
                errs.push(
                    FieldError::new(
                        codes::SERVICE_PORTS.code,
                        tp_span,
                        format!("{path}.targetPort"),
                        ErrorType::Invalid,
                    )
                    .quoted(s)
                    .detail(m),
                );
            }
        }
    }
}

fn validate_external_name(svc: &Service, spec: Span, errs: &mut Vec<FieldError>) {
    let name = svc.external_name.as_ref();
    let raw = name.map_or("", |n| n.value.as_str());
    let span = name.map_or(spec, |n| n.span);
    let trimmed = raw.strip_suffix('.').unwrap_or(raw);
    if trimmed.is_empty() {
        errs.push(FieldError::new(
            codes::SERVICE_EXTERNAL_NAME.code,
            span,
            "spec.externalName",
            ErrorType::Required,
        ));
        return;
    }
    for m in names::dns1123_subdomain(trimmed) {
        errs.push(
            FieldError::new(
                codes::SERVICE_EXTERNAL_NAME.code,
                span,
                "spec.externalName",
                ErrorType::Invalid,
            )
            .quoted(raw)
            .detail(m),
        );
    }
}

fn validate_affinity(svc: &Service, d: &Defaulted, spec: Span, errs: &mut Vec<FieldError>) {
    let span = svc.session_affinity.as_ref().map_or(spec, |s| s.span);
    match d.session_affinity {
        "None" => {}
        "ClientIP" => {
            let t = d.affinity_timeout.unwrap_or(10800);
            if t <= 0 || t > 86400 {
                let span = svc.affinity_timeout.as_ref().map_or(span, |x| x.span);
                errs.push(
                    FieldError::new(
                        codes::SERVICE_SESSION_AFFINITY.code,
                        span,
                        "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                        ErrorType::Invalid,
                    )
                    .value(t.to_string())
                    .detail("must be greater than 0 and less than 86400"),
                );
            }
        }
        other => errs.push(unsupported(
            codes::SERVICE_SESSION_AFFINITY.code,
            span,
            "spec.sessionAffinity",
            other,
            &["ClientIP", "None"],
        )),
    }
}

fn validate_traffic_policies(svc: &Service, d: &Defaulted, spec: Span, errs: &mut Vec<FieldError>) {
    // A.10
    let etp_span = svc
        .external_traffic_policy
        .as_ref()
        .map_or(spec, |s| s.span);
    if d.externally_accessible(svc) {
        if let Some(etp) = d.external_traffic_policy
            && etp != "Cluster"
            && etp != "Local"
        {
            errs.push(unsupported(
                codes::SERVICE_TRAFFIC_POLICY.code,
                etp_span,
                "spec.externalTrafficPolicy",
                etp,
                &["Cluster", "Local"],
            ));
        }
    } else if let Some(etp) = &d.external_traffic_policy {
        errs.push(
            FieldError::new(
                codes::SERVICE_TRAFFIC_POLICY.code,
                etp_span,
                "spec.externalTrafficPolicy",
                ErrorType::Invalid,
            )
            .quoted(etp)
            .detail("may only be set for externally-accessible services"),
        );
    }
    let hc = svc.health_check_node_port.as_ref().map_or(0, |h| h.value);
    let hc_span = svc.health_check_node_port.as_ref().map_or(spec, |h| h.span);
    if d.needs_health_check() {
        if hc != 0 && !(1..=65535).contains(&hc) {
            errs.push(
                FieldError::new(
                    codes::SERVICE_TRAFFIC_POLICY.code,
                    hc_span,
                    "spec.healthCheckNodePort",
                    ErrorType::Invalid,
                )
                .value(hc.to_string())
                .detail("must be between 1 and 65535, inclusive"),
            );
        }
    } else if hc != 0 {
        errs.push(FieldError::new(codes::SERVICE_TRAFFIC_POLICY.code, hc_span, "spec.healthCheckNodePort", ErrorType::Invalid).value(hc.to_string()).detail("may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    }
    // A.11
    if let Some(itp) = d.internal_traffic_policy
        && itp != "Cluster"
        && itp != "Local"
    {
        let span = svc
            .internal_traffic_policy
            .as_ref()
            .map_or(spec, |s| s.span);
        errs.push(unsupported(
            codes::SERVICE_TRAFFIC_POLICY.code,
            span,
            "spec.internalTrafficPolicy",
            itp,
            &["Cluster", "Local"],
        ));
    }
    // A.12.6
    if let Some(td) = &svc.traffic_distribution {
        const TD: &[&str] = &["PreferClose", "PreferSameNode", "PreferSameZone"];
        if !TD.contains(&td.value.as_str()) {
            errs.push(unsupported(
                codes::SERVICE_TRAFFIC_POLICY.code,
                td.span,
                "spec.trafficDistribution",
                &td.value,
                TD,
            ));
        }
    }
}

const LB_RANGES_ANNOTATION: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

fn validate_load_balancer(
    object: &Object,
    svc: &Service,
    d: &Defaulted,
    spec: Span,
    errs: &mut Vec<FieldError>,
) {
    let is_lb = d.type_ == "LoadBalancer";
    source_ranges(object, svc, is_lb, spec, errs);
    // A.12.4
    if let Some(a) = &svc.allocate_lb_node_ports
        && !is_lb
    {
        errs.push(
            FieldError::new(
                codes::SERVICE_LOAD_BALANCER.code,
                a.span,
                "spec.allocateLoadBalancerNodePorts",
                ErrorType::Forbidden,
            )
            .detail("may only be used when `type` is 'LoadBalancer'"),
        );
    }
    // A.12.5
    if let Some(c) = &svc.load_balancer_class {
        if is_lb {
            for m in names::qualified_name(&c.value) {
                errs.push(
                    FieldError::new(
                        codes::SERVICE_LOAD_BALANCER.code,
                        c.span,
                        "spec.loadBalancerClass",
                        ErrorType::Invalid,
                    )
                    .quoted(&c.value)
                    .detail(m),
                );
            }
        } else {
            errs.push(
                FieldError::new(
                    codes::SERVICE_LOAD_BALANCER.code,
                    c.span,
                    "spec.loadBalancerClass",
                    ErrorType::Forbidden,
                )
                .detail("may only be used when `type` is 'LoadBalancer'"),
            );
        }
    }
}

/// A.12.1–A.12.3: `loadBalancerSourceRanges`, or its annotation, only on
/// LoadBalancer Services and as CIDRs.
fn source_ranges(
    object: &Object,
    svc: &Service,
    is_lb: bool,
    spec: Span,
    errs: &mut Vec<FieldError>,
) {
    // A.12.1–A.12.2
    if !svc.load_balancer_source_ranges.is_empty() {
        if !is_lb {
            let span = svc.load_balancer_source_ranges[0].span;
            errs.push(
                FieldError::new(
                    codes::SERVICE_LOAD_BALANCER.code,
                    span,
                    "spec.LoadBalancerSourceRanges",
                    ErrorType::Forbidden,
                )
                .detail("may only be used when `type` is 'LoadBalancer'"),
            );
        }
        for (i, r) in svc.load_balancer_source_ranges.iter().enumerate() {
            let v = r.value.trim();
            for m in names::cidr(v) {
                errs.push(
                    FieldError::new(
                        codes::SERVICE_LOAD_BALANCER.code,
                        r.span,
                        format!("spec.LoadBalancerSourceRanges[{i}]"),
                        ErrorType::Invalid,
                    )
                    .quoted(&r.value)
                    .detail(m),
                );
            }
        }
    } else if let Some(value) = object.meta.annotations.get(LB_RANGES_ANNOTATION) {
        // A.12.3
        let path = format!("metadata.annotations[{LB_RANGES_ANNOTATION}]");
        let span = object
            .meta
            .annotations
            .spans_of(LB_RANGES_ANNOTATION)
            .map_or(spec, |s| s.1);
        if !is_lb {
            errs.push(
                FieldError::new(
                    codes::SERVICE_LOAD_BALANCER.code,
                    span,
                    path.clone(),
                    ErrorType::Forbidden,
                )
                .detail("may only be used when `type` is 'LoadBalancer'"),
            );
        }
        let v = value.trim();
        if !v.is_empty() {
            for part in v.split(',') {
                if !names::cidr(part.trim()).is_empty() {
                    errs.push(FieldError::new(codes::SERVICE_LOAD_BALANCER.code, span, path.clone(), ErrorType::Invalid).quoted(value).detail("must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 "));
                    break;
                }
            }
        }
    }
}
