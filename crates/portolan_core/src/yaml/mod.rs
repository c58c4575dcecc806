//! The YAML layer: saphyr-parser events into span-exact trees, one document at
//! a time. This is the only module that names the YAML crate.
//!
//! The stream is first cut at `---` document markers (a marker at column 0
//! always ends a document, even inside a block scalar), and each document is
//! parsed on its own: a syntax error stops only its own document, and every
//! other document of the input is still analysed.

pub mod scalar;
pub mod tree;

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan};

use crate::diag::{Diagnostic, Severity};
use crate::source::{SourceId, Span};
pub use scalar::Resolved;
pub use tree::{Kind, Node, Style};

/// Bounds that keep hostile input from exhausting time or memory.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_depth: usize,
    /// Nodes that aliases may add to one document.
    pub max_alias_nodes: usize,
    pub max_documents: usize,
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 128,
            max_alias_nodes: 100_000,
            max_documents: 100_000,
            max_bytes: 256 << 20,
        }
    }
}

/// One parsed document.
#[derive(Debug)]
pub struct Document<'a> {
    /// 0-based index of the document in its source.
    pub index: usize,
    pub span: Span,
    pub root: Node<'a>,
}

pub const CODE_SYNTAX: &str = "yaml-syntax";
pub const CODE_DUPLICATE_KEY: &str = "yaml-duplicate-key";
pub const CODE_YAML12: &str = "yaml-1.1-scalar";
pub const CODE_LIMIT: &str = "yaml-limit";

/// Parse every document of `text`, calling `on_doc` for each non-empty one.
pub fn parse_stream<'a>(
    source: SourceId,
    text: &'a str,
    limits: &Limits,
    diags: &mut Vec<Diagnostic>,
    mut on_doc: impl FnMut(Document<'a>, &mut Vec<Diagnostic>),
) {
    if text.len() > limits.max_bytes {
        diags.push(
            Diagnostic::new(
                CODE_LIMIT,
                Severity::Error,
                source,
                Span::point(0),
                format!(
                    "input is {} bytes, over the limit of {} bytes; it was not analysed",
                    text.len(),
                    limits.max_bytes
                ),
            )
            .with_help("split the input into several files"),
        );
        return;
    }
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut index = 0;
    for (chunk_start, chunk_end) in document_chunks(text, start) {
        if index >= limits.max_documents {
            diags.push(Diagnostic::new(
                CODE_LIMIT,
                Severity::Error,
                source,
                Span::point(chunk_start),
                format!(
                    "more than {} documents in one input; the rest was not analysed",
                    limits.max_documents
                ),
            ));
            return;
        }
        let mut builder = Builder::new(source, text, chunk_start, chunk_end, limits);
        // Items of a `List` stream out one by one, so a `kubectl get -o yaml`
        // dump is never held as one tree.
        builder.run(diags, &mut |item, diags| {
            let span = item.span;
            on_doc(
                Document {
                    index,
                    span,
                    root: item,
                },
                diags,
            );
        });
        for root in builder.roots {
            let span = root.span;
            on_doc(Document { index, span, root }, diags);
            index += 1;
        }
    }
}

/// Byte ranges of the document chunks: cut before every line that is a
/// `---` marker (followed by a space, tab or line end).
fn document_chunks(text: &str, start: usize) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut cuts = vec![start];
    let mut line = start;
    while line < bytes.len() {
        if bytes[line..].starts_with(b"---")
            && matches!(
                bytes.get(line + 3),
                None | Some(b' ' | b'\t' | b'\r' | b'\n')
            )
            && line != start
        {
            cuts.push(line);
        }
        match memchr_newline(&bytes[line..]) {
            Some(n) => line += n + 1,
            None => break,
        }
    }
    let mut chunks = Vec::with_capacity(cuts.len());
    for (i, &c) in cuts.iter().enumerate() {
        let end = cuts.get(i + 1).copied().unwrap_or(bytes.len());
        chunks.push((c, end));
    }
    chunks
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n' || c == b'\r')
}

/// Converts saphyr's character indices (relative to a chunk) to byte offsets.
struct Offsets {
    base: usize,
    /// (char index, extra bytes before and including that char) for each
    /// non-ASCII character; empty for ASCII chunks.
    wide: Vec<(u32, u32)>,
}

impl Offsets {
    fn new(chunk: &str, base: usize) -> Self {
        let mut wide = Vec::new();
        if !chunk.is_ascii() {
            let mut extra = 0u32;
            for (ci, ch) in chunk.chars().enumerate() {
                let w = ch.len_utf8() as u32;
                if w > 1 {
                    extra += w - 1;
                    wide.push((ci as u32, extra));
                }
            }
        }
        Offsets { base, wide }
    }

