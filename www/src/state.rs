//! The app state and its reducer: every change is an [`Action`], and the
//! reducer is a pure function of the state and the action. What the page
//! does outside itself (ask the worker, write the address bar, mark times)
//! follows from the state in hooks (`crate::backend`): the reducer writes
//! requests into the [`Outbox`], the backend (a Web Worker on the page)
//! answers with [`Action::Response`]; the page shows the last answer until
//! the next one arrives, and drops answers to superseded requests.

use std::rc::Rc;

use std::collections::BTreeSet;

use portolan_core::snapshot::WhatIf;
use portolan_core::source::Span;
use yew::Reducible;

use crate::examples::{DEFAULT, EXAMPLES};
use crate::view::View;
use crate::worker::{Request, Response};
pub use crate::worker::{TraceOutcome, TraceRequest, TraceView};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub text: Rc<str>,
    /// The bundled example last loaded (the text may have been edited since).
    pub example: usize,
    pub view: Rc<View>,
    /// The text `view` was computed from (re-analysis is debounced).
    pub analysed: Rc<str>,
    /// The id of the analysis request `view` answers (0: none yet).
    pub shown: u64,
    /// An analysis was asked for and has not come back yet.
    pub busy: bool,
    pub selected: Option<String>,
    pub theme: Theme,
    /// Bumped to ask the editor to move its caret to a line.
    pub goto: Option<(usize, u32)>,
    /// Pods and nodes killed, pods unready, workloads scaled, policies
    /// flipped (shared with the undo history, copied only when changed).
    pub what_if: Rc<WhatIf>,
    /// Earlier `what_if`s, for undo.
    pub undo: Undo,
    pub trace_request: Option<TraceRequest>,
    pub trace: Option<TraceOutcome>,
    /// Pod groups (`group:ns/Kind/name`) drawn pod by pod.
    pub expanded: Rc<BTreeSet<String>>,
    /// The share link last made (the address bar follows it).
    pub shared: Option<String>,
    /// Compare mode: the text the changes are measured from.
    pub base: Option<Rc<str>>,
    /// A backend takes requests (until then they wait in the outbox).
    pub attached: bool,
    /// The worker answered at least once.
    pub backend_ready: bool,
    /// Why the page cannot analyse anything, if it cannot.
    pub failure: Option<String>,
    /// Where the bytes of the files last opened were not UTF-8, and the
    /// text that holds them: reported while the text is unchanged.
    pub invalid_utf8: Option<InvalidUtf8>,
    /// What the backend is to be asked; the reducer writes it, and
    /// [`crate::backend::use_backend`] sends each request once.
    pub outbox: Outbox,
    /// The text of the latest analysis request.
    requested: Rc<str>,
    /// What was last asked, so an unchanged state is not analysed twice.
    asked: Option<Asked>,
}

/// Requests for the backend, the newest of each channel with its number.
/// An analysis or trace supersedes the one before it (answers to older
/// numbers are dropped), so only the newest needs sending.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outbox {
    pub analysis: Option<(u64, Rc<Request>)>,
    pub trace: Option<(u64, Rc<Request>)>,
    /// A one-off: a share link's redaction or a JSON export.
    pub other: Option<(u64, Rc<Request>)>,
}

impl Outbox {
    fn next(slot: Option<&(u64, Rc<Request>)>) -> u64 {
        slot.map_or(1, |(id, _)| id + 1)
    }
}

/// The undo history: a persistent stack, so a new state shares it with the
/// old one instead of copying it.
#[derive(Clone, Debug, Default)]
pub struct Undo {
    top: Option<Rc<UndoEntry>>,
    len: usize,
}

#[derive(Debug)]
struct UndoEntry {
    what_if: Rc<WhatIf>,
    below: Option<Rc<UndoEntry>>,
}

impl Undo {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn push(&mut self, what_if: Rc<WhatIf>) {
        self.top = Some(Rc::new(UndoEntry {
            what_if,
            below: self.top.take(),
        }));
        self.len += 1;
    }

    fn pop(&mut self) -> Option<Rc<WhatIf>> {
        let top = self.top.take()?;
        self.top.clone_from(&top.below);
        self.len -= 1;
        Some(top.what_if.clone())
    }
}

