//! Typed decoding from the YAML tree, as the API server's strict decoder
//! reads JSON: wrong types and unknown fields are reported at their node,
//! and every decoded field keeps its span.

use std::collections::BTreeMap;
use std::fmt::{Display, Write as _};
use std::sync::Arc;

use crate::codes;
use crate::diag::{Diagnostic, Severity};
use crate::source::{SourceId, Span};
use crate::yaml::{Kind, Node, Resolved};

/// A value with the span of the node it was read from.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

impl Spanned<String> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// `intstr.IntOrString`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IntOrString {
    Int(i64),
    Str(String),
}

impl std::fmt::Display for IntOrString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntOrString::Int(i) => write!(f, "{i}"),
            IntOrString::Str(s) => f.write_str(s),
        }
    }
}

/// A string map (labels, annotations, selectors) with the spans of each entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringMap {
    /// Shared, not copied, by the pods of the completed snapshot.
    pub map: std::sync::Arc<BTreeMap<String, String>>,
    /// (key span, value span) of each entry, in the map's (key) order: a
    /// second map keyed by the same strings would double the memory of
    /// every label set.
    spans: Vec<(Span, Span)>,
    pub span: Span,
}

impl Default for StringMap {
    fn default() -> Self {
        // Most objects have no annotations, many no labels: the empty map is
        // shared rather than allocated for each of them.
        static EMPTY: std::sync::OnceLock<std::sync::Arc<BTreeMap<String, String>>> =
            std::sync::OnceLock::new();
        StringMap {
            map: EMPTY.get_or_init(std::sync::Arc::default).clone(),
            spans: Vec::new(),
            span: Span::default(),
        }
    }
}

impl StringMap {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.map.get(key).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn key_span(&self, key: &str) -> Span {
        self.spans_of(key).map_or(self.span, |s| s.0)
    }

    /// Every entry in key order with its key and value spans (the map's own
    /// span where an entry has none): one pass, for checks of every entry.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str, Span, Span)> {
        let whole = (self.span, self.span);
        self.map.iter().enumerate().map(move |(i, (k, v))| {
            let (ks, vs) = self.spans.get(i).copied().unwrap_or(whole);
            (k.as_str(), v.as_str(), ks, vs)
        })
    }

    /// The key and value spans of `key`.
    pub fn spans_of(&self, key: &str) -> Option<(Span, Span)> {
        let i = self.map.keys().position(|k| k == key)?;
        self.spans.get(i).copied()
    }

    /// A map from entries in document order; a repeated key keeps its last
    /// value, as the decoders do.
    pub fn from_entries(entries: Vec<(String, String, Span, Span)>, span: Span) -> Self {
        let mut entries = entries;
        // Stable: among equal keys the last one stays last.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = StringMap {
            span,
            ..StringMap::default()
        };
        let mut map = BTreeMap::new();
        let mut iter = entries.into_iter().peekable();
        while let Some((k, v, ks, vs)) = iter.next() {
            if iter.peek().is_some_and(|next| next.0 == k) {
                continue;
            }
            out.spans.push((ks, vs));
            map.insert(k, v);
        }
        if !map.is_empty() {
            out.map = std::sync::Arc::new(map);
        }
        out
    }
}

/// `parent.key`: a field path formatted only when a finding names it
/// (decoding visits every field; findings are rare).
#[derive(Clone, Copy)]
pub struct Key<'p>(pub &'p dyn Display, pub &'p str);

impl Display for Key<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

/// `parent[index]`, formatted only when needed.
#[derive(Clone, Copy)]
pub struct Index<'p>(pub &'p dyn Display, pub usize);

impl Display for Index<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}]", self.0, self.1)
    }
}

