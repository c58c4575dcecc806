//! The app state and its reducer: every change is an [`Action`].

use std::rc::Rc;

use portolan_core::cluster::WhatIf;
use portolan_core::profile::ProxyMode;
use portolan_core::sim::{self, Trace};
use yew::Reducible;

use crate::examples::{DEFAULT, EXAMPLES};
use crate::view::{View, compute, compute_with};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

/// What the trace panel asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceRequest {
    /// `pod:ns/name`, `node:name` or `external:IP`.
    pub from: String,
    /// `HOST:PORT`
    pub to: String,
    pub protocol: String,
    pub proxy_mode: ProxyMode,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TraceOutcome {
    Done(Rc<Trace>),
    Invalid(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub text: Rc<str>,
    /// The bundled example last loaded (the text may have been edited since).
    pub example: usize,
    pub view: Rc<View>,
    /// The text `view` was computed from (re-analysis is debounced).
    pub analysed: Rc<str>,
    pub selected: Option<String>,
    pub theme: Theme,
    /// Bumped to ask the editor to move its caret to a line.
    pub goto: Option<(usize, u32)>,
    /// Pods and nodes killed, pods unready, workloads scaled, policies flipped.
    pub what_if: WhatIf,
    /// Earlier `what_if`s, for undo.
    pub undo: Vec<WhatIf>,
    pub trace_request: Option<TraceRequest>,
    pub trace: Option<TraceOutcome>,
    /// Pod groups (`group:ns/Kind/name`) drawn pod by pod.
    pub expanded: std::collections::BTreeSet<String>,
    /// The share link last written to the address bar.
    pub shared: Option<String>,
}

/// One change to the snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    DeletePod(String),
    ToggleReady(String),
    DeleteNode(String),
    /// Workload key `ns/Kind/name`, new replica count.
    Scale(String, i64),
    ExternalTrafficPolicy(String, String),
    InternalTrafficPolicy(String, String),
}

pub enum Action {
    /// The editor's text changed (analysis follows after a pause).
    Edit(String),
    /// Analyse the current text now.
    Analyse,
    LoadExample(usize),
    Select(Option<String>),
    /// Jump the editor to a line and select the node the finding is about.
    Goto {
        line: usize,
        node: Option<String>,
    },
    ToggleTheme,
    Change(Change),
    Undo,
    Reset,
    Trace(TraceRequest),
    /// Draw the pods of a collapsed workload one by one.
    Expand(String),
    /// Put the state into the address bar as a share link.
    Share,
}

impl State {
    pub fn initial() -> Self {
        // A share link's fragment wins over the default example.
        let (text, what_if) = crate::share::from_location().map_or_else(
            || (Rc::from(EXAMPLES[DEFAULT].text), WhatIf::default()),
            |(t, w)| (Rc::from(t.as_str()), w),
        );
        State {
            view: Rc::new(compute(&text, &what_if)),
            analysed: text.clone(),
            text,
            example: DEFAULT,
            selected: None,
            theme: Theme::Light,
            goto: None,
            what_if,
            undo: Vec::new(),
            trace_request: None,
            trace: None,
            expanded: std::collections::BTreeSet::new(),
            shared: None,
        }
    }

    fn recompute(&mut self) {
        mark("portolan:analyse-start");
        self.view = Rc::new(compute_with(&self.text, &self.what_if, &self.expanded));
        mark("portolan:analyse-end");
        self.analysed = self.text.clone();
        if self
            .selected
            .as_ref()
            .is_some_and(|s| !self.view.details.contains_key(s))
        {
            self.selected = None;
        }
        self.retrace();
    }

    fn retrace(&mut self) {
        let (Some(req), Some(a)) = (&self.trace_request, &self.view.analysis) else {
            self.trace = None;
            return;
        };
        let outcome = sim::From::parse(&req.from).and_then(|from| {
            sim::trace(
                &a.0,
                &sim::Request {
                    from,
                    to: req.to.clone(),
                    protocol: req.protocol.clone(),
                    at_node: None,
                    proxy_mode: req.proxy_mode,
                },
            )
        });
        self.trace = Some(match outcome {
            Ok(t) => TraceOutcome::Done(Rc::new(t)),
            Err(e) => TraceOutcome::Invalid(e),
        });
    }

    fn apply(&mut self, change: Change) {
        self.undo.push(self.what_if.clone());
        let w = &mut self.what_if;
        match change {
            Change::DeletePod(k) => drop(w.deleted_pods.insert(k)),
            Change::ToggleReady(k) => {
                if !w.unready_pods.remove(&k) {
                    w.unready_pods.insert(k);
                }
            }
            Change::DeleteNode(n) => drop(w.deleted_nodes.insert(n)),
            Change::Scale(k, n) => drop(w.replicas.insert(k, n.clamp(0, 200))),
            Change::ExternalTrafficPolicy(s, p) => drop(w.external_traffic_policy.insert(s, p)),
            Change::InternalTrafficPolicy(s, p) => drop(w.internal_traffic_policy.insert(s, p)),
        }
        self.recompute();
    }
}

/// A Performance API mark, read by the end-to-end tests.
fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

impl Default for State {
    fn default() -> Self {
        State::initial()
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(text) => next.text = text.into(),
            Action::Analyse => {
                if next.analysed == next.text {
                    return self;
                }
                next.recompute();
            }
            Action::LoadExample(i) => {
                let Some(ex) = EXAMPLES.get(i) else {
                    return self;
                };
                next.text = ex.text.into();
                next.example = i;
                next.what_if = WhatIf::default();
                next.undo.clear();
                next.expanded.clear();
                next.trace_request = None;
                next.selected = None;
                next.recompute();
            }
            Action::Select(id) => next.selected = id,
            Action::Goto { line, node } => {
                let n = next.goto.map_or(0, |g| g.1.wrapping_add(1));
                next.goto = Some((line, n));
                if node.is_some() {
                    next.selected = node;
                }
            }
            Action::ToggleTheme => {
                next.theme = if next.theme == Theme::Light {
                    Theme::Dark
                } else {
                    Theme::Light
                };
            }
            Action::Change(c) => next.apply(c),
            Action::Undo => {
                let Some(w) = next.undo.pop() else {
                    return self;
                };
                next.what_if = w;
                next.recompute();
            }
            Action::Reset => {
                next.what_if = WhatIf::default();
                next.undo.clear();
                next.recompute();
            }
            Action::Share => {
                next.shared = crate::share::to_location(&next.text, &next.what_if);
            }
            Action::Expand(id) => {
                next.expanded.insert(id);
                next.recompute();
            }
            Action::Trace(req) => {
                next.trace_request = Some(req);
                next.retrace();
            }
        }
        Rc::new(next)
    }
}