    fn byte(&self, char_index: usize) -> usize {
        let i = self
            .wide
            .partition_point(|&(ci, _)| (ci as usize) < char_index);
        let extra = if i == 0 {
            0
        } else {
            self.wide[i - 1].1 as usize
        };
        self.base + char_index + extra
    }

    fn span(&self, s: &YSpan) -> Span {
        Span::new(self.byte(s.start.index()), self.byte(s.end.index()))
    }
}

enum Frame<'a> {
    Seq {
        start: Span,
        anchor: usize,
        tag: Option<Box<str>>,
        items: Vec<Node<'a>>,
    },
    Map {
        start: Span,
        anchor: usize,
        tag: Option<Box<str>>,
        entries: Vec<(Node<'a>, Node<'a>)>,
        key: Option<Node<'a>>,
    },
}

struct Builder<'a, 'l> {
    source: SourceId,
    text: &'a str,
    chunk: &'a str,
    offsets: Offsets,
    limits: &'l Limits,
    stack: Vec<Frame<'a>>,
    anchors: HashMap<usize, Node<'a>>,
    alias_nodes: usize,
    roots: Vec<Node<'a>>,
    /// Completed items of a top-level `items:` list that carry their own `kind`.
    streamed: Vec<Node<'a>>,
}

impl<'a, 'l> Builder<'a, 'l> {
    fn new(source: SourceId, text: &'a str, start: usize, end: usize, limits: &'l Limits) -> Self {
        let chunk = &text[start..end];
        Builder {
            source,
            text,
            chunk,
            offsets: Offsets::new(chunk, start),
            limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            roots: Vec::new(),
            streamed: Vec::new(),
        }
    }

