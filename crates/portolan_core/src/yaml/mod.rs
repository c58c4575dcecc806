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

use crate::codes;
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
    /// Pods the snapshot makes for workloads, in all (replicas are also
    /// bounded at 10,000 per workload): hostile replica counts cannot
    /// exhaust memory.
    pub max_synthesized_pods: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 128,
            max_alias_nodes: 100_000,
            max_documents: 500_000,
            max_bytes: 256 << 20,
            max_synthesized_pods: 200_000,
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

impl<'a> Document<'a> {
    fn new(index: usize, root: Node<'a>) -> Self {
        Document {
            index,
            span: root.span,
            root,
        }
    }

    /// Move every span by `delta` bytes ([`Node::shift`]).
    pub fn shift(&mut self, delta: i64) {
        self.span = self.span.shifted(delta);
        self.root.shift(delta);
    }
}

/// Parse every document of `text`, calling `on_doc` for each non-empty one.
pub fn parse_stream<'a>(
    source: SourceId,
    text: &'a str,
    limits: &Limits,
    diags: &mut Vec<Diagnostic>,
    mut on_doc: impl FnMut(Document<'a>, &mut Vec<Diagnostic>),
) {
    if !within_size(source, text, limits, diags) {
        return;
    }
    let mut index = 0;
    for (chunk_start, chunk_end) in document_chunks(text, bom_len(text)) {
        if index >= limits.max_documents {
            diags.push(too_many_documents(source, chunk_start, limits));
            return;
        }
        index += parse_chunk(
            source,
            text,
            (chunk_start, chunk_end),
            index,
            limits,
            diags,
            &mut on_doc,
        );
    }
}

fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

/// Whether `text` is within the size limit (else the diagnostic is pushed).
pub fn within_size(
    source: SourceId,
    text: &str,
    limits: &Limits,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if text.len() <= limits.max_bytes {
        return true;
    }
    diags.push(
        Diagnostic::new(
            codes::YAML_LIMIT.code,
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
    false
}

fn too_many_documents(source: SourceId, at: usize, limits: &Limits) -> Diagnostic {
    Diagnostic::new(
        codes::YAML_LIMIT.code,
        Severity::Error,
        source,
        Span::point(at),
        format!(
            "more than {} documents in one input; the rest was not analysed",
            limits.max_documents
        ),
    )
}

/// Parse one document chunk; returns how many non-empty documents it held.
fn parse_chunk<'a>(
    source: SourceId,
    text: &'a str,
    (start, end): (usize, usize),
    index: usize,
    limits: &Limits,
    diags: &mut Vec<Diagnostic>,
    on_doc: &mut impl FnMut(Document<'a>, &mut Vec<Diagnostic>),
) -> usize {
    let chunk = &text[start..end];
    let mut builder = Builder::new(source, text, chunk, Offsets::new(chunk, start), limits);
    // Items of a `List` stream out one by one, so a `kubectl get -o yaml`
    // dump is never held as one tree.
    builder.run(diags, &mut |item, diags| {
        on_doc(Document::new(index, item), diags);
    });
    let roots = builder.roots.len();
    for (i, root) in builder.roots.into_iter().enumerate() {
        on_doc(Document::new(index + i, root), diags);
    }
    roots
}

/// A source cut into pieces that parse independently of each other, so
/// that several threads can share a large input. Parsing the pieces gives
/// exactly what [`parse_stream`] gives, or the piece says it cannot, and
/// the caller parses that stretch with [`parse_chunks`] instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Whole document chunks in `start..end`: see [`parse_chunks`].
    Chunks { start: usize, end: usize },
    /// One large `List` document cut at its items (`kubectl get -o yaml`
    /// output): see [`parse_items`] and [`parse_list_rest`].
    List(ListCut),
}

/// A `List` document `start..end` whose `items:` key at column 0 (at byte
/// `key`) holds the block sequence `region`, cut before the items at `parts`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListCut {
    pub start: usize,
    pub end: usize,
    pub key: usize,
    pub region: (usize, usize),
    /// Consecutive ranges covering `region`, each a run of whole items.
    pub parts: Vec<(usize, usize)>,
}

