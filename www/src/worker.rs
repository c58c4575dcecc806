//! The analysis runs off the main thread, in a Web Worker, so typing and
//! panning never wait for it: the page sends a [`Request`], the worker
//! answers with everything the page draws (a [`View`]) or a trace. The
//! worker keeps the last analysis for traces and exports.
//!
//! [`Engine`] is the same work without a worker: the worker wraps it, and
//! tests drive it directly.

use std::collections::BTreeSet;

use gloo::worker::{Codec, HandlerId, Worker, WorkerScope};
use portolan_core::analysis::Analysis;
use portolan_core::sim::{self, Destination, Hop, Trace};
use portolan_core::snapshot::WhatIf;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::view::{View, compute_full};

/// What the trace panel asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceRequest {
    /// `pod:ns/name`, `node:name` or `external:IP`.
    pub from: String,
    /// `HOST:PORT`, or a URL (`http://HOST/PATH`).
    pub to: String,
    pub protocol: String,
    pub proxy_mode: portolan_core::profile::ProxyMode,
    /// The HTTP method of a URL (empty: GET).
    #[serde(default)]
    pub method: String,
    /// Request headers of a URL, `NAME: VALUE` separated by commas.
    #[serde(default)]
    pub headers: String,
}

impl TraceRequest {
    /// The headers as `(name, value)` pairs; `Err` names the bad entry.
    pub fn header_pairs(&self) -> Result<Vec<(String, String)>, String> {
        self.headers
            .split([',', '\n'])
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(|h| {
                h.split_once(':')
                    .filter(|(k, _)| !k.trim().is_empty())
                    .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                    .ok_or_else(|| format!("headers: NAME: VALUE, not '{h}'"))
            })
            .collect()
    }
}

/// A trace as the page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TraceView {
    pub verdict: portolan_core::sim::TraceVerdict,
    pub cname: Option<String>,
    pub destinations: Vec<Destination>,
    pub masquerade: bool,
    pub sticky: bool,
    pub hops: Vec<Hop>,
    pub service: Option<String>,
    /// The share NetworkPolicy lets through (when the input has policies).
    pub delivered_probability: Option<f64>,
    /// The cluster DNS lookup, when policy applies to it: the Service and
    /// its endpoints with their verdicts.
    pub dns: Option<(String, Vec<Destination>)>,
    /// An HTTP request's matched rule, its graph node (`route:NS/KIND/NAME`
    /// or `ingress:NS/NAME`), backends, redirect and unresolved share.
    pub route: Option<portolan_core::sim::RouteRef>,
    pub route_node: Option<String>,
    pub backends: Vec<portolan_core::sim::BackendShare>,
    pub redirect: Option<portolan_core::sim::Redirect>,
    pub unresolved: Option<f64>,
    /// The port the packet was sent to (`HOST:PORT`), for drawing a trace
    /// that reached no destination.
    #[serde(default)]
    pub port: Option<i64>,
    /// The graph nodes where an HTTP request entered (a Gateway, or the
    /// Ingresses of a class), drawn when no route took it further.
    #[serde(default)]
    pub entry_nodes: Vec<String>,
}

