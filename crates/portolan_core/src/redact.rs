//! Secret values never leave through Portolan: `redact_secrets` blanks the
//! values under `data` and `stringData` of every `Secret` in a text (for
//! share links), keeping everything else byte for byte.

use crate::yaml::{Kind, parse_all};

pub const REDACTED: &str = "\"<redacted by Portolan>\"";

/// The text with every Secret's `data`/`stringData` values replaced.
pub fn redact_secrets(text: &str) -> String {
    let (docs, _) = parse_all(text);
    let mut spans = Vec::new();
    for d in &docs {
        collect(&d.root, &mut spans);
    }
    if spans.is_empty() {
        return text.to_owned();
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in spans {
        if start < at {
            continue;
        }
        // Block scalars' spans run over trailing blank lines (and, at the
        // end of a document, the next marker): keep those.
        let value = &text[start..end];
        let value = value.find("\n---").map_or(value, |i| &value[..i]);
        let end = start + value.trim_end().len();
        out.push_str(&text[at..start]);
        out.push_str(REDACTED);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

fn collect(node: &crate::yaml::Node<'_>, spans: &mut Vec<(usize, usize)>) {
    let is_secret = node
        .get("kind")
        .and_then(|k| k.as_scalar())
        .is_some_and(|(k, _)| k == "Secret");
    if is_secret {
        for key in ["data", "stringData"] {
            if let Some(map) = node.get(key).and_then(|m| m.as_map()) {
                for (_, v) in map {
                    spans.push((v.span.start(), v.span.end()));
                }
            }
        }
    }
    // Lists of objects (`kind: List`).
    if let Some(items) = node.get("items").and_then(|i| i.as_seq()) {
        for item in items {
            if matches!(item.kind, Kind::Map(_)) {
                collect(item, spans);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_values_are_blanked_and_nothing_else_changes() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: c2VjcmV0\nstringData:\n  token: |\n    abc\n    def\n---\nkind: ConfigMap\ndata:\n  keep: me\n";
        let out = redact_secrets(text);
        assert!(!out.contains("c2VjcmV0") && !out.contains("abc"));
        assert!(out.contains("keep: me"));
        assert!(out.contains("name: db"));
        // Still valid YAML with the same keys.
        let (docs, diags) = parse_all(&out);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            docs[0]
                .root
                .get("data")
                .unwrap()
                .get("password")
                .unwrap()
                .as_scalar()
                .unwrap()
                .0,
            "<redacted by Portolan>"
        );
    }

    #[test]
    fn secrets_inside_lists_are_blanked() {
        let text = "kind: List\nitems:\n- kind: Secret\n  data: {a: eHl6}\n";
        assert!(!redact_secrets(text).contains("eHl6"));
    }
}
