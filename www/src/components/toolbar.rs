//! The top bar: name, examples, summary, theme.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::AppContext;
use crate::examples::EXAMPLES;
use crate::state::{Action, Theme};

#[component]
pub fn Toolbar() -> Html {
    let state = use_context::<AppContext>().expect("AppContext is provided by App");
    let on_example = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = select.value().parse::<usize>() {
                state.dispatch(Action::LoadExample(i));
            }
        })
    };
    let on_theme = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::ToggleTheme))
    };
    let on_undo = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Undo))
    };
    let on_reset = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Reset))
    };
    let on_share = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Share))
    };
    let on_compare = {
        let state = state.clone();
        let comparing = state.base.is_some();
        Callback::from(move |_| {
            state.dispatch(if comparing {
                Action::StopCompare
            } else {
                Action::KeepBase
            });
        })
    };
    let export = |kind: &'static str| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let layout = &state.view.layout;
            match kind {
                "svg" => crate::share::download(
                    "portolan-graph.svg",
                    "image/svg+xml",
                    &crate::share::svg(layout),
                ),
                "png" => crate::share::download_png(
                    "portolan-graph.png",
                    &crate::share::svg(layout),
                    layout.width,
                    layout.height,
                ),
                _ => state.dispatch(Action::ExportJson),
            }
        })
    };
    let on_open = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(files) = input.files() {
                crate::files::open(&files, &state);
            }
            // Picking the same files again still fires a change.
            input.set_value("");
        })
    };
    let changes = state.undo.len();
    let edited = EXAMPLES
        .get(state.example)
        .is_none_or(|e| *state.text != *e.full());
    let v = &state.view;
    let stale = state.text != state.analysed;
    html! {
        <header class="toolbar">
            <h1 class="brand">
                <svg class="mark" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
                    <circle cx="12" cy="12" r="10" fill="none" stroke-width="2" />
                    <path d="M12 3 L14.5 12 L12 21 L9.5 12 Z" />
                </svg>
                { "Portolan" }
            </h1>
            <label class="examples">
                <span>{ "Example" }</span>
                <select data-testid="examples" onchange={on_example}>
                    { for EXAMPLES.iter().enumerate().map(|(i, ex)| html! {
                        <option value={i.to_string()} title={ex.source} selected={i == state.example && !edited}>{ ex.title }</option>
                    }) }
                    if edited { <option value="" selected=true disabled=true>{ "Your manifests" }</option> }
                </select>
            </label>
            <label class="button open-files" title="Open manifest files (or drop them on the editor); they are read in this page, never uploaded">
                { "Open…" }
                <input type="file" multiple=true accept=".yaml,.yml,.json,text/yaml,application/json" class="visually-hidden" data-testid="open-files" onchange={on_open} />
            </label>
            <div class="summary" data-testid="summary" aria-live="polite">
                <span class="badge">{ format!("{} objects", v.objects) }</span>
                <span class="badge">{ format!("{} services", v.services) }</span>
                <span class="badge">{ format!("{} pods", v.pods) }</span>
                <span class={classes!("badge", (v.errors > 0).then_some("bad"))} data-testid="error-count">{ format!("{} errors", v.errors) }</span>
                <span class={classes!("badge", (v.warnings > 0).then_some("warn"))}>{ format!("{} warnings", v.warnings) }</span>
                if stale { <span class="badge muted">{ "analysing…" }</span> }
            </div>
            if changes > 0 {
                <span class="badge warn" data-testid="what-if">{ format!("{changes} change{} to the snapshot", if changes == 1 { "" } else { "s" }) }</span>
                <button class="button" onclick={on_undo} data-testid="undo">{ "Undo" }</button>
                <button class="button" onclick={on_reset} data-testid="reset">{ "Reset" }</button>
            }
            <button class={classes!("button", state.base.is_some().then_some("active"))} onclick={on_compare} data-testid="compare" aria-pressed={state.base.is_some().to_string()}
                title="Keep the text as it is now as the base, then edit: the changes to routing (portolan diff) are listed and marked on the graph">
                { if state.base.is_some() { "Stop comparing" } else { "Compare from here" } }
            </button>
            <div class="exports" role="group" aria-label="Share and export">
                <button class="button" onclick={on_share} data-testid="share" title="Put manifests and changes into the address bar (Secret values are redacted; the fragment is never sent to a server)">{ "Share link" }</button>
                <button class="button" onclick={export("svg")} data-testid="export-svg">{ "SVG" }</button>
                <button class="button" onclick={export("png")} data-testid="export-png">{ "PNG" }</button>
                <button class="button" onclick={export("json")} data-testid="export-json">{ "JSON" }</button>
            </div>
            if state.shared.is_some() {
                <span class="badge" data-testid="shared" title="The link is in the address bar and, where the browser allows it, on the clipboard">{ "link copied" }</span>
            }
            <button class="button" onclick={on_theme} aria-label="Switch between light and dark theme">
                { if state.theme == Theme::Dark { "Light theme" } else { "Dark theme" } }
            </button>
        </header>
    }
}
