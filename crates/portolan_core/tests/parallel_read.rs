//! Reading a large input on several threads gives exactly what reading it
//! front to back gives: the same objects, findings and document count, for
//! every file of the corpus and of the fixtures, generated clusters, and
//! Lists written to defeat the cutting (each must fall back to the whole
//! document, or cut where the whole parse would).

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::Path;

use portolan_core::read::{Read, read, read_in_pieces, read_pair_in_pieces};
use portolan_core::source::Source;
use portolan_core::yaml::Limits;

fn files(dir: &Path, out: &mut Vec<Source>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(std::fs::DirEntry::path);
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("yaml" | "yml" | "json")
        ) && let Ok(text) = std::fs::read_to_string(&p)
        {
            out.push(Source::new(p.display().to_string(), text));
        }
    }
}

fn fingerprint(r: &Read) -> String {
    format!(
        "{} documents\n{:#?}\n{:#?}",
        r.documents, r.objects, r.diagnostics
    )
}

/// Two fingerprints of one input are equal, or the test fails showing
/// the lines around the first difference.
fn same_reading(what: &str, (a_name, a): (&str, &str), (b_name, b): (&str, &str)) {
    if a == b {
        return;
    }
    let at = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or(0);
    let around = |s: &str| {
        s.lines()
            .skip(at.saturating_sub(5))
            .take(12)
            .collect::<Vec<_>>()
            .join("\n")
    };
    panic!(
        "{what}: differs at line {at}:\n--- {a_name}\n{}\n--- {b_name}\n{}",
        around(a),
        around(b)
    );
}

fn same(sources: &[Source], limits: &Limits, what: &str) {
    let whole = fingerprint(&read(sources, limits, "default", 1));
    for (threads, piece) in [(2, 1), (3, 700), (2, 4096), (4, 64 << 10)] {
        let cut = fingerprint(&read_in_pieces(sources, limits, "default", threads, piece));
        same_reading(
            &format!("{what}: {threads} threads, pieces of {piece} bytes"),
            ("front to back", &whole),
            ("in pieces", &cut),
        );
    }
}

/// Every file below `dir` (at least `min` of them) alone, then all at
/// once as a directory is read.
fn each_file_and_all(dir: &Path, min: usize) {
    let mut sources = Vec::new();
    files(dir, &mut sources);
    assert!(sources.len() >= min, "{}", dir.display());
    for s in &sources {
        same(std::slice::from_ref(s), &Limits::default(), &s.name);
    }
    same(&sources, &Limits::default(), &dir.display().to_string());
}

#[test]
fn the_corpus_reads_the_same_in_pieces() {
    each_file_and_all(&common::material().join("corpus"), 50);
}

#[test]
fn the_fixtures_read_the_same_in_pieces() {
    each_file_and_all(&common::repo().join("tests/fixtures"), 20);
}

#[test]
fn a_generated_cluster_reads_the_same_in_pieces() {
    let text = portolan_core::generate::generate(30, 200);
    // One List, as `kubectl get -o yaml` prints it, and the same objects
    // as a stream of documents.
    same(
        &[Source::new("list.yaml", text.clone())],
        &Limits::default(),
        "generated List",
    );
    // Each item, unindented, as a document of its own.
    let mut stream = String::new();
    for line in text.lines().skip_while(|l| *l != "items:").skip(1) {
        if let Some(first) = line.strip_prefix("- ") {
            stream.push_str("---\n");
            stream.push_str(first);
        } else if let Some(rest) = line.strip_prefix("  ") {
            stream.push_str(rest);
        } else {
            break;
        }
        stream.push('\n');
    }
    assert!(stream.matches("---").count() > 200);
    same(
        &[Source::new("stream.yaml", stream)],
        &Limits::default(),
        "generated stream",
    );
}

const ITEM: &str = "- apiVersion: v1\n  kind: Service\n  metadata:\n    name: web\n  spec:\n    ports:\n    - port: 80\n";

fn list(items: &str) -> String {
    format!("apiVersion: v1\nkind: List\nitems:\n{items}metadata:\n  resourceVersion: \"\"\n")
}

