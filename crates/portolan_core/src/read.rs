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

/// Read every source; `threads` is how many threads may share the work
/// (0: as many as the machine has cores).
pub fn read(sources: &[Source], limits: &Limits, namespace: &str, threads: usize) -> Read {
    let threads = crate::par::threads(threads);
    let bytes: usize = sources.iter().map(|s| s.text.len()).sum();
    if threads > 1 && bytes >= PARALLEL_MIN_BYTES {
        // Several pieces per thread, so that uneven pieces even out.
        #[cfg(not(target_arch = "wasm32"))]
        return parallel::read(
            sources,
            limits,
            namespace,
            threads,
            (bytes / (threads * 8)).clamp(64 << 10, 1 << 20),
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
    use super::{Read, Sink, sequential};
    use crate::source::Source;
    use crate::yaml::{self, Limits, ListCut, Piece};

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

    pub(super) fn read(
        sources: &[Source],
        limits: &Limits,
        namespace: &str,
        threads: usize,
        piece_bytes: usize,
    ) -> Read {
        let plans: Vec<Option<Vec<Piece>>> = sources
            .iter()
            .map(|s| yaml::cut(&s.text, limits, piece_bytes))
            .collect();
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
        let outs = crate::par::map(&tasks, threads, |task| {
            execute(sources, limits, namespace, task)
        });
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
                            let whole = chunks(sources, limits, namespace, id, cut.start, cut.end);
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

    fn chunks(
        sources: &[Source],
        limits: &Limits,
        namespace: &str,
        source: usize,
        start: usize,
        end: usize,
    ) -> Out {
        let mut sink = Sink::default();
        let mut diagnostics = Vec::new();
        let text = &sources[source].text;
        let roots = yaml::parse_chunks(
            source,
            text,
            start,
            end,
            limits,
            &mut diagnostics,
            |doc, d| {
                sink.decode(source, &doc, namespace, d);
            },
        );
        Out {
            read: sink.finish(diagnostics),
            roots,
            aliases: Some(0),
            before_items: 0,
        }
    }

    fn execute(sources: &[Source], limits: &Limits, namespace: &str, task: &Task<'_>) -> Out {
        let (source, text) = match task {
            Task::Chunks { source, start, end } => {
                return chunks(sources, limits, namespace, *source, *start, *end);
            }
            Task::Rest { source, .. } | Task::Items { source, .. } => {
                (*source, sources[*source].text.as_str())
            }
        };
        let mut sink = Sink::default();
        let mut diagnostics = Vec::new();
        let (aliases, before_items) = match task {
            Task::Rest { cut, .. } => {
                yaml::parse_list_rest(source, text, cut, limits, &mut diagnostics, |doc, d| {
                    sink.decode(source, &doc, namespace, d);
                })
                .map_or((None, 0), |(a, b)| (Some(a), b))
            }
            Task::Items { part, .. } => (
                yaml::parse_items(source, text, *part, limits, &mut diagnostics, |doc, d| {
                    sink.decode(source, &doc, namespace, d);
                }),
                0,
            ),
            Task::Chunks { .. } => unreachable!("returned above"),
        };
        Out {
            read: sink.finish(diagnostics),
            roots: Vec::new(),
            aliases,
            before_items,
        }
    }
}