impl PartialEq for Undo {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len
            && match (&self.top, &other.top) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

/// The text, what-ifs, expansions and compare base of an analysis request.
type Asked = (Rc<str>, Rc<WhatIf>, Rc<BTreeSet<String>>, Option<Rc<str>>);

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
    /// A backend takes requests from now on.
    Attached,
    /// The worker has not answered the first ping in time.
    WorkerTimeout,
    /// An answer from the backend.
    Response(Response),
}

/// A share link's contents: text, what-ifs and compare base.
pub type Shared = (String, WhatIf, Option<String>);

impl State {
    /// The state the page opens on: a share link's contents if it has one
    /// (read by the caller), else the default example.
    pub fn initial(link: Option<Shared>) -> Self {
        let (text, what_if, base) = link.map_or_else(
            || (Rc::from(EXAMPLES[DEFAULT].text), WhatIf::default(), None),
            |(t, w, b)| (Rc::from(t.as_str()), w, b.map(|b| Rc::from(b.as_str()))),
        );
        State {
            view: Rc::new(View::default()),
            analysed: Rc::from(""),
            shown: 0,
            busy: true,
            text,
            example: DEFAULT,
            selected: None,
            theme: Theme::Light,
            goto: None,
            what_if: Rc::new(what_if),
            undo: Undo::default(),
            trace_request: None,
            trace: None,
            expanded: Rc::default(),
            shared: None,
            base,
            attached: false,
            backend_ready: false,
            failure: None,
            outbox: Outbox::default(),
            requested: Rc::from(""),
            asked: None,
            invalid_utf8: None,
        }
    }

    /// Put a one-off request into the outbox.
    fn send(&mut self, request: Request) {
        let id = Outbox::next(self.outbox.other.as_ref());
        self.outbox.other = Some((id, Rc::new(request)));
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
        let id = Outbox::next(self.outbox.analysis.as_ref());
        self.requested = self.text.clone();
        self.busy = true;
        let invalid_utf8 = match &self.invalid_utf8 {
            Some((text, at)) if *text == self.text => at.to_vec(),
            _ => Vec::new(),
        };
        let request = Request::Analyse {
            id,
            text: self.text.to_string(),
            invalid_utf8,
            what_if: (*self.what_if).clone(),
            expanded: (*self.expanded).clone(),
            trace: self.trace_request.clone(),
            base: self.base.as_ref().map(ToString::to_string),
        };
        self.outbox.analysis = Some((id, Rc::new(request)));
    }

    fn retrace(&mut self) {
        let Some(request) = self.trace_request.clone() else {
            self.trace = None;
            return;
        };
        let id = Outbox::next(self.outbox.trace.as_ref());
        self.outbox.trace = Some((id, Rc::new(Request::Trace { id, request })));
    }

    /// The id of the newest request of a channel (0: none).
    fn newest(slot: Option<&(u64, Rc<Request>)>) -> u64 {
        slot.map_or(0, |(id, _)| *id)
    }

    fn receive(&mut self, response: Response) {
        self.backend_ready = true;
        self.failure = None;
        match response {
            // Exports are saved by the backend hook, never stored here.
            Response::Ready | Response::Exported(_) => {}
            Response::Analysed { id, view, trace } => {
                if id != Self::newest(self.outbox.analysis.as_ref()) {
                    return; // superseded
                }
                self.view = Rc::new(*view);
                self.shown = id;
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
            }
            Response::Traced { id, trace } => {
                if id == Self::newest(self.outbox.trace.as_ref()) {
                    self.trace = Some(trace);
                }
            }
            Response::Redacted(text, base) => {
                self.shared = Some(crate::share::encode(&text, &self.what_if, base.as_deref()));
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
        let w = Rc::make_mut(&mut self.what_if);
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

impl Default for State {
    fn default() -> Self {
        State::initial(None)
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
                next.what_if = Rc::default();
                next.undo = Undo::default();
                next.expanded = Rc::default();
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
                next.what_if = Rc::default();
                next.undo = Undo::default();
                next.recompute();
            }
            // Secret values are redacted by the worker first.
            Action::Share => next.share(),
            Action::KeepBase => next.compare(true),
            Action::StopCompare => next.compare(false),
            Action::ExportJson => next.send(Request::ExportJson),
            Action::Expand(id) => {
                Rc::make_mut(&mut next.expanded).insert(id);
                next.recompute();
            }
            Action::Trace(req) => {
                next.trace_request = Some(req);
                next.retrace();
            }
            Action::Attached => {
                next.attached = true;
                next.recompute();
            }
            Action::WorkerTimeout => {
                if next.backend_ready {
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