/// Cut `text` into pieces of about `piece_bytes` (None when the input is
/// over the size limit: [`parse_stream`] reports that).
pub fn cut(text: &str, limits: &Limits, piece_bytes: usize) -> Option<Vec<Piece>> {
    if text.len() > limits.max_bytes {
        return None;
    }
    let piece_bytes = piece_bytes.max(1);
    let mut pieces = Vec::new();
    let mut run: Option<(usize, usize)> = None;
    for (start, end) in document_chunks(text, bom_len(text)) {
        let list = if end - start >= 2 * piece_bytes {
            list_cut(text, start, end, piece_bytes)
        } else {
            None
        };
        if let Some(list) = list {
            if let Some((s, e)) = run.take() {
                pieces.push(Piece::Chunks { start: s, end: e });
            }
            pieces.push(Piece::List(list));
            continue;
        }
        let (s, _) = *run.get_or_insert((start, end));
        run = Some((s, end));
        if end - s >= piece_bytes {
            pieces.push(Piece::Chunks { start: s, end });
            run = None;
        }
    }
    if let Some((s, e)) = run {
        pieces.push(Piece::Chunks { start: s, end: e });
    }
    Some(pieces)
}

/// The lines of `text[start..end]`: (line start, content end), where the
/// content excludes the line break.
fn lines(text: &str, start: usize, end: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = &text.as_bytes()[..end];
    let mut breaks = memchr::memchr2_iter(b'\n', b'\r', &bytes[start..]).map(move |i| start + i);
    let mut at = start;
    std::iter::from_fn(move || {
        if at >= end {
            return None;
        }
        let line = at;
        // A break inside a CRLF pair already passed (the LF of it) is skipped.
        let Some(brk) = breaks.find(|&b| b >= at) else {
            at = end;
            return Some((line, end));
        };
        at = brk + 1;
        if bytes[brk] == b'\r' && bytes.get(at) == Some(&b'\n') {
            at += 1;
        }
        Some((line, brk))
    })
}

/// Find the item boundaries of a top-level `items:` block sequence written
/// at column 0 (`items:` then lines `- ...`), as kubectl prints a List.
/// Conservative: anything unusual (tabs, a `...` marker, indented items)
/// gives None and the document is parsed whole.
fn list_cut(text: &str, start: usize, end: usize, piece_bytes: usize) -> Option<ListCut> {
    let bytes = text.as_bytes();
    let mut key = None;
    let mut region_start = None;
    let mut region_end = end;
    let mut part_starts = Vec::new();
    let mut last_part = 0;
    for (line, stop) in lines(text, start, end) {
        let content = &bytes[line..stop];
        let Some(&first) = content.first() else {
            continue;
        };
        if region_start.is_none() {
            if key.is_some() {
                // Between `items:` and the first item: blank lines and comments only.
                match first {
                    b'-' if is_entry(content) => {
                        region_start = Some(line);
                        part_starts.push(line);
                        last_part = line;
                    }
                    b'#' => {}
                    b' ' if content.iter().all(|&c| c == b' ') => {}
                    _ => return None,
                }
            } else if first == b'\t' {
                return None;
            } else if content.starts_with(b"items:") {
                let after = &content[6..];
                let after = after.trim_ascii_start();
                if !(after.is_empty() || after.starts_with(b"#")) {
                    return None;
                }
                key = Some(line);
            }
            continue;
        }
        match first {
            b'-' if is_entry(content) => {
                if line - last_part >= piece_bytes {
                    part_starts.push(line);
                    last_part = line;
                }
            }
            b'-' | b'\t' => return None,
            b' ' | b'#' => {}
            _ => {
                region_end = line;
                break;
            }
        }
    }
    let key = key?;
    let region_start = region_start?;
    if part_starts.len() < 2 && region_end - region_start < 2 * piece_bytes {
        return None;
    }
    let parts = part_starts
        .iter()
        .enumerate()
        .map(|(i, &s)| (s, part_starts.get(i + 1).copied().unwrap_or(region_end)))
        .collect();
    Some(ListCut {
        start,
        end,
        key,
        region: (region_start, region_end),
        parts,
    })
}

/// `- ` or a lone `-`: a block sequence entry at column 0.
fn is_entry(line: &[u8]) -> bool {
    matches!(line, [b'-'] | [b'-', b' ', ..])
}

