//! The cluster profile (interfaces.md §3): the configuration of the cluster
//! the manifests are checked against.

use serde::{Deserialize, Serialize};

use crate::names::{Cidr, parse_cidr};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ProxyMode {
    Iptables,
    Nftables,
}

impl ProxyMode {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "iptables" => Some(ProxyMode::Iptables),
            "nftables" => Some(ProxyMode::Nftables),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ProxyMode::Iptables => "iptables",
            ProxyMode::Nftables => "nftables",
        }
    }

    /// A host's option value; `Err` says which values are allowed.
    pub fn from_option(text: &str) -> Result<Self, String> {
        Self::parse(text).ok_or_else(|| crate::types::not_one_of(&["iptables", "nftables"], text))
    }
}

/// A node declared in the profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ProfileNode {
    pub name: String,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub ip: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub zone: Option<String>,
    /// Allocatable CPU (`4`, `3500m`), used by topology-mode Auto (D.7.3).
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub cpu: Option<String>,
}

/// Every key optional; defaults as interfaces.md §3 fixes them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Profile {
    /// One CIDR, or two comma-separated (dual-stack).
    #[serde(rename = "serviceCIDR")]
    pub service_cidr: String,
    /// One CIDR, or two comma-separated (dual-stack: one IPv4, one IPv6).
    #[serde(rename = "podCIDR")]
    pub pod_cidr: String,
    pub node_port_range: String,
    pub cluster_domain: String,
    pub proxy_mode: ProxyMode,
    pub ip_families: Vec<String>,
    pub namespace: String,
    pub nodes: Vec<ProfileNode>,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            service_cidr: "10.96.0.0/12".to_owned(),
            pod_cidr: "10.244.0.0/16".to_owned(),
            node_port_range: "30000-32767".to_owned(),
            cluster_domain: "cluster.local".to_owned(),
            proxy_mode: ProxyMode::Iptables,
            ip_families: vec!["IPv4".to_owned()],
            namespace: "default".to_owned(),
            nodes: Vec::new(),
        }
    }
}

/// The profile with its ranges parsed.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub profile: Profile,
    pub service_cidrs: Vec<Cidr>,
    /// The pod network's CIDRs, the first family of `ipFamilies` first.
    pub pod_cidrs: Vec<Cidr>,
    pub node_ports: (i64, i64),
}

impl Profile {
    /// Parse the ranges; an error names the key at fault.
    pub fn resolve(&self) -> Result<Resolved, String> {
        let service_cidrs = cidrs("serviceCIDR", &self.service_cidr)?;
        let mut pod_cidrs = cidrs("podCIDR", &self.pod_cidr)?;
        // Pods get their primary family's address first, as the kubelet
        // reports podIPs (the first is podIP).
        let v6_first = self.ip_families.first().is_some_and(|f| f == "IPv6");
        pod_cidrs.sort_by_key(|c| c.addr.is_ipv6() != v6_first);
        let (lo, hi) = self
            .node_port_range
            .split_once('-')
            .and_then(|(a, b)| Some((a.trim().parse::<i64>().ok()?, b.trim().parse::<i64>().ok()?)))
            .filter(|(a, b)| 0 < *a && a <= b && *b <= 65535)
            .ok_or_else(|| {
                format!(
                    "nodePortRange: {:?} is not a range like 30000-32767",
                    self.node_port_range
                )
            })?;
        for f in &self.ip_families {
            if f != "IPv4" && f != "IPv6" {
                return Err(format!("ipFamilies: {f:?} is not IPv4 or IPv6"));
            }
        }
        if self.ip_families.is_empty() {
            return Err("ipFamilies: at least one family is needed".to_owned());
        }
        Ok(Resolved {
            profile: self.clone(),
            service_cidrs,
            pod_cidrs,
            node_ports: (lo, hi),
        })
    }

    /// Parse a profile from JSON text (the CLI converts YAML profiles to JSON first).
    pub fn from_json(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// One CIDR, or two of different families separated by a comma, as
/// kube-apiserver's `--service-cluster-ip-range` and kube-controller-manager's
/// `--cluster-cidr` take them.
fn cidrs(key: &str, text: &str) -> Result<Vec<Cidr>, String> {
    let mut out = Vec::new();
    for part in text.split(',') {
        let c = parse_cidr(part.trim())
            .ok_or_else(|| format!("{key}: {:?} is not a valid CIDR", part.trim()))?;
        out.push(c);
    }
    match out.as_slice() {
        [_] => Ok(out),
        [a, b] if a.addr.is_ipv6() != b.addr.is_ipv6() => Ok(out),
        [_, _] => Err(format!(
            "{key}: {text:?} names two CIDRs of one family; dual-stack takes one IPv4 and one IPv6 CIDR"
        )),
        _ => Err(format!(
            "{key}: {text:?} names more than two CIDRs; dual-stack takes one IPv4 and one IPv6 CIDR"
        )),
    }
}

impl Resolved {
    pub fn dual_stack(&self) -> bool {
        self.profile.ip_families.len() > 1
    }

    pub fn family_configured(&self, family: &str) -> bool {
        self.profile.ip_families.iter().any(|f| f == family)
    }

    pub fn service_cidr_for(&self, v6: bool) -> Option<&Cidr> {
        self.service_cidrs.iter().find(|c| c.addr.is_ipv6() == v6)
    }
}
