//! The manifest editor: a textarea with a line-number gutter that marks the
//! lines with findings, over a backdrop that underlines each finding at its
//! exact columns; hovering an underline shows its message and help.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::AppContext;
use crate::state::Action;

/// Pixel height of one editor line (kept in step with `--line` in the CSS).
pub const LINE_PX: f64 = 18.0;

#[component]
pub fn Editor() -> Html {
    let state = use_context::<AppContext>().expect("AppContext is provided by App");
    let area = use_node_ref();
    let gutter = use_node_ref();
    let backdrop = use_node_ref();
    let oninput = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let t: HtmlTextAreaElement = e.target_unchecked_into();
            state.dispatch(Action::Edit(t.value()));
            // A paste or a drop is analysed at once; only typing waits for
            // a pause.
            if e.input_type().starts_with("insertFrom") {
                state.dispatch(Action::Analyse);
            }
        })
    };
    let onscroll = {
        let (area, gutter, backdrop) = (area.clone(), gutter.clone(), backdrop.clone());
        Callback::from(move |_: Event| {
            let Some(a) = area.cast::<HtmlTextAreaElement>() else {
                return;
            };
            if let Some(g) = gutter.cast::<web_sys::HtmlElement>() {
                g.set_scroll_top(a.scroll_top());
            }
            if let Some(b) = backdrop.cast::<web_sys::HtmlElement>() {
                b.set_scroll_top(a.scroll_top());
                b.set_scroll_left(a.scroll_left());
            }
        })
    };
    // The underlines sit under the textarea: find the one under the pointer
    // and show its message as the textarea's tooltip.
    let onmousemove = Callback::from(move |e: MouseEvent| {
        let t: HtmlTextAreaElement = e.target_unchecked_into();
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let hit = doc
            .elements_from_point(e.client_x() as f32, e.client_y() as f32)
            .iter()
            .filter_map(|el| el.dyn_into::<web_sys::Element>().ok())
            .find_map(|el| el.get_attribute("data-message"));
        let title = hit.unwrap_or_default();
        if t.title() != title {
            t.set_title(&title);
        }
    });
    {
        let area = area.clone();
        let text = state.text.clone();
        use_effect_with(state.goto, move |goto| {
            if let (Some((line, _)), Some(a)) = (goto, area.cast::<HtmlTextAreaElement>()) {
                // Offsets into the textarea's value, where every line ends
                // in one LF.
                let text = one_break(&text);
                let start: usize = text
                    .split_inclusive('\n')
                    .take(line.saturating_sub(1))
                    .map(|l| l.encode_utf16().count())
                    .sum();
                let len = text
                    .split_inclusive('\n')
                    .nth(line.saturating_sub(1))
                    .map_or(0, |l| l.trim_end_matches('\n').encode_utf16().count());
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
    // Lines as the textarea shows them (and as the core counts them): CRLF
    // and a lone CR each end a line.
    let shown = one_break(&state.text);
    // A final line break starts a last, empty line, which the gutter
    // numbers too, so that both scroll as far.
    let lines = shown.split('\n').count();
    // One block of numbers, its marked lines the only elements in it: a
    // paste lays out one text, not an element per line.
    let mut gutter_lines: Vec<Html> = Vec::with_capacity(marks.len() * 2 + 1);
    let mut numbers = String::with_capacity(lines * 7);
    for n in 1..=lines {
        match marks.get(&n) {
            Some((error, title)) => {
                gutter_lines.push(html! { { std::mem::take(&mut numbers) } });
                gutter_lines.push(html! {
                    <span class={classes!(if *error { "ln-error" } else { "ln-warn" })} title={title.clone()}>{ n }</span>
                });
                numbers.push('\n');
            }
            None => {
                let _ = writeln!(numbers, "{n}");
            }
        }
    }
    // One line more than the text: the textarea can scroll a scrollbar's
    // height further when its long lines give it a horizontal one.
    numbers.push_str("\n ");
    gutter_lines.push(html! { { numbers } });
    let underlines = underline(&shown, &state.view.diagnostics);
    // Files dropped anywhere on the editor replace its text.
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let state = state.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(files) = e.data_transfer().and_then(|d| d.files())
                && files.length() > 0
            {
                crate::files::open(&files, &state);
            }
        })
    };
    html! {
        <div class="editor" {ondragover} {ondrop}>
            <div class="gutter" ref={gutter} aria-hidden="true">
                <pre class="gutter-plain">{ for gutter_lines }</pre>
            </div>
            <div class="code-wrap">
            <pre class="code code-backdrop" ref={backdrop} aria-hidden="true" data-testid="underlines">{ underlines }</pre>
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
                {onmousemove}
            />
            </div>
        </div>
    }
}

/// One underlined range: char offsets into the text, severity rank
/// (2 error, 1 warning, 0 info) and the tooltip.
struct Range {
    start: usize,
    end: usize,
    rank: u8,
    message: String,
    line: usize,
}

