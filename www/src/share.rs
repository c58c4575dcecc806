//! Share links and exports. A share link carries the manifests (Secret
//! values redacted) and the what-if changes in the URL fragment, deflated
//! and base64url-encoded: the fragment never reaches any server. Exports
//! (SVG, PNG, JSON) are made in the page and downloaded from blob URLs.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use portolan_core::snapshot::WhatIf;
use wasm_bindgen::JsCast;

use crate::layout::{INSET, LINE1_Y, LINE2_Y, Layout, NODE_H};

const PREFIX: &str = "#s1=";

/// What a share link carries: the text (Secret values redacted), the
/// what-if changes, compare mode's base, the trace asked and the node
/// selected. On the wire: `{"text", "whatIf", "base"?, "trace"?,
/// "selected"?}`, deflated; links made before the trace and selection were
/// added read the same.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Link {
    pub text: String,
    #[serde(rename = "whatIf", default)]
    pub what_if: WhatIf,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<crate::worker::TraceRequest>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<String>,
}

/// The fragment for a link. `text` must already have its Secret values
/// redacted (`portolan_core::redact`, run by the analysis worker so the
/// page itself needs no YAML parser).
pub fn encode(link: &Link) -> String {
    let payload = serde_json::to_string(link).unwrap_or_default();
    let deflated = miniz_oxide::deflate::compress_to_vec(payload.as_bytes(), 9);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(deflated))
}

/// The link in a fragment, if it is one of ours and well formed.
pub fn decode(fragment: &str) -> Option<Link> {
    let data = fragment.strip_prefix(PREFIX)?;
    let deflated = URL_SAFE_NO_PAD.decode(data).ok()?;
    // Bounded: a hostile link cannot make the page inflate gigabytes.
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, 64 << 20).ok()?;
    serde_json::from_slice(&raw).ok()
}

/// The link in the page's own fragment, if any.
pub fn from_location() -> Option<Link> {
    let hash = web_sys::window()?.location().hash().ok()?;
    decode(&hash)
}

/// Put a share link's fragment into the address bar without reloading or
/// adding history.
pub fn to_location(fragment: &str) -> Option<()> {
    let window = web_sys::window()?;
    let url = format!("{}{}", window.location().pathname().ok()?, fragment);
    window
        .history()
        .ok()?
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
        .ok()
}

/// Copy the page's address (a share link) to the clipboard, where the
/// browser allows it.
pub fn copy_location() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(href) = window.location().href() {
        // Refused without a user gesture or permission: the link stays in
        // the address bar.
        let _ = window.navigator().clipboard().write_text(&href);
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A standalone SVG of the laid-out graph (presentation attributes only, so
/// it renders the same anywhere).
pub fn svg(layout: &Layout) -> String {
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" font-family=\"Helvetica, Arial, sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
        w = layout.width,
        h = layout.height
    );
    for g in &layout.groups {
        let (fill, stroke) = if g.kind == "namespace" {
            ("#f6f8fa", "#c9d1d9")
        } else {
            ("none", "#d8dee4")
        };
        s.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"{fill}\" stroke=\"{stroke}\"/>\n",
            g.x, g.y, g.width, g.height
        ));
        let (x, y, anchor, label) = if g.kind == "namespace" {
            (g.x + 8, g.y + 15, "start", format!("namespace {}", g.label))
        } else {
            (g.x + g.width - 6, g.y + 14, "end", g.label.clone())
        };
        s.push_str(&format!(
            "<text x=\"{x}\" y=\"{y}\" font-size=\"11.5\" text-anchor=\"{anchor}\" fill=\"#5b6570\">{}</text>\n",
            escape(&label)
        ));
    }
    for e in &layout.edges {
        let dash = if e.ready == Some(false) {
            " stroke-dasharray=\"4 3\""
        } else {
            ""
        };
        s.push_str(&format!(
            "<path d=\"{}\" fill=\"none\" stroke=\"#8a96a3\" stroke-width=\"1.2\"{dash}/>\n",
            e.d
        ));
        if e.label_shown {
            let anchor = if e.label_end { "end" } else { "start" };
            s.push_str(&format!("<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"{anchor}\" fill=\"#5b6570\">{}</text>\n", e.label_x, e.label_y, escape(&e.short)));
        }
    }
    for n in &layout.nodes {
        let (fill, stroke) = match n.kind.as_str() {
            "service" => ("#e8f1fc", "#0b6bcb"),
            "service-port" => ("#eef7ee", "#2e7d32"),
            "pod" | "pod-group" | "endpoint" => ("#fff6e5", "#b26a00"),
            _ => ("#f3ecfb", "#6a3fb5"),
        };
        let dash = if n.synthetic && n.kind != "service" {
            " stroke-dasharray=\"5 3\""
        } else {
            ""
        };
        s.push_str(&format!(
            "<g transform=\"translate({},{})\"><rect width=\"{}\" height=\"{NODE_H}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.3\"{dash}/><text x=\"{INSET}\" y=\"{LINE1_Y}\" font-size=\"13\" font-weight=\"600\" fill=\"#1b1f24\">{}</text><text x=\"{INSET}\" y=\"{LINE2_Y}\" font-size=\"11.5\" font-family=\"monospace\" fill=\"#5b6570\">{}</text></g>\n",
            n.x,
            n.y,
            n.w,
            escape(&n.line1),
            escape(&n.line2)
        ));
    }
    s.push_str("</svg>\n");
    s
}

/// Offer `content` as a download named `name`.
pub fn download(name: &str, mime: &str, content: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    download_blob(&document, name, &blob);
}

fn download_blob(document: &web_sys::Document, name: &str, blob: &web_sys::Blob) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Ok(a) = document.create_element("a")
        && let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>()
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Render the SVG onto a canvas and download it as PNG.
pub fn download_png(name: &str, svg_text: &str, width: i32, height: i32) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(svg_text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let Ok(img) = web_sys::HtmlImageElement::new() else {
        return;
    };
    let name = name.to_owned();
    let img2 = img.clone();
    let src = url.clone();
    let onload = wasm_bindgen::closure::Closure::once_into_js(move || {
        let Ok(canvas) = document
            .create_element("canvas")
            .map(wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlCanvasElement>)
        else {
            return;
        };
        // Capped so a huge graph does not exhaust memory.
        let scale = (8192.0 / f64::from(width.max(height))).min(2.0);
        canvas.set_width((f64::from(width) * scale) as u32);
        canvas.set_height((f64::from(height) * scale) as u32);
        if let Ok(Some(ctx)) = canvas.get_context("2d") {
            let ctx = ctx.unchecked_into::<web_sys::CanvasRenderingContext2d>();
            let _ = ctx.scale(scale, scale);
            let _ = ctx.draw_image_with_html_image_element(&img2, 0.0, 0.0);
            let document2 = document.clone();
            let cb =
                wasm_bindgen::closure::Closure::once_into_js(move |blob: Option<web_sys::Blob>| {
                    if let Some(b) = blob {
                        download_blob(&document2, &name, &b);
                    }
                });
            let _ = canvas.to_blob(cb.unchecked_ref());
        }
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    img.set_onload(Some(onload.unchecked_ref()));
    img.set_src(&src);
}
