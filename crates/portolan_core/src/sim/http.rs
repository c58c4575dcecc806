//! An HTTP request from the edge (spec H.8, interfaces.md §6.3): the entry
//! point (a Gateway listener or an Ingress class), the route rule that
//! matches, its backends and their EndpointSlice endpoints — the proxy
//! sends to endpoints directly, so kube-proxy's DNAT, affinity and traffic
//! policies do not apply (0.3, I.13).

use std::collections::{BTreeSet, HashSet};

use serde::Serialize;

use super::{Destination, Hop, Request, Trace, TraceVerdict, Tracer};
use crate::analysis::Analysis;
use crate::http::matching::{self, HostMatch};
use crate::http::{Backend, RouteAt, Routing};
use crate::model::{BackendRef, Filter, RouteMatch, RouteRule, ServiceBackend};
use crate::names::parse_ip;
use crate::snapshot::Endpoint;

/// The rule that matched (interfaces.md §6.3).
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RouteRef {
    #[cfg_attr(feature = "ts", ts(type = "'Ingress' | 'HTTPRoute' | 'GRPCRoute'"))]
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// Index in `spec.rules` (-1: the Ingress's `defaultBackend`).
    pub rule: i64,
    #[serde(rename = "match")]
    pub match_: String,
}

/// One backend of the matched rule.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BackendShare {
    /// `NS/NAME`.
    pub service: String,
    /// The Service port.
    pub port: i64,
    pub weight: i64,
}

/// A RequestRedirect filter's answer.
#[derive(Clone, Debug, Serialize, serde::Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Redirect {
    pub status: i64,
    pub location: String,
}

/// The request as the controller sees it (0.1).
#[derive(Clone, Debug)]
struct HttpRequest {
    scheme: String,
    /// The URL's host: where the request is sent (an address picks the
    /// entry point, H.8 step 3).
    address: String,
    /// The Host header, lowercased, without a port: what routes match.
    host: String,
    port: i64,
    path: String,
    query: Option<String>,
    method: String,
    headers: Vec<(String, String)>,
    grpc: bool,
}

impl HttpRequest {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Whether `--to` is a URL (`http://`, `https://`, `grpc://`).
pub fn is_url(to: &str) -> bool {
    ["http://", "https://", "grpc://"]
        .iter()
        .any(|s| to.len() > s.len() && to.get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s)))
}

fn parse(req: &Request) -> Result<HttpRequest, String> {
    let (scheme, rest) = req
        .to
        .split_once("://")
        .ok_or_else(|| format!("--to: '{}' is not a URL", req.to))?;
    let scheme = scheme.to_ascii_lowercase();
    let (authority, target) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
            let port = p
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=65535).contains(p))
                .ok_or_else(|| format!("--to: '{p}' is not a port number"))?;
            (h, port)
        }
        _ => (authority, if scheme == "https" { 443 } else { 80 }),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err(format!("--to: '{}' has no host", req.to));
    }
    let (path, query) = matching::split_query(target);
    let grpc = scheme == "grpc";
    let mut headers = req.headers.clone();
    if grpc
        && !headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
    {
        headers.push(("content-type".to_owned(), "application/grpc".to_owned()));
    }
    let host_header = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("host"))
        .map_or(host, |(_, v)| v.as_str());
    // A `:port` in Host is ignored when matching (0.1).
    let host_header = match host_header.rsplit_once(':') {
        Some((h, p))
            if !h.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && !h.ends_with(':') =>
        {
            h
        }
        _ => host_header,
    };
    Ok(HttpRequest {
        scheme,
        address: host.to_ascii_lowercase(),
        host: host_header
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase(),
        port,
        path: path.to_owned(),
        query: query.map(str::to_owned),
        method: if grpc {
            "POST".to_owned()
        } else {
            req.method
                .clone()
                .unwrap_or_else(|| "GET".to_owned())
                .to_ascii_uppercase()
        },
        headers,
        grpc,
    })
}

/// Where a request can enter.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Entry {
    /// Index in `Routing::gateways`.
    Gateway(usize),
    /// An Ingress routing table (class name).
    Ingress(String),
}

impl Entry {
    fn label(&self, r: &Routing<'_>) -> String {
        match self {
            Entry::Gateway(g) => format!("gateway:{}", r.gateways[*g].key()),
            Entry::Ingress(c) => format!("ingressclass:{c}"),
        }
    }
}

/// The protocols a listener must have for the request (H.8 step 2).
fn protocols(req: &HttpRequest) -> &'static [&'static str] {
    match req.scheme.as_str() {
        "https" => &["HTTPS"],
        "grpc" => &["HTTP", "HTTPS"],
        _ => &["HTTP"],
    }
}

/// Simulate one HTTP request from the edge.
pub(super) fn trace(a: &Analysis, req: &Request) -> Result<Trace, String> {
    let http = parse(req)?;
    let rejected = crate::model::rejected(&a.objects, &a.diagnostics);
    let routing = Routing::new(&a.objects, &rejected, &a.cluster);
    let mut t = Tracer {
        a,
        hops: Vec::new(),
        seen: super::policy::Seen::default(),
    };
    // The source must exist (the proxy, not the client, connects to the
    // backends: policy is evaluated from the data plane, step 10).
    super::client(a, &req.from)?;
    let mut line = format!(
        "{} {}://{}:{}{}{} from {}",
        http.method,
        http.scheme,
        http.address,
        http.port,
        http.path,
        http.query
            .as_ref()
            .map_or(String::new(), |q| format!("?{q}")),
        match &req.from {
            super::From::Pod { namespace, name } => format!("pod {namespace}/{name}"),
            super::From::Node(n) => format!("node {n}"),
            super::From::External(ip) => format!("external client {ip}"),
        }
    );
    if http.host != http.address {
        line.push_str(&format!(", Host: {}", http.host));
    }
    for (k, v) in http
        .headers
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("host"))
    {
        line.push_str(&format!(", {k}: {v}"));
    }
    t.hop("request", line);
    let entry = match choose_entry(&mut t, &routing, &http, req.via.as_deref())? {
        Ok(e) => e,
        Err(done) => return Ok(done),
    };
    let mut trace = match &entry {
        Entry::Ingress(table) => ingress(&mut t, &routing, &http, table),
        Entry::Gateway(g) => gateway(&mut t, &routing, &http, *g),
    };
    trace.entry = Some(entry.label(&routing));
    trace.entry_nodes = match &entry {
        Entry::Gateway(g) => vec![format!("gateway:{}", routing.gateways[*g].key())],
        Entry::Ingress(table) => routing
            .ingresses
            .iter()
            .filter(|i| i.class.table(&routing.classes).as_deref() == Some(table.as_str()))
            .map(|i| {
                let o = &routing.objects[i.object];
                format!("ingress:{}/{}", o.namespace, o.name())
            })
            .collect(),
    };
    policy(a, &routing, &entry, &mut trace);
    Ok(trace)
}

