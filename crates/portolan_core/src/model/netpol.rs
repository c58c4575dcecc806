//! `networking.k8s.io/v1` NetworkPolicy, decoded strictly with spans
//! (spec E). Defaulting (E.2) and validation (E.1) happen in `validate`
//! and `netpol`; this is what the manifest says.

use super::IntOrString;
use super::decode::{Cx, Index, Key, Spanned};
use super::kinds::{LabelSelector, decode_label_selector};
use crate::source::Span;
use crate::yaml::Node;

/// One `ports[j]` entry of a rule.
#[derive(Clone, Debug, Default)]
pub struct PolicyPort {
    pub span: Span,
    pub protocol: Option<Spanned<String>>,
    pub port: Option<Spanned<IntOrString>>,
    pub end_port: Option<Spanned<i64>>,
}

/// `ipBlock`.
#[derive(Clone, Debug, Default)]
pub struct IpBlock {
    pub span: Span,
    pub cidr: Option<Spanned<String>>,
    pub except: Vec<Spanned<String>>,
}

/// One `from[j]` / `to[j]` entry. A selector written as `null` is absent
/// (E.1.2.3), not empty.
#[derive(Clone, Debug, Default)]
pub struct PolicyPeer {
    pub span: Span,
    pub pod_selector: Option<LabelSelector>,
    pub namespace_selector: Option<LabelSelector>,
    pub ip_block: Option<IpBlock>,
}

/// One `ingress[i]` / `egress[i]` rule: `peers` are its `from` (ingress)
/// or `to` (egress).
#[derive(Clone, Debug, Default)]
pub struct PolicyRule {
    pub span: Span,
    pub ports: Vec<PolicyPort>,
    pub peers: Vec<PolicyPeer>,
}

#[derive(Clone, Debug, Default)]
pub struct NetworkPolicy {
    pub spec_span: Span,
    /// `None` when absent or null: every pod of the namespace (E.2.3).
    pub pod_selector: Option<LabelSelector>,
    /// `None` when absent or null.
    pub ingress: Option<Vec<PolicyRule>>,
    pub egress: Option<Vec<PolicyRule>>,
    /// The entries as written, and the list's span; `None` when absent.
    pub policy_types: Option<(Vec<Spanned<String>>, Span)>,
}

pub(super) fn decode(cx: &mut Cx<'_>, node: &Node<'_>) -> NetworkPolicy {
    cx.map(node, "", &["apiVersion", "kind", "metadata", "spec"]);
    let mut np = NetworkPolicy::default();
    let Some(spec) = node.get("spec") else {
        return np;
    };
    np.spec_span = node.key_span("spec").unwrap_or(spec.span);
    let Some(entries) = cx.map(
        spec,
        "spec",
        &["egress", "ingress", "podSelector", "policyTypes"],
    ) else {
        return np;
    };
    for (k, v) in entries {
        let name = k.key_text().unwrap_or("");
        if v.is_null() {
            continue;
        }
        let path = Key(&"spec", name);
        match name {
            "podSelector" => np.pod_selector = Some(decode_label_selector(cx, v, &path)),
            "ingress" => np.ingress = Some(rules(cx, v, "ingress", "from")),
            "egress" => np.egress = Some(rules(cx, v, "egress", "to")),
            "policyTypes" => np.policy_types = Some((cx.strings(v, path), v.span)),
            _ => {}
        }
    }
    np
}

fn rules(cx: &mut Cx<'_>, node: &Node<'_>, direction: &str, peers: &str) -> Vec<PolicyRule> {
    let base = Key(&"spec", direction);
    let mut out = Vec::new();
    for (i, r) in cx.seq(node, base).iter().enumerate() {
        let rpath = Index(&base, i);
        let mut rule = PolicyRule {
            span: r.span,
            ..PolicyRule::default()
        };
        if let Some(fields) = cx.map(r, rpath, &[peers, "ports"]) {
            for (fk, fv) in fields {
                let name = fk.key_text().unwrap_or("");
                let fpath = Key(&rpath, name);
                if name == "ports" {
                    for (j, p) in cx.seq(fv, fpath).iter().enumerate() {
                        rule.ports.push(port(cx, p, &Index(&fpath, j)));
                    }
                } else if name == peers {
                    for (j, p) in cx.seq(fv, fpath).iter().enumerate() {
                        rule.peers.push(peer(cx, p, &Index(&fpath, j)));
                    }
                }
            }
        }
        out.push(rule);
    }
    out
}

fn port(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn std::fmt::Display) -> PolicyPort {
    let mut p = PolicyPort {
        span: node.span,
        ..PolicyPort::default()
    };
    for (k, v) in cx
        .map(node, path, &["endPort", "port", "protocol"])
        .unwrap_or(&[])
    {
        let name = k.key_text().unwrap_or("");
        if v.is_null() {
            continue;
        }
        let fpath = Key(path, name);
        match name {
            "protocol" => p.protocol = cx.string(v, fpath),
            "port" => p.port = cx.int_or_string(v, fpath),
            "endPort" => p.end_port = cx.int(v, fpath),
            _ => {}
        }
    }
    p
}

fn peer(cx: &mut Cx<'_>, node: &Node<'_>, path: &dyn std::fmt::Display) -> PolicyPeer {
    let mut p = PolicyPeer {
        span: node.span,
        ..PolicyPeer::default()
    };
    for (k, v) in cx
        .map(node, path, &["ipBlock", "namespaceSelector", "podSelector"])
        .unwrap_or(&[])
    {
        let name = k.key_text().unwrap_or("");
        if v.is_null() {
            continue;
        }
        let fpath = Key(path, name);
        match name {
            "podSelector" => p.pod_selector = Some(decode_label_selector(cx, v, &fpath)),
            "namespaceSelector" => {
                p.namespace_selector = Some(decode_label_selector(cx, v, &fpath));
            }
            "ipBlock" => {
                let mut b = IpBlock {
                    span: v.span,
                    ..IpBlock::default()
                };
                for (bk, bv) in cx.map(v, fpath, &["cidr", "except"]).unwrap_or(&[]) {
                    let bname = bk.key_text().unwrap_or("");
                    let bpath = Key(&fpath, bname);
                    match bname {
                        "cidr" => b.cidr = cx.string(bv, bpath),
                        "except" => b.except = cx.strings(bv, bpath),
                        _ => {}
                    }
                }
                p.ip_block = Some(b);
            }
            _ => {}
        }
    }
    p
}