impl From<Trace> for TraceView {
    fn from(t: Trace) -> Self {
        TraceView {
            verdict: t.verdict,
            cname: t.cname,
            destinations: t.destinations,
            masquerade: t.masquerade,
            sticky: t.sticky,
            hops: t.hops,
            service: t.service,
            delivered_probability: t.delivered_probability,
            dns: t.dns.map(|d| (d.service, d.destinations)),
            route_node: t.route.as_ref().map(|r| {
                if r.kind == "Ingress" {
                    format!("ingress:{}/{}", r.namespace, r.name)
                } else {
                    format!("route:{}/{}/{}", r.namespace, r.kind, r.name)
                }
            }),
            route: t.route,
            backends: t.backends.unwrap_or_default(),
            redirect: t.redirect,
            unresolved: t.unresolved_probability,
            port: None,
            entry_nodes: t.entry_nodes,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TraceOutcome {
    Done(Box<TraceView>),
    Invalid(String),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    not(target_arch = "wasm32"),
    expect(
        clippy::large_enum_variant,
        reason = "a request lives only until it is serialised into a worker message"
    )
)]
pub enum Request {
    /// Answered with [`Response::Ready`] once the worker runs.
    Ping,
    Analyse {
        id: u64,
        text: String,
        /// Where the bytes of opened files were not UTF-8 (`invalid-utf8`).
        #[serde(default)]
        invalid_utf8: Vec<(portolan_core::source::Span, u8)>,
        what_if: WhatIf,
        expanded: BTreeSet<String>,
        /// Traced again on the new analysis.
        trace: Option<TraceRequest>,
        /// Compare mode: the base text the changes are measured from.
        #[serde(default)]
        base: Option<String>,
        /// The selected node, whose details come with the answer.
        #[serde(default)]
        selected: Option<String>,
    },
    Trace {
        id: u64,
        request: TraceRequest,
    },
    /// The routing graph of the last analysis as `graph --format json`.
    ExportJson,
    /// The text (and the compare base) with Secret values redacted, for a
    /// share link.
    Redact(String, Option<String>),
    /// Which pods can reach which under NetworkPolicy (`portolan reach`,
    /// §6.2), on the last analysis.
    Reach {
        id: u64,
        query: ReachQuery,
    },
    /// The details of one graph node of the last analysis: they stay in
    /// the worker until a node is selected (10,000 pods: 4.6 MB of the
    /// view's 6.3 MB were details).
    Details {
        id: u64,
        node: String,
        /// The analysis (its request id) the page asks about.
        shown: u64,
    },
}

/// The page's reachability question: every pod to every pod, the rows
/// narrowed by a text and to the denied ones.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReachQuery {
    pub filter: String,
    pub denied_only: bool,
}

/// At most this many rows go to the page (the rest are counted).
pub const REACH_ROWS: usize = 200;

/// One aggregated row of `reach` (a workload's pods, or one pod, on each
/// side), as the human format prints it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReachRow {
    pub from: String,
    pub to: String,
    /// `8080/TCP`.
    pub port: String,
    /// The Service the packet was sent to (`service:NS/NAME:PORT`), if any.
    pub via: Option<String>,
    pub verdict: String,
    pub allowed: bool,
    /// The policies that decided, `NS/NAME (direction effect)`.
    pub policies: Vec<String>,
    /// "4 pod pairs", or "380 of 400 pod pairs" when the pods disagree.
    pub pairs: String,
    /// The graph nodes each side may be drawn as, best first (a workload's
    /// folded group, else its first pod): the page links the first drawn.
    pub from_nodes: Vec<String>,
    pub to_nodes: Vec<String>,
}

/// Every row of `reach` on an analysis, with each row's lower-case text
/// (its sides, Service and policies) for the filter.
fn reach_all(a: &Analysis) -> (ReachView, Vec<String>) {
    let answer = portolan_core::reach::answer(a, None, None, None);
    let (allowed, connections) = answer.totals();
    let mut view = ReachView {
        policies: a
            .objects
            .iter()
            .filter(|o| matches!(o.body, portolan_core::model::Body::NetworkPolicy(_)))
            .count(),
        allowed,
        connections,
        ..ReachView::default()
    };
    // A workload side is drawn as its folded group, or pod by pod.
    let mut first_pod: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for p in &a.cluster.pods {
        if let Some(owner) = &p.owner {
            first_pod
                .entry(format!("{}/{owner}", p.namespace))
                .or_insert_with(|| format!("pod:{}", p.key()));
        }
    }
    let nodes = |side: &str| -> Vec<String> {
        match side.strip_prefix("workload:") {
            Some(w) => std::iter::once(format!("group:{w}"))
                .chain(first_pod.get(w).cloned())
                .collect(),
            None => vec![side.to_owned()],
        }
    };
    let mut texts = Vec::new();
    for row in answer.rows() {
        let policies: Vec<String> = row.policies.iter().map(ToString::to_string).collect();
        texts.push(
            format!(
                "{} {} {} {}",
                row.from,
                row.to,
                row.via.as_deref().unwrap_or(""),
                policies.join(" ")
            )
            .to_ascii_lowercase(),
        );
        view.rows.push(ReachRow {
            from_nodes: nodes(&row.from),
            to_nodes: nodes(&row.to),
            from: row.from,
            to: row.to,
            port: format!("{}/{}", row.port, row.protocol),
            via: row.via,
            verdict: row.verdict.to_string(),
            allowed: row.verdict == portolan_core::netpol::Verdict::Allowed,
            policies,
            pairs: if row.of > row.pairs {
                format!("{} of {} pod pairs", row.pairs, row.of)
            } else if row.pairs == 1 {
                "1 pod pair".to_owned()
            } else {
                format!("{} pod pairs", row.pairs)
            },
        });
    }
    view.matching = view.rows.len();
    (view, texts)
}