/// Steps 2–4: the entry points for the port and host, narrowed by the
/// address and `--via`. `Ok(Err(trace))`: no entry point (`no-route`).
fn choose_entry(
    t: &mut Tracer<'_>,
    r: &Routing<'_>,
    http: &HttpRequest,
    via: Option<&str>,
) -> Result<Result<Entry, Trace>, String> {
    let mut gateways: Vec<usize> = (0..r.gateways.len())
        .filter(|&g| {
            r.gateways[g].served
                && r.gateways[g].listeners().any(|(_, _, port, proto)| {
                    port == http.port && protocols(http).contains(&proto)
                })
        })
        .collect();
    gateways.sort_by_key(|&g| (r.gateways[g].namespace, r.gateways[g].name));
    let tables: BTreeSet<String> = if matches!(http.port, 80 | 443) {
        r.ingresses
            .iter()
            .filter_map(|i| i.class.table(&r.classes))
            .collect()
    } else {
        BTreeSet::new()
    };
    let mut entries: Vec<Entry> = gateways.into_iter().map(Entry::Gateway).collect();
    entries.extend(tables.into_iter().map(Entry::Ingress));
    if let Some(ip) = parse_ip(&http.address) {
        let ip = ip.to_string();
        entries.retain(|e| addresses(r, e).contains(&ip));
        if entries.is_empty() {
            t.hop(
                "entry",
                format!(
                    "no Gateway or Ingress of the input has address {ip} on port {}",
                    http.port
                ),
            );
            return Ok(Err(no_route(t, "no entry point owns the address")));
        }
    }
    if let Some(v) = via {
        let Some(e) = entries.iter().find(|e| e.label(r) == v) else {
            let known: Vec<String> = entries.iter().map(|e| e.label(r)).collect();
            return Err(format!(
                "--via {v}: not an entry point for port {} (entry points: {})",
                http.port,
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ));
        };
        t.hop("entry", format!("{} (chosen with --via)", e.label(r)));
        return Ok(Ok(e.clone()));
    }
    if entries.is_empty() {
        t.hop(
            "entry",
            format!(
                "no accepted Gateway has a {} listener on port {}, and no Ingress controller serves port {}",
                protocols(http).join("/"),
                http.port,
                http.port
            ),
        );
        return Ok(Err(no_route(t, "nothing listens for this request")));
    }
    // One pass over the listeners, routes and Ingresses, not one per entry.
    let (gateways, tables) = claiming(r, &http.host);
    let specific = entries
        .iter()
        .position(|e| match e {
            Entry::Gateway(g) => gateways.contains(g),
            Entry::Ingress(table) => tables.contains(table),
        })
        .unwrap_or(0);
    let chosen = entries.remove(specific);
    let mut detail = chosen.label(r);
    if !entries.is_empty() {
        let rest: Vec<String> = entries.iter().map(|e| e.label(r)).collect();
        detail.push_str(&format!(
            "; the request could also enter through {} (pick one with --via; H.8 step 4)",
            rest.join(", ")
        ));
    }
    t.hop("entry", detail);
    Ok(Ok(chosen))
}

/// The addresses an entry point owns (H.8 step 3).
fn addresses(r: &Routing<'_>, e: &Entry) -> HashSet<String> {
    let mut out = HashSet::new();
    match e {
        Entry::Gateway(g) => {
            let g = &r.gateways[*g];
            for (ty, v) in &g.gateway.addresses {
                if ty.as_ref().is_none_or(|t| t.value == "IPAddress")
                    && let Some(v) = v
                {
                    out.insert(v.value.clone());
                }
            }
            out.extend(g.gateway.status_addresses.iter().cloned());
            for s in &r.cluster.services {
                let o = &r.objects[s.object];
                if s.namespace == g.namespace
                    && o.meta.labels.get(crate::http::GATEWAY_NAME_LABEL) == Some(g.name)
                {
                    out.extend(s.load_balancer_ips.iter().map(|l| l.ip.clone()));
                    out.extend(s.external_ips.iter().cloned());
                }
            }
        }
        Entry::Ingress(table) => {
            for i in &r.ingresses {
                if i.class.table(&r.classes).as_deref() == Some(table.as_str()) {
                    out.extend(i.ingress.addresses.iter().cloned());
                }
            }
        }
    }
    out.into_iter()
        .map(|a| parse_ip(&a).map_or(a, |ip| ip.to_string()))
        .collect()
}

/// The entry points that name the host (not by a catch-all): Gateways by
/// a listener or an attached route hostname, Ingress tables by a rule host.
fn claiming(r: &Routing<'_>, host: &str) -> (HashSet<usize>, HashSet<String>) {
    let mut gateways: HashSet<usize> = HashSet::new();
    for (g, gw) in r.gateways.iter().enumerate() {
        if gw.gateway.listeners.iter().any(|l| {
            l.hostname
                .as_ref()
                .is_some_and(|h| matching::gateway_host(&h.value, host))
        }) {
            gateways.insert(g);
        }
    }
    for a in r.routes.iter().flat_map(crate::http::RouteAt::attachments) {
        if a.hostnames
            .as_ref()
            .is_some_and(|hs| hs.iter().any(|h| matching::gateway_host(h, host)))
        {
            gateways.insert(a.gateway);
        }
    }
    let tables = r
        .ingresses
        .iter()
        .filter(|i| {
            i.ingress.rules.iter().any(|rule| {
                rule.host.as_ref().is_some_and(|h| {
                    matching::ingress_host(&h.value, host).is_some_and(|m| m != HostMatch::Any)
                })
            })
        })
        .filter_map(|i| i.class.table(&r.classes))
        .collect();
    (gateways, tables)
}

fn no_route(t: &mut Tracer<'_>, why: &str) -> Trace {
    t.hop(
        "verdict",
        format!("NO ROUTE: {why}; the client gets 404 (gRPC: UNIMPLEMENTED)"),
    );
    let mut trace = t.done(TraceVerdict::NoRoute, Vec::new(), false, false, None);
    trace.delivered_probability = None;
    trace
}

// ---------------------------------------------------------------- Ingress

/// One candidate path of an Ingress routing table.
struct IngressPathAt<'a> {
    ingress: usize,
    /// The Ingress's place in age order (G.3.5).
    order: usize,
    rule: usize,
    path: usize,
    text: &'a str,
    kind: &'a str,
    backend: Option<&'a crate::model::IngressBackend>,
}

