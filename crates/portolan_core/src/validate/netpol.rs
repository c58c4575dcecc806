//! `ValidateNetworkPolicy` (spec E.1), after defaulting (E.2): metadata,
//! `spec.podSelector`, each `ingress[i]` (all `ports`, then all `from`),
//! each `egress[i]` (`ports`, then `to`), `policyTypes` — in that order.

use super::FieldError;
use super::service::unsupported;
use super::workload::validate_label_selector;
use crate::codes;
use crate::diag::ErrorType;
use crate::model::{IntOrString, IpBlock, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule};
use crate::names;

pub fn validate(np: &NetworkPolicy, errs: &mut Vec<FieldError>) {
    if let Some(sel) = &np.pod_selector {
        validate_label_selector(
            sel,
            "spec.podSelector",
            codes::NETWORK_POLICY_SELECTOR.code,
            errs,
        );
    }
    for (direction, peers, rules) in [
        ("ingress", "from", &np.ingress),
        ("egress", "to", &np.egress),
    ] {
        for (i, rule) in rules.iter().flatten().enumerate() {
            validate_rule(rule, &format!("spec.{direction}[{i}]"), peers, errs);
        }
    }
    validate_policy_types(np, errs);
}

fn validate_rule(rule: &PolicyRule, path: &str, peers: &str, errs: &mut Vec<FieldError>) {
    for (j, p) in rule.ports.iter().enumerate() {
        validate_port(p, &format!("{path}.ports[{j}]"), errs);
    }
    for (j, p) in rule.peers.iter().enumerate() {
        validate_peer(p, &format!("{path}.{peers}[{j}]"), errs);
    }
}

/// `ValidateNetworkPolicyPort` (E.1.3); the protocol was defaulted to TCP.
fn validate_port(p: &PolicyPort, path: &str, errs: &mut Vec<FieldError>) {
    let code = codes::NETWORK_POLICY_PORTS.code;
    if let Some(proto) = &p.protocol
        && !matches!(proto.value.as_str(), "TCP" | "UDP" | "SCTP")
    {
        errs.push(unsupported(
            code,
            proto.span,
            format!("{path}.protocol"),
            &proto.value,
            &["TCP", "UDP", "SCTP"],
        ));
    }
    let end_path = format!("{path}.endPort");
    let invalid_end = |detail: String, errs: &mut Vec<FieldError>| {
        if let Some(end) = &p.end_port {
            errs.push(
                FieldError::new(code, end.span, end_path.clone(), ErrorType::Invalid)
                    .value(end.value.to_string())
                    .detail(detail),
            );
        }
    };
    match &p.port {
        None => invalid_end(
            "may not be specified when `port` is not specified".into(),
            errs,
        ),
        Some(port) => match &port.value {
            IntOrString::Int(n) => {
                for m in names::port_num(*n) {
                    errs.push(
                        FieldError::new(
                            code,
                            port.span,
                            format!("{path}.port"),
                            ErrorType::Invalid,
                        )
                        .value(n.to_string())
                        .detail(m),
                    );
                }
                if let Some(end) = &p.end_port {
                    if end.value < *n {
                        // Upstream quotes `port` here, not `endPort`.
                        errs.push(
                            FieldError::new(code, end.span, end_path.clone(), ErrorType::Invalid)
                                .value(n.to_string())
                                .detail("must be greater than or equal to `port`"),
                        );
                    }
                    for m in names::port_num(end.value) {
                        invalid_end(m, errs);
                    }
                }
            }
            IntOrString::Str(name) => {
                invalid_end(
                    "may not be specified when `port` is non-numeric".into(),
                    errs,
                );
                for m in names::port_name(name) {
                    errs.push(
                        FieldError::new(
                            code,
                            port.span,
                            format!("{path}.port"),
                            ErrorType::Invalid,
                        )
                        .quoted(name)
                        .detail(m),
                    );
                }
            }
        },
    }
}

