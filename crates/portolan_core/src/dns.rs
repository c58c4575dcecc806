//! Cluster DNS as the Kubernetes DNS specification defines it (spec D.8):
//! A/AAAA, SRV for named ports, headless per-endpoint records and
//! hostnames, CNAME for ExternalName, PTR, pod records, NXDOMAIN.

use std::net::IpAddr;

use serde::Serialize;

use crate::names::parse_ip;
use crate::snapshot::{Cluster, ClusterService};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QType {
    A,
    Aaaa,
    Srv,
    Cname,
    Ptr,
}

impl QType {
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_uppercase().as_str() {
            "A" => Some(QType::A),
            "AAAA" => Some(QType::Aaaa),
            "SRV" => Some(QType::Srv),
            "CNAME" => Some(QType::Cname),
            "PTR" => Some(QType::Ptr),
            _ => None,
        }
    }

    /// A host's option value; `Err` says which values are allowed.
    pub fn from_option(text: &str) -> Result<Self, String> {
        Self::parse(text)
            .ok_or_else(|| crate::types::not_one_of(&["A", "AAAA", "SRV", "CNAME", "PTR"], text))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(untagged)]
pub enum Answer {
    Text(String),
    Srv { port: i64, target: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DnsAnswer {
    #[cfg_attr(feature = "ts", ts(type = "1"))]
    pub version: u32,
    /// The name that was answered (after the search list, for short names).
    pub name: String,
    #[cfg_attr(feature = "ts", ts(type = "'NOERROR' | 'NXDOMAIN'"))]
    pub rcode: &'static str,
    pub answers: Vec<Answer>,
    /// Why, in a sentence.
    pub explanation: String,
}

fn answer(name: &str, answers: Vec<Answer>, explanation: String) -> DnsAnswer {
    let rcode = if answers.is_empty() && explanation.starts_with("NXDOMAIN") {
        "NXDOMAIN"
    } else {
        "NOERROR"
    };
    DnsAnswer {
        version: 1,
        name: name.to_owned(),
        rcode,
        answers,
        explanation,
    }
}

fn nx(name: &str, why: String) -> DnsAnswer {
    answer(name, Vec::new(), format!("NXDOMAIN: {why}"))
}

/// The names a pod in `namespace` tries for `name` (its resolv.conf search
/// list, ndots:5), most specific first; an FQDN is tried alone.
pub fn search_list(name: &str, namespace: &str, zone: &str) -> Vec<String> {
    let name = name.trim_end_matches('.');
    if name.ends_with(&format!(".{zone}")) || name.rsplit('.').next() == Some("arpa") {
        return vec![name.to_owned()];
    }
    let mut out = vec![
        format!("{name}.{namespace}.svc.{zone}"),
        format!("{name}.svc.{zone}"),
        format!("{name}.{zone}"),
    ];
    if name.matches('.').count() >= 5 {
        out.insert(0, name.to_owned());
    } else {
        out.push(name.to_owned());
    }
    out
}

fn find<'c>(cluster: &'c Cluster, svc: &str, ns: &str) -> Option<&'c ClusterService> {
    cluster
        .services
        .iter()
        .find(|s| s.name == svc && s.namespace == ns)
}

/// Ready endpoint addresses of a headless Service, unique, in order (D.8.2).
fn ready_ips(svc: &ClusterService, v6: Option<bool>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in svc.endpoints.iter().filter(|e| e.ready) {
        let is_v6 = parse_ip(&e.ip).is_some_and(|i| i.is_ipv6());
        if v6.is_none_or(|w| w == is_v6) && !out.contains(&e.ip) {
            out.push(e.ip.clone());
        }
    }
    out
}