/// G.3: the host group, the path, else the default backend.
fn ingress(t: &mut Tracer<'_>, r: &Routing<'_>, http: &HttpRequest, table: &str) -> Trace {
    let mut members: Vec<usize> = (0..r.ingresses.len())
        .filter(|&i| r.ingresses[i].class.table(&r.classes).as_deref() == Some(table))
        .collect();
    members.sort_by_cached_key(|&i| ingress_order(r, i));
    let controller = r.controller_of(table);
    t.hop(
        "ingress-class",
        format!(
            "{}: {} Ingress(es) merged into one routing table (G.2.4)",
            if table == crate::http::ASSUMED_DEFAULT {
                "the cluster's default class (the input holds no IngressClass)".to_owned()
            } else if controller.is_empty() {
                format!("class {table}")
            } else {
                format!("class {table} (controller {controller})")
            },
            members.len()
        ),
    );
    let candidates = host_group(t, r, http, &members);
    let mode = path_mode(t, r, table, &members, candidates.as_deref());
    if let Some(c) = nginx_auto_redirect(http, candidates.as_deref(), mode) {
        return auto_redirect(t, r, http, c);
    }
    let Some((ingress_index, rule, backend, matched)) =
        choose_path(t, r, http, &members, candidates.as_deref(), mode)
    else {
        return no_route(
            t,
            "no rule matches and no Ingress of the class has a defaultBackend",
        );
    };
    let at = &r.ingresses[ingress_index];
    let o = &r.objects[at.object];
    let route = RouteRef {
        kind: "Ingress".to_owned(),
        namespace: o.namespace.clone(),
        name: o.name().to_owned(),
        rule,
        match_: matched,
    };
    t.hop(
        "route",
        format!(
            "Ingress {}/{} {}",
            route.namespace,
            route.name,
            if rule < 0 {
                "defaultBackend".to_owned()
            } else {
                format!("rule {rule}")
            }
        ),
    );
    if http.grpc {
        grpc_through_ingress(t, r, table, o);
    }
    let Some(svc) = backend.and_then(|b| b.service.as_ref()) else {
        t.hop("backend", "a resource backend: not modelled (G.4.4)");
        return unresolved(t, route, Vec::new(), "the backend is not a Service", 503);
    };
    ingress_backend(t, r, &o.namespace, svc, route)
}

/// H.5.4: through an Ingress a gRPC call is `POST /Service/Method`, routed
/// by its path like any request; whether the controller speaks HTTP/2 to the
/// backend is up to its annotations. ingress-nginx proxies HTTP/1.1 unless
/// the Ingress sets `backend-protocol: GRPC` (or `GRPCS`), and a gRPC server
/// refuses that.
fn grpc_through_ingress(
    t: &mut Tracer<'_>,
    r: &Routing<'_>,
    table: &str,
    o: &crate::model::Object,
) {
    let detail = if r.is_ingress_nginx(table) {
        let protocol = o.meta.annotations.get(crate::http::BACKEND_PROTOCOL);
        if protocol
            .is_some_and(|p| p.eq_ignore_ascii_case("GRPC") || p.eq_ignore_ascii_case("GRPCS"))
        {
            format!(
                "gRPC routed by its path; ingress-nginx speaks gRPC to the backend ({}: {}) (H.5.4)",
                crate::http::BACKEND_PROTOCOL,
                protocol.unwrap_or_default()
            )
        } else {
            format!(
                "gRPC routed by its path, but ingress-nginx proxies HTTP/1.1 to the backend: without `{}: GRPC` on the Ingress a gRPC server refuses the call (H.5.4, implementation-specific)",
                crate::http::BACKEND_PROTOCOL
            )
        }
    } else {
        "gRPC routed by its path (POST /Service/Method); whether the controller proxies HTTP/2 to the backend depends on its own annotations (H.5.4, implementation-specific)".to_owned()
    };
    t.hop("grpc", detail);
}

/// G.5.1: nginx's `301` to the path with its slash.
fn auto_redirect(
    t: &mut Tracer<'_>,
    r: &Routing<'_>,
    http: &HttpRequest,
    c: &IngressPathAt<'_>,
) -> Trace {
    let o = &r.objects[r.ingresses[c.ingress].object];
    let host = r.ingresses[c.ingress].ingress.rules[c.rule]
        .host
        .as_ref()
        .map_or("*", |h| h.value.as_str());
    let scheme = if http.scheme == "https" {
        "https"
    } else {
        "http"
    };
    let default_port =
        (scheme == "http" && http.port == 80) || (scheme == "https" && http.port == 443);
    let location = format!(
        "{scheme}://{}{}{}{}",
        http.host,
        if default_port {
            String::new()
        } else {
            format!(":{}", http.port)
        },
        c.text,
        http.query
            .as_ref()
            .map_or(String::new(), |q| format!("?{q}"))
    );
    t.hop(
        "path",
        format!(
            "ingress-nginx writes {} {} as the location `{}`, and nginx answers a request for {} there with 301 to the path with its slash (G.5.1, implementation-specific; the API's element-wise prefix would route it)",
            c.kind, c.text, c.text, http.path
        ),
    );
    t.hop(
        "verdict",
        format!("REDIRECT: 301 Location {location}; no backend is contacted"),
    );
    let mut trace = t.done(TraceVerdict::Redirect, Vec::new(), false, false, None);
    trace.route = Some(RouteRef {
        kind: "Ingress".to_owned(),
        namespace: o.namespace.clone(),
        name: o.name().to_owned(),
        rule: c.rule as i64,
        match_: format!("host={host} path={}:{}", c.kind, c.text),
    });
    trace.redirect = Some(Redirect {
        status: 301,
        location,
    });
    trace
}

/// G.3.1–G.3.2: the paths of the most specific host group that matches
/// (`None`: no rule's host matches).
fn host_group<'r>(
    t: &mut Tracer<'_>,
    r: &Routing<'r>,
    http: &HttpRequest,
    members: &[usize],
) -> Option<Vec<IngressPathAt<'r>>> {
    let host_of = |rule: &crate::model::IngressRule| {
        matching::ingress_host(
            rule.host.as_ref().map_or("", |h| h.value.as_str()),
            &http.host,
        )
    };
    let best = members
        .iter()
        .flat_map(|&i| r.ingresses[i].ingress.rules.iter())
        .filter_map(host_of)
        .max();
    let Some(level) = best else {
        t.hop(
            "host",
            format!("no rule's host matches {} (G.3.1)", http.host),
        );
        return None;
    };
    let mut candidates = Vec::new();
    for (order, &i) in members.iter().enumerate() {
        for (ri, rule) in r.ingresses[i].ingress.rules.iter().enumerate() {
            if host_of(rule) != Some(level) {
                continue;
            }
            for (pi, p) in rule.http.iter().flat_map(|(_, ps)| ps.iter().enumerate()) {
                candidates.push(IngressPathAt {
                    ingress: i,
                    order,
                    rule: ri,
                    path: pi,
                    text: p.path.as_ref().map_or("", |p| p.value.as_str()),
                    kind: p.path_type.as_ref().map_or("", |p| p.value.as_str()),
                    backend: p.backend.as_ref(),
                });
            }
        }
    }
    t.hop(
        "host",
        format!(
            "Host {} matches the {} rules ({} path(s)) (G.3.1–G.3.2)",
            http.host,
            match level {
                HostMatch::Precise => "exact-host",
                HostMatch::Wildcard => "wildcard-host",
                HostMatch::Any => "host-less",
            },
            candidates.len()
        ),
    );
    Some(candidates)
}

/// What an Ingress request matched: the Ingress, the rule (-1: the default
/// backend), the backend and the match text.
type IngressChoice<'r> = (usize, i64, Option<&'r crate::model::IngressBackend>, String);