    fn run(
        &mut self,
        diags: &mut Vec<Diagnostic>,
        on_item: &mut dyn FnMut(Node<'a>, &mut Vec<Diagnostic>),
    ) {
        let mut parser = Parser::new_from_str(self.chunk);
        while let Some(next) = parser.next_event() {
            for item in self.streamed.drain(..) {
                on_item(item, diags);
            }
            let (event, yspan) = match next {
                Ok(ev) => ev,
                Err(err) => {
                    let at = self.offsets.byte(err.marker().index());
                    diags.push(
                        Diagnostic::new(
                            CODE_SYNTAX,
                            Severity::Error,
                            self.source,
                            Span::new(at, self.line_end(at)),
                            format!("YAML syntax error: {}", err.info()),
                        )
                        .with_help("this document was skipped; the other documents were analysed"),
                    );
                    self.roots.clear();
                    return;
                }
            };
            let span = self.offsets.span(&yspan);
            if let Err(diag) = self.event(event, span, diags) {
                diags.push(*diag);
                self.roots.clear();
                return;
            }
        }
    }

    fn line_end(&self, at: usize) -> usize {
        let rest = &self.text.as_bytes()[at.min(self.text.len())..];
        at + memchr_newline(rest)
            .unwrap_or(rest.len())
            .max(usize::from(!rest.is_empty()))
    }

    fn event(
        &mut self,
        event: Event<'a>,
        span: Span,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<(), Box<Diagnostic>> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted => Style::SingleQuoted,
                    ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                    ScalarStyle::Literal => Style::Literal,
                    ScalarStyle::Folded => Style::Folded,
                };
                let tag = tag.map(|t| tag_string(&t));
                if style == Style::Plain && tag.is_none() {
                    self.warn_yaml12(&text, span, diags);
                }
                let node = Node {
                    span,
                    tag,
                    kind: Kind::Scalar(text, style),
                };
                {
                    self.finish(node, anchor);
                    Ok(())
                }
            }
            Event::SequenceStart(anchor, tag) => self.push(Frame::Seq {
                start: span,
                anchor,
                tag: tag.map(|t| tag_string(&t)),
                items: Vec::new(),
            }),
            Event::MappingStart(anchor, tag) => self.push(Frame::Map {
                start: span,
                anchor,
                tag: tag.map(|t| tag_string(&t)),
                entries: Vec::new(),
                key: None,
            }),
            Event::SequenceEnd => {
                let Some(Frame::Seq {
                    start,
                    anchor,
                    tag,
                    items,
                }) = self.stack.pop()
                else {
                    return Ok(());
                };
                let end = items.last().map_or(span.end, |n| n.span.end.max(start.end));
                let span = Span {
                    start: start.start,
                    end: end.max(start.end),
                };
                {
                    self.finish(
                        Node {
                            span,
                            tag,
                            kind: Kind::Seq(items),
                        },
                        anchor,
                    );
                    Ok(())
                }
            }
            Event::MappingEnd => {
                let Some(Frame::Map {
                    start,
                    anchor,
                    tag,
                    entries,
                    ..
                }) = self.stack.pop()
                else {
                    return Ok(());
                };
                let end = entries
                    .last()
                    .map_or(span.end, |(_, v)| v.span.end.max(start.end));
                let span = Span {
                    start: start.start,
                    end: end.max(start.end),
                };
                let entries = self.merge_and_check_keys(entries, diags);
                {
                    self.finish(
                        Node {
                            span,
                            tag,
                            kind: Kind::Map(entries),
                        },
                        anchor,
                    );
                    Ok(())
                }
            }
            Event::Alias(id) => {
                let Some(target) = self.anchors.get(&id) else {
                    return Err(Box::new(
                        self.error(span, "alias refers to an unknown anchor"),
                    ));
                };
                let count = target.count();
                self.alias_nodes += count;
                if self.alias_nodes > self.limits.max_alias_nodes {
                    return Err(Box::new(
                        Diagnostic::new(
                            CODE_LIMIT,
                            Severity::Error,
                            self.source,
                            span,
                            format!(
                                "aliases expand to more than {} nodes in this document; it was not analysed",
                                self.limits.max_alias_nodes
                            ),
                        )
                        .with_help("this is how a \"billion laughs\" attack looks; expand the aliases by hand if it is intended"),
                    ));
                }
                let mut node = target.clone();
                node.span = span;
                {
                    self.finish(node, 0);
                    Ok(())
                }
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => Ok(()),
        }
    }

    fn push(&mut self, frame: Frame<'a>) -> Result<(), Box<Diagnostic>> {
        if self.stack.len() >= self.limits.max_depth {
            let span = match &frame {
                Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
            };
            return Err(Box::new(Diagnostic::new(
                CODE_LIMIT,
                Severity::Error,
                self.source,
                span,
                format!(
                    "nesting deeper than {} levels; this document was not analysed",
                    self.limits.max_depth
                ),
            )));
        }
        self.stack.push(frame);
        Ok(())
    }

    fn finish(&mut self, node: Node<'a>, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let list_item = self.stack.len() == 2
            && matches!(&self.stack[0], Frame::Map { key: Some(k), .. } if k.key_text() == Some("items"))
            && node.get("kind").is_some();
        match self.stack.last_mut() {
            None => {
                if !(matches!(&node.kind, Kind::Scalar(t, Style::Plain) if t.is_empty())) {
                    self.roots.push(node);
                }
            }
            Some(Frame::Seq { .. }) if list_item => self.streamed.push(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
    }

    fn error(&self, span: Span, message: &str) -> Diagnostic {
        Diagnostic::new(CODE_SYNTAX, Severity::Error, self.source, span, message)
    }

    /// Apply `<<` merge keys (YAML 1.1, as go-yaml v2 does) and report
    /// duplicate keys as kubectl's YAML decoder does.
    fn merge_and_check_keys(
        &self,
        entries: Vec<(Node<'a>, Node<'a>)>,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(Node<'a>, Node<'a>)> {
        let has_merge = entries
            .iter()
            .any(|(k, _)| matches!(&k.kind, Kind::Scalar(t, Style::Plain) if t == "<<"));
        let mut entries = if has_merge { merge(entries) } else { entries };
        let dups = duplicate_keys(&entries);
        if dups.is_empty() {
            return entries;
        }
        for &(first, second) in &dups {
            let key = entries[second].0.key_text().unwrap_or_default();
            diags.push(
                Diagnostic::new(
                    CODE_DUPLICATE_KEY,
                    Severity::Error,
                    self.source,
                    entries[second].0.span,
                    format!("key {key:?} already set in map"),
                )
                .with_related(self.source, entries[first].0.span, "first set here")
                .with_help("kubectl rejects duplicate keys; remove one of them"),
            );
        }
        // Keep the last value of each key, as kubectl's decoder does.
        let mut drop: Vec<usize> = dups.iter().map(|&(first, _)| first).collect();
        drop.sort_unstable();
        drop.dedup();
        let mut i = 0;
        entries.retain(|_| {
            i += 1;
            drop.binary_search(&(i - 1)).is_err()
        });
        entries
    }

    fn warn_yaml12(&self, text: &str, span: Span, diags: &mut Vec<Diagnostic>) {
        let Some(&first) = text.as_bytes().first() else {
            return;
        };
        let candidate = match first {
            b'y' | b'Y' | b'n' | b'N' | b'o' | b'O' => text.len() <= 3,
            b'0'..=b'9' | b'+' | b'-' => {
                text.contains('_')
                    || (text.len() > 1 && first == b'0')
                    || text.starts_with("+0")
                    || text.starts_with("-0")
            }
            _ => false,
        };
        if !candidate {
            return;
        }
        let Some(v12) = scalar::yaml12_differs(text) else {
            return;
        };
        let v11 = scalar::resolve_plain(text);
        let reading = match v11 {
            Resolved::Bool(b) => format!("the boolean {b}"),
            Resolved::Int(i) => format!("the integer {i}"),
            Resolved::Float(f) => format!("the number {f}"),
            Resolved::Null => "null".to_owned(),
            Resolved::Str(_) | Resolved::Collection => "a string".to_owned(),
        };
        diags.push(
            Diagnostic::new(
                CODE_YAML12,
                Severity::Warning,
                self.source,
                span,
                format!("`{text}` is {reading} to kubectl (YAML 1.1) but {v12} to YAML 1.2 tools"),
            )
            .with_help(format!("quote it (\"{text}\") if you mean the string")),
        );
    }
}

/// Pairs (earlier, later) of entries with the same key. Small maps are
/// compared pairwise without allocating; large ones through a hash map.
fn duplicate_keys(entries: &[(Node<'_>, Node<'_>)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if entries.len() <= 16 {
        for j in 1..entries.len() {
            let Some(b) = entries[j].0.key_text() else {
                continue;
            };
            if let Some(i) = (0..j).rev().find(|&i| entries[i].0.key_text() == Some(b))
                && entries[i].0.span != entries[j].0.span
            {
                out.push((i, j));
            }
        }
        return out;
    }
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(entries.len());
    for (j, (k, _)) in entries.iter().enumerate() {
        let Some(text) = k.key_text() else { continue };
        if let Some(i) = last.insert(text, j)
            && entries[i].0.span != k.span
        {
            out.push((i, j));
        }
    }
    out
}

fn merge<'a>(entries: Vec<(Node<'a>, Node<'a>)>) -> Vec<(Node<'a>, Node<'a>)> {
    let mut explicit = Vec::with_capacity(entries.len());
    let mut merged: Vec<(Node<'a>, Node<'a>)> = Vec::new();
    for (k, v) in entries {
        if matches!(&k.kind, Kind::Scalar(t, Style::Plain) if t == "<<") {
            match v.kind {
                Kind::Map(m) => merged.extend(m),
                Kind::Seq(items) => {
                    for item in items {
                        if let Kind::Map(m) = item.kind {
                            for (mk, mv) in m {
                                if !merged.iter().any(|(x, _)| x.key_text() == mk.key_text()) {
                                    merged.push((mk, mv));
                                }
                            }
                        }
                    }
                }
                Kind::Scalar(..) => explicit.push((
                    k,
                    Node {
                        span: v.span,
                        tag: v.tag,
                        kind: v.kind,
                    },
                )),
            }
        } else {
            explicit.push((k, v));
        }
    }
    for (k, v) in merged {
        if !explicit.iter().any(|(x, _)| x.key_text() == k.key_text()) {
            explicit.push((k, v));
        }
    }
    explicit
}

fn tag_string(tag: &saphyr_parser::Tag) -> Box<str> {
    let handle = match tag.handle.as_str() {
        "!!" => "tag:yaml.org,2002:",
        other => other,
    };
    format!("{handle}{}", tag.suffix).into_boxed_str()
}

/// Parse a whole text into owned documents (tests and small inputs).
pub fn parse_all(text: &str) -> (Vec<Document<'_>>, Vec<Diagnostic>) {
    let mut docs = Vec::new();
    let mut diags = Vec::new();
    parse_stream(0, text, &Limits::default(), &mut diags, |d, _| docs.push(d));
    (docs, diags)
}

#[cfg(test)]
mod tests;

/// A node as JSON, with YAML 1.1 resolution (sigs.k8s.io/yaml's conversion).
pub fn to_json(node: &Node<'_>) -> serde_json::Value {
    use serde_json::Value;
    match &node.kind {
        Kind::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        Kind::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = match k.resolve() {
                        Resolved::Bool(b) => b.to_string(),
                        Resolved::Int(i) => i.to_string(),
                        Resolved::Float(f) => f.to_string(),
                        Resolved::Null => "null".to_owned(),
                        Resolved::Str(s) => s.to_owned(),
                        Resolved::Collection => String::new(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Kind::Scalar(..) => match node.resolve() {
            Resolved::Null | Resolved::Collection => Value::Null,
            Resolved::Bool(b) => Value::Bool(b),
            Resolved::Int(i) => Value::from(i),
            Resolved::Float(f) => {
                serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
            }
            Resolved::Str(s) => Value::String(s.to_owned()),
        },
    }
}