/// Answer one query for a fully qualified name.
pub fn query(cluster: &Cluster, zone: &str, fqdn: &str, qtype: QType) -> DnsAnswer {
    let name = fqdn.trim_end_matches('.').to_ascii_lowercase();
    if qtype == QType::Ptr {
        return ptr(cluster, zone, &name);
    }
    let Some(rest) = name.strip_suffix(&format!(".{zone}")) else {
        return nx(
            &name,
            format!(
                "{name} is outside the cluster domain {zone}; cluster DNS forwards it upstream"
            ),
        );
    };
    let labels: Vec<&str> = rest.split('.').collect();
    match labels.as_slice() {
        [ip, ns, "pod"] => {
            let dotted = ip.replace('-', ".");
            match parse_ip(&dotted) {
                Some(IpAddr::V4(_)) if qtype == QType::A => answer(
                    &name,
                    vec![Answer::Text(dotted)],
                    format!("deprecated pod record in namespace {ns} (D.8.4)"),
                ),
                _ => nx(&name, "not a pod A record".into()),
            }
        }
        [port, proto, svc, ns, "svc"] if port.starts_with('_') && proto.starts_with('_') => srv(
            cluster,
            zone,
            &name,
            svc,
            ns,
            &port[1..],
            &proto[1..],
            qtype,
        ),
        [svc, ns, "svc"] => service(cluster, &name, svc, ns, qtype),
        [host, svc, ns, "svc"] => hostname(cluster, &name, host, svc, ns, qtype),
        _ => nx(&name, format!("no Service record has the form of {name}")),
    }
}

fn service(cluster: &Cluster, name: &str, svc: &str, ns: &str, qtype: QType) -> DnsAnswer {
    let Some(s) = find(cluster, svc, ns) else {
        return nx(name, format!("there is no Service {ns}/{svc}"));
    };
    if let Some(target) = &s.external_name {
        // D.8.3: a CNAME whatever the type asked.
        return answer(
            name,
            vec![Answer::Text(target.clone())],
            format!("ExternalName Service {ns}/{svc}: CNAME to {target} (D.8.3)"),
        );
    }
    match qtype {
        QType::A | QType::Aaaa => {
            let v6 = qtype == QType::Aaaa;
            if s.headless {
                let ips = ready_ips(s, Some(v6));
                if ips.is_empty() {
                    return nx(
                        name,
                        format!("headless Service {ns}/{svc} has no ready endpoints (D.8.2)"),
                    );
                }
                let n = ips.len();
                return answer(
                    name,
                    ips.into_iter().map(Answer::Text).collect(),
                    format!(
                        "headless Service {ns}/{svc}: one record per ready endpoint ({n}) (D.8.2)"
                    ),
                );
            }
            let ips: Vec<Answer> = s
                .cluster_ips
                .iter()
                .filter(|ip| parse_ip(ip).is_some_and(|i| i.is_ipv6() == v6))
                .map(|ip| Answer::Text(ip.clone()))
                .collect();
            answer(
                name,
                ips,
                format!("Service {ns}/{svc}: its ClusterIP (D.8.1)"),
            )
        }
        QType::Srv => nx(
            name,
            "SRV records are named _port._protocol.<service>.<namespace>.svc.<zone>".into(),
        ),
        QType::Cname => answer(
            name,
            Vec::new(),
            format!("Service {ns}/{svc} is not an ExternalName Service: no CNAME"),
        ),
        QType::Ptr => nx(name, "PTR queries take a reverse name".into()),
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "an SRV answer needs the question, the Service, its port and the family; a struct would only rename them"
)]
fn srv(
    cluster: &Cluster,
    zone: &str,
    name: &str,
    svc: &str,
    ns: &str,
    port: &str,
    proto: &str,
    qtype: QType,
) -> DnsAnswer {
    if qtype != QType::Srv {
        return nx(
            name,
            "only SRV records live under _port._protocol names".into(),
        );
    }
    let Some(s) = find(cluster, svc, ns) else {
        return nx(name, format!("there is no Service {ns}/{svc}"));
    };
    let Some(p) = s.ports.iter().find(|p| {
        !p.name.is_empty() && p.name == port && p.protocol.as_str().eq_ignore_ascii_case(proto)
    }) else {
        return nx(
            name,
            format!(
                "Service {ns}/{svc} has no port named {port:?} with protocol {} (unnamed ports have no SRV record)",
                proto.to_uppercase()
            ),
        );
    };
    let fqdn = format!("{svc}.{ns}.svc.{zone}");
    if !s.headless {
        return answer(
            name,
            vec![Answer::Srv {
                port: p.port,
                target: fqdn,
            }],
            format!("Service {ns}/{svc} port {port}: SRV to the Service name (D.8.1)"),
        );
    }
    let mut answers = Vec::new();
    for e in s
        .endpoints
        .iter()
        .filter(|e| e.ready && e.port_name.as_deref() == Some(p.name.as_str()))
    {
        let host = e
            .hostname
            .clone()
            .unwrap_or_else(|| e.ip.replace(['.', ':'], "-"));
        let rec = Answer::Srv {
            port: e.port.unwrap_or(p.port),
            target: format!("{host}.{fqdn}"),
        };
        if !answers.contains(&rec) {
            answers.push(rec);
        }
    }
    if answers.is_empty() {
        return nx(
            name,
            format!("headless Service {ns}/{svc} has no ready endpoints for port {port} (D.8.2)"),
        );
    }
    answer(
        name,
        answers,
        format!("headless Service {ns}/{svc}: one SRV record per ready endpoint (D.8.2)"),
    )
}