/// G.3.3–G.3.8: the path that wins in the host group, else the default
/// backend of the oldest Ingress that has one.
fn choose_path<'r>(
    t: &mut Tracer<'_>,
    r: &Routing<'r>,
    http: &HttpRequest,
    members: &[usize],
    candidates: Option<&[IngressPathAt<'r>]>,
    mode: PathMode,
) -> Option<IngressChoice<'r>> {
    let chosen = candidates
        .unwrap_or(&[])
        .iter()
        .filter(|c| ingress_path_matches(c, &http.path, mode))
        .min_by(|x, y| {
            // G.3.5: longest path, then Exact > Prefix > ImplementationSpecific,
            // then the older Ingress, then the first path.
            y.text
                .len()
                .cmp(&x.text.len())
                .then_with(|| type_rank(x.kind).cmp(&type_rank(y.kind)))
                .then_with(|| (x.order, x.rule, x.path).cmp(&(y.order, y.rule, y.path)))
        });
    if let Some(c) = chosen {
        let host = r.ingresses[c.ingress].ingress.rules[c.rule]
            .host
            .as_ref()
            .map_or("*", |h| h.value.as_str());
        let kind = if c.kind.is_empty() { "?" } else { c.kind };
        let how = match (c.kind, mode) {
            (_, PathMode::NginxRegex) => "; as a case-insensitive regex, G.5.2",
            ("ImplementationSpecific", PathMode::Nginx) => {
                "; ingress-nginx: a string prefix, G.3.7"
            }
            ("ImplementationSpecific", PathMode::Plain) => "; read as Prefix, G.3.7",
            _ => "",
        };
        t.hop(
            "path",
            format!(
                "path {} matches {kind} {} (G.3.3–G.3.5{how})",
                http.path, c.text
            ),
        );
        return Some((
            c.ingress,
            c.rule as i64,
            c.backend,
            format!("host={host} path={kind}:{}", c.text),
        ));
    }
    if candidates.is_some() {
        t.hop(
            "path",
            format!("no path of that host matches {} (G.3.3–G.3.5)", http.path),
        );
    }
    let &i = members
        .iter()
        .find(|&&i| r.ingresses[i].ingress.default_backend.is_some())?;
    t.hop("path", "falling back to the defaultBackend (G.3.8)");
    Some((
        i,
        -1,
        r.ingresses[i].ingress.default_backend.as_ref(),
        "defaultBackend".to_owned(),
    ))
}

/// G.5.1: ingress-nginx writes a non-root `Prefix p/` as the prefix
/// location `p/` (and `= p/`), and nginx answers a request for exactly `p`
/// at such a proxied location with `301` to `p/` (its `auto_redirect`,
/// kubernetes/ingress-nginx#646), unless an exact location `= p` exists (an
/// `Exact p`, or the one a `Prefix p` adds). The API's element-wise prefix
/// would route `p` to `p/`'s backend.
fn nginx_auto_redirect<'c, 'r>(
    http: &HttpRequest,
    candidates: Option<&'c [IngressPathAt<'r>]>,
    mode: PathMode,
) -> Option<&'c IngressPathAt<'r>> {
    if mode != PathMode::Nginx || http.path.ends_with('/') {
        return None;
    }
    let list = candidates.unwrap_or(&[]);
    let exact = list
        .iter()
        .any(|c| c.text == http.path && matches!(c.kind, "Exact" | "Prefix"));
    if exact {
        return None;
    }
    list.iter().find(|c| {
        matches!(c.kind, "Prefix" | "ImplementationSpecific")
            && c.text.len() > 1
            && c.text.strip_suffix('/') == Some(http.path.as_str())
    })
}

fn ingress_order(r: &Routing<'_>, i: usize) -> ((bool, String), String, String) {
    let o = &r.objects[r.ingresses[i].object];
    let (absent, ts) = crate::http::age_key(o);
    (
        (absent, ts.to_owned()),
        o.namespace.clone(),
        o.name().to_owned(),
    )
}

fn type_rank(kind: &str) -> u8 {
    match kind {
        "Exact" => 0,
        "Prefix" => 1,
        _ => 2,
    }
}

/// How a routing table reads its paths (G.3.7, G.5.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PathMode {
    /// As the API defines them (`ImplementationSpecific` read as Prefix).
    Plain,
    /// ingress-nginx: `ImplementationSpecific` is a string prefix.
    Nginx,
    /// ingress-nginx with `use-regex` or `rewrite-target` on an Ingress of
    /// the host: every path a case-insensitive regex anchored at the start.
    NginxRegex,
}

/// The path mode of the host group, with a hop for regex mode.
fn path_mode(
    t: &mut Tracer<'_>,
    r: &Routing<'_>,
    table: &str,
    members: &[usize],
    candidates: Option<&[IngressPathAt<'_>]>,
) -> PathMode {
    if !r.is_ingress_nginx(table) {
        return PathMode::Plain;
    }
    let Some(first) = candidates.and_then(|c| c.first()) else {
        return PathMode::Nginx;
    };
    let host_of = |rule: &crate::model::IngressRule| rule.host.as_ref().map(|h| h.value.clone());
    let host = host_of(&r.ingresses[first.ingress].ingress.rules[first.rule]);
    let by = members.iter().find_map(|&i| {
        let at = &r.ingresses[i];
        let o = &r.objects[at.object];
        let annotation = Routing::regex_annotation(o)?;
        at.ingress
            .rules
            .iter()
            .any(|rule| host_of(rule) == host)
            .then(|| format!("{annotation} on Ingress {}/{}", o.namespace, o.name()))
    });
    match by {
        Some(by) => {
            t.hop(
                "path",
                format!("ingress-nginx regex mode ({by}): every path of the host is a case-insensitive regex anchored at the start, longest first (G.5.2)"),
            );
            PathMode::NginxRegex
        }
        None => PathMode::Nginx,
    }
}

fn ingress_path_matches(c: &IngressPathAt<'_>, path: &str, mode: PathMode) -> bool {
    let text = if c.text.is_empty() { "/" } else { c.text };
    match (c.kind, mode) {
        (_, PathMode::NginxRegex) => {
            regex_lite::Regex::new(&format!("(?i)^(?:{text})")).is_ok_and(|re| re.is_match(path))
        }
        ("Exact", _) => c.text == path,
        // G.5.1: ingress-nginx writes a non-root Prefix path as the prefix
        // location `p/` plus the exact location `= p`, so `Prefix /foo/`
        // does not match `/foo`, which the API's element-wise prefix does.
        ("Prefix", PathMode::Nginx) if text != "/" => {
            path == text
                || path
                    .strip_prefix(text.trim_end_matches('/'))
                    .is_some_and(|rest| rest.starts_with('/'))
        }
        ("Prefix", _) => matching::prefix(c.text, path),
        (_, PathMode::Nginx) => path.starts_with(text),
        _ => matching::prefix(text, path),
    }
}

/// G.4: the Service port and its endpoints.
fn ingress_backend(
    t: &mut Tracer<'_>,
    r: &Routing<'_>,
    ns: &str,
    svc: &ServiceBackend,
    route: RouteRef,
) -> Trace {
    match r.ingress_backend(ns, svc) {
        Backend::Service { service, port } => {
            let s = &r.cluster.services[service];
            let p = &s.ports[port];
            let share = BackendShare {
                service: s.key(),
                port: p.port,
                weight: 1,
            };
            t.hop(
                "backend",
                format!(
                    "Service {} port {}{} (G.4.2)",
                    s.key(),
                    p.port,
                    if p.name.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", p.name)
                    }
                ),
            );
            let mut dests = Vec::new();
            let ok = endpoints(t, r, service, port, 1.0, &mut dests);
            if !ok {
                return unresolved(
                    t,
                    route,
                    vec![share],
                    "the Service port has no usable endpoint",
                    503,
                );
            }
            finish(t, route, vec![share], dests, 0.0)
        }
        Backend::ExternalName { service, name } => {
            let s = &r.cluster.services[service];
            t.hop("backend", format!("Service {} is ExternalName {name}: the controller proxies to that name (G.4.4)", s.key()));
            let mut trace = t.done(TraceVerdict::Cname, Vec::new(), false, false, Some(s.key()));
            trace.cname = Some(name);
            trace.route = Some(route);
            trace
        }
        other => {
            let why = backend_why(&other);
            t.hop("backend", format!("{why} (G.4.4)"));
            unresolved(t, route, Vec::new(), &why, 503)
        }
    }
}