/// Decoding context for one object. Findings are pushed without their
/// object, which the caller names once decoding is done.
pub struct Cx<'d> {
    pub source: SourceId,
    pub diags: &'d mut Vec<Diagnostic>,
    pub maps: &'d mut MapCache,
    /// Set while a custom resource whose CRD the API server checks is
    /// decoded (Gateway API, spec H.1.2): a wrong JSON type is then that
    /// schema's `TypeInvalid` field error under this code, not a decoding
    /// error.
    pub schema: Option<&'static str>,
}

/// One shared copy of each label set: the pods of a ReplicaSet (and its
/// template, and the selector that picks them) carry the same labels.
#[derive(Debug)]
pub struct MapCache {
    by_hash: std::collections::HashMap<u64, Vec<Arc<BTreeMap<String, String>>>>,
    hasher: std::collections::hash_map::RandomState,
}

impl Default for MapCache {
    fn default() -> Self {
        MapCache {
            by_hash: std::collections::HashMap::new(),
            hasher: std::collections::hash_map::RandomState::new(),
        }
    }
}

impl MapCache {
    /// Distinct sets kept per hash: beyond it (never in practice, but a
    /// hostile input could try) new sets are simply not shared.
    const BUCKET: usize = 8;

    /// The map of `pairs` (sorted by key, keys distinct).
    pub fn get(&mut self, pairs: &[(&str, &str)]) -> Arc<BTreeMap<String, String>> {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut h = self.hasher.build_hasher();
        for (k, v) in pairs {
            k.hash(&mut h);
            v.hash(&mut h);
        }
        let bucket = self.by_hash.entry(h.finish()).or_default();
        if let Some(m) = bucket.iter().find(|m| {
            m.len() == pairs.len() && m.iter().zip(pairs).all(|((a, b), (c, d))| a == c && b == d)
        }) {
            return m.clone();
        }
        let map: Arc<BTreeMap<String, String>> = Arc::new(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        );
        if bucket.len() < Self::BUCKET {
            bucket.push(map.clone());
        }
        map
    }
}

pub type Entries<'n, 'a> = &'n [(Node<'a>, Node<'a>)];