/// Lists written to defeat the cut: each must fall back to the whole
/// document, or cut where the whole parse would.
fn lists_that_defeat_the_cut() -> Vec<String> {
    let many = ITEM.repeat(12);
    vec![
        // Plain, then with comments, blank lines, CRLF and a null value at an item's end.
        list(&many),
        list(&format!("# first\n\n{many}# trailing\n\n")),
        list(&many).replace('\n', "\r\n"),
        list(&format!(
            "{many}- apiVersion: v1\n  kind: Pod\n  metadata:\n    name:\n{many}"
        )),
        // Items at the end of the document, and a typed list.
        format!("apiVersion: v1\nkind: ServiceList\nitems:\n{many}"),
        // Items without `kind` stay in the List (typed list): no cut.
        format!(
            "apiVersion: v1\nkind: ServiceList\nitems:\n{}",
            many.replace("  kind: Service\n", "")
        ),
        // An anchor in one item used by a later one, and one in the head.
        list(&format!(
            "- &svc\n  apiVersion: v1\n  kind: Service\n  metadata: {{name: a}}\n{many}- *svc\n"
        )),
        format!(
            "x: &n web\napiVersion: v1\nkind: List\nitems:\n{}",
            many.replace("name: web", "name: *n")
        ),
        // A syntax error in the middle item, and in the rest.
        list(&format!("{many}- kind: [\n{many}")),
        format!("{}\nkind: {{\n", list(&many)),
        // Duplicate keys in an item and in the List.
        list(&format!("{many}- kind: Service\n  kind: Pod\n{many}")),
        format!("{}items:\n{ITEM}", list(&many)),
        // Not a List: the items are data of another object.
        format!("apiVersion: v1\nkind: ConfigMap\nitems:\n{many}"),
        // Indented items, tabs, a quoted scalar running over the items,
        // a block scalar, a document end marker, a stray dash.
        format!(
            "apiVersion: v1\nkind: List\nitems:\n  {}\n",
            many.replace('\n', "\n  ").trim_end()
        ),
        list(&format!("{many}-\tkind: Pod\n{many}")),
        format!("apiVersion: v1\nkind: List\nnote: \"open\nitems:\n{many}\"\n"),
        format!("apiVersion: v1\nkind: List\nnote: |\n  text\nitems:\n{many}...\n"),
        list(&format!("{many}-x\n{many}")),
        // A seq of scalars, flow items, an empty item.
        list(&format!("{many}- [a, b]\n-\n{many}")),
        list(&format!(
            "{many}- {{apiVersion: v1, kind: Service, metadata: {{name: flow}}}}\n{many}"
        )),
        // Non-ASCII text before, inside and after the cut.
        format!(
            "# ünïcödé\n{}",
            list(&many.replace("name: web", "name: wéb"))
        ),
    ]
}

#[test]
fn lists_that_defeat_the_cut_read_the_same() {
    let cases = lists_that_defeat_the_cut();
    for (i, text) in cases.iter().enumerate() {
        same(
            &[Source::new(format!("case{i}.yaml"), text.clone())],
            &Limits::default(),
            &format!("case {i}"),
        );
    }
}

#[test]
fn limits_apply_as_when_read_whole() {
    let many = ITEM.repeat(40);
    let docs = "---\nkind: Service\napiVersion: v1\n".repeat(50);
    for limits in [
        Limits {
            max_documents: 10,
            ..Limits::default()
        },
        Limits {
            max_depth: 3,
            ..Limits::default()
        },
        Limits {
            max_alias_nodes: 50,
            ..Limits::default()
        },
        Limits {
            max_bytes: 1000,
            ..Limits::default()
        },
    ] {
        let aliased = list(&format!(
            "- &a\n  apiVersion: v1\n  kind: Service\n  metadata: {{name: a}}\n{}",
            "- *a\n".repeat(20)
        ));
        for text in [list(&many), docs.clone(), aliased] {
            same(
                &[Source::new("limits.yaml", text)],
                &limits,
                &format!("{limits:?}"),
            );
        }
    }
}

