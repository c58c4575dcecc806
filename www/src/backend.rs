//! Everything the page does outside itself, as hooks that follow the state:
//! start the analysis worker, send each request of the [`Outbox`] once,
//! save exports, keep the address bar on the share link (and copy it),
//! keep the text and the chosen theme for the next visit, and mark the
//! times the end-to-end tests read. The reducer stays a pure function;
//! [`start`] reads what the page opens on.
//!
//! [`Outbox`]: crate::state::Outbox

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use gloo::worker::{Spawnable, WorkerBridge};
use yew::prelude::*;

use crate::components::app::Engine;
use crate::state::{Action, Start, State, Theme};
use crate::worker::{AnalysisWorker, Json, Request, Response};

/// How long the worker may take to start before the page says it failed.
const WORKER_START_MS: u32 = 15_000;

/// Where the text and the theme are kept between visits (this browser's
/// storage for the page: never sent anywhere).
const TEXT_KEY: &str = "portolan.text";
const THEME_KEY: &str = "portolan.theme";

/// Texts above this are not kept: browsers allow a page about 5 MB.
const KEEP_MAX: usize = 2 << 20;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// What the page opens on: a share link in the address bar, else the text
/// kept from the last visit; the theme chosen here, else the system's.
pub fn start() -> Start {
    let kept = |key: &str| storage().and_then(|s| s.get_item(key).ok().flatten());
    let theme = match kept(THEME_KEY).as_deref() {
        Some("dark") => Some(Theme::Dark),
        Some("light") => Some(Theme::Light),
        _ => web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .map(|m| {
                if m.matches() {
                    Theme::Dark
                } else {
                    Theme::Light
                }
            }),
    };
    Start {
        link: crate::share::from_location(),
        saved: kept(TEXT_KEY).filter(|t| !t.trim().is_empty()),
        theme,
    }
}

/// Where requests go.
#[derive(Clone, Default)]
enum Backend {
    /// Not attached yet: requests wait in the outbox.
    #[default]
    None,
    /// The analysis Web Worker.
    Worker(Rc<WorkerBridge<AnalysisWorker>>),
    /// Answered in place (tests, and the fallback when no worker runs).
    Local(Callback<Request, Option<Response>>),
}

/// An answer from the backend: exports are saved here, the rest goes to the
/// reducer.
fn answer(dispatch: &Callback<Action>, response: Response) {
    if let Response::Exported(json) = &response {
        crate::share::download("portolan-graph.json", "application/json", json);
    }
    dispatch.emit(Action::Response(response));
}

fn send(backend: &RefCell<Backend>, dispatch: &Callback<Action>, request: Request) {
    // Cloned out first: no borrow is held while a request is sent.
    let backend = backend.borrow().clone();
    match backend {
        Backend::None => {}
        Backend::Worker(bridge) => bridge.send(request),
        // Answered after the render that sent it, as a worker would.
        Backend::Local(cb) => {
            let dispatch = dispatch.clone();
            yew::platform::spawn_local(async move {
                if let Some(r) = cb.emit(request) {
                    answer(&dispatch, r);
                }
            });
        }
    }
}

/// A Performance API mark, read by the end-to-end tests.
fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Attach the engine, then send what the state asks, once per request.
#[hook]
pub fn use_backend(engine: &Engine, state: &UseReducerHandle<State>) {
    let backend = use_mut_ref(Backend::default);
    let dispatch: Callback<Action> = {
        let d = state.dispatcher();
        Callback::from(move |a| d.dispatch(a))
    };
    {
        let (backend, dispatch) = (backend.clone(), dispatch.clone());
        use_effect_with(engine.clone(), move |engine| {
            let mut watchdog = None;
            *backend.borrow_mut() = match engine {
                Engine::Worker(loader) => {
                    let d = dispatch.clone();
                    let bridge = AnalysisWorker::spawner()
                        .encoding::<Json>()
                        .callback(move |r| answer(&d, r))
                        .spawn_with_loader(loader);
                    let late = dispatch.clone();
                    watchdog = Some(Timeout::new(WORKER_START_MS, move || {
                        late.emit(Action::WorkerTimeout);
                    }));
                    Backend::Worker(Rc::new(bridge))
                }
                Engine::Local(cb) => Backend::Local(cb.clone()),
            };
            send(&backend, &dispatch, Request::Ping);
            dispatch.emit(Action::Attached);
            move || drop(watchdog)
        });
    }
    let attached = state.backend.attached();
    use_channel(&state.outbox.analysis, attached, &backend, &dispatch, true);
    use_channel(&state.outbox.trace, attached, &backend, &dispatch, false);
    use_channel(&state.outbox.reach, attached, &backend, &dispatch, false);
    use_channel(&state.outbox.other, attached, &backend, &dispatch, false);
    use_channel(&state.outbox.details, attached, &backend, &dispatch, false);
    use_effect_with(state.shared.clone(), |link| {
        if let Some(fragment) = link {
            crate::share::to_location(fragment);
            crate::share::copy_location();
        }
    });
    // The user's text, kept for the next visit (not a share link's text
    // until it is edited).
    {
        let (text, edited) = (state.text.clone(), state.edits > 0);
        // Once per analysis shown, not per keystroke.
        use_effect_with((state.shown, edited), move |&(_, edited)| {
            if let (true, Some(s)) = (edited, storage()) {
                let _ = if text.len() <= KEEP_MAX {
                    s.set_item(TEXT_KEY, &text)
                } else {
                    s.remove_item(TEXT_KEY)
                };
            }
        });
    }
    use_effect_with((state.theme, state.theme_chosen), |&(theme, chosen)| {
        if let (true, Some(s)) = (chosen, storage()) {
            let _ = s.set_item(
                THEME_KEY,
                if theme == Theme::Dark {
                    "dark"
                } else {
                    "light"
                },
            );
        }
    });
    // After the answer is drawn.
    use_effect_with(state.shown, |&shown| {
        if shown > 0 {
            mark("portolan:analyse-end");
        }
    });
}

/// Send each outbox channel's newest request once, when it is new and a
/// backend is attached: while the page renders, not in an effect. Yew
/// yields to the browser between a render that took longer than a frame
/// and its effects, and the browser then lays out what was rendered: after
/// pasting a few megabytes, that is the editor's whole text (half a second
/// here). Sent from the render, the worker analyses during that layout
/// instead of after it.
#[hook]
fn use_channel(
    slot: &Option<(u64, Rc<Request>)>,
    attached: bool,
    backend: &Rc<RefCell<Backend>>,
    dispatch: &Callback<Action>,
    analysis: bool,
) {
    let sent = use_mut_ref(|| None::<(Option<u64>, bool)>);
    let key = (slot.as_ref().map(|r| r.0), attached);
    if *sent.borrow() == Some(key) {
        return;
    }
    *sent.borrow_mut() = Some(key);
    if let (Some((_, r)), true) = (slot, attached) {
        if analysis {
            mark("portolan:analyse-start");
        }
        send(backend, dispatch, (**r).clone());
    }
}
