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
pub use crate::worker::{ReachQuery, ReachView, TraceOutcome, TraceRequest, TraceView};
use crate::worker::{Request, Response};

/// On a narrow screen the panes are tabs; this one shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tab {
    Manifests,
    #[default]
    Graph,
    Trace,
    Details,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Manifests, Tab::Graph, Tab::Trace, Tab::Details];

    pub fn name(self) -> &'static str {
        match self {
            Tab::Manifests => "Manifests",
            Tab::Graph => "Graph",
            Tab::Trace => "Trace",
            Tab::Details => "Details",
        }
    }
}

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
    /// The selected node's details, as the worker last sent them, with the
    /// analysis they belong to.
    pub details: Option<(String, u64, Rc<crate::view::Details>)>,
    /// The node and analysis whose details were last asked for.
    details_of: Option<(String, u64)>,
    pub theme: Theme,
    /// The pane shown on a narrow screen.
    pub tab: Tab,
    /// Bumped to ask the editor to move its caret to a line.
    pub goto: Option<(usize, u32)>,
    /// Pods and nodes killed, pods unready, workloads scaled, policies
    /// flipped (shared with the undo history, copied only when changed).
    pub what_if: Rc<WhatIf>,
    /// Earlier `what_if`s, for undo.
    pub undo: Undo,
    pub trace_request: Option<TraceRequest>,
    pub trace: Option<TraceOutcome>,
    /// Where the trace form is to start and end, set from elsewhere (a share
    /// link, *trace from here*, *trace to here*); numbered so the form takes
    /// each once.
    pub trace_seed: TraceSeed,
    /// Pod groups (`group:ns/Kind/name`) drawn pod by pod.
    pub expanded: Rc<BTreeSet<String>>,
    /// A group just expanded: once drawn pod by pod, its first pod is
    /// selected (and the view moves there).
    pub revealing: bool,
    /// The share link last made (the address bar follows it).
    pub shared: Option<String>,
    /// The page opened on a share link that changes the snapshot: the
    /// changes, in words, shown until reset or dismissed.
    pub link_banner: Vec<String>,
    /// Bumped whenever the user changes the text (typing, opening files,
    /// choosing an example): the text is then kept for the next visit.
    pub edits: u64,
    /// The user's own text that an example replaced, until restored or
    /// edited further.
    pub replaced: Option<Rc<str>>,
    /// The theme was chosen here (kept for the next visit), not taken from
    /// the system's preference.
    pub theme_chosen: bool,
    /// Compare mode: the text the changes are measured from.
    pub base: Option<Rc<str>>,
    /// The reachability question, while its panel is open (asked again
    /// after each analysis), and its last answer.
    pub reach_query: Option<ReachQuery>,
    pub reach: Option<Rc<ReachView>>,
    /// Whether a backend takes requests, and has answered.
    pub backend: BackendState,
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
    pub reach: Option<(u64, Rc<Request>)>,
    /// A one-off: a share link's redaction or a JSON export.
    pub other: Option<(u64, Rc<Request>)>,
    /// The selected node's details.
    pub details: Option<(u64, Rc<Request>)>,
}

impl Outbox {
    fn next(slot: Option<&(u64, Rc<Request>)>) -> u64 {
        slot.map_or(1, |(id, _)| id + 1)
    }
}

/// Where the analysis backend is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendState {
    /// None attached: requests wait in the outbox.
    Waiting,
    /// Attached: requests are sent.
    Attached,
    /// It answered at least once.
    Answered,
}

impl BackendState {
    pub fn attached(self) -> bool {
        self != BackendState::Waiting
    }
}

/// See [`State::trace_seed`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TraceSeed {
    pub n: u64,
    pub from: Option<String>,
    pub to: Option<String>,
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
    /// Close the share link's banner, keeping its changes.
    DismissBanner,
    /// Show a pane (on a narrow screen, where panes are tabs).
    ShowTab(Tab),
    /// Start the trace form's packet here (`pod:ns/name`).
    TraceFrom(String),
    /// End the trace form's packet here; from outside the cluster if true.
    TraceTo(String, bool),
    /// Bring back the text an example replaced.
    Restore,
    /// Ask which pods reach which (the reachability panel opened or its
    /// filter changed); `None` when the panel closes.
    Reach(Option<ReachQuery>),
}

