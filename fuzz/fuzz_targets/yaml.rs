//! Fuzz target: the YAML layer alone — bytes → events → span-exact trees,
//! every scalar resolved as kubectl's YAML 1.1 decoder would, and the trees
//! as JSON. Nothing may panic, and every span must lie inside the text on
//! character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portolan_core::yaml::{Node, parse_all, to_json};

fn walk(node: &Node<'_>, text: &str) {
    let (s, e) = (node.span.start(), node.span.end());
    assert!(
        s <= e && e <= text.len(),
        "span {s}..{e} outside {}",
        text.len()
    );
    assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
    let _ = node.resolve();
    if let Some(m) = node.as_map() {
        for (k, v) in m {
            walk(k, text);
            walk(v, text);
        }
    } else if let Some(items) = node.as_seq() {
        for i in items {
            walk(i, text);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (docs, diags) = parse_all(&text);
    for d in &docs {
        walk(&d.root, &text);
        let _ = to_json(&d.root);
    }
    for d in &diags {
        assert!(d.span.end() <= text.len());
    }
});