/// Parse the whole chunks in `start..end` (a [`Piece::Chunks`]); returns
/// the number of documents of each chunk, for the caller to apply the
/// document limit as [`parse_stream`] does.
pub fn parse_chunks<'a>(
    source: SourceId,
    text: &'a str,
    start: usize,
    end: usize,
    limits: &Limits,
    diags: &mut Vec<Diagnostic>,
    mut on_doc: impl FnMut(Document<'a>, &mut Vec<Diagnostic>),
) -> Vec<usize> {
    let from = if start == 0 { bom_len(text) } else { start };
    let mut roots = Vec::new();
    let mut index = 0;
    for (cs, ce) in document_chunks(&text[..end], from) {
        let n = parse_chunk(source, text, (cs, ce), index, limits, diags, &mut on_doc);
        index += n;
        roots.push(n);
    }
    roots
}

/// Parse one part of a [`ListCut`]: its items, as [`parse_stream`] streams
/// the items of a List. Returns the nodes its aliases added, or None if
/// the part does not parse on its own exactly as within the whole document
/// (a syntax error, an alias to another part, an item without `kind`): the
/// caller then parses the document whole.
pub fn parse_items<'a>(
    source: SourceId,
    text: &'a str,
    (start, end): (usize, usize),
    limits: &Limits,
    diags: &mut Vec<Diagnostic>,
    mut on_doc: impl FnMut(Document<'a>, &mut Vec<Diagnostic>),
) -> Option<usize> {
    let chunk = &text[start..end];
    let mut builder = Builder::new(source, text, chunk, Offsets::new(chunk, start), limits);
    builder.items_part = true;
    let ok = builder.run(diags, &mut |item, diags| {
        on_doc(Document::new(0, item), diags);
    });
    (ok && !builder.unsplittable).then_some(builder.alias_nodes)
}

/// Parse the rest of a [`ListCut`]: the document without its items region.
/// Returns the nodes its aliases added and how many of the findings it
/// pushed precede the items in a front-to-back read, or None if the rest
/// does not read as a List whose `items` are exactly the region (the
/// caller then parses the document whole).
pub fn parse_list_rest<'a>(
    source: SourceId,
    text: &'a str,
    cut: &ListCut,
    limits: &Limits,
    diags: &mut Vec<Diagnostic>,
    mut on_doc: impl for<'r> FnMut(Document<'r>, &mut Vec<Diagnostic>),
) -> Option<(usize, usize)> {
    let (gap_start, gap_end) = cut.region;
    let mut rest = String::with_capacity(cut.end - cut.start - (gap_end - gap_start));
    rest.push_str(&text[cut.start..gap_start]);
    rest.push_str(&text[gap_end..cut.end]);
    let offsets = Offsets::with_gap(&rest, cut.start, gap_start - cut.start, gap_end - gap_start);
    let mut builder = Builder::new(source, text, &rest, offsets, limits);
    builder.gap_end = Some(gap_end);
    let initial = diags.len();
    let ok = builder.run(diags, &mut |item, diags| {
        on_doc(Document::new(0, item), diags);
    });
    if !ok || builder.roots.len() != 1 {
        return None;
    }
    let aliases = builder.alias_nodes;
    let before_items = builder.before_gap.unwrap_or(diags.len() - initial);
    let mut root = builder.roots.pop()?;
    let is_list = root
        .get("kind")
        .is_some_and(|k| matches!(k.resolve(), Resolved::Str(s) if s.ends_with("List")));
    let Kind::Map(entries) = &mut root.kind else {
        return None;
    };
    let (k, v) = entries
        .iter_mut()
        .find(|(k, _)| k.span.start() == cut.key)?;
    let gap_is_null = k.key_text() == Some("items")
        && v.tag.is_none()
        && matches!(&v.kind, Kind::Scalar(t, Style::Plain) if t.is_empty());
    if !(is_list && gap_is_null) {
        return None;
    }
    // Within the whole document the items were streamed out of this sequence.
    *v = Node {
        span: Span::new(gap_start, gap_end),
        tag: None,
        kind: Kind::Seq(Vec::new()),
    };
    on_doc(Document::new(0, root), diags);
    Some((aliases, before_items))
}

/// The byte ranges of `text` that are parsed independently (each a run of
/// YAML documents, cut at `---` markers), for benchmarks that run the bare
/// parser on the same pieces.
pub fn document_ranges(text: &str) -> Vec<(usize, usize)> {
    document_chunks(text, bom_len(text))
}