impl Cx<'_> {
    // The decoders pass paths of several types; each wrapper hands its path
    // on as `&dyn Display`, so that the bodies exist once in the binary.

    /// The entries of a mapping, reporting fields outside `known` (when it is
    /// not empty) as strict field validation does. Null yields `None` quietly.
    pub fn map<'n, 'a>(
        &mut self,
        node: &'n Node<'a>,
        path: impl Display,
        known: &[&str],
    ) -> Option<Entries<'n, 'a>> {
        self.map_at(node, &path, known)
    }

    pub fn seq<'n, 'a>(&mut self, node: &'n Node<'a>, path: impl Display) -> &'n [Node<'a>] {
        self.seq_at(node, &path)
    }

    pub fn string(&mut self, node: &Node<'_>, path: impl Display) -> Option<Spanned<String>> {
        self.string_at(node, &path)
    }

    pub fn int(&mut self, node: &Node<'_>, path: impl Display) -> Option<Spanned<i64>> {
        self.int_at(node, &path)
    }

    pub fn bool(&mut self, node: &Node<'_>, path: impl Display) -> Option<Spanned<bool>> {
        self.bool_at(node, &path)
    }

    pub fn int_or_string(
        &mut self,
        node: &Node<'_>,
        path: impl Display,
    ) -> Option<Spanned<IntOrString>> {
        self.int_or_string_at(node, &path)
    }

    pub fn strings(&mut self, node: &Node<'_>, path: impl Display) -> Vec<Spanned<String>> {
        self.strings_at(node, &path)
    }

    pub fn string_map(&mut self, node: &Node<'_>, path: impl Display) -> StringMap {
        self.string_map_at(node, &path)
    }

    pub fn error(&mut self, code: &'static str, span: Span, field: &str, message: String) {
        let mut d = Diagnostic::new(code, Severity::Error, self.source, span, message);
        d.field = Some(field.to_owned());
        self.diags.push(d);
    }

    fn type_error_at(&mut self, node: &Node<'_>, path: &dyn Display, expected: &str) {
        let path = path.to_string();
        let got = node.type_name();
        let shown = match node.resolve() {
            Resolved::Collection => String::new(),
            _ => format!(" {}", node.as_scalar().map_or("", |s| s.0)),
        };
        if let Some(code) = self.schema {
            // kube-openapi's InvalidType, as apiextensions reports it:
            // `field.TypeInvalid(path, "<JSON type>", "<path> in body must be
            // of type <type>: \"<JSON type>\"")`.
            let mut d = Diagnostic::new(
                code,
                Severity::Error,
                self.source,
                node.span,
                format!(
                    "{path}: Invalid value: \"{got}\": {path} in body must be of type {expected}: \"{got}\""
                ),
            );
            d.field = Some(path);
            d.error_type = Some(crate::diag::ErrorType::TypeInvalid);
            if expected == "string" && !matches!(node.resolve(), Resolved::Collection) {
                d.help = Some("quote the value".to_owned());
            }
            self.diags.push(d);
            return;
        }
        let mut message = format!("{path}: expected {expected}, got {got}{shown}");
        if expected == "string"
            && matches!(
                node.resolve(),
                Resolved::Bool(_) | Resolved::Int(_) | Resolved::Float(_)
            )
        {
            message.push_str(" (YAML reads it unquoted as a non-string)");
        }
        self.error(codes::WRONG_TYPE.code, node.span, &path, message);
        if expected == "string"
            && let Some(last) = self.diags.last_mut()
        {
            last.help = Some("quote the value".to_owned());
        }
    }

    /// The entries of a mapping, reporting fields outside `known` (when it is
    /// not empty) as strict field validation does. Null yields `None` quietly.
    fn map_at<'n, 'a>(
        &mut self,
        node: &'n Node<'a>,
        path: &dyn Display,
        known: &[&str],
    ) -> Option<Entries<'n, 'a>> {
        match &node.kind {
            Kind::Map(entries) => {
                if !known.is_empty() {
                    for (k, _) in entries {
                        let key = k.key_text().unwrap_or("");
                        if !known.contains(&key) {
                            let field = join(&path.to_string(), key);
                            let mut message = format!("unknown field \"{field}\"");
                            if let Some(close) = closest(key, known) {
                                let _ = write!(message, " (did you mean \"{close}\"?)");
                            }
                            self.error(codes::UNKNOWN_FIELD.code, k.span, &field, message);
                        }
                    }
                }
                Some(entries)
            }
            _ if node.is_null() => None,
            _ => {
                self.type_error_at(node, path, "object");
                None
            }
        }
    }

    fn seq_at<'n, 'a>(&mut self, node: &'n Node<'a>, path: &dyn Display) -> &'n [Node<'a>] {
        match &node.kind {
            Kind::Seq(items) => items,
            _ if node.is_null() => &[],
            _ => {
                self.type_error_at(node, path, "array");
                &[]
            }
        }
    }

    fn string_at(&mut self, node: &Node<'_>, path: &dyn Display) -> Option<Spanned<String>> {
        match node.resolve() {
            Resolved::Str(s) => Some(Spanned::new(s.to_owned(), node.span)),
            Resolved::Null => None,
            _ => {
                self.type_error_at(node, path, "string");
                None
            }
        }
    }

    fn int_at(&mut self, node: &Node<'_>, path: &dyn Display) -> Option<Spanned<i64>> {
        match node.resolve() {
            Resolved::Int(i) => Some(Spanned::new(i, node.span)),
            Resolved::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                Some(Spanned::new(f as i64, node.span))
            }
            Resolved::Null => None,
            _ => {
                self.type_error_at(node, path, "integer");
                None
            }
        }
    }

    fn bool_at(&mut self, node: &Node<'_>, path: &dyn Display) -> Option<Spanned<bool>> {
        match node.resolve() {
            Resolved::Bool(b) => Some(Spanned::new(b, node.span)),
            Resolved::Null => None,
            _ => {
                self.type_error_at(node, path, "boolean");
                None
            }
        }
    }

    fn int_or_string_at(
        &mut self,
        node: &Node<'_>,
        path: &dyn Display,
    ) -> Option<Spanned<IntOrString>> {
        match node.resolve() {
            Resolved::Int(i) => Some(Spanned::new(IntOrString::Int(i), node.span)),
            Resolved::Str(s) => Some(Spanned::new(IntOrString::Str(s.to_owned()), node.span)),
            Resolved::Null => None,
            _ => {
                self.type_error_at(node, path, "integer or string");
                None
            }
        }
    }

    fn strings_at(&mut self, node: &Node<'_>, path: &dyn Display) -> Vec<Spanned<String>> {
        let items = self.seq_at(node, path);
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if let Some(s) = self.string(item, Index(&path, i)) {
                out.push(s);
            }
        }
        out
    }

    fn string_map_at(&mut self, node: &Node<'_>, path: &dyn Display) -> StringMap {
        let mut out = StringMap {
            span: node.span,
            ..StringMap::default()
        };
        let Some(entries) = self.map_at(node, path, &[]) else {
            return out;
        };
        let mut items: Vec<(&str, &str, Span, Span)> = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            let key = k.key_text().unwrap_or("");
            let value = match v.resolve() {
                Resolved::Str(s) => s,
                Resolved::Null => "",
                _ => {
                    self.type_error_at(v, &join(&path.to_string(), key), "string");
                    continue;
                }
            };
            items.push((key, value, k.span, v.span));
        }
        // Stable: among equal keys the last one stays last, and wins.
        items.sort_by(|a, b| a.0.cmp(b.0));
        let mut pairs = Vec::with_capacity(items.len());
        let mut iter = items.into_iter().peekable();
        while let Some((k, v, ks, vs)) = iter.next() {
            if iter.peek().is_some_and(|next| next.0 == k) {
                continue;
            }
            out.spans.push((ks, vs));
            pairs.push((k, v));
        }
        if !pairs.is_empty() {
            out.map = self.maps.get(&pairs);
        }
        out
    }
}

