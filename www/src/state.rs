//! The app state and its reducer: every change is an [`Action`]. The
//! analysis itself runs in the [`Backend`] (a Web Worker on the page), which
//! answers with [`Action::Response`]; the page shows the last answer until
//! the next one arrives, and drops answers to superseded requests.

use std::rc::Rc;

use gloo::worker::WorkerBridge;
use portolan_core::snapshot::WhatIf;
use portolan_core::source::Span;
use yew::{Callback, Reducible};

use crate::examples::{DEFAULT, EXAMPLES};
use crate::view::View;
use crate::worker::{AnalysisWorker, Request, Response};
pub use crate::worker::{TraceOutcome, TraceRequest, TraceView};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

/// Where requests go.
#[derive(Clone, Default)]
pub enum Backend {
    /// Not attached yet: requests wait.
    #[default]
    None,
    /// The analysis Web Worker.
    Worker(Rc<WorkerBridge<AnalysisWorker>>),
    /// Answered in place (tests, and the fallback when no worker runs).
    Local(Callback<Request, Option<Response>>),
}

impl PartialEq for Backend {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Backend::None, Backend::None) => true,
            (Backend::Worker(a), Backend::Worker(b)) => Rc::ptr_eq(a, b),
            (Backend::Local(a), Backend::Local(b)) => a == b,
            _ => false,
        }
    }
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Backend::None => "None",
            Backend::Worker(_) => "Worker",
            Backend::Local(_) => "Local",
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub text: Rc<str>,
    /// The bundled example last loaded (the text may have been edited since).
    pub example: usize,
    pub view: Rc<View>,
    /// The text `view` was computed from (re-analysis is debounced).
    pub analysed: Rc<str>,
    /// An analysis was asked for and has not come back yet.
    pub busy: bool,
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
    /// Compare mode: the text the changes are measured from.
    pub base: Option<Rc<str>>,
    pub backend: Backend,
    /// The worker answered at least once.
    pub backend_ready: bool,
    /// Why the page cannot analyse anything, if it cannot.
    pub failure: Option<String>,
    /// Where the bytes of the files last opened were not UTF-8, and the
    /// text that holds them: reported while the text is unchanged.
    pub invalid_utf8: Option<InvalidUtf8>,
    /// Id of the latest analysis request, and the text it carried.
    request: u64,
    requested: Rc<str>,
    /// Id of the latest trace request.
    trace_id: u64,
    /// What was last asked, so an unchanged state is not analysed twice.
    asked: Option<Asked>,
}

/// The text, what-ifs, expansions and compare base of an analysis request.
type Asked = (
    Rc<str>,
    WhatIf,
    std::collections::BTreeSet<String>,
    Option<Rc<str>>,
);

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

/// A text and where the bytes it was decoded from were not UTF-8.
pub type InvalidUtf8 = (Rc<str>, Rc<[(Span, u8)]>);

pub enum Action {
    /// The editor's text changed (analysis follows after a pause).
    Edit(String),
    /// Files were opened: their text, and where their bytes were not UTF-8.
    Load(String, Vec<(Span, u8)>),
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
    /// Compare mode: keep the current text as the base the changes are
    /// measured from.
    KeepBase,
    /// Leave compare mode.
    StopCompare,
    /// Download the routing graph as JSON.
    ExportJson,
    /// Where requests go from now on.
    Attach(Backend),
    /// The worker has not answered the first ping in time.
    WorkerTimeout,
    /// An answer from the backend.
    Response(Response),
}

impl State {
    pub fn initial() -> Self {
        // A share link's fragment wins over the default example.
        let (text, what_if, base) = crate::share::from_location().map_or_else(
            || (Rc::from(EXAMPLES[DEFAULT].text), WhatIf::default(), None),
            |(t, w, b)| (Rc::from(t.as_str()), w, b.map(|b| Rc::from(b.as_str()))),
        );
        State {
            view: Rc::new(View::default()),
            analysed: Rc::from(""),
            busy: true,
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
            base,
            backend: Backend::None,
            backend_ready: false,
            failure: None,
            request: 0,
            requested: Rc::from(""),
            trace_id: 0,
            asked: None,
            invalid_utf8: None,
        }
    }

