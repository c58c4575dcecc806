//! Reading the sources into objects: YAML parsing and typed decoding. A
//! large input is cut into pieces that parse independently (whole
//! documents, or the items of one big `List`) and read on every core;
//! the result is exactly what reading it front to back gives (tested on
//! the corpus). The WebAssembly builds read on one thread.

use crate::diag::Diagnostic;
use crate::model::decode::MapCache;
use crate::model::{Object, decode_document};
use crate::source::Source;
use crate::yaml::{Document, Limits, parse_stream};

/// Objects and findings read from the sources.
#[derive(Debug, Default)]
pub struct Read {
    pub objects: Vec<Object>,
    pub diagnostics: Vec<Diagnostic>,
    /// YAML documents (and streamed List items) decoded.
    pub documents: usize,
}

impl Read {
    fn absorb(&mut self, other: Read) {
        if self.objects.is_empty() {
            self.objects = other.objects;
        } else {
            self.objects.extend(other.objects);
        }
        self.diagnostics.extend(other.diagnostics);
        self.documents += other.documents;
    }
}

/// What one reading task decodes into, with the label sets it shares.
#[derive(Default)]
struct Sink {
    objects: Vec<Object>,
    maps: MapCache,
    documents: usize,
}

impl Sink {
    fn decode(
        &mut self,
        source: usize,
        doc: &Document<'_>,
        namespace: &str,
        diags: &mut Vec<Diagnostic>,
    ) {
        self.documents += 1;
        decode_document(
            source,
            doc,
            namespace,
            diags,
            &mut self.objects,
            &mut self.maps,
        );
    }

    fn finish(self, diagnostics: Vec<Diagnostic>) -> Read {
        Read {
            objects: self.objects,
            diagnostics,
            documents: self.documents,
        }
    }
}

/// Inputs smaller than this are read on one thread: the pieces would be
/// too small to pay for the threads.
pub const PARALLEL_MIN_BYTES: usize = 256 << 10;

/// The size of the pieces `bytes` of input are read in on `threads`
/// threads: several pieces per thread, so that uneven pieces even out.
#[cfg(not(target_arch = "wasm32"))]
fn piece_bytes(bytes: usize, threads: usize) -> usize {
    (bytes / (threads * 8)).clamp(64 << 10, 1 << 20)
}

/// Read every source; `threads` is how many threads may share the work
/// (0: as many as the machine has cores).
pub fn read(sources: &[Source], limits: &Limits, namespace: &str, threads: usize) -> Read {
    let threads = crate::par::threads(threads);
    let bytes: usize = sources.iter().map(|s| s.text.len()).sum();
    if threads > 1 && bytes >= PARALLEL_MIN_BYTES {
        #[cfg(not(target_arch = "wasm32"))]
        return parallel::read(
            sources,
            limits,
            namespace,
            threads,
            piece_bytes(bytes, threads),
        );
    }
    let mut out = Read::default();
    for id in 0..sources.len() {
        out.absorb(sequential(sources, id, limits, namespace));
    }
    out
}

/// [`read`] on `threads` threads with pieces of about `piece_bytes`, at
/// any input size (for the tests that compare it with the sequential read).
#[doc(hidden)]
#[cfg(not(target_arch = "wasm32"))]
pub fn read_in_pieces(
    sources: &[Source],
    limits: &Limits,
    namespace: &str,
    threads: usize,
    piece_bytes: usize,
) -> Read {
    parallel::read(sources, limits, namespace, threads, piece_bytes)
}

/// Read a diff's two sides. A document or List item that both hold byte
/// for byte is parsed once, and its tree decoded for each side with its
/// positions moved: in a pull request that is nearly every document. The
/// result is exactly what reading each side gives (tested).
pub fn read_pair(
    (base, head): (&[Source], &[Source]),
    limits: &Limits,
    namespace: &str,
    threads: usize,
) -> (Read, Read) {
    let threads = crate::par::threads(threads);
    let bytes: usize = base.iter().chain(head).map(|s| s.text.len()).sum();
    if bytes >= PARALLEL_MIN_BYTES {
        #[cfg(not(target_arch = "wasm32"))]
        return parallel::read_pair(
            (base, head),
            limits,
            namespace,
            threads,
            piece_bytes(bytes, threads),
        );
    }
    (
        read(base, limits, namespace, threads),
        read(head, limits, namespace, threads),
    )
}