/// `spec` + `ports` → `spec.ports`.
pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The known field closest to a misspelt one (case-insensitive match or
/// edit distance ≤ 2), for "did you mean".
fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let lower = key.to_ascii_lowercase();
    if let Some(k) = known.iter().find(|k| k.to_ascii_lowercase() == lower) {
        return Some(k);
    }
    known
        .iter()
        .map(|k| (edit_distance(&lower, &k.to_ascii_lowercase()), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance (for "did you mean" and near misses).
pub fn edit_distance(a: &str, b: &str) -> usize {
    // Names and label values are at most 253 characters; beyond that the
    // quadratic table is not worth it (hostile input), and the longer length
    // bounds the distance.
    if a.len() > 256 || b.len() > 256 {
        return a.chars().count().max(b.chars().count());
    }
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_label_sets_share_one_map_and_a_full_bucket_still_answers() {
        let mut maps = MapCache::default();
        let a = maps.get(&[("app", "web"), ("tier", "front")]);
        let b = maps.get(&[("app", "web"), ("tier", "front")]);
        let c = maps.get(&[("app", "web"), ("tier", "back")]);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(c.get("tier").map(String::as_str), Some("back"));
        // A full bucket (colliding sets) still answers each set with its own map.
        let mut full = MapCache::default();
        let mut bucket = Vec::new();
        for i in 0..MapCache::BUCKET {
            bucket.push(Arc::new(BTreeMap::from([(
                "n".to_owned(),
                format!("other{i}"),
            )])));
        }
        full.by_hash.insert(0, bucket);
        for i in 0..(MapCache::BUCKET + 3) {
            let v = i.to_string();
            assert_eq!(full.get(&[("n", &v)]).get("n"), Some(&v));
        }
    }
}
