//! Tests of the YAML layer: spans, multi-document streams, errors and limits.

use std::fmt::Write as _;

use super::*;
use crate::codes;
use crate::source::Source;

fn slice<'a>(text: &'a str, node: &Node<'_>) -> &'a str {
    &text[node.span.start()..node.span.end()]
}

#[test]
fn spans_point_at_the_exact_scalar() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: \"web\"\n";
    let (docs, diags) = parse_all(text);
    assert!(diags.is_empty(), "{diags:?}");
    let root = &docs[0].root;
    let name = root.get("metadata").unwrap().get("name").unwrap();
    assert_eq!(slice(text, name), "\"web\"");
    assert_eq!(name.as_scalar(), Some(("web", Style::DoubleQuoted)));
    let src = Source::new("t", text);
    let pos = src.position(name.span.start());
    assert_eq!((pos.line, pos.column), (4, 9));
}

#[test]
fn spans_are_bytes_even_after_multibyte_text() {
    let text = "a: \"héllo wörld 😀\"\nb: target\n";
    let (docs, _) = parse_all(text);
    let b = docs[0].root.get("b").unwrap();
    assert_eq!(slice(text, b), "target");
}

#[test]
fn bom_and_crlf() {
    let text = "\u{feff}a: 1\r\nb: two\r\n---\r\nc: 3\r\n";
    let (docs, diags) = parse_all(text);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(docs.len(), 2);
    assert_eq!(slice(text, docs[0].root.get("b").unwrap()), "two");
    assert_eq!(slice(text, docs[1].root.get("c").unwrap()), "3");
}

#[test]
fn a_syntax_error_spoils_only_its_document() {
    let text = "a: 1\n---\nb: [1, 2\nc: %oops\n---\nd: 4\n";
    let (docs, diags) = parse_all(text);
    assert_eq!(docs.len(), 2, "{docs:?}");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, codes::YAML_SYNTAX.code);
    let src = Source::new("t", text);
    assert_eq!(src.position(diags[0].span.start()).line, 4);
    assert_eq!(docs[1].index, 1);
    assert!(docs[1].root.get("d").is_some());
}

#[test]
fn flow_style_and_json() {
    let text = "{\"kind\": \"Service\", \"spec\": {\"ports\": [{\"port\": 80,},],},}\n";
    let (docs, diags) = parse_all(text);
    assert!(diags.is_empty(), "{diags:?}");
    let port = &docs[0]
        .root
        .get("spec")
        .unwrap()
        .get("ports")
        .unwrap()
        .as_seq()
        .unwrap()[0];
    assert_eq!(port.get("port").unwrap().resolve(), Resolved::Int(80));
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let text = "base: &b {app: web, tier: fe}\nsel: *b\nmerged:\n  <<: *b\n  tier: be\n";
    let (docs, diags) = parse_all(text);
    assert!(diags.is_empty(), "{diags:?}");
    let root = &docs[0].root;
    assert_eq!(
        root.get("sel")
            .unwrap()
            .get("app")
            .unwrap()
            .as_scalar()
            .unwrap()
            .0,
        "web"
    );
    let merged = root.get("merged").unwrap();
    assert_eq!(merged.get("app").unwrap().as_scalar().unwrap().0, "web");
    assert_eq!(merged.get("tier").unwrap().as_scalar().unwrap().0, "be");
}

#[test]
fn duplicate_keys_are_reported_at_the_second() {
    let text = "metadata:\n  name: a\n  name: b\n";
    let (docs, diags) = parse_all(text);
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, codes::YAML_DUPLICATE_KEY.code);
    assert_eq!(&text[diags[0].span.start()..diags[0].span.end()], "name");
    assert_eq!(
        Source::new("t", text).position(diags[0].span.start()).line,
        3
    );
    assert_eq!(
        docs[0]
            .root
            .get("metadata")
            .unwrap()
            .get("name")
            .unwrap()
            .as_scalar()
            .unwrap()
            .0,
        "b"
    );
}

#[test]
fn billion_laughs_is_bounded() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = i - 1;
        let _ = writeln!(
            text,
            "l{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]",
            p = if prev == 0 {
                String::new()
            } else {
                prev.to_string()
            }
        );
    }
    let text = text.replace("*a,", "*a ,").replace("*a]", "*a ]");
    let (docs, diags) = parse_all(&text);
    assert!(docs.is_empty());
    assert!(
        diags.iter().any(|d| d.code == codes::YAML_LIMIT.code),
        "{diags:?}"
    );
}

