//! The manifest editor: a textarea with a line-number gutter that marks the
//! lines with findings (their messages on hover).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::AppContext;
use crate::state::Action;

/// Pixel height of one editor line (kept in step with `--line` in the CSS).
pub const LINE_PX: f64 = 18.0;

/// Up to this many lines the gutter marks the lines with findings.
const GUTTER_ELEMENTS_UP_TO: usize = 5000;

#[component]
pub fn Editor() -> Html {
    let state = use_context::<AppContext>().expect("AppContext is provided by App");
    let area = use_node_ref();
    let gutter = use_node_ref();
    let oninput = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let t: HtmlTextAreaElement = e.target_unchecked_into();
            state.dispatch(Action::Edit(t.value()));
        })
    };
    let onscroll = {
        let (area, gutter) = (area.clone(), gutter.clone());
        Callback::from(move |_: Event| {
            if let (Some(a), Some(g)) = (
                area.cast::<HtmlTextAreaElement>(),
                gutter.cast::<web_sys::HtmlElement>(),
            ) {
                g.set_scroll_top(a.scroll_top());
            }
        })
    };
    {
        let area = area.clone();
        let text = state.text.clone();
        use_effect_with(state.goto, move |goto| {
            if let (Some((line, _)), Some(a)) = (goto, area.cast::<HtmlTextAreaElement>()) {
                let start: usize = text
                    .split_inclusive('\n')
                    .take(line.saturating_sub(1))
                    .map(|l| l.encode_utf16().count())
                    .sum();
                let len = text
                    .split_inclusive('\n')
                    .nth(line.saturating_sub(1))
                    .map_or(0, |l| {
                        l.trim_end_matches(['\n', '\r']).encode_utf16().count()
                    });
                let _ = a.focus();
                let _ = a.set_selection_range(start as u32, (start + len) as u32);
                a.set_scroll_top((((*line as f64) - 4.0).max(0.0) * LINE_PX) as i32);
            }
        });
    }
    let mut marks: BTreeMap<usize, (bool, String)> = BTreeMap::new();
    for d in &state.view.diagnostics {
        let e = marks.entry(d.line).or_insert((false, String::new()));
        e.0 |= d.severity == portolan_core::diag::Severity::Error;
        if !e.1.is_empty() {
            e.1.push('\n');
        }
        let _ = write!(e.1, "{}: {}", d.code, d.message);
    }
    let lines = state.text.lines().count().max(1);
    // Large inputs get a plain block of numbers: one text node instead of
    // one element per line.
    let gutter_lines = if lines > GUTTER_ELEMENTS_UP_TO {
        let mut numbers = String::with_capacity(lines * 7);
        for n in 1..=lines {
            let _ = writeln!(numbers, "{n}");
        }
        html! { <pre class="gutter-plain">{ numbers }</pre> }
    } else {
        html! {
            <>
                { for (1..=lines).map(|n| match marks.get(&n) {
                    Some((error, title)) => html! {
                        <div class={classes!("ln", if *error { "ln-error" } else { "ln-warn" })} title={title.clone()}>{ n }</div>
                    },
                    None => html! { <div class="ln">{ n }</div> },
                }) }
            </>
        }
    };
    html! {
        <div class="editor">
            <div class="gutter" ref={gutter} aria-hidden="true">
                { gutter_lines }
            </div>
            <textarea
                ref={area}
                data-testid="editor"
                class="code"
                spellcheck="false"
                autocomplete="off"
                aria-label="Kubernetes manifests (YAML or JSON)"
                value={state.text.to_string()}
                {oninput}
                {onscroll}
            />
        </div>
    }
}