fn backend_why(b: &Backend) -> String {
    match b {
        Backend::InvalidKind(w) | Backend::RefNotPermitted(w) | Backend::NotFound(w) => {
            format!("{}: {w}", b.reason())
        }
        Backend::ExternalName { name, .. } => {
            format!(
                "UnsupportedProtocol: an ExternalName Service ({name}) is not a Gateway API backend (H.4.3)"
            )
        }
        Backend::Service { .. } => "resolved".to_owned(),
    }
}

/// 0.3: the usable endpoints of a Service port (ready, else serving and
/// terminating), each an equal part of `share`. False when none is usable.
fn endpoints(
    t: &mut Tracer<'_>,
    r: &Routing<'_>,
    service: usize,
    port: usize,
    share: f64,
    out: &mut Vec<Destination>,
) -> bool {
    let s = &r.cluster.services[service];
    let p = &s.ports[port];
    let eps: Vec<&Endpoint> = s
        .endpoints
        .iter()
        .filter(|e| {
            e.port.is_some()
                && e.port_name.as_deref().unwrap_or("") == p.name
                && e.protocol.is_none_or(|x| x == p.protocol)
        })
        .collect();
    let ready: Vec<&&Endpoint> = eps.iter().filter(|e| e.ready).collect();
    let chosen: Vec<&&Endpoint> = if ready.is_empty() {
        eps.iter().filter(|e| e.serving && e.terminating).collect()
    } else {
        ready
    };
    if chosen.is_empty() {
        t.hop(
            "endpoints",
            format!(
                "Service {} port {}: {}",
                s.key(),
                p.port,
                if eps.is_empty() {
                    "no endpoints".to_owned()
                } else {
                    format!("none of its {} endpoints is ready or serving", eps.len())
                }
            ),
        );
        return false;
    }
    let each = share / chosen.len() as f64;
    t.hop(
        "endpoints",
        format!(
            "Service {} port {}: {} usable endpoint(s), the proxy sends to them directly (no kube-proxy DNAT, 0.3)",
            s.key(),
            p.port,
            chosen.len()
        ),
    );
    for e in chosen {
        out.push(Destination::new(
            e.pod.as_deref().map(str::to_owned),
            e.ip.clone(),
            e.port.unwrap_or(0),
            each,
        ));
    }
    true
}

fn unresolved(
    t: &mut Tracer<'_>,
    route: RouteRef,
    backends: Vec<BackendShare>,
    why: &str,
    status: i64,
) -> Trace {
    t.hop(
        "verdict",
        format!("BACKEND UNRESOLVED: {why}; the client gets {status} (gRPC: UNAVAILABLE, H.5.3)"),
    );
    let mut trace = t.done(
        TraceVerdict::BackendUnresolved,
        Vec::new(),
        false,
        false,
        None,
    );
    trace.route = Some(route);
    trace.backends = Some(backends);
    trace.unresolved_probability = Some(1.0);
    trace
}

fn finish(
    t: &mut Tracer<'_>,
    route: RouteRef,
    backends: Vec<BackendShare>,
    dests: Vec<Destination>,
    unresolved_share: f64,
) -> Trace {
    let delivered: f64 = dests.iter().map(|d| d.probability).sum();
    if unresolved_share > 0.0 {
        t.hop(
            "verdict",
            format!(
                "DELIVERED to {} endpoint(s); {:.0}% of requests hit an unresolved backend and get an error",
                dests.len(),
                unresolved_share * 100.0
            ),
        );
    } else {
        t.hop(
            "verdict",
            format!(
                "DELIVERED to one of {} endpoint(s) ({:.0}% of requests)",
                dests.len(),
                delivered * 100.0
            ),
        );
    }
    let service = (backends.len() == 1).then(|| backends[0].service.clone());
    let mut trace = t.done(TraceVerdict::Delivered, dests, false, false, service);
    trace.route = Some(route);
    trace.backends = Some(backends);
    if unresolved_share > 0.0 {
        trace.unresolved_probability = Some(unresolved_share);
    }
    trace
}

// ---------------------------------------------------------- Gateway API

/// How a route's hostname matched the Host (H.3.6 (1)–(2)).
fn route_host(hostnames: Option<&Vec<String>>, host: &str) -> Option<(i64, i64)> {
    let Some(hs) = hostnames else {
        return Some((0, 0));
    };
    let matching = hs.iter().filter(|h| matching::gateway_host(h, host));
    matching
        .map(|h| {
            let len = h.len() as i64;
            if h.starts_with('*') {
                (0, len)
            } else {
                (len, len)
            }
        })
        .max()
}

/// One rule match that matched, with its precedence.
struct Candidate {
    route: usize,
    rule: usize,
    /// Compared descending (H.3.6 (1)–(7), H.5.2).
    key: [i64; 7],
    text: String,
    path_prefix: Option<String>,
}

/// H.3.1: the listener for port, protocol and Host: precise, then the
/// wildcard with more labels, then one without hostname.
fn listener(r: &Routing<'_>, g: usize, http: &HttpRequest) -> Option<usize> {
    r.gateways[g]
        .listeners()
        .filter(|(_, l, port, proto)| {
            *port == http.port
                && protocols(http).contains(proto)
                && l.hostname
                    .as_ref()
                    .is_none_or(|h| matching::gateway_host(&h.value, &http.host))
        })
        .max_by_key(|(i, l, _, _)| {
            let rank = l.hostname.as_ref().map_or((0, 0), |h| {
                let labels = h.value.split('.').count() as i64;
                if h.value.starts_with('*') {
                    (1, labels)
                } else {
                    (2, labels)
                }
            });
            (rank, -(*i as i64))
        })
        .map(|(i, _, _, _)| i)
}