/// [`read_pair`] with runs of about `piece_bytes`, at any input size (for
/// the tests that compare it with reading each side).
#[doc(hidden)]
#[cfg(not(target_arch = "wasm32"))]
pub fn read_pair_in_pieces(
    sides: (&[Source], &[Source]),
    limits: &Limits,
    namespace: &str,
    threads: usize,
    piece_bytes: usize,
) -> (Read, Read) {
    parallel::read_pair(sides, limits, namespace, threads, piece_bytes)
}

/// One source front to back.
fn sequential(sources: &[Source], id: usize, limits: &Limits, namespace: &str) -> Read {
    let mut sink = Sink::default();
    let mut diagnostics = Vec::new();
    parse_stream(id, &sources[id].text, limits, &mut diagnostics, |doc, d| {
        sink.decode(id, &doc, namespace, d);
    });
    sink.finish(diagnostics)
}

#[cfg(not(target_arch = "wasm32"))]
mod parallel {
    use std::collections::HashMap;

    use super::{Read, Sink, sequential};
    use crate::diag::Diagnostic;
    use crate::model::decode::MapCache;
    use crate::source::Source;
    use crate::yaml::{self, Document, Limits, ListCut, Piece};

    enum Task<'p> {
        Chunks {
            source: usize,
            start: usize,
            end: usize,
        },
        Rest {
            source: usize,
            cut: &'p ListCut,
        },
        Items {
            source: usize,
            part: (usize, usize),
        },
    }

    impl Task<'_> {
        /// The text a task reads on its own, and whether it is a List item:
        /// the same text at another place reads the same, its positions
        /// moved, if it is read the same way (a run of items and a document
        /// can hold the same bytes: a top-level sequence after a byte order
        /// mark). None for the rest of a List, which is read around its
        /// items.
        fn text<'s>(&self, sources: &'s [Source]) -> Option<(&'s str, bool)> {
            let (source, (start, end)) = match self {
                Task::Chunks { source, start, end } => (*source, (*start, *end)),
                Task::Items { source, part } => (*source, *part),
                Task::Rest { .. } => return None,
            };
            Some((
                &sources[source].text[start..end],
                matches!(self, Task::Items { .. }),
            ))
        }

        fn source(&self) -> usize {
            match self {
                Task::Chunks { source, .. }
                | Task::Items { source, .. }
                | Task::Rest { source, .. } => *source,
            }
        }

        fn start(&self) -> usize {
            match self {
                Task::Chunks { start, .. } => *start,
                Task::Items { part, .. } => part.0,
                Task::Rest { cut, .. } => cut.start,
            }
        }

        fn bytes(&self) -> usize {
            match self {
                Task::Chunks { start, end, .. } => end - start,
                Task::Items { part, .. } => part.1 - part.0,
                Task::Rest { cut, .. } => (cut.end - cut.start) - (cut.region.1 - cut.region.0),
            }
        }
    }

    struct Out {
        read: Read,
        /// Documents per chunk ([`Task::Chunks`]).
        roots: Vec<usize>,
        /// Alias nodes, or None when the piece must be read within its
        /// whole document ([`Task::Rest`], [`Task::Items`]).
        aliases: Option<usize>,
        /// [`Task::Rest`]: its findings that precede the items.
        before_items: usize,
    }

    type Plans = Vec<Option<Vec<Piece>>>;

    fn plan(sources: &[Source], limits: &Limits, piece_bytes: usize) -> Plans {
        sources
            .iter()
            .map(|s| yaml::cut(&s.text, limits, piece_bytes))
            .collect()
    }

    fn tasks(plans: &Plans) -> Vec<Task<'_>> {
        let mut tasks = Vec::new();
        for (source, plan) in plans.iter().enumerate() {
            for piece in plan.iter().flatten() {
                match piece {
                    Piece::Chunks { start, end } => tasks.push(Task::Chunks {
                        source,
                        start: *start,
                        end: *end,
                    }),
                    Piece::List(cut) => {
                        tasks.push(Task::Rest { source, cut });
                        tasks.extend(cut.parts.iter().map(|&part| Task::Items { source, part }));
                    }
                }
            }
        }
        tasks
    }

    pub(super) fn read(
        sources: &[Source],
        limits: &Limits,
        namespace: &str,
        threads: usize,
        piece_bytes: usize,
    ) -> Read {
        let plans = plan(sources, limits, piece_bytes);
        let tasks = tasks(&plans);
        let outs = crate::par::map(&tasks, threads, |task| {
            let reader = Reader {
                sources,
                limits,
                namespace,
            };
            reader.execute(task, &mut MapCache::default(), &[]).0
        });
        assemble(sources, &plans, outs, limits, namespace)
    }

    /// A task's text found again on the other side of a diff.
    struct Twin {
        task: usize,
        source: usize,
        /// Its position there less its position here.
        delta: i64,
    }

    /// Work for one thread: a run of tasks of one side, each with its
    /// twins on the other side (none for the head's own tasks).
    struct Run {
        head: bool,
        tasks: std::ops::Range<usize>,
    }

    /// A diff's two sides, cut at every document and every List item: a
    /// piece of the head that the base holds byte for byte is parsed once,
    /// with the base's, and decoded for each side.
    pub(super) fn read_pair(
        (base, head): (&[Source], &[Source]),
        limits: &Limits,
        namespace: &str,
        threads: usize,
        piece_bytes: usize,
    ) -> (Read, Read) {
        let (base_plans, head_plans) =
            crate::par::join(threads, || plan(base, limits, 1), || plan(head, limits, 1));
        let (base_tasks, head_tasks) = (tasks(&base_plans), tasks(&head_plans));
        let (twins, shared) = twins((base, head), &base_tasks, &head_tasks);
        let mut runs = Vec::new();
        group(&base_tasks, |_| true, piece_bytes, false, &mut runs);
        group(&head_tasks, |i| !shared[i], piece_bytes, true, &mut runs);
        let done = crate::par::map(&runs, threads, |run| {
            let (sources, tasks) = if run.head {
                (head, &head_tasks)
            } else {
                (base, &base_tasks)
            };
            let reader = Reader {
                sources,
                limits,
                namespace,
            };
            let mut maps = MapCache::default();
            let mut outs = Vec::new();
            for i in run.tasks.clone() {
                let mine: &[Twin] = if run.head { &[] } else { &twins[i] };
                let (out, theirs) = reader.execute(&tasks[i], &mut maps, mine);
                outs.push((run.head, i, out));
                outs.extend(theirs.into_iter().map(|(t, out)| (true, t, out)));
            }
            outs
        });
        let mut base_outs: Vec<Option<Out>> = base_tasks.iter().map(|_| None).collect();
        let mut head_outs: Vec<Option<Out>> = head_tasks.iter().map(|_| None).collect();
        for (is_head, i, out) in done.into_iter().flatten() {
            let outs = if is_head {
                &mut head_outs
            } else {
                &mut base_outs
            };
            outs[i] = Some(out);
        }
        // A twin is not taken where its text did not parse (a syntax
        // error's span runs to the end of its line, past the piece): the
        // head reads it itself.
        let missing: Vec<usize> = (0..head_tasks.len())
            .filter(|&i| head_outs[i].is_none())
            .collect();
        let read_again = crate::par::map(&missing, threads, |&i| {
            let reader = Reader {
                sources: head,
                limits,
                namespace,
            };
            reader
                .execute(&head_tasks[i], &mut MapCache::default(), &[])
                .0
        });
        for (i, out) in missing.into_iter().zip(read_again) {
            head_outs[i] = Some(out);
        }
        (
            assemble(
                base,
                &base_plans,
                base_outs.into_iter().flatten().collect(),
                limits,
                namespace,
            ),
            assemble(
                head,
                &head_plans,
                head_outs.into_iter().flatten().collect(),
                limits,
                namespace,
            ),
        )
    }

    /// Each base task's twins in the head, and which head tasks have one.
    fn twins(
        (base, head): (&[Source], &[Source]),
        base_tasks: &[Task<'_>],
        head_tasks: &[Task<'_>],
    ) -> (Vec<Vec<Twin>>, Vec<bool>) {
        let mut first: HashMap<(&str, bool), usize> = HashMap::with_capacity(base_tasks.len());
        for (i, task) in base_tasks.iter().enumerate() {
            if let Some(text) = task.text(base) {
                first.entry(text).or_insert(i);
            }
        }
        let mut twins: Vec<Vec<Twin>> = base_tasks.iter().map(|_| Vec::new()).collect();
        let mut shared = vec![false; head_tasks.len()];
        for (i, task) in head_tasks.iter().enumerate() {
            let Some(&b) = task.text(head).and_then(|text| first.get(&text)) else {
                continue;
            };
            let (Ok(here), Ok(there)) = (
                i64::try_from(base_tasks[b].start()),
                i64::try_from(task.start()),
            ) else {
                continue;
            };
            twins[b].push(Twin {
                task: i,
                source: task.source(),
                delta: there - here,
            });
            shared[i] = true;
        }
        (twins, shared)
    }

    /// Runs of consecutive tasks that `take`, each of about `piece_bytes`.
    fn group(
        tasks: &[Task<'_>],
        take: impl Fn(usize) -> bool,
        piece_bytes: usize,
        head: bool,
        runs: &mut Vec<Run>,
    ) {
        let mut open: Option<(usize, usize)> = None;
        for (i, task) in tasks.iter().enumerate() {
            if !take(i) {
                if let Some((s, _)) = open.take() {
                    runs.push(Run { head, tasks: s..i });
                }
                continue;
            }
            let (s, bytes) = open.get_or_insert((i, 0));
            *bytes += task.bytes();
            if *bytes >= piece_bytes {
                runs.push(Run {
                    head,
                    tasks: *s..i + 1,
                });
                open = None;
            }
        }
        if let Some((s, _)) = open {
            runs.push(Run {
                head,
                tasks: s..tasks.len(),
            });
        }
    }

    /// Each source's pieces put back together in order, as reading it front
    /// to back gives them; `outs` holds one [`Out`] per task, in task order.
    fn assemble(
        sources: &[Source],
        plans: &Plans,
        outs: Vec<Out>,
        limits: &Limits,
        namespace: &str,
    ) -> Read {
        let reader = Reader {
            sources,
            limits,
            namespace,
        };
        let mut outs = outs.into_iter();
        let mut read = Read::default();
        for (id, plan) in plans.iter().enumerate() {
            let Some(pieces) = plan else {
                read.absorb(sequential(sources, id, limits, namespace));
                continue;
            };
            let mut source = Read::default();
            let mut documents = 0;
            let mut over_limit = false;
            let mut count = |roots: &[usize]| {
                for &n in roots {
                    over_limit |= documents >= limits.max_documents;
                    documents += n;
                }
            };
            for piece in pieces {
                let Some(out) = outs.next() else { break };
                match piece {
                    Piece::Chunks { .. } => {
                        count(&out.roots);
                        source.absorb(out.read);
                    }
                    Piece::List(cut) => {
                        let parts: Vec<Out> = outs.by_ref().take(cut.parts.len()).collect();
                        let aliases = out.aliases.and_then(|a| {
                            parts.iter().try_fold(a, |sum, p| Some(sum + p.aliases?))
                        });
                        if aliases.is_some_and(|a| a <= limits.max_alias_nodes) {
                            count(&[1]);
                            // Front to back: the findings of the head that
                            // close before `items:`, the items, the rest.
                            let mut rest = out.read;
                            let after = rest.diagnostics.split_off(out.before_items);
                            source.absorb(Read {
                                diagnostics: std::mem::replace(&mut rest.diagnostics, after),
                                ..Read::default()
                            });
                            for part in parts {
                                source.absorb(part.read);
                            }
                            source.absorb(rest);
                        } else {
                            // Read as a whole, as `parse_stream` reads it.
                            let whole = reader.chunks(
                                id,
                                (cut.start, cut.end),
                                &mut MapCache::default(),
                                &mut Decoder::new(&[]),
                            );
                            count(&whole.roots);
                            source.absorb(whole.read);
                        }
                    }
                }
            }
            if over_limit {
                // The document limit cuts this source short: read it as
                // `parse_stream` does, which says where.
                source = sequential(sources, id, limits, namespace);
            }
            read.absorb(source);
        }
        read
    }

    struct Reader<'r> {
        sources: &'r [Source],
        limits: &'r Limits,
        namespace: &'r str,
    }

    /// A task's twin being decoded.
    struct Copy {
        task: usize,
        source: usize,
        delta: i64,
        sink: Sink,
        diagnostics: Vec<Diagnostic>,
    }

    /// Decodes a task's documents, and each again for its twins with its
    /// positions moved.
    struct Decoder {
        copies: Vec<Copy>,
        /// Findings from here on in the task's own list were pushed by the
        /// parser since the last document: its twins get them too, moved.
        mark: usize,
    }

    impl Decoder {
        fn new(twins: &[Twin]) -> Self {
            Decoder {
                copies: twins
                    .iter()
                    .map(|t| Copy {
                        task: t.task,
                        source: t.source,
                        delta: t.delta,
                        sink: Sink::default(),
                        diagnostics: Vec::new(),
                    })
                    .collect(),
                mark: 0,
            }
        }

        fn decode(
            &mut self,
            reader: &Reader<'_>,
            (source, sink): (usize, &mut Sink),
            mut doc: Document<'_>,
            diags: &mut Vec<Diagnostic>,
        ) {
            self.parser_findings(source, diags);
            sink.decode(source, &doc, reader.namespace, diags);
            self.mark = diags.len();
            let mut moved = 0;
            for copy in &mut self.copies {
                doc.shift(copy.delta - moved);
                moved = copy.delta;
                std::mem::swap(&mut sink.maps, &mut copy.sink.maps);
                copy.sink
                    .decode(copy.source, &doc, reader.namespace, &mut copy.diagnostics);
                std::mem::swap(&mut sink.maps, &mut copy.sink.maps);
            }
        }

        fn parser_findings(&mut self, source: usize, diags: &[Diagnostic]) {
            for copy in &mut self.copies {
                let moved = diags[self.mark..].iter().map(|d| {
                    let mut d = d.clone();
                    d.span = d.span.shifted(copy.delta);
                    d.source = copy.source;
                    for r in d.related.iter_mut().filter(|r| r.source == source) {
                        r.span = r.span.shifted(copy.delta);
                        r.source = copy.source;
                    }
                    d
                });
                copy.diagnostics.extend(moved);
            }
            self.mark = diags.len();
        }

        /// The twins' outputs, given the task's own; none where the text
        /// did not parse.
        fn finish(mut self, source: usize, own: &Out) -> Vec<(usize, Out)> {
            let diags = &own.read.diagnostics;
            if diags
                .iter()
                .any(|d| d.code == crate::codes::YAML_SYNTAX.code)
            {
                return Vec::new();
            }
            self.parser_findings(source, diags);
            self.copies
                .into_iter()
                .map(|copy| {
                    let out = Out {
                        read: copy.sink.finish(copy.diagnostics),
                        roots: own.roots.clone(),
                        aliases: own.aliases,
                        before_items: own.before_items,
                    };
                    (copy.task, out)
                })
                .collect()
        }
    }

    impl Reader<'_> {
        fn chunks(
            &self,
            source: usize,
            (start, end): (usize, usize),
            maps: &mut MapCache,
            decoder: &mut Decoder,
        ) -> Out {
            let mut sink = Sink {
                maps: std::mem::take(maps),
                ..Sink::default()
            };
            let mut diagnostics = Vec::new();
            let text = &self.sources[source].text;
            let roots = yaml::parse_chunks(
                source,
                text,
                start,
                end,
                self.limits,
                &mut diagnostics,
                |doc, d| decoder.decode(self, (source, &mut sink), doc, d),
            );
            *maps = std::mem::take(&mut sink.maps);
            Out {
                read: sink.finish(diagnostics),
                roots,
                aliases: Some(0),
                before_items: 0,
            }
        }

        /// One task, and its twins: the task's output, then each twin's.
        fn execute(
            &self,
            task: &Task<'_>,
            maps: &mut MapCache,
            twins: &[Twin],
        ) -> (Out, Vec<(usize, Out)>) {
            let mut decoder = Decoder::new(twins);
            let (source, text) = match task {
                Task::Chunks { source, start, end } => {
                    let out = self.chunks(*source, (*start, *end), maps, &mut decoder);
                    let theirs = decoder.finish(*source, &out);
                    return (out, theirs);
                }
                Task::Rest { source, .. } | Task::Items { source, .. } => {
                    (*source, self.sources[*source].text.as_str())
                }
            };
            let mut sink = Sink {
                maps: std::mem::take(maps),
                ..Sink::default()
            };
            let mut diagnostics = Vec::new();
            let (aliases, before_items) = match task {
                Task::Rest { cut, .. } => yaml::parse_list_rest(
                    source,
                    text,
                    cut,
                    self.limits,
                    &mut diagnostics,
                    |doc, d| {
                        sink.decode(source, &doc, self.namespace, d);
                    },
                )
                .map_or((None, 0), |(a, b)| (Some(a), b)),
                Task::Items { part, .. } => (
                    yaml::parse_items(
                        source,
                        text,
                        *part,
                        self.limits,
                        &mut diagnostics,
                        |doc, d| {
                            decoder.decode(self, (source, &mut sink), doc, d);
                        },
                    ),
                    0,
                ),
                Task::Chunks { .. } => unreachable!("returned above"),
            };
            *maps = std::mem::take(&mut sink.maps);
            let out = Out {
                read: sink.finish(diagnostics),
                roots: Vec::new(),
                aliases,
                before_items,
            };
            let theirs = decoder.finish(source, &out);
            (out, theirs)
        }
    }
}
