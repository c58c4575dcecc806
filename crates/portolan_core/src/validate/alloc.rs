//! Create-time allocation (spec A.13): IP families, `ClusterIPs` and `NodePorts`
//! as the registry allocates them, in input order, against the profile.

use std::collections::HashMap;
use std::net::IpAddr;

use super::FieldError;
use super::service::{Defaulted, validate_cluster_ip_fields};
use crate::codes;
use crate::diag::ErrorType;
use crate::model::{Body, Object, Service};
use crate::names;
use crate::profile::Resolved;
use crate::source::Span;

pub struct Allocator<'p> {
    profile: &'p Resolved,
    /// `ClusterIP` → owning Service (`ns/name`).
    ips: HashMap<IpAddr, String>,
    /// nodePort → (owner, service port number) for sharing across protocols.
    node_ports: HashMap<i64, (String, i64)>,
}

impl<'p> Allocator<'p> {
    pub fn new(profile: &'p Resolved, objects: &[Object]) -> Self {
        let mut ips = HashMap::new();
        // The API server's own `default/kubernetes` Service holds the first
        // address of the service range, unless the input carries it itself.
        let has_kubernetes = objects.iter().any(|o| {
            matches!(o.body, Body::Service(_))
                && o.namespace == "default"
                && o.name() == "kubernetes"
        });
        if !has_kubernetes && let Some(c) = profile.service_cidrs.first() {
            ips.insert(c.nth(1), "default/kubernetes".to_owned());
        }
        Allocator {
            profile,
            ips,
            node_ports: HashMap::new(),
        }
    }

    /// The errors allocation would return for `svc`; nothing is recorded.
    pub fn allocate(&self, object: &Object, svc: &Service, d: &Defaulted) -> Vec<FieldError> {
        let spec = if svc.spec_span == Span::default() {
            object.anchor_span()
        } else {
            svc.spec_span
        };
        let mut errs = Vec::new();
        if d.type_ == "ExternalName" {
            return errs;
        }
        // A.13.1: the same checks as validation, run early, then families.
        validate_cluster_ip_fields(svc, d, spec, &mut errs);
        if !errs.is_empty() {
            return errs;
        }
        self.families(svc, d, spec, &mut errs);
        if !errs.is_empty() {
            return errs;
        }
        self.cluster_ips(object, d, spec, &mut errs);
        if !errs.is_empty() {
            return errs;
        }
        self.node_port_errors(object, svc, d, &mut errs);
        errs
    }

    /// The profile's IP families, in words for a help text.
    fn families_now(&self) -> String {
        format!(
            "the cluster's IP families are {}",
            self.profile.profile.ip_families.join(", ")
        )
    }