fn gateway(t: &mut Tracer<'_>, r: &Routing<'_>, http: &HttpRequest, g: usize) -> Trace {
    let gw = &r.gateways[g];
    let Some(li) = listener(r, g, http) else {
        t.hop(
            "listener",
            format!(
                "no listener of Gateway {} on port {} accepts Host {} (H.3.1)",
                gw.key(),
                http.port,
                http.host
            ),
        );
        return no_route(t, "no listener matches");
    };
    let l = &gw.gateway.listeners[li];
    t.hop(
        "listener",
        format!(
            "Gateway {} listener {} ({} port {}, hostname {}) (H.3.1)",
            gw.key(),
            l.name.as_ref().map_or("?", |n| n.value.as_str()),
            l.protocol.as_ref().map_or("?", |p| p.value.as_str()),
            http.port,
            l.hostname.as_ref().map_or("any", |h| h.value.as_str())
        ),
    );
    let best = best_rule(t, r, http, (g, li));
    let Some(best) = best else {
        return no_route(t, "no rule of the listener's routes matches");
    };
    let at = &r.routes[best.route];
    let route = RouteRef {
        kind: at.route.kind().to_owned(),
        namespace: at.namespace.to_owned(),
        name: at.name.to_owned(),
        rule: best.rule as i64,
        match_: best.text.clone(),
    };
    t.hop(
        "route",
        format!(
            "{} {}/{} rule {} matches: {} (precedence H.3.6{})",
            route.kind,
            route.namespace,
            route.name,
            route.rule,
            route.match_,
            if at.route.grpc { ", H.5.2" } else { "" }
        ),
    );
    let default_rule = RouteRule::default();
    let rule = at
        .route
        .rules
        .as_ref()
        .and_then(|(rules, _)| rules.get(best.rule))
        .unwrap_or(&default_rule);
    for f in &rule.filters {
        if let Some(redirect) = &f.redirect {
            return redirected(t, route, redirect, http, best.path_prefix.as_deref());
        }
        filter_hop(t, f, "rule");
    }
    rule_backends(t, r, best.route, rule, route)
}

/// H.3.3–H.3.6 (H.5.2 for gRPC): the best matching rule among the routes
/// attached to listener `li` of Gateway `g`.
fn best_rule(
    t: &mut Tracer<'_>,
    r: &Routing<'_>,
    http: &HttpRequest,
    (g, li): (usize, usize),
) -> Option<Candidate> {
    let attached: Vec<(usize, &crate::http::Attachment)> = r
        .routes
        .iter()
        .enumerate()
        .flat_map(|(ri, route)| {
            route
                .attachments()
                .filter(move |a| a.gateway == g && a.listener == li)
                .map(move |a| (ri, a))
        })
        .collect();
    let grpc_routes = attached.iter().any(|(ri, _)| r.routes[*ri].route.grpc);
    let want_grpc = http.grpc && grpc_routes;
    if http.grpc && !grpc_routes {
        t.hop("routes", "no GRPCRoute is attached to the listener: matching its HTTPRoutes, gRPC being POST /SERVICE/METHOD (H.8 step 6)");
    }
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut seen = 0;
    for (ri, a) in attached {
        let route = &r.routes[ri];
        if route.route.grpc != want_grpc {
            continue;
        }
        let Some(host) = route_host(a.hostnames.as_ref(), &http.host) else {
            continue;
        };
        seen += 1;
        candidates.extend(rule_candidates(ri, route.route, host, http));
    }
    t.hop(
        "routes",
        format!(
            "{seen} {} attached to the listener serve Host {} (H.2.4, H.3.3)",
            if want_grpc {
                "GRPCRoute(s)"
            } else {
                "HTTPRoute(s)"
            },
            http.host
        ),
    );
    candidates.into_iter().min_by(|x, y| {
        y.key
            .cmp(&x.key)
            .then_with(|| r.precedence(x.route).cmp(&r.precedence(y.route)))
            .then_with(|| x.rule.cmp(&y.rule))
    })
}

fn rule_candidates(
    ri: usize,
    route: &crate::model::Route,
    (precise, host_len): (i64, i64),
    http: &HttpRequest,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    let default_rules;
    let rules: &[RouteRule] = match &route.rules {
        Some((rules, _)) => rules,
        None if route.grpc => &[],
        None => {
            default_rules = [RouteRule::default()];
            &default_rules
        }
    };
    for (ui, rule) in rules.iter().enumerate() {
        let default_match = [RouteMatch::default()];
        let matches: &[RouteMatch] = match &rule.matches {
            Some(m) if !m.is_empty() => m,
            _ => &default_match,
        };
        let mut best: Option<Candidate> = None;
        for m in matches {
            let found = if route.grpc {
                grpc_match(m, http)
            } else {
                http_match(m, http)
            };
            let Some((mut key, text, prefix)) = found else {
                continue;
            };
            key[0] = precise;
            key[1] = host_len;
            if best.as_ref().is_none_or(|b| key > b.key) {
                best = Some(Candidate {
                    route: ri,
                    rule: ui,
                    key,
                    text,
                    path_prefix: prefix,
                });
            }
        }
        out.extend(best);
    }
    out
}

fn regex_whole(pattern: &str, text: &str) -> bool {
    regex_lite::Regex::new(&format!("^(?:{pattern})$")).is_ok_and(|re| re.is_match(text))
}

fn value_matches(m: &crate::model::ValueMatch, value: Option<&str>) -> bool {
    let want = m.value.as_ref().map_or("", |v| v.value.as_str());
    match (
        m.type_.as_ref().map_or("Exact", |t| t.value.as_str()),
        value,
    ) {
        (_, None) => false,
        ("RegularExpression", Some(v)) => regex_whole(want, v),
        (_, Some(v)) => v == want,
    }
}

/// H.3.4: every header match of `m` holds (names case-insensitive).
/// H.3.4: each header entry must match, names compared without case; of
/// entries with equivalent names only the first counts.
fn headers_match(m: &RouteMatch, http: &HttpRequest) -> bool {
    fn name(h: &crate::model::ValueMatch) -> &str {
        h.name.as_ref().map_or("", |n| n.value.as_str())
    }
    m.headers.iter().enumerate().all(|(i, h)| {
        let repeated = m.headers[..i]
            .iter()
            .any(|e| name(e).eq_ignore_ascii_case(name(h)));
        repeated || value_matches(h, http.header(name(h)))
    })
}