/// What the page opens on, read by the caller from the address bar, the
/// browser's storage and the system's colour preference.
#[derive(Clone, Debug, Default)]
pub struct Start {
    pub link: Option<crate::share::Link>,
    /// The text kept from the last visit.
    pub saved: Option<String>,
    pub theme: Option<Theme>,
}

/// A snapshot's what-if changes in words, for the share link's banner.
pub fn describe(w: &WhatIf) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(w.deleted_pods.iter().map(|p| format!("pod {p} deleted")));
    out.extend(w.unready_pods.iter().map(|p| format!("pod {p} not ready")));
    out.extend(w.deleted_nodes.iter().map(|n| format!("node {n} deleted")));
    out.extend(w.replicas.iter().map(|(k, n)| {
        format!(
            "{k} scaled to {n} replica{}",
            if *n == 1 { "" } else { "s" }
        )
    }));
    out.extend(
        w.external_traffic_policy
            .iter()
            .map(|(s, p)| format!("Service {s}: externalTrafficPolicy {p}")),
    );
    out.extend(
        w.internal_traffic_policy
            .iter()
            .map(|(s, p)| format!("Service {s}: internalTrafficPolicy {p}")),
    );
    out
}

impl State {
    /// The state the page opens on: a share link's contents if it has one,
    /// else the text kept from the last visit, else the default example.
    pub fn initial(start: Start) -> Self {
        let link = start.link.unwrap_or_else(|| crate::share::Link {
            text: start
                .saved
                .unwrap_or_else(|| EXAMPLES[DEFAULT].full().into_owned()),
            ..Default::default()
        });
        let text: Rc<str> = Rc::from(link.text.as_str());
        let example = EXAMPLES
            .iter()
            .position(|e| *e.full() == *text)
            .unwrap_or(DEFAULT);
        State {
            view: Rc::new(View::default()),
            analysed: Rc::from(""),
            shown: 0,
            busy: true,
            text,
            example,
            selected: link.selected,
            details: None,
            details_of: None,
            theme: start.theme.unwrap_or(Theme::Light),
            tab: Tab::default(),
            goto: None,
            link_banner: describe(&link.what_if),
            what_if: Rc::new(link.what_if),
            undo: Undo::default(),
            trace_seed: link
                .trace
                .as_ref()
                .map_or_else(TraceSeed::default, |t| TraceSeed {
                    n: 1,
                    from: Some(t.from.clone()),
                    to: Some(t.to.clone()),
                }),
            trace_request: link.trace,
            trace: None,
            expanded: Rc::default(),
            revealing: false,
            shared: None,
            edits: 0,
            replaced: None,
            theme_chosen: false,
            base: link.base.map(|b| Rc::from(b.as_str())),
            reach_query: None,
            reach: None,
            backend: BackendState::Waiting,
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
            selected: self.selected.clone(),
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

    fn reask_with(&mut self, query: Option<ReachQuery>) {
        self.reach_query = query;
        self.reask();
    }

    /// Ask the reachability question again (on the newest analysis: the
    /// worker answers in order).
    fn reask(&mut self) {
        let Some(query) = self.reach_query.clone() else {
            self.reach = None;
            return;
        };
        let id = Outbox::next(self.outbox.reach.as_ref());
        self.outbox.reach = Some((id, Rc::new(Request::Reach { id, query })));
    }

    /// The id of the newest request of a channel (0: none).
    fn newest(slot: Option<&(u64, Rc<Request>)>) -> u64 {
        slot.map_or(0, |(id, _)| *id)
    }

    /// A new analysis to show, with the last trace on it and the selected
    /// node's details.
    fn analysed_view(
        &mut self,
        id: u64,
        view: View,
        trace: Option<TraceOutcome>,
        details: Option<(String, Box<crate::view::Details>)>,
    ) {
        if std::mem::take(&mut self.revealing) {
            // The pods a group expanded into are the ones new here.
            let before: std::collections::HashSet<&str> = self
                .view
                .layout
                .nodes
                .iter()
                .map(|n| n.id.as_str())
                .collect();
            let first = view
                .layout
                .nodes
                .iter()
                .filter(|n| n.kind == "pod" && !before.contains(n.id.as_str()))
                .min_by_key(|n| (n.x, n.y));
            if let Some(n) = first {
                self.selected = Some(n.id.clone());
            }
        }
        self.view = Rc::new(view);
        self.shown = id;
        // The details of the node selected when it was asked come
        // with the answer: no second round trip, nothing stale.
        if let Some((node, d)) = details {
            self.details_of = Some((node.clone(), id));
            self.details = Some((node, id, Rc::new(*d)));
        }
        self.analysed = self.requested.clone();
        self.busy = false;
        if self.trace_request.is_some() {
            self.trace = trace;
        }
        if self.reach_query.is_some() {
            self.reask();
        }
        if self
            .selected
            .as_ref()
            .is_some_and(|s| !self.view.layout.has(s))
        {
            self.selected = None;
        }
    }

    fn receive(&mut self, response: Response) {
        self.backend = BackendState::Answered;
        self.failure = None;
        match response {
            // Exports are saved by the backend hook, never stored here.
            Response::Ready | Response::Exported(_) => {}
            Response::Analysed {
                id,
                view,
                trace,
                details,
            } => {
                if id != Self::newest(self.outbox.analysis.as_ref()) {
                    return; // superseded
                }
                self.analysed_view(id, *view, trace, details);
            }
            Response::Traced { id, trace } => {
                if id == Self::newest(self.outbox.trace.as_ref()) {
                    self.trace = Some(trace);
                }
            }
            Response::Detailed {
                id,
                node,
                shown,
                details,
            } => {
                // Only the answer to the last question, about what is shown.
                if id == Self::newest(self.outbox.details.as_ref())
                    && self.details_of.as_ref() == Some(&(node.clone(), shown))
                {
                    self.details = details.map(|d| (node, shown, Rc::new(*d)));
                }
            }
            Response::Reached { id, reach } => {
                // Not after the panel closed: reopened, it waits for a new
                // answer rather than show an old analysis's rows.
                if id == Self::newest(self.outbox.reach.as_ref()) && self.reach_query.is_some() {
                    self.reach = Some(Rc::new(reach));
                }
            }
            Response::Redacted(text, base) => {
                self.shared = Some(crate::share::encode(&crate::share::Link {
                    text,
                    what_if: (*self.what_if).clone(),
                    base,
                    trace: self.trace_request.clone(),
                    selected: self.selected.clone(),
                }));
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
        State::initial(Start::default())
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        if next.step(action) {
            next.ask_details();
            Rc::new(next)
        } else {
            self
        }
    }
}

impl State {
    /// Ask for the selected node's details when the selection or the
    /// analysis changed (the worker keeps them until asked).
    fn ask_details(&mut self) {
        let want = self
            .selected
            .clone()
            .filter(|_| self.shown > 0)
            .map(|id| (id, self.shown));
        if want == self.details_of {
            return;
        }
        self.details_of.clone_from(&want);
        if let Some((node, shown)) = want {
            let id = Outbox::next(self.outbox.details.as_ref());
            self.outbox.details = Some((id, Rc::new(Request::Details { id, node, shown })));
        } else {
            self.details = None;
        }
    }

    /// The selected node's details on the analysis shown, once they have
    /// arrived.
    pub fn selected_details(&self) -> Option<&crate::view::Details> {
        match (&self.details, &self.selected) {
            (Some((id, shown, d)), Some(s)) if id == s && *shown == self.shown => Some(d),
            _ => None,
        }
    }

    /// Apply one action; `false` when it changes nothing.
    fn step(&mut self, action: Action) -> bool {
        match action {
            Action::Edit(_)
            | Action::Load(..)
            | Action::Analyse
            | Action::LoadExample(_)
            | Action::Restore => return self.step_text(action),
            // On a narrow screen the pane that answers comes to the front.
            Action::Select(id) => {
                if id.is_some() {
                    self.tab = Tab::Details;
                }
                self.selected = id;
            }
            Action::Goto { line, node } => {
                self.tab = Tab::Manifests;
                let n = self.goto.map_or(0, |g| g.1.wrapping_add(1));
                self.goto = Some((line, n));
                if node.is_some() {
                    self.selected = node;
                }
            }
            Action::ToggleTheme => {
                self.theme_chosen = true;
                self.theme = if self.theme == Theme::Light {
                    Theme::Dark
                } else {
                    Theme::Light
                };
            }
            Action::Change(c) => self.apply(c),
            Action::Undo => {
                let Some(w) = self.undo.pop() else {
                    return false;
                };
                self.what_if = w;
                self.recompute();
            }
            Action::Reset => {
                self.what_if = Rc::default();
                self.undo = Undo::default();
                self.link_banner.clear();
                self.recompute();
            }
            // Secret values are redacted by the worker first.
            Action::Share => self.share(),
            Action::KeepBase => self.compare(true),
            Action::StopCompare => self.compare(false),
            Action::ExportJson => self.send(Request::ExportJson),
            Action::Expand(id) => {
                Rc::make_mut(&mut self.expanded).insert(id);
                self.revealing = true;
                self.recompute();
            }
            Action::Trace(req) => {
                self.trace_request = Some(req);
                self.retrace();
            }
            Action::Reach(query) => self.reask_with(query),
            Action::Attached => {
                if self.backend == BackendState::Waiting {
                    self.backend = BackendState::Attached;
                }
                self.recompute();
            }
            Action::WorkerTimeout => {
                if self.backend == BackendState::Answered {
                    return false;
                }
                self.failure = Some(
                    "The analysis worker did not start, so nothing can be analysed. Reload the page; if this persists, the browser blocks Web Workers or WebAssembly for this page.".to_owned(),
                );
            }
            Action::Response(r) => self.receive(r),
            Action::DismissBanner => self.link_banner.clear(),
            Action::ShowTab(tab) => self.tab = tab,
            Action::TraceFrom(from) => self.seed(Some(from), None),
            Action::TraceTo(to, outside) => {
                self.seed(outside.then(|| "external".to_owned()), Some(to));
            }
        }
        true
    }

    /// Fill the trace form from elsewhere (and show it).
    fn seed(&mut self, from: Option<String>, to: Option<String>) {
        self.tab = Tab::Trace;
        self.trace_seed = TraceSeed {
            n: self.trace_seed.n + 1,
            from,
            to,
        };
    }

    /// The actions on the text.
    fn step_text(&mut self, action: Action) -> bool {
        match action {
            Action::Edit(text) => {
                self.text = text.into();
                self.edits += 1;
                self.replaced = None;
            }
            Action::Load(text, invalid) => {
                self.text = text.into();
                self.edits += 1;
                self.replaced = None;
                self.invalid_utf8 =
                    (!invalid.is_empty()).then(|| (self.text.clone(), invalid.into()));
            }
            Action::Analyse => {
                if self.analysed == self.text && !self.busy {
                    return false;
                }
                self.recompute();
            }
            Action::LoadExample(i) => {
                let Some(ex) = EXAMPLES.get(i) else {
                    return false;
                };
                // The user's own text can be restored.
                if !EXAMPLES.iter().any(|e| *e.full() == *self.text) && !self.text.trim().is_empty()
                {
                    self.replaced = Some(self.text.clone());
                }
                self.text = ex.full().into();
                self.edits += 1;
                self.link_banner.clear();
                self.example = i;
                self.what_if = Rc::default();
                self.undo = Undo::default();
                self.expanded = Rc::default();
                self.trace_request = None;
                self.trace = None;
                self.selected = None;
                self.recompute();
            }
            Action::Restore => {
                let Some(text) = self.replaced.take() else {
                    return false;
                };
                self.text = text;
                self.edits += 1;
                self.recompute();
            }
            _ => {}
        }
        true
    }
}