#[test]
fn deep_nesting_is_bounded() {
    // Flow nesting: the scanner's own bound (255) reports a syntax error.
    let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let (docs, diags) = parse_all(&text);
    assert!(docs.is_empty());
    assert_eq!(diags.len(), 1);
    // Block nesting: our depth limit.
    let mut text = String::new();
    for depth in 0..200 {
        text.push_str(&" ".repeat(depth));
        text.push_str("a:\n");
    }
    let (docs, diags) = parse_all(&text);
    assert!(docs.is_empty());
    assert_eq!(diags[0].code, codes::YAML_LIMIT.code);
}

#[test]
fn yaml11_scalars_warn() {
    let text = "a: yes\nb: \"yes\"\nc: 0777\nd: 80\n";
    let (_, diags) = parse_all(text);
    let lines: Vec<_> = diags
        .iter()
        .map(|d| (d.code, Source::new("t", text).position(d.span.start()).line))
        .collect();
    assert_eq!(
        lines,
        vec![
            (codes::YAML_11_SCALAR.code, 1),
            (codes::YAML_11_SCALAR.code, 3)
        ]
    );
}

#[test]
fn explicit_tags() {
    let text = "a: !!str 123\nb: !!int \"7\"\n";
    let (docs, _) = parse_all(text);
    assert_eq!(
        docs[0].root.get("a").unwrap().resolve(),
        Resolved::Str("123")
    );
    assert_eq!(docs[0].root.get("b").unwrap().resolve(), Resolved::Int(7));
}

#[test]
fn empty_and_comment_only_documents_are_skipped() {
    let (docs, diags) = parse_all("# nothing\n---\n---\n# still nothing\n");
    assert!(docs.is_empty());
    assert!(diags.is_empty());
}

#[test]
fn a_kubectl_list_is_cut_at_its_items() {
    let item = "- apiVersion: v1\n  kind: Service\n  metadata:\n    name: web\n";
    let text = format!(
        "apiVersion: v1\nkind: List\nitems:\n{}metadata:\n  resourceVersion: \"\"\n",
        item.repeat(10)
    );
    let pieces = cut(&text, &Limits::default(), item.len() * 3).unwrap();
    let [Piece::List(list)] = pieces.as_slice() else {
        panic!("{pieces:?}");
    };
    let first = text.find("- ").unwrap();
    let tail = text.find("metadata:\n  resource").unwrap();
    assert_eq!(
        (list.key, list.region),
        (text.find("items:").unwrap(), (first, tail))
    );
    assert_eq!(list.parts.len(), 4, "{list:?}");
    assert!(list.parts.windows(2).all(|w| w[0].1 == w[1].0));
    let mut items = 0;
    let mut diags = Vec::new();
    for &part in &list.parts {
        let aliases = parse_items(0, &text, part, &Limits::default(), &mut diags, |d, _| {
            assert_eq!(d.root.get("kind").and_then(Node::key_text), Some("Service"));
            items += 1;
        });
        assert_eq!(aliases, Some(0));
    }
    assert_eq!(items, 10);
    let mut rest = None;
    parse_list_rest(0, &text, list, &Limits::default(), &mut diags, |d, _| {
        let items = d.root.get("items").unwrap();
        rest = Some((
            items.as_seq().map(<[_]>::len),
            items.span,
            d.root.get("metadata").unwrap().span,
        ));
    })
    .unwrap();
    let (n, items_span, meta_span) = rest.unwrap();
    assert_eq!(n, Some(0));
    assert_eq!((items_span.start(), items_span.end()), (first, tail));
    // The rest's spans are the source's, after the left-out items.
    assert_eq!(meta_span.start(), tail + "metadata:\n  ".len());
    assert!(diags.is_empty(), "{diags:?}");
    // Another kind's `items` are data: the rest refuses the cut.
    let other = text.replace("kind: List", "kind: ConfigMap");
    let Piece::List(list) = &cut(&other, &Limits::default(), item.len() * 3).unwrap()[0] else {
        panic!();
    };
    assert_eq!(
        parse_list_rest(0, &other, list, &Limits::default(), &mut diags, |_, _| {}),
        None
    );
    // Small documents are not cut.
    assert!(matches!(
        cut(&text, &Limits::default(), 1 << 20).unwrap()[..],
        [Piece::Chunks { .. }]
    ));
}

#[test]
fn an_error_after_non_ascii_text_stays_inside_the_text() {
    // Found by the `yaml` fuzz target: saphyr-parser places this error past
    // the last character once a non-ASCII one precedes it.
    for text in ["%mp\u{e9}", "%mp\u{fffd}S", "%YAML 1.\u{e9}"] {
        let (_, diags) = parse_all(text);
        assert!(!diags.is_empty(), "{text:?}");
        for d in &diags {
            assert!(d.span.end() <= text.len(), "{text:?}: {:?}", d.span);
        }
    }
}