fn pairs_text(list: &[crate::model::ValueMatch]) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|h| {
            format!(
                "{}{}{}",
                h.name.as_ref().map_or("", |n| n.value.as_str()),
                if h.type_
                    .as_ref()
                    .is_some_and(|t| t.value == "RegularExpression")
                {
                    "~"
                } else {
                    "="
                },
                h.value.as_ref().map_or("", |v| v.value.as_str())
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

/// H.3.4–H.3.5: an HTTPRoute match against the request, with its
/// precedence (H.3.6 (3)–(7)) and text.
fn http_match(m: &RouteMatch, http: &HttpRequest) -> Option<([i64; 7], String, Option<String>)> {
    let ty = m
        .path
        .as_ref()
        .and_then(|p| p.type_.as_ref())
        .map_or("PathPrefix", |t| t.value.as_str());
    let value = m
        .path
        .as_ref()
        .and_then(|p| p.value.as_ref())
        .map_or("/", |v| v.value.as_str());
    let (ok, rank) = match ty {
        "Exact" => (value == http.path, 3),
        "RegularExpression" => (regex_whole(value, &http.path), 2),
        _ => (matching::prefix(value, &http.path), 1),
    };
    if !ok || !headers_match(m, http) {
        return None;
    }
    for q in &m.query_params {
        let name = q.name.as_ref().map_or("", |n| n.value.as_str());
        if !value_matches(q, matching::query_value(http.query.as_deref(), name)) {
            return None;
        }
    }
    if let Some(method) = &m.method
        && method.value != http.method
    {
        return None;
    }
    let mut text = format!("path={ty}:{value}");
    if let Some(method) = &m.method {
        text.push_str(&format!(" method={}", method.value));
    }
    if !m.headers.is_empty() {
        text.push_str(&format!(" headers={}", pairs_text(&m.headers)));
    }
    if !m.query_params.is_empty() {
        text.push_str(&format!(" query={}", pairs_text(&m.query_params)));
    }
    let key = [
        0,
        0,
        rank,
        value.len() as i64,
        i64::from(m.method.is_some()),
        m.headers.len() as i64,
        m.query_params.len() as i64,
    ];
    Some((key, text, (ty == "PathPrefix").then(|| value.to_owned())))
}

/// H.5.1–H.5.2: a GRPCRoute match (`path` holds its `method`).
fn grpc_match(m: &RouteMatch, http: &HttpRequest) -> Option<([i64; 7], String, Option<String>)> {
    let service = m
        .path
        .as_ref()
        .and_then(|p| p.service.as_ref())
        .map(|s| s.value.as_str());
    let method = m
        .path
        .as_ref()
        .and_then(|p| p.method.as_ref())
        .map(|s| s.value.as_str());
    let ty = m
        .path
        .as_ref()
        .and_then(|p| p.type_.as_ref())
        .map_or("Exact", |t| t.value.as_str());
    let path = http.path.as_str();
    let ok = match (ty, service, method) {
        (_, None, None) => true,
        ("RegularExpression", s, m) => regex_whole(
            &format!(
                "/{}/{}",
                s.map_or(".+".to_owned(), |s| format!("(?:{s})")),
                m.map_or(".+".to_owned(), |m| format!("(?:{m})"))
            ),
            path,
        ),
        (_, Some(s), Some(me)) => path == format!("/{s}/{me}"),
        (_, Some(s), None) => path.starts_with(&format!("/{s}/")),
        (_, None, Some(me)) => path.ends_with(&format!("/{me}")) && path.matches('/').count() == 2,
    };
    if !ok || !headers_match(m, http) {
        return None;
    }
    let mut text = format!(
        "method={ty}:{}/{}",
        service.unwrap_or("*"),
        method.unwrap_or("*")
    );
    if !m.headers.is_empty() {
        text.push_str(&format!(" headers={}", pairs_text(&m.headers)));
    }
    let key = [
        0,
        0,
        service.map_or(0, str::len) as i64,
        method.map_or(0, str::len) as i64,
        m.headers.len() as i64,
        0,
        0,
    ];
    Some((key, text, None))
}

fn filter_hop(t: &mut Tracer<'_>, f: &Filter, at: &str) {
    let ty = f.type_.as_ref().map_or("?", |t| t.value.as_str());
    let detail = if let Some(rw) = &f.rewrite {
        let mut parts = Vec::new();
        if let Some(h) = &rw.hostname {
            parts.push(format!("Host {}", h.value));
        }
        if let Some(p) = &rw.path {
            if let Some(full) = &p.replace_full_path {
                parts.push(format!("path {}", full.value));
            }
            if let Some(pre) = &p.replace_prefix_match {
                parts.push(format!("the matched prefix replaced by {}", pre.value));
            }
        }
        format!(
            "URLRewrite: the upstream request gets {}",
            parts.join(" and ")
        )
    } else if let Some(h) = f.request_headers.as_ref().or(f.response_headers.as_ref()) {
        let mut parts: Vec<String> = Vec::new();
        parts.extend(h.set.iter().map(|(k, v)| format!("set {k}: {v}")));
        parts.extend(h.add.iter().map(|(k, v)| format!("add {k}: {v}")));
        parts.extend(h.remove.iter().map(|k| format!("remove {k}")));
        format!("{ty}: {}", parts.join(", "))
    } else if let Some(m) = &f.mirror {
        format!(
            "RequestMirror: a copy{} goes to Service {}; its responses are ignored",
            f.mirror_share
                .as_ref()
                .map_or(String::new(), |s| format!(" of {s}")),
            m.name.as_ref().map_or("?", |n| n.value.as_str())
        )
    } else if let Some(e) = &f.extension {
        format!("ExtensionRef {e}: not simulated")
    } else {
        format!("{ty}: listed, not simulated")
    };
    t.hop("filter", format!("{at} filter {detail} (H.4.4)"));
}

/// H.4.4: a RequestRedirect answers; no backend is contacted.
fn redirected(
    t: &mut Tracer<'_>,
    route: RouteRef,
    f: &crate::model::UrlFilter,
    http: &HttpRequest,
    prefix: Option<&str>,
) -> Trace {
    let status = f.status_code.as_ref().map_or(302, |s| s.value);
    let scheme = f
        .scheme
        .as_ref()
        .map_or(http.scheme.as_str(), |s| s.value.as_str());
    let scheme = if scheme == "grpc" { "http" } else { scheme };
    let host = f
        .hostname
        .as_ref()
        .map_or(http.host.as_str(), |h| h.value.as_str());
    let port = match (&f.port, &f.scheme) {
        (Some(p), _) => p.value,
        (None, Some(s)) => {
            if s.value == "https" {
                443
            } else {
                80
            }
        }
        (None, None) => http.port,
    };
    let mut path = http.path.clone();
    if let Some(m) = &f.path {
        if let Some(full) = &m.replace_full_path {
            path.clone_from(&full.value);
        } else if let (Some(repl), Some(pre)) = (&m.replace_prefix_match, prefix) {
            let p = pre.strip_suffix('/').unwrap_or(pre);
            let rest = path.get(p.len()..).unwrap_or("");
            let mut new = format!("{}{rest}", repl.value.trim_end_matches('/'));
            if !new.starts_with('/') {
                new.insert(0, '/');
            }
            path = new;
        }
    }
    let default_port = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
    let location = format!(
        "{scheme}://{host}{}{path}{}",
        if default_port {
            String::new()
        } else {
            format!(":{port}")
        },
        http.query
            .as_ref()
            .map_or(String::new(), |q| format!("?{q}"))
    );
    t.hop(
        "filter",
        format!("RequestRedirect: {status} Location {location} (H.4.4)"),
    );
    t.hop(
        "verdict",
        format!("REDIRECT: the gateway answers {status} itself; no backend is contacted"),
    );
    let mut trace = t.done(TraceVerdict::Redirect, Vec::new(), false, false, None);
    trace.route = Some(route);
    trace.redirect = Some(Redirect { status, location });
    trace
}

/// H.4.1–H.4.3: each backendRef's share, resolved to endpoints.
fn rule_backends(
    t: &mut Tracer<'_>,
    r: &Routing<'_>,
    ri: usize,
    rule: &RouteRule,
    route: RouteRef,
) -> Trace {
    let at = &r.routes[ri];
    let refs: &[BackendRef] = rule.backend_refs.as_deref().unwrap_or(&[]);
    if refs.is_empty() {
        t.hop(
            "backend",
            "the rule has no backendRefs (HTTPRouteNoBackendRefs, H.4.2)",
        );
        return unresolved(t, route, Vec::new(), "no backend", 500);
    }
    let total: i64 = refs.iter().map(|b| b.weight().max(0)).sum();
    let shares = backend_shares(at.namespace, refs);
    if total == 0 {
        t.hop(
            "backend",
            "every backendRef has weight 0 (H.4.2; gateway-api#4769)",
        );
        return unresolved(t, route, shares, "no backend takes traffic", 500);
    }
    let (dests, lost, invalid) = resolve_shares(t, r, at, refs, &shares, total);
    if dests.is_empty() {
        let status = if invalid { 500 } else { 503 };
        let mut trace = unresolved(
            t,
            route,
            shares,
            "no share of the rule reaches an endpoint",
            status,
        );
        trace.unresolved_probability = Some(round(lost));
        return trace;
    }
    finish(t, route, shares, dests, round(lost))
}

/// Each backendRef as a share of the rule: its Service (in the route's
/// namespace unless it names one), port and weight.
fn backend_shares(namespace: &str, refs: &[BackendRef]) -> Vec<BackendShare> {
    refs.iter()
        .map(|b| BackendShare {
            service: format!(
                "{}/{}",
                b.namespace.as_ref().map_or(namespace, |n| n.value.as_str()),
                b.name.as_ref().map_or("", |n| n.value.as_str())
            ),
            port: b.port.as_ref().map_or(0, |p| p.value),
            weight: b.weight(),
        })
        .collect()
}

/// Each backendRef's share of `total` weight resolved to endpoints: the
/// destinations, the share lost, and whether a backendRef is invalid.
fn resolve_shares(
    t: &mut Tracer<'_>,
    r: &Routing<'_>,
    at: &RouteAt<'_>,
    refs: &[BackendRef],
    shares: &[BackendShare],
    total: i64,
) -> (Vec<Destination>, f64, bool) {
    let mut dests = Vec::new();
    let mut lost = 0.0;
    let mut invalid = false;
    for (i, b) in refs.iter().enumerate() {
        let share = b.weight().max(0) as f64 / total as f64;
        let label = format!(
            "backendRefs[{i}] {} port {} weight {} ({:.0}%)",
            shares[i].service,
            shares[i].port,
            b.weight(),
            share * 100.0
        );
        if share == 0.0 {
            t.hop("backend", format!("{label}: weight 0, no traffic (H.4.1)"));
            continue;
        }
        match r.route_backend(at.namespace, at.route.kind(), b) {
            Backend::Service { service, port } => {
                t.hop("backend", format!("{label}: resolved (H.2.7)"));
                for f in &b.filters {
                    filter_hop(t, f, "backend");
                }
                if !endpoints(t, r, service, port, share, &mut dests) {
                    lost += share;
                }
            }
            other => {
                invalid = true;
                t.hop(
                    "backend",
                    format!(
                        "{label}: {} (H.2.7); its share gets 500 (gRPC: UNAVAILABLE)",
                        backend_why(&other)
                    ),
                );
                lost += share;
            }
        }
    }
    (dests, lost, invalid)
}

fn round(x: f64) -> f64 {
    (x * 1e12).round() / 1e12
}

// ------------------------------------------------------------- policy

/// H.8 step 10: NetworkPolicy from a data-plane pod of the entry point,
/// pod to pod without SNAT, when the input has policies.
fn policy(a: &Analysis, r: &Routing<'_>, entry: &Entry, trace: &mut Trace) {
    if trace.destinations.is_empty() {
        return;
    }
    let Some(policies) = crate::netpol::Policies::of(&a.objects, &a.diagnostics, &a.cluster.pods)
    else {
        return;
    };
    let wanted: Vec<(&str, &str)> = match entry {
        Entry::Gateway(g) => vec![(crate::http::GATEWAY_NAME_LABEL, r.gateways[*g].name)],
        Entry::Ingress(table) if r.is_ingress_nginx(table) => {
            vec![
                ("app.kubernetes.io/name", "ingress-nginx"),
                ("app.kubernetes.io/component", "controller"),
            ]
        }
        Entry::Ingress(_) => Vec::new(),
    };
    let pod = (!wanted.is_empty())
        .then(|| {
            a.cluster.pods.iter().find(|p| {
                wanted
                    .iter()
                    .all(|(k, v)| p.labels.get(*k).map(String::as_str) == Some(*v))
            })
        })
        .flatten();
    let Some(pod) = pod else {
        trace.hops.push(Hop {
            step: "policy-egress".to_owned(),
            detail: format!(
                "not evaluated: the data-plane pods of {} are not in the input, so NetworkPolicy on the proxy's connections is unknown (H.8 step 10)",
                entry.label(r)
            ),
        });
        return;
    };
    let from = super::From::Pod {
        namespace: pod.namespace.to_string(),
        name: pod.name.clone(),
    };
    let Ok(c) = super::client(a, &from) else {
        return;
    };
    trace.hops.push(Hop {
        step: "policy-egress".to_owned(),
        detail: format!(
            "the proxy connects from its pod {} (pod to pod, no SNAT; H.8 step 10)",
            pod.key()
        ),
    });
    super::policy::apply(
        a,
        &policies,
        &c,
        &super::policy::Seen::default(),
        (false, crate::types::Protocol::Tcp),
        trace,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(to: &str) -> Request {
        Request {
            from: super::super::From::External("203.0.113.9".into()),
            to: to.into(),
            protocol: crate::types::Protocol::Tcp,
            at_node: None,
            proxy_mode: crate::profile::ProxyMode::Iptables,
            method: None,
            headers: vec![("Version".into(), "two".into())],
            via: None,
        }
    }

    #[test]
    fn a_destination_with_multibyte_characters_is_not_cut_inside_one() {
        // Found by the `trace` fuzz target: byte 4 falls inside 'é'.
        assert!(!is_url("7bu\u{e9}oPo"));
        assert!(!is_url("http\u{e9}//x"));
        assert!(is_url("HTTP://x"));
    }

    #[test]
    fn urls_parse_as_the_controller_sees_them_0_1() {
        let h = parse(&req("http://Example.COM:8080/a/b?x=1#frag")).unwrap();
        assert_eq!(
            (h.host.as_str(), h.port, h.path.as_str()),
            ("example.com", 8080, "/a/b")
        );
        assert_eq!(h.query.as_deref(), Some("x=1"));
        assert_eq!(h.header("version"), Some("two"));
        let h = parse(&req("https://example.com")).unwrap();
        assert_eq!(
            (h.port, h.path.as_str(), h.method.as_str()),
            (443, "/", "GET")
        );
        let g = parse(&req("grpc://svc.example.com/pkg.Svc/Do")).unwrap();
        assert_eq!(
            (g.port, g.method.as_str(), g.header("content-type")),
            (80, "POST", Some("application/grpc"))
        );
        assert!(parse(&req("http://:80/")).is_err());
        assert!(parse(&req("http://a:0/")).is_err());
    }
}