fn hostname(
    cluster: &Cluster,
    name: &str,
    host: &str,
    svc: &str,
    ns: &str,
    qtype: QType,
) -> DnsAnswer {
    let Some(s) = find(cluster, svc, ns).filter(|s| s.headless) else {
        return nx(name, format!("there is no headless Service {ns}/{svc}"));
    };
    let v6 = qtype == QType::Aaaa;
    let ips: Vec<Answer> = s
        .endpoints
        .iter()
        .filter(|e| {
            e.ready
                && (e.hostname.as_deref() == Some(host) || e.ip.replace(['.', ':'], "-") == host)
        })
        .filter(|e| parse_ip(&e.ip).is_some_and(|i| i.is_ipv6() == v6))
        .map(|e| Answer::Text(e.ip.clone()))
        .fold(Vec::new(), |mut acc, a| {
            if !acc.contains(&a) {
                acc.push(a);
            }
            acc
        });
    if ips.is_empty() {
        return nx(
            name,
            format!(
                "no ready endpoint of {ns}/{svc} has the hostname {host} (hostnames need spec.hostname and spec.subdomain = {svc}, C.2.4)"
            ),
        );
    }
    answer(
        name,
        ips,
        format!("headless Service {ns}/{svc}: the endpoint with hostname {host} (D.8.2)"),
    )
}

fn ptr(cluster: &Cluster, zone: &str, name: &str) -> DnsAnswer {
    let Some(rev) = name.strip_suffix(".in-addr.arpa") else {
        return nx(
            name,
            "only IPv4 reverse names (in-addr.arpa) are answered here".into(),
        );
    };
    let mut octets: Vec<&str> = rev.split('.').collect();
    octets.reverse();
    let ip = octets.join(".");
    for s in &cluster.services {
        if s.cluster_ips.contains(&ip) {
            return answer(
                name,
                vec![Answer::Text(format!(
                    "{}.{}.svc.{zone}",
                    s.name, s.namespace
                ))],
                format!(
                    "the ClusterIP of Service {}/{} (D.8.1)",
                    s.namespace, s.name
                ),
            );
        }
        if s.headless
            && let Some(e) = s
                .endpoints
                .iter()
                .find(|e| e.ready && e.ip == ip && e.hostname.is_some())
        {
            let host = e.hostname.clone().unwrap_or_default();
            return answer(
                name,
                vec![Answer::Text(format!(
                    "{host}.{}.{}.svc.{zone}",
                    s.name, s.namespace
                ))],
                "a headless endpoint with a hostname (D.8.2)".into(),
            );
        }
    }
    nx(name, format!("no Service owns {ip}"))
}

/// Resolve a name as a pod in `namespace` would (search list), returning
/// the first answer that is not NXDOMAIN.
pub fn resolve(
    cluster: &Cluster,
    zone: &str,
    namespace: &str,
    name: &str,
    qtype: QType,
) -> DnsAnswer {
    let mut first = None;
    for candidate in search_list(name, namespace, zone) {
        let a = query(cluster, zone, &candidate, qtype);
        if a.rcode == "NOERROR" {
            return a;
        }
        // The first (most specific) name explains a failure best.
        first.get_or_insert(a);
    }
    first.unwrap_or_else(|| nx(name, "no candidate names".into()))
}