/// Byte ranges of the document chunks: cut before every line that is a
/// `---` marker (followed by a space, tab or line end).
fn document_chunks(text: &str, start: usize) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut cuts = vec![start];
    // A marker starts a line: look at the line starts only.
    for at in memchr::memchr2_iter(b'\n', b'\r', &bytes[start..]).map(|i| start + i + 1) {
        if bytes[at..].starts_with(b"---")
            && matches!(bytes.get(at + 3), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
        {
            cuts.push(at);
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

/// The first byte at or after `from` that is not ASCII.
fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while at < bytes.len() {
        let block = &bytes[at..(at + 64).min(bytes.len())];
        if !block.is_ascii() {
            return block.iter().position(|&b| b >= 0x80).map(|i| at + i);
        }
        at += block.len();
    }
    None
}

/// The length of the UTF-8 sequence that starts with `lead`.
fn utf8_width(lead: u8) -> usize {
    match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        _ => 2,
    }
}

/// Converts saphyr's character indices (relative to a chunk) to byte offsets.
struct Offsets {
    base: usize,
    /// (char index, extra bytes before and including that char) for each
    /// non-ASCII character; empty for ASCII chunks.
    wide: Vec<(u32, u32)>,
    /// The chunk's end in the source: saphyr-parser places some errors
    /// after a non-ASCII character beyond the last character (found by
    /// fuzzing: `%mp\u{e9}`), and a span never leaves its text.
    end: usize,
}

impl Offsets {
    fn new(chunk: &str, base: usize) -> Self {
        Self::with_gap(chunk, base, usize::MAX, 0)
    }

    /// Offsets for a text that is the source with `gap` bytes left out
    /// before its byte `gap_at`.
    fn with_gap(chunk: &str, base: usize, gap_at: usize, gap: usize) -> Self {
        let bytes = chunk.as_bytes();
        let mut wide = Vec::new();
        // Bytes beyond one per character before the current position, and
        // the gap once passed.
        let mut extra = 0u32;
        let mut gap_added = 0u32;
        let mut at = 0;
        loop {
            let next = next_non_ascii(bytes, at);
            if gap > 0 && gap_added == 0 && gap_at <= next.unwrap_or(bytes.len()) {
                let ci = (gap_at as u32).saturating_sub(extra);
                gap_added = gap as u32;
                if ci > 0 {
                    wide.push((ci - 1, extra + gap_added));
                }
            }
            let Some(b) = next else { break };
            let w = utf8_width(bytes[b]);
            let ci = b as u32 - extra;
            extra += w as u32 - 1;
            wide.push((ci, extra + gap_added));
            at = b + w;
        }
        Offsets {
            base,
            wide,
            end: base + bytes.len() + gap,
        }
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
        (self.base + char_index + extra).min(self.end)
    }

    fn span(&self, s: &YSpan) -> Span {
        Span::new(self.byte(s.start.index()), self.byte(s.end.index()))
    }
}

/// An open collection with its finished children. Each collection grows
/// its own vector, which becomes the node when it ends: no child is copied,
/// and the slack of the last growth is given back
/// ([`Builder::sequence_end`], [`Builder::mapping_end`]).
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
        /// A key waiting for its value.
        key: Option<Node<'a>>,
    },
}

/// A collection's vector without the slack of its last growth (above an
/// eighth), so that a long map or sequence holds what it needs.
fn fitted<T>(mut v: Vec<T>) -> Vec<T> {
    if v.capacity() - v.len() > v.len() / 8 {
        v.shrink_to_fit();
    }
    v
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
    /// The text is a run of List items cut from a larger document
    /// ([`parse_items`]): the root sequence stands for the `items:` value.
    items_part: bool,
    /// An item of such a part would have stayed in the document's tree.
    unsplittable: bool,
    /// The rest of a [`ListCut`] ([`parse_list_rest`]): where its items
    /// were, and how many findings came before the parser passed them
    /// (findings of mappings closed before `items:` precede the items').
    gap_end: Option<usize>,
    before_gap: Option<usize>,
}