/// Each finding's range in chars of the text, ordered by start (the most
/// severe first).
fn ranges(text: &str, diagnostics: &[crate::view::DiagView]) -> (Vec<Range>, usize) {
    use portolan_core::diag::Severity;
    // Char offset of the start of each line (columns are in chars).
    let mut line_starts = vec![0usize];
    let mut chars = 0usize;
    for c in text.chars() {
        chars += 1;
        if c == '\n' {
            line_starts.push(chars);
        }
    }
    let offset = |line: usize, column: usize| -> Option<usize> {
        let start = *line_starts.get(line.checked_sub(1)?)?;
        let next = line_starts.get(line).copied().unwrap_or(chars + 1);
        // Clamp into the line (before its newline).
        Some(
            (start + column.saturating_sub(1))
                .min(next.saturating_sub(1))
                .min(chars),
        )
    };
    let mut ranges: Vec<Range> = diagnostics
        .iter()
        .filter_map(|d| {
            let start = offset(d.line, d.column)?;
            let mut end = offset(d.end_line, d.end_column).unwrap_or(start);
            if end <= start {
                // A point: underline one character (or the line's end).
                end = (start + 1).min(chars);
            }
            let mut message = format!("{}: {}", d.code, d.message);
            if let Some(h) = &d.help {
                let _ = write!(message, "\nhelp: {h}");
            }
            Some(Range {
                start,
                end,
                rank: match d.severity {
                    Severity::Error => 2,
                    Severity::Warning => 1,
                    Severity::Info => 0,
                },
                message,
                line: d.line,
            })
        })
        .filter(|r| r.end > r.start)
        .collect();
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.rank)));
    (ranges, chars)
}

/// The text with every finding's range wrapped in a `mark`; invisible text
/// under the textarea's own, so only the underlines show. Only what places
/// an underline is kept: each line break, and on a line with a finding the
/// text before it. The longest line closes it, so the backdrop scrolls as
/// wide as the textarea. A large input lays out little more than its
/// findings.
fn underline(text: &str, diagnostics: &[crate::view::DiagView]) -> Html {
    let (ranges, _) = ranges(text, diagnostics);
    if ranges.is_empty() {
        return html! {};
    }
    // Overlaps: a later range starts where the earlier one ended.
    let mut out: Vec<Html> = Vec::with_capacity(ranges.len() * 2 + 1);
    let all: Vec<char> = text.chars().collect();
    let mut at = 0usize;
    let mut i = 0;
    while i < ranges.len() {
        let r = &ranges[i];
        let start = r.start.max(at);
        // Findings on the same range share one underline and one tooltip.
        let mut message = r.message.clone();
        let mut j = i + 1;
        while j < ranges.len() && ranges[j].start == r.start && ranges[j].end == r.end {
            message.push_str("\n\n");
            message.push_str(&ranges[j].message);
            j += 1;
        }
        if start < r.end {
            if start > at {
                out.push(html! { { placing(&all[at..start]) } });
            }
            let class = match r.rank {
                2 => "u-error",
                1 => "u-warn",
                _ => "u-info",
            };
            let chunk: String = all[start..r.end].iter().collect();
            out.push(html! {
                <mark class={class} data-message={message} data-line={r.line.to_string()}>{ chunk }</mark>
            });
            at = r.end;
        }
        i = j;
    }
    let mut rest = placing(&all[at..]);
    // The longest line, and a character after a trailing newline to take
    // its height.
    rest.push('\n');
    let longest = text.lines().max_by_key(|l| columns(l)).unwrap_or_default();
    rest.push_str(if longest.is_empty() { " " } else { longest });
    out.push(html! { { rest } });
    html! { <>{ for out }</> }
}

/// `text` with each CRLF and lone CR as one LF, as a textarea holds it.
fn one_break(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    }
}

/// How many columns a line takes in the editor: a tab runs to the next
/// multiple of its 2 columns; East Asian wide characters take 2.
fn columns(line: &str) -> usize {
    line.chars().fold(0, |at, c| match c {
        '\t' => at + 2 - at % 2,
        '\u{1100}'..='\u{115f}'
        | '\u{2e80}'..='\u{a4cf}'
        | '\u{ac00}'..='\u{d7a3}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ff00}'..='\u{ff60}'
        | '\u{1f300}'..='\u{1faff}'
        | '\u{20000}'..='\u{3fffd}' => at + 2,
        _ => at + 1,
    })
}

/// What of unmarked text places the marks after it: its line breaks, and
/// the text after the last of them (before a mark on the same line).
fn placing(text: &[char]) -> String {
    match text.iter().rposition(|&c| c == '\n') {
        None => text.iter().collect(),
        Some(last) => {
            let breaks = text[..=last].iter().filter(|&&c| c == '\n').count();
            let mut s = "\n".repeat(breaks);
            s.extend(&text[last + 1..]);
            s
        }
    }
}