#[test]
fn findings_before_the_items_stay_before_them() {
    // Found by the `cut` fuzz target: a List whose head holds a nested
    // mapping with a duplicate key (reported when that mapping closes,
    // before the items are read) and an outer duplicate (reported at the
    // end); the item's own finding stands between them, front to back.
    let many = ITEM.repeat(3);
    let text = format!(
        "apiVersion: v1\nkind: StatefulSet\nspec:\n  template: 1\n  template: 2\nkind: List\nitems:\n{many}- apiVersion: v1\n  kind:\n  metadata: {{name: x}}\n"
    );
    same(
        &[Source::new("list.yaml", text)],
        &Limits::default(),
        "head findings",
    );
}

/// Each side of a diff as [`read`] gives it alone, read as a pair at
/// several thread counts and run sizes (issue 15: the text both sides hold
/// is parsed once).
fn same_pair(base: &[Source], head: &[Source], what: &str) {
    let limits = Limits::default();
    let alone = (
        fingerprint(&read(base, &limits, "default", 1)),
        fingerprint(&read(head, &limits, "default", 1)),
    );
    for (threads, piece) in [(1, 1), (2, 700), (3, 64 << 10)] {
        let (b, h) = read_pair_in_pieces((base, head), &limits, "default", threads, piece);
        for (side, whole, paired) in [
            ("base", &alone.0, fingerprint(&b)),
            ("head", &alone.1, fingerprint(&h)),
        ] {
            same_reading(
                &format!("{what}: the {side}, {threads} threads, runs of {piece} bytes"),
                ("alone", whole),
                ("paired", &paired),
            );
        }
    }
}

/// The edits a pull request makes to a text: none, everything moved, one
/// value changed, a document added at the front, the text twice, a byte
/// order mark, a syntax error.
fn edits(text: &str) -> Vec<String> {
    let mut out = vec![
        text.to_owned(),
        format!("# moved\n{text}"),
        text.replacen("name: ", "name: x", 1),
        format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: new\n---\n{text}"),
        format!("{text}\n---\n{text}"),
        format!("\u{feff}{text}"),
        text.replacen("kind: ", "kind: [", 1),
    ];
    if let Some(mid) = text
        .len()
        .checked_div(2)
        .and_then(|m| text[m..].find("\n---").map(|i| m + i + 1))
    {
        // The second half first: every document moved, none changed.
        out.push(format!("{}\n{}", &text[mid..], &text[..mid]));
    }
    out
}

#[test]
fn the_two_sides_of_a_diff_read_as_each_alone() {
    let mut texts = lists_that_defeat_the_cut();
    texts.push(portolan_core::generate::generate(10, 60));
    let mut corpus = Vec::new();
    files(&common::material().join("corpus"), &mut corpus);
    texts.extend(corpus.iter().take(12).map(|s| s.text.clone()));
    for (i, text) in texts.iter().enumerate() {
        for (j, edited) in edits(text).into_iter().enumerate() {
            let base = [Source::new("base.yaml", text.clone())];
            let head = [Source::new("head.yaml", edited)];
            same_pair(&base, &head, &format!("text {i}, edit {j}"));
            same_pair(&head, &base, &format!("text {i}, edit {j} reversed"));
        }
    }
    // The same bytes as a document (a top-level sequence after a byte
    // order mark) and as a List item are read differently (found in
    // review).
    let item = "- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n";
    let bom = [Source::new("bom.yaml", format!("\u{feff}{item}"))];
    let listed = [Source::new("list.yaml", list(&item.repeat(3)))];
    same_pair(
        &bom,
        &listed,
        "a document and a List item of the same bytes",
    );
    same_pair(
        &listed,
        &bom,
        "a List item and a document of the same bytes",
    );
    // Files added, removed and moved between the sides.
    let files_of = |n: usize| -> Vec<Source> {
        corpus
            .iter()
            .skip(n)
            .take(4)
            .map(|s| Source::new(s.name.clone(), s.text.clone()))
            .collect()
    };
    same_pair(&files_of(0), &files_of(2), "files moved");
    same_pair(&files_of(3), &files_of(0), "files moved back");
}