    fn send(&mut self, request: Request) {
        match &self.backend {
            Backend::None => {}
            Backend::Worker(bridge) => bridge.send(request),
            Backend::Local(cb) => {
                if let Some(r) = cb.emit(request) {
                    self.receive(r);
                }
            }
        }
    }

    /// Ask for an analysis of the current text, what-ifs and expansions.
    fn recompute(&mut self) {
        let key = (
            self.text.clone(),
            self.what_if.clone(),
            self.expanded.clone(),
            self.base.clone(),
        );
        if self.asked.as_ref() == Some(&key) {
            return;
        }
        self.asked = Some(key);
        if matches!(self.backend, Backend::None) {
            return; // sent when the backend attaches
        }
        mark("portolan:analyse-start");
        self.request += 1;
        self.requested = self.text.clone();
        self.busy = true;
        let invalid_utf8 = match &self.invalid_utf8 {
            Some((text, at)) if *text == self.text => at.to_vec(),
            _ => Vec::new(),
        };
        self.send(Request::Analyse {
            id: self.request,
            text: self.text.to_string(),
            invalid_utf8,
            what_if: self.what_if.clone(),
            expanded: self.expanded.clone(),
            trace: self.trace_request.clone(),
            base: self.base.as_ref().map(ToString::to_string),
        });
    }

    fn retrace(&mut self) {
        let Some(req) = self.trace_request.clone() else {
            self.trace = None;
            return;
        };
        self.trace_id += 1;
        self.send(Request::Trace {
            id: self.trace_id,
            request: req,
        });
    }

    fn receive(&mut self, response: Response) {
        self.backend_ready = true;
        self.failure = None;
        match response {
            Response::Ready => {}
            Response::Analysed { id, view, trace } => {
                if id != self.request {
                    return; // superseded
                }
                self.view = Rc::new(*view);
                self.analysed = self.requested.clone();
                self.busy = false;
                if self.trace_request.is_some() {
                    self.trace = trace;
                }
                if self
                    .selected
                    .as_ref()
                    .is_some_and(|s| !self.view.details.contains_key(s))
                {
                    self.selected = None;
                }
                mark("portolan:analyse-end");
            }
            Response::Traced { id, trace } => {
                if id == self.trace_id {
                    self.trace = Some(trace);
                }
            }
            Response::Exported(json) => {
                crate::share::download("portolan-graph.json", "application/json", &json);
            }
            Response::Redacted(text, base) => {
                self.shared = crate::share::to_location(&text, &self.what_if, base.as_deref());
            }
        }
    }

    /// Ask for a share link: the worker redacts Secret values first.
    fn share(&mut self) {
        let request = Request::Redact(
            self.text.to_string(),
            self.base.as_ref().map(ToString::to_string),
        );
        self.send(request);
    }

    /// Enter compare mode from the current text, or leave it.
    fn compare(&mut self, on: bool) {
        self.base = on.then(|| self.text.clone());
        self.recompute();
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
            Action::Load(text, invalid) => {
                next.text = text.into();
                next.invalid_utf8 =
                    (!invalid.is_empty()).then(|| (next.text.clone(), invalid.into()));
            }
            Action::Analyse => {
                if next.analysed == next.text && !next.busy {
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
                next.trace = None;
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
            // Secret values are redacted by the worker first.
            Action::Share => next.share(),
            Action::KeepBase => next.compare(true),
            Action::StopCompare => next.compare(false),
            Action::ExportJson => next.send(Request::ExportJson),
            Action::Expand(id) => {
                next.expanded.insert(id);
                next.recompute();
            }
            Action::Trace(req) => {
                next.trace_request = Some(req);
                next.retrace();
            }
            Action::Attach(backend) => {
                next.backend = backend;
                next.backend_ready = false;
                next.send(Request::Ping);
                next.asked = None;
                next.recompute();
            }
            Action::WorkerTimeout => {
                if next.backend_ready || !matches!(next.backend, Backend::Worker(_)) {
                    return self;
                }
                next.failure = Some(
                    "The analysis worker did not start, so nothing can be analysed. Reload the page; if this persists, the browser blocks Web Workers or WebAssembly for this page.".to_owned(),
                );
            }
            Action::Response(r) => next.receive(r),
        }
        Rc::new(next)
    }
}