impl<'a, 'l> Builder<'a, 'l> {
    fn new(
        source: SourceId,
        text: &'a str,
        chunk: &'a str,
        offsets: Offsets,
        limits: &'l Limits,
    ) -> Self {
        Builder {
            source,
            text,
            chunk,
            offsets,
            limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            roots: Vec::new(),
            streamed: Vec::new(),
            items_part: false,
            unsplittable: false,
            gap_end: None,
            before_gap: None,
        }
    }

    /// Parse the chunk; false after a syntax error or an exceeded limit
    /// (reported, and the document dropped).
    fn run(
        &mut self,
        diags: &mut Vec<Diagnostic>,
        on_item: &mut dyn FnMut(Node<'a>, &mut Vec<Diagnostic>),
    ) -> bool {
        let mut parser = Parser::new_from_str(self.chunk);
        let initial = diags.len();
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
                            codes::YAML_SYNTAX.code,
                            Severity::Error,
                            self.source,
                            Span::new(at, self.line_end(at)),
                            format!("YAML syntax error: {}", err.info()),
                        )
                        .with_help("this document was skipped; the other documents were analysed"),
                    );
                    self.roots.clear();
                    return false;
                }
            };
            let span = self.offsets.span(&yspan);
            if self.before_gap.is_none() && self.gap_end.is_some_and(|g| span.start() >= g) {
                self.before_gap = Some(diags.len() - initial);
            }
            if let Err(diag) = self.event(event, span, diags) {
                diags.push(*diag);
                self.roots.clear();
                return false;
            }
        }
        true
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
                self.scalar(text, style, anchor, tag, span, diags);
                Ok(())
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
                self.sequence_end(span);
                Ok(())
            }
            Event::MappingEnd => {
                self.mapping_end(span, diags);
                Ok(())
            }
            Event::Alias(id) => self.alias(id, span),
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => Ok(()),
        }
    }

    fn scalar(
        &mut self,
        text: std::borrow::Cow<'a, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<std::borrow::Cow<'a, saphyr_parser::Tag>>,
        span: Span,
        diags: &mut Vec<Diagnostic>,
    ) {
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
        let text = self.borrowed(text, span, style);
        let node = Node {
            span,
            tag,
            kind: Kind::Scalar(text, style),
        };
        self.finish(node, anchor);
    }

    /// The scalar's text borrowed from the source where it is written there
    /// as it reads (a plain scalar on one line, a quoted one without
    /// escapes), else owned without the parser's spare capacity: a tree of
    /// many short scalars costs little more than their text.
    fn borrowed(
        &self,
        text: std::borrow::Cow<'a, str>,
        span: Span,
        style: Style,
    ) -> std::borrow::Cow<'a, str> {
        let std::borrow::Cow::Owned(owned) = text else {
            return text;
        };
        let written = self
            .text
            .get(span.start()..span.end())
            .and_then(|raw| match style {
                Style::Plain => Some(raw),
                Style::SingleQuoted | Style::DoubleQuoted => {
                    raw.get(1..raw.len().saturating_sub(1))
                }
                Style::Literal | Style::Folded => None,
            });
        match written {
            Some(raw) if raw == owned => std::borrow::Cow::Borrowed(raw),
            _ => std::borrow::Cow::Owned(owned.into_boxed_str().into_string()),
        }
    }

    fn sequence_end(&mut self, span: Span) {
        let Some(Frame::Seq {
            start,
            anchor,
            tag,
            items,
        }) = self.stack.pop()
        else {
            return;
        };
        let items = fitted(items);
        let end = items.last().map_or(span.end, |n| n.span.end.max(start.end));
        let span = Span {
            start: start.start,
            end: end.max(start.end),
        };
        self.finish(
            Node {
                span,
                tag,
                kind: Kind::Seq(items),
            },
            anchor,
        );
    }

    fn mapping_end(&mut self, span: Span, diags: &mut Vec<Diagnostic>) {
        let Some(Frame::Map {
            start,
            anchor,
            tag,
            entries,
            key: _,
        }) = self.stack.pop()
        else {
            return;
        };
        let end = entries
            .last()
            .map_or(span.end, |(_, v)| v.span.end.max(start.end));
        let span = Span {
            start: start.start,
            end: end.max(start.end),
        };
        let entries = fitted(self.merge_and_check_keys(entries, diags));
        self.finish(
            Node {
                span,
                tag,
                kind: Kind::Map(entries),
            },
            anchor,
        );
    }

    /// An alias: a copy of its anchor's node, within the expansion limit.
    fn alias(&mut self, id: usize, span: Span) -> Result<(), Box<Diagnostic>> {
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
                    codes::YAML_LIMIT.code,
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
        self.finish(node, 0);
        Ok(())
    }

    fn push(&mut self, frame: Frame<'a>) -> Result<(), Box<Diagnostic>> {
        if self.stack.len() + usize::from(self.items_part) >= self.limits.max_depth {
            let span = match &frame {
                Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
            };
            return Err(Box::new(Diagnostic::new(
                codes::YAML_LIMIT.code,
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
        let list_item = if self.items_part {
            let item = self.stack.len() == 1;
            self.unsplittable |= item && node.get("kind").is_none();
            item
        } else {
            // In the root map, the value of `items` (the root's key that
            // waits, just before the sequence's children).
            self.stack.len() == 2
                && matches!(&self.stack[..], [Frame::Map { key: Some(key), .. }, Frame::Seq { .. }]
                    if key.key_text() == Some("items"))
                && node.get("kind").is_some()
        };
        match self.stack.last_mut() {
            None => {
                if !(matches!(&node.kind, Kind::Scalar(t, Style::Plain) if t.is_empty())) {
                    self.roots.push(node);
                }
            }
            Some(Frame::Seq { .. }) if list_item => self.streamed.push(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => *key = Some(node),
            },
        }
    }

    fn error(&self, span: Span, message: &str) -> Diagnostic {
        Diagnostic::new(
            codes::YAML_SYNTAX.code,
            Severity::Error,
            self.source,
            span,
            message,
        )
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
        // The first hundred, then how many more (`diag::cap_per_code`).
        if let Some(&(_, second)) = dups.get(crate::diag::MAX_PER_CODE) {
            diags.push(Diagnostic::new(
                codes::YAML_DUPLICATE_KEY.code,
                Severity::Error,
                self.source,
                entries[second].0.span,
                format!(
                    "{} more {} findings here and after (only the first {} are listed)",
                    dups.len() - crate::diag::MAX_PER_CODE,
                    codes::YAML_DUPLICATE_KEY.code,
                    crate::diag::MAX_PER_CODE
                ),
            ));
        }
        for &(first, second) in dups.iter().take(crate::diag::MAX_PER_CODE) {
            let key = entries[second].0.key_text().unwrap_or_default();
            diags.push(
                Diagnostic::new(
                    codes::YAML_DUPLICATE_KEY.code,
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
                codes::YAML_11_SCALAR.code,
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

/// `<<` merge keys (YAML 1.1, as kubectl's decoder applies them): explicit
/// keys win over merged ones, and an earlier merged map over a later one.
/// Keys are hashed by reference once every entry is in place, so merging
/// large maps stays linear and copies no key.
fn merge<'a>(entries: Vec<(Node<'a>, Node<'a>)>) -> Vec<(Node<'a>, Node<'a>)> {
    let mut out = Vec::with_capacity(entries.len());
    let mut merged: Vec<(Node<'a>, Node<'a>)> = Vec::new();
    for (k, v) in entries {
        if matches!(&k.kind, Kind::Scalar(t, Style::Plain) if t == "<<") {
            match v.kind {
                Kind::Map(m) => merged.extend(m),
                Kind::Seq(items) => {
                    for item in items {
                        if let Kind::Map(m) = item.kind {
                            merged.extend(m);
                        }
                    }
                }
                Kind::Scalar(..) => out.push((
                    k,
                    Node {
                        span: v.span,
                        tag: v.tag,
                        kind: v.kind,
                    },
                )),
            }
        } else {
            out.push((k, v));
        }
    }
    if merged.is_empty() {
        return out;
    }
    let explicit = out.len();
    out.extend(merged);
    let keep: Vec<bool> = {
        let mut seen: std::collections::HashSet<Option<&str>> =
            out[..explicit].iter().map(|(k, _)| k.key_text()).collect();
        out[explicit..]
            .iter()
            .map(|(k, _)| seen.insert(k.key_text()))
            .collect()
    };
    let mut i = 0;
    out.retain(|_| {
        i += 1;
        i <= explicit || keep[i - 1 - explicit]
    });
    out
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
