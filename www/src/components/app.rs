//! The page: toolbar, editor and findings, graph, details.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use super::AppContext;
use super::details::DetailsPanel;
use super::diagnostics::DiagnosticsList;
use super::editor::Editor;
use super::graph_view::GraphView;
use super::reach_panel::ReachPanel;
use super::toolbar::Toolbar;
use super::trace_panel::TracePanel;
use crate::state::{Action, State, Theme};
use crate::worker::{Request, Response};

/// Milliseconds of quiet typing before the text is analysed again.
pub const DEBOUNCE_MS: u32 = 300;

/// The loader trunk writes for the `portolan_worker` binary.
pub const WORKER_LOADER: &str = "./portolan_worker_loader.js";

/// Where the analysis runs.
#[derive(Clone, PartialEq)]
pub enum Engine {
    /// A Web Worker started from this loader script.
    Worker(AttrValue),
    /// In place, through this callback (component tests).
    Local(Callback<Request, Option<Response>>),
}

impl Default for Engine {
    fn default() -> Self {
        Engine::Worker(AttrValue::Static(WORKER_LOADER))
    }
}

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    #[prop_or_default]
    pub engine: Engine,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let state = use_reducer(|| State::initial(crate::backend::start()));
    crate::backend::use_backend(&props.engine, &state);
    {
        let handle = state.clone();
        use_effect_with(state.text.clone(), move |_| {
            let timer = Timeout::new(DEBOUNCE_MS, move || handle.dispatch(Action::Analyse));
            move || drop(timer)
        });
    }
    let theme = if state.theme == Theme::Dark {
        "theme-dark"
    } else {
        "theme-light"
    };
    html! {
        <ContextProvider<AppContext> context={state.clone()}>
            <div class={classes!("app", theme)}>
                <a class="skip-link" href="#trace-form">{ "Skip to the trace form" }</a>
                <Toolbar />
                if let Some(f) = &state.failure {
                    <p class="failure" role="alert" data-testid="failure">{ f }</p>
                }
                <Banners />
                <Tabs />
                <main class={classes!("workspace", format!("tab-{}", state.tab.name().to_ascii_lowercase()))}>
                    <section class="pane left" aria-label="Manifests and findings">
                        <Editor />
                        <DiagnosticsList />
                    </section>
                    <section class="pane center" aria-label="Routing graph">
                        <GraphView />
                    </section>
                    <aside class="pane right" aria-label="Trace and details">
                        <TracePanel />
                        <ReachPanel />
                        <DetailsPanel />
                    </aside>
                </main>
                <footer class="footer">
                    <span>{ "Everything runs in this page: nothing you paste leaves your browser. Share links keep it in the address bar's fragment, which browsers never send; Secret values are redacted." }</span>
                    <span>{ "Examples: real published manifests, see their licences in the example list." }</span>
                </footer>
            </div>
        </ContextProvider<AppContext>>
    }
}

/// Notices that offer a way back: a share link that changes the snapshot
/// (with reset), and an example that replaced the user's text (with
/// restore).
#[component]
fn Banners() -> Html {
    let state = use_context::<AppContext>().expect("AppContext is provided by App");
    let act = |a: fn() -> Action| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(a()))
    };
    html! {
        <>
            if !state.link_banner.is_empty() {
                <div class="banner" role="status" data-testid="link-banner">
                    <p>
                        <strong>{ "This link changes the snapshot: " }</strong>
                        { state.link_banner.join("; ") }
                        { ". The graph shows these changes; the manifests do not." }
                    </p>
                    <button class="button" onclick={act(|| Action::Reset)} data-testid="link-reset">{ "Reset to the manifests" }</button>
                    <button class="button" onclick={act(|| Action::DismissBanner)}>{ "Keep the changes" }</button>
                </div>
            }
            if state.replaced.is_some() {
                <div class="banner" role="status" data-testid="replaced-banner">
                    <p>{ "The example replaced your manifests." }</p>
                    <button class="button" onclick={act(|| Action::Restore)} data-testid="restore">{ "Restore mine" }</button>
                </div>
            }
        </>
    }
}

/// Below 1100 px the panes are tabs (CSS hides this bar on wider screens).
#[component]
fn Tabs() -> Html {
    let state = use_context::<AppContext>().expect("AppContext is provided by App");
    html! {
        <nav class="tabs" role="tablist" aria-label="Panes" data-testid="tabs">
            { for crate::state::Tab::ALL.iter().map(|&tab| {
                let onclick = {
                    let state = state.clone();
                    Callback::from(move |_: MouseEvent| state.dispatch(Action::ShowTab(tab)))
                };
                let on = state.tab == tab;
                html! {
                    <button role="tab" class={classes!("tab", on.then_some("on"))} aria-selected={on.to_string()} {onclick}
                        data-testid={format!("tab-{}", tab.name().to_ascii_lowercase())}>{ tab.name() }</button>
                }
            }) }
        </nav>
    }
}
