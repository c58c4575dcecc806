//! The page: toolbar, editor and findings, graph, details.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use super::AppContext;
use super::details::DetailsPanel;
use super::diagnostics::DiagnosticsList;
use super::editor::Editor;
use super::graph_view::GraphView;
use super::toolbar::Toolbar;
use super::trace_panel::TracePanel;
use crate::state::{Action, State, Theme};

/// Milliseconds of quiet typing before the text is analysed again.
pub const DEBOUNCE_MS: u32 = 300;

#[component]
pub fn App() -> Html {
    let state = use_reducer(State::initial);
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
                <Toolbar />
                <main class="workspace">
                    <section class="pane left" aria-label="Manifests and findings">
                        <Editor />
                        <DiagnosticsList />
                    </section>
                    <section class="pane center" aria-label="Routing graph">
                        <GraphView />
                    </section>
                    <aside class="pane right" aria-label="Trace and details">
                        <TracePanel />
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
