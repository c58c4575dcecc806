//! The one entry point: sources plus a cluster profile in, an analysis out
//! (objects, diagnostics, the completed snapshot), from which graphs, traces
//! and DNS answers are asked.

use std::collections::BTreeMap;

use crate::cluster::complete;
use crate::codes;
use crate::diag::{Diagnostic, Severity};
use crate::model::{Body, Object};
use crate::options::Options;
use crate::profile::{Profile, Resolved};
use crate::snapshot::Cluster;
use crate::source::Source;

#[derive(Debug)]
pub struct Analysis {
    pub sources: Vec<Source>,
    pub objects: Vec<Object>,
    pub diagnostics: Vec<Diagnostic>,
    pub cluster: Cluster,
    /// The client references of the accepted workloads (interfaces.md §6.5).
    pub references: Vec<crate::refs::Reference>,
    pub profile: Resolved,
    /// Documents read, per source.
    pub documents: usize,
    /// The threads the analysis was allowed (for freeing it).
    threads: usize,
}

pub fn analyze(sources: Vec<Source>, profile: &Profile) -> Result<Analysis, String> {
    analyze_with(sources, profile, &Options::default())
}

pub fn analyze_with(
    sources: Vec<Source>,
    profile: &Profile,
    options: &Options,
) -> Result<Analysis, String> {
    let profile = profile.resolve()?;
    let threads = crate::par::threads(options.threads);
    let read = crate::read::read(
        &sources,
        &options.limits,
        &profile.profile.namespace,
        threads,
    );
    Ok(analyze_read(sources, read, profile, options))
}

/// A diff's two sides, analysed with the same profile. Their reading is
/// shared where they hold the same text ([`crate::read::read_pair`]), and
/// the rest of each analysis runs beside the other's.
pub fn analyze_pair(
    (base, head): (Vec<Source>, Vec<Source>),
    profile: &Profile,
    options: &Options,
) -> Result<(Analysis, Analysis), String> {
    let profile = profile.resolve()?;
    let threads = crate::par::threads(options.threads);
    let (base_read, head_read) = crate::read::read_pair(
        (&base, &head),
        &options.limits,
        &profile.profile.namespace,
        threads,
    );
    let base_profile = profile.clone();
    Ok(crate::par::join(
        threads,
        || analyze_read(base, base_read, base_profile, options),
        || analyze_read(head, head_read, profile, options),
    ))
}

/// The analysis of sources already read.
fn analyze_read(
    sources: Vec<Source>,
    read: crate::read::Read,
    profile: Resolved,
    options: &Options,
) -> Analysis {
    let threads = crate::par::threads(options.threads);
    let crate::read::Read {
        mut objects,
        mut diagnostics,
        documents,
    } = read;
    // The objects stay for the whole analysis: no spare capacity.
    objects.shrink_to_fit();
    invalid_utf8(&sources, &mut diagnostics);
    // kubectl refuses a document with duplicate keys or bytes that are not
    // UTF-8 before the API server sees it.
    for d in diagnostics.iter().filter(|d| {
        d.code == crate::codes::YAML_DUPLICATE_KEY.code || d.code == crate::codes::INVALID_UTF8.code
    }) {
        let i = objects.partition_point(|o| (o.source, o.span.start) <= (d.source, d.span.start));
        if let Some(o) = i.checked_sub(1).and_then(|i| objects.get_mut(i))
            && o.source == d.source
            && d.span.end <= o.span.end
        {
            o.decode_failed = true;
        }
    }
    let defaults = crate::validate::Defaults::of(&objects);
    // Validation and the completed snapshot read the objects only: side by side.
    let (found, cluster) = crate::par::join(
        threads,
        || {
            let mut found = Vec::new();
            crate::validate::validate_all(&objects, &defaults, &profile, &mut found);
            found
        },
        || complete(&objects, &defaults, &profile, options, threads),
    );
    diagnostics.extend(found);
    if let Some((left, index)) = cluster.pods_left_out {
        diagnostics.push(snapshot_limit(&objects[index], left, options));
    }
    let rejected = crate::model::rejected(&objects, &diagnostics);
    let references = crate::refs::find(
        &objects,
        &rejected,
        &cluster,
        &profile.profile.cluster_domain,
    );
    crate::rules::run(
        crate::rules::Inputs {
            objects: &objects,
            defaults: &defaults,
            cluster: &cluster,
            profile: &profile,
            references: &references,
            rejected,
        },
        &mut diagnostics,
        threads,
    );
    drop(defaults);
    suppress(&objects, &mut diagnostics, options);
    diagnostics.sort_by(|a, b| {
        (a.source, a.span.start, a.span.end, a.code, &a.message).cmp(&(
            b.source,
            b.span.start,
            b.span.end,
            b.code,
            &b.message,
        ))
    });
    diagnostics.dedup();
    Analysis {
        sources,
        objects,
        diagnostics,
        cluster,
        references,
        profile,
        documents,
        threads,
    }
}