/// The answer to a [`ReachQuery`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReachView {
    /// The NetworkPolicies of the input (0: every connection is allowed).
    pub policies: usize,
    /// Connections (pod pairs, ports and paths) allowed, of all.
    pub allowed: usize,
    pub connections: usize,
    /// Rows that match the query; the first [`REACH_ROWS`] are `rows`.
    pub matching: usize,
    pub rows: Vec<ReachRow>,
}

impl ReachView {
    /// The counts, without the rows.
    fn clone_counts(&self) -> ReachView {
        ReachView {
            policies: self.policies,
            allowed: self.allowed,
            connections: self.connections,
            matching: 0,
            rows: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    Ready,
    Analysed {
        id: u64,
        view: Box<View>,
        trace: Option<TraceOutcome>,
        /// The selected node's details on this analysis.
        details: Option<(String, Box<crate::view::Details>)>,
    },
    Traced {
        id: u64,
        trace: TraceOutcome,
    },
    Exported(String),
    Redacted(String, Option<String>),
    Reached {
        id: u64,
        reach: ReachView,
    },
    Detailed {
        id: u64,
        node: String,
        shown: u64,
        details: Option<Box<crate::view::Details>>,
    },
}

/// The analysis without the worker around it.
#[derive(Default)]
pub struct Engine {
    analysis: Option<Analysis>,
    /// Compare mode's base: its text, the what-ifs it was analysed under,
    /// and its analysis (kept while they stay the same).
    base: Option<(String, WhatIf, Option<Analysis>)>,
    /// Every reach row of the analysis with its lower-case search text,
    /// computed when first asked (filters are then a scan of it).
    reach: Option<(ReachView, Vec<String>)>,
    /// The details of every node of the last analysis, sent one by one.
    details: std::collections::BTreeMap<String, crate::view::Details>,
}

impl Engine {
    pub fn handle(&mut self, request: Request) -> Option<Response> {
        Some(match request {
            Request::Ping => Response::Ready,
            Request::Analyse {
                id,
                text,
                invalid_utf8,
                what_if,
                expanded,
                trace,
                base,
                selected,
            } => {
                let (mut view, analysis) = compute_full(&text, &invalid_utf8, &what_if, &expanded);
                self.analysis = analysis;
                self.reach = None;
                self.compare(&mut view, base, &what_if);
                self.details = std::mem::take(&mut view.details);
                let trace = trace.map(|t| self.trace(&t));
                let details =
                    selected.and_then(|s| self.details.get(&s).cloned().map(|d| (s, Box::new(d))));
                Response::Analysed {
                    id,
                    view: Box::new(view),
                    trace,
                    details,
                }
            }
            Request::Trace { id, request } => Response::Traced {
                id,
                trace: self.trace(&request),
            },
            Request::Redact(text, base) => Response::Redacted(
                portolan_core::redact::redact_secrets(&text),
                base.map(|b| portolan_core::redact::redact_secrets(&b)),
            ),
            Request::Reach { id, query } => Response::Reached {
                id,
                reach: self.reach(&query),
            },
            Request::Details { id, node, shown } => Response::Detailed {
                id,
                details: self.details.get(&node).cloned().map(Box::new),
                node,
                shown,
            },
            Request::ExportJson => {
                let a = self.analysis.as_ref()?;
                let g = portolan_core::graph::build(a);
                Response::Exported(portolan_core::output::graph_json::render(a, &g))
            }
        })
    }

    /// Compare mode: the changes from the base (analysed once per base
    /// text and what-ifs) to the current analysis, marked on the view.
    fn compare(&mut self, view: &mut View, base: Option<String>, what_if: &WhatIf) {
        let Some(text) = base else {
            self.base = None;
            return;
        };
        if !self
            .base
            .as_ref()
            .is_some_and(|(t, w, _)| *t == text && w == what_if)
        {
            let analysis = crate::view::analyse(&text, what_if);
            self.base = Some((text, what_if.clone(), analysis));
        }
        if let (Some((_, _, Some(base))), Some(head)) = (&self.base, &self.analysis) {
            crate::view::mark_changes(view, base, head);
        }
    }

    /// `portolan reach` over every pod, aggregated per workload as its
    /// human format is (once per analysis), narrowed to the query's rows.
    fn reach(&mut self, query: &ReachQuery) -> ReachView {
        if self.reach.is_none() {
            self.reach = self.analysis.as_ref().map(reach_all);
        }
        let Some((all, texts)) = &self.reach else {
            return ReachView::default();
        };
        let needle = query.filter.trim().to_ascii_lowercase();
        let mut view = ReachView {
            rows: Vec::new(),
            ..all.clone_counts()
        };
        for (row, text) in all.rows.iter().zip(texts) {
            if (query.denied_only && row.allowed) || !text.contains(&needle) {
                continue;
            }
            view.matching += 1;
            if view.rows.len() < REACH_ROWS {
                view.rows.push(row.clone());
            }
        }
        view
    }

    fn trace(&self, req: &TraceRequest) -> TraceOutcome {
        let Some(a) = &self.analysis else {
            return TraceOutcome::Invalid("the manifests could not be analysed".to_owned());
        };
        let headers = match req.header_pairs() {
            Ok(h) => h,
            Err(e) => return TraceOutcome::Invalid(e),
        };
        let to = match with_port(a, &req.from, req.to.trim()) {
            Ok(to) => to,
            Err(e) => return TraceOutcome::Invalid(e),
        };
        let port = to
            .rsplit_once(':')
            .and_then(|(_, p)| p.parse().ok())
            .filter(|_| !sim::is_url(&to));
        let outcome = sim::From::parse(&req.from).and_then(|from| {
            sim::trace(
                a,
                &sim::Request {
                    from,
                    to,
                    protocol: portolan_core::types::Protocol::parse(&req.protocol)
                        .unwrap_or_default(),
                    at_node: None,
                    proxy_mode: req.proxy_mode,
                    method: Some(req.method.clone()).filter(|m| !m.is_empty()),
                    headers,
                    via: None,
                },
            )
        });
        match outcome {
            Ok(t) => {
                let mut view: TraceView = t.into();
                view.port = port;
                TraceOutcome::Done(Box::new(view))
            }
            Err(e) => TraceOutcome::Invalid(plain(&e)),
        }
    }
}

/// A destination without a port, when it names a Service (`NAME` or
/// `NAME.NS`, as the source pod's DNS search list would find it) that has
/// one port, gets that port; otherwise the page says what to write.
fn with_port(a: &Analysis, from: &str, to: &str) -> Result<String, String> {
    if to.contains(':') || sim::is_url(to) || to.is_empty() {
        return Ok(to.to_owned());
    }
    let own = from
        .strip_prefix("pod:")
        .and_then(|p| p.split_once('/'))
        .map_or("default", |(ns, _)| ns);
    let (name, ns) = match to.split_once('.') {
        Some((name, rest)) => (name, rest.split('.').next().unwrap_or(own)),
        None => (to, own),
    };
    let Some(svc) = a
        .cluster
        .services
        .iter()
        .find(|s| s.name == name && s.namespace == ns)
    else {
        return Err(format!(
            "'{to}' has no port. Write an address and a port, like reviews:9080 or 10.96.0.10:80, or pick one from the list."
        ));
    };
    match svc.ports.as_slice() {
        [one] => Ok(format!("{to}:{}", one.port)),
        ports => {
            let list: Vec<String> = ports.iter().map(|p| p.port.to_string()).collect();
            Err(format!(
                "Service {}/{} has ports {}: say which, like {to}:{}.",
                svc.namespace,
                svc.name,
                list.join(", "),
                list.first().map_or("80", String::as_str)
            ))
        }
    }
}

/// The core's messages name command-line flags; the page names its fields.
fn plain(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("--to HOST:PORT, not ") {
        return format!(
            "To needs an address and a port, like reviews:9080 or 10.96.0.10:80, not {rest}."
        );
    }
    if message.starts_with("--from must be") {
        return "From must be a pod, a node or an external client.".to_owned();
    }
    message.replace("--to", "To").replace("--from", "From")
}

/// The Web Worker: one [`Engine`], answering whoever asked.
pub struct AnalysisWorker {
    engine: Engine,
}

impl Worker for AnalysisWorker {
    type Message = ();
    type Input = Request;
    type Output = Response;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        AnalysisWorker {
            engine: Engine::default(),
        }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Self::Input, id: HandlerId) {
        if let Some(r) = self.engine.handle(msg) {
            scope.respond(id, r);
        }
    }
}

/// Messages as JSON text: every type here is serde-friendly in JSON
/// (untagged and skipped fields included), which bincode is not.
pub struct Json;

impl Codec for Json {
    fn encode<I: Serialize>(input: I) -> JsValue {
        // Our own plain data (strings, integers, finite floats): serialising
        // it cannot fail.
        JsValue::from_str(&serde_json::to_string(&input).unwrap_or_default())
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        let text = input.as_string().unwrap_or_default();
        serde_json::from_str(&text).expect("the worker and the page exchange their own messages")
    }
}