/// `ValidateNetworkPolicyPeer` (E.1.4) and `ValidateIPBlock` (E.1.5).
fn validate_peer(p: &PolicyPeer, path: &str, errs: &mut Vec<FieldError>) {
    let code = codes::NETWORK_POLICY_PEERS.code;
    let mut count = 0;
    if let Some(sel) = &p.pod_selector {
        count += 1;
        validate_label_selector(
            sel,
            &format!("{path}.podSelector"),
            codes::NETWORK_POLICY_SELECTOR.code,
            errs,
        );
    }
    if let Some(sel) = &p.namespace_selector {
        count += 1;
        validate_label_selector(
            sel,
            &format!("{path}.namespaceSelector"),
            codes::NETWORK_POLICY_SELECTOR.code,
            errs,
        );
    }
    if let Some(block) = &p.ip_block {
        count += 1;
        validate_ip_block(block, &format!("{path}.ipBlock"), errs);
    }
    if count == 0 {
        errs.push(
            FieldError::new(code, p.span, path.to_owned(), ErrorType::Required)
                .detail("must specify a peer"),
        );
    } else if count > 1 && p.ip_block.is_some() {
        errs.push(
            FieldError::new(code, p.span, path.to_owned(), ErrorType::Forbidden)
                .detail("may not specify both ipBlock and another peer"),
        );
    }
}

fn validate_ip_block(b: &IpBlock, path: &str, errs: &mut Vec<FieldError>) {
    let code = codes::NETWORK_POLICY_PEERS.code;
    let cidr_path = format!("{path}.cidr");
    let Some(cidr) = b.cidr.as_ref().filter(|c| !c.value.is_empty()) else {
        errs.push(FieldError::new(
            code,
            b.cidr.as_ref().map_or(b.span, |c| c.span),
            cidr_path,
            ErrorType::Required,
        ));
        return;
    };
    let invalid_cidr = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";
    let Some(net) = names::parse_cidr_legacy(&cidr.value) else {
        errs.push(
            FieldError::new(code, cidr.span, cidr_path, ErrorType::Invalid)
                .quoted(&cidr.value)
                .detail(invalid_cidr),
        );
        return;
    };
    for (k, e) in b.except.iter().enumerate() {
        let epath = format!("{path}.except[{k}]");
        match names::parse_cidr_legacy(&e.value) {
            None => errs.push(
                FieldError::new(code, e.span, epath, ErrorType::Invalid)
                    .quoted(&e.value)
                    .detail(invalid_cidr),
            ),
            Some(ex) if !(ex.prefix > net.prefix && net.contains(ex.addr)) => errs.push(
                FieldError::new(code, e.span, epath, ErrorType::Invalid)
                    .quoted(&e.value)
                    .detail("must be a strict subset of `cidr`"),
            ),
            Some(_) => {}
        }
    }
}

/// `policyTypes` (E.1.6): at most two, each `Ingress` or `Egress`;
/// duplicates are allowed.
fn validate_policy_types(np: &NetworkPolicy, errs: &mut Vec<FieldError>) {
    let Some((types, span)) = &np.policy_types else {
        return;
    };
    let code = codes::NETWORK_POLICY_TYPES.code;
    if types.len() > 2 {
        let listed: Vec<String> = types.iter().map(|t| format!("{:?}", t.value)).collect();
        errs.push(
            FieldError::new(code, *span, "spec.policyTypes", ErrorType::Invalid)
                .value(format!("[]networking.PolicyType{{{}}}", listed.join(", ")))
                .detail("may not specify more than two policyTypes"),
        );
        return;
    }
    for (i, t) in types.iter().enumerate() {
        if !matches!(t.value.as_str(), "Ingress" | "Egress") {
            errs.push(unsupported(
                code,
                t.span,
                format!("spec.policyTypes[{i}]"),
                &t.value,
                &["Ingress", "Egress"],
            ));
        }
    }
}