/// The note that a workload's pods were cut at the snapshot's limits.
fn snapshot_limit(o: &Object, left: usize, options: &Options) -> Diagnostic {
    Diagnostic::new(
        codes::SNAPSHOT_LIMIT.code,
        Severity::Info,
        o.source,
        o.anchor_span(),
        format!(
            "{left} pods that the workloads would run are left out of the snapshot: it makes at most 10,000 pods per workload and {} in all",
            options.limits.max_synthesized_pods
        ),
    )
    .with_object(Some(o.object_ref()))
    .with_help("Services, traces and the graph see the pods made before the limit; check fewer or smaller workloads at a time")
}

/// Invalid UTF-8 sequences reported per source; the rest are counted.
const INVALID_UTF8_REPORTED: usize = 100;

/// Each byte sequence that is not UTF-8, at its line and column.
fn invalid_utf8(sources: &[Source], diagnostics: &mut Vec<Diagnostic>) {
    for (id, source) in sources.iter().enumerate() {
        for &(span, byte) in source.invalid_utf8.iter().take(INVALID_UTF8_REPORTED) {
            diagnostics.push(
                Diagnostic::new(
                    crate::codes::INVALID_UTF8.code,
                    Severity::Error,
                    id,
                    span,
                    format!("invalid UTF-8: the byte 0x{byte:02x} here is not part of a UTF-8 character"),
                )
                .with_help("kubectl rejects the document (\"invalid leading UTF-8 octet\"); save the file as UTF-8. Portolan reads the rest of the file with U+FFFD in its place"),
            );
        }
        let more = source
            .invalid_utf8
            .len()
            .saturating_sub(INVALID_UTF8_REPORTED);
        if let Some(&(span, _)) = source.invalid_utf8.get(INVALID_UTF8_REPORTED) {
            diagnostics.push(Diagnostic::new(
                crate::codes::INVALID_UTF8.code,
                Severity::Error,
                id,
                span,
                format!("{more} more invalid UTF-8 sequences in this file from here on"),
            ));
        }
    }
}

pub const IGNORE_ANNOTATION: &str = "portolan.dev/ignore";

/// Inline suppressions (`portolan.dev/ignore: CODE[,CODE]`) and the config's
/// disabled codes and severity overrides.
fn suppress(objects: &[Object], diags: &mut Vec<Diagnostic>, options: &Options) {
    let ignored: BTreeMap<(usize, u32), Vec<String>> = objects
        .iter()
        .filter_map(|o| {
            let v = o.meta.annotations.get(IGNORE_ANNOTATION)?;
            let codes = v
                .split(|c: char| c == ',' || c.is_whitespace())
                .map(str::trim)
                .take_while(|c| !c.is_empty() && !c.starts_with('#'))
                .map(str::to_owned)
                .collect();
            Some(((o.source, o.span.start), codes))
        })
        .collect();
    diags.retain(|d| {
        if options.disabled.iter().any(|c| c == d.code) {
            return false;
        }
        !enclosing(objects, d).is_some_and(|o| {
            ignored
                .get(&(o.source, o.span.start))
                .is_some_and(|codes| codes.iter().any(|c| c == d.code))
        })
    });
    for d in diags.iter_mut() {
        if let Some(s) = options.severities.get(d.code) {
            d.severity = *s;
        }
    }
}

/// The object whose document span contains a diagnostic (objects are in
/// source order, so this is a binary search).
pub fn enclosing<'o>(objects: &'o [Object], d: &Diagnostic) -> Option<&'o Object> {
    let i = objects.partition_point(|o| (o.source, o.span.start) <= (d.source, d.span.start));
    let o = objects.get(i.checked_sub(1)?)?;
    (o.source == d.source && d.span.end <= o.span.end).then_some(o)
}

impl Drop for Analysis {
    /// A large analysis is hundreds of thousands of small blocks: the
    /// objects and the snapshot are freed side by side.
    fn drop(&mut self) {
        if self.objects.len() < 2000 {
            return;
        }
        let objects = std::mem::take(&mut self.objects);
        let cluster = std::mem::take(&mut self.cluster);
        crate::par::join(self.threads, move || drop(objects), move || drop(cluster));
    }
}

impl Analysis {
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// Objects by kind, for the summary (unknown kinds are counted too).
    pub fn kinds(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for o in &self.objects {
            *m.entry(o.kind.value.clone()).or_insert(0) += 1;
        }
        m
    }

    pub fn unknown_kinds(&self) -> usize {
        self.objects
            .iter()
            .filter(|o| matches!(o.body, Body::Other))
            .count()
    }

    pub fn object(&self, index: usize) -> &Object {
        &self.objects[index]
    }
}