    fn families(&self, svc: &Service, d: &Defaulted, spec: Span, errs: &mut Vec<FieldError>) {
        let policy = svc.ip_family_policy.as_ref();
        let count = d.cluster_ips.len().max(svc.ip_families.len());
        if let Some(p) = policy {
            if p.value == "SingleStack" && count > 1 {
                errs.push(FieldError::new(codes::SERVICE_ALLOCATION.code, p.span, "spec.ipFamilyPolicy", ErrorType::Invalid).quoted(&p.value).detail("must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
            }
            if p.value == "RequireDualStack" && !self.profile.dual_stack() {
                errs.push(
                    FieldError::new(
                        codes::SERVICE_ALLOCATION.code,
                        p.span,
                        "spec.ipFamilyPolicy",
                        ErrorType::Invalid,
                    )
                    .quoted(&p.value)
                    .detail("this cluster is not configured for dual-stack services")
                    .profile_help("ipFamilies", &self.families_now()),
                );
            }
        }
        for (i, f) in svc.ip_families.iter().enumerate() {
            if !self.profile.family_configured(&f.value) {
                errs.push(
                    FieldError::new(
                        codes::SERVICE_ALLOCATION.code,
                        f.span,
                        format!("spec.ipFamilies[{i}]"),
                        ErrorType::Invalid,
                    )
                    .quoted(&f.value)
                    .detail(format!("{} is not configured on this cluster", f.value))
                    .profile_help("ipFamilies", &self.families_now()),
                );
            }
        }
        if d.headless {
            return;
        }
        for (i, ip) in d.cluster_ips.iter().enumerate() {
            let Some(addr) = names::parse_ip(&ip.value) else {
                continue;
            };
            let family = if addr.is_ipv6() { "IPv6" } else { "IPv4" };
            if !self.profile.family_configured(family) {
                errs.push(
                    FieldError::new(
                        codes::SERVICE_ALLOCATION.code,
                        ip.span,
                        format!("spec.clusterIPs[{i}]"),
                        ErrorType::Invalid,
                    )
                    .quoted(&ip.value)
                    .detail(format!("{family} is not configured on this cluster"))
                    .profile_help("ipFamilies", &self.families_now()),
                );
            }
        }
        let _ = spec;
    }

    fn cluster_ips(&self, object: &Object, d: &Defaulted, spec: Span, errs: &mut Vec<FieldError>) {
        if d.headless {
            return;
        }
        let span = d.cluster_ips_span.unwrap_or(spec);
        let all: Vec<String> = d
            .cluster_ips
            .iter()
            .map(|i| format!("{:?}", i.value))
            .collect();
        let value = format!("[]string{{{}}}", all.join(", "));
        for ip in d.cluster_ips {
            let Some(addr) = names::parse_ip(&ip.value) else {
                continue;
            };
            let Some(cidr) = self.profile.service_cidr_for(addr.is_ipv6()) else {
                continue;
            };
            if !cidr.contains(addr) {
                errs.push(FieldError::new(codes::SERVICE_ALLOCATION.code, span, "spec.clusterIPs", ErrorType::Invalid).value(value.clone()).detail(format!(
                    "failed to allocate IP {addr}: the provided IP ({addr}) is not in the valid range. The range of valid IPs is {cidr}"
                )).profile_help("serviceCIDR", &format!("the service CIDR is {}", self.profile.profile.service_cidr)));
            } else if let Some(owner) = self.ips.get(&addr)
                && *owner != key(object)
            {
                errs.push(
                        FieldError::new(codes::SERVICE_ALLOCATION.code, span, "spec.clusterIPs", ErrorType::Invalid)
                            .value(value.clone())
                            .detail(format!("failed to allocate IP {addr}: provided IP is already allocated (to Service {owner})")),
                    );
            }
        }
    }

    fn node_port_errors(
        &self,
        object: &Object,
        svc: &Service,
        d: &Defaulted,
        errs: &mut Vec<FieldError>,
    ) {
        if !matches!(d.type_, "NodePort" | "LoadBalancer") {
            return;
        }
        let (lo, hi) = self.profile.node_ports;
        let mut mine: HashMap<i64, i64> = HashMap::new();
        for (i, p) in svc.ports.iter().enumerate() {
            let Some(np) = p.node_port.as_ref().filter(|n| n.value != 0) else {
                continue;
            };
            let port = p.port.as_ref().map_or(0, |x| x.value);
            let path = format!("spec.ports[{i}].nodePort");
            if np.value < lo || np.value > hi {
                errs.push(FieldError::new(codes::SERVICE_ALLOCATION.code, np.span, path, ErrorType::Invalid).value(np.value.to_string()).detail(format!(
                    "provided port is not in the valid range. The range of valid ports is {lo}-{hi}"
                )).profile_help("nodePortRange", &format!("the NodePort range is {lo}-{hi}")));
                continue;
            }
            let taken_elsewhere = self
                .node_ports
                .get(&np.value)
                .filter(|(owner, _)| *owner != key(object));
            let taken_here = mine.get(&np.value).is_some_and(|&other| other != port);
            if let Some((owner, _)) = taken_elsewhere {
                errs.push(
                    FieldError::new(
                        codes::SERVICE_ALLOCATION.code,
                        np.span,
                        path,
                        ErrorType::Invalid,
                    )
                    .value(np.value.to_string())
                    .detail(format!(
                        "provided port is already allocated (to Service {owner})"
                    )),
                );
            } else if taken_here {
                errs.push(
                    FieldError::new(
                        codes::SERVICE_ALLOCATION.code,
                        np.span,
                        path,
                        ErrorType::Invalid,
                    )
                    .value(np.value.to_string())
                    .detail("provided port is already allocated"),
                );
            } else {
                mine.insert(np.value, port);
            }
        }
        if d.needs_health_check()
            && let Some(hc) = svc.health_check_node_port.as_ref().filter(|h| h.value != 0)
        {
            let clash = self.node_ports.contains_key(&hc.value) || mine.contains_key(&hc.value);
            if clash || hc.value < lo || hc.value > hi {
                errs.push(
                    FieldError::new(
                        codes::SERVICE_ALLOCATION.code,
                        hc.span,
                        "spec.healthCheckNodePort",
                        ErrorType::InternalError,
                    )
                    .detail(format!(
                        "failed to allocate requested HealthCheck NodePort {}",
                        hc.value
                    )),
                );
            }
        }
    }

    /// Record what a Service that passed validation holds.
    pub fn commit(&mut self, object: &Object, svc: &Service, d: &Defaulted) {
        let owner = key(object);
        if d.type_ != "ExternalName" && !d.headless {
            for ip in d.cluster_ips {
                if let Some(addr) = names::parse_ip(&ip.value) {
                    self.ips.entry(addr).or_insert_with(|| owner.clone());
                }
            }
        }
        if matches!(d.type_, "NodePort" | "LoadBalancer") {
            for p in &svc.ports {
                if let Some(np) = p.node_port.as_ref().filter(|n| n.value != 0) {
                    let port = p.port.as_ref().map_or(0, |x| x.value);
                    self.node_ports
                        .entry(np.value)
                        .or_insert_with(|| (owner.clone(), port));
                }
            }
            if let Some(hc) = svc.health_check_node_port.as_ref().filter(|h| h.value != 0) {
                self.node_ports
                    .entry(hc.value)
                    .or_insert_with(|| (owner.clone(), 0));
            }
        }
    }
}

fn key(object: &Object) -> String {
    format!("{}/{}", object.namespace, object.name())
}
