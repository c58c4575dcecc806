//! The owned YAML tree: every node keeps its byte span, quoting style and tag.
//!
//! Trees borrow scalar text from the source where the parser could (plain and
//! simple quoted scalars) and live only while one document is decoded into
//! the typed model, so peak memory is bounded by the largest document.

use std::borrow::Cow;

use crate::source::Span;

/// How a scalar was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// A YAML node with its span in the source.
#[derive(Clone, Debug)]
pub struct Node<'a> {
    pub span: Span,
    /// The explicit tag, as written after resolving the handle (`!!str` → `tag:yaml.org,2002:str`).
    pub tag: Option<Box<str>>,
    pub kind: Kind<'a>,
}

#[derive(Clone, Debug)]
pub enum Kind<'a> {
    Scalar(Cow<'a, str>, Style),
    Seq(Vec<Node<'a>>),
    Map(Vec<(Node<'a>, Node<'a>)>),
}

impl<'a> Node<'a> {
    pub fn as_map(&self) -> Option<&[(Node<'a>, Node<'a>)]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node<'a>]> {
        match &self.kind {
            Kind::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The scalar's text (after YAML unescaping), if this is a scalar.
    pub fn as_scalar(&self) -> Option<(&str, Style)> {
        match &self.kind {
            Kind::Scalar(text, style) => Some((text, *style)),
            _ => None,
        }
    }

    /// The value of `key` in a mapping (the last one, as kubectl keeps the last).
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.as_map()?
            .iter()
            .rev()
            .find(|(k, _)| k.key_text() == Some(key))
            .map(|(_, v)| v)
    }

    /// A mapping key's text as it becomes a JSON object key.
    pub fn key_text(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(text, _) => Some(text),
            _ => None,
        }
    }

    /// The span of a mapping entry's key for `key`, for pointing at a field name.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.as_map()?
            .iter()
            .rev()
            .find(|(k, _)| k.key_text() == Some(key))
            .map(|(k, _)| k.span)
    }

    /// Move every span of this subtree by `delta` bytes: the tree of the
    /// same text found at another place (a document both sides of a diff
    /// hold).
    pub fn shift(&mut self, delta: i64) {
        self.span = self.span.shifted(delta);
        match &mut self.kind {
            Kind::Scalar(..) => {}
            Kind::Seq(items) => items.iter_mut().for_each(|n| n.shift(delta)),
            Kind::Map(entries) => {
                for (k, v) in entries {
                    k.shift(delta);
                    v.shift(delta);
                }
            }
        }
    }

    /// Number of nodes in this subtree (used for alias-expansion budgets).
    pub fn count(&self) -> usize {
        match &self.kind {
            Kind::Scalar(..) => 1,
            Kind::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            Kind::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|(k, v)| k.count() + v.count())
                    .sum::<usize>()
            }
        }
    }

    /// Whether this is the YAML null (`~`, `null`, empty plain scalar, `!!null`).
    pub fn is_null(&self) -> bool {
        matches!(self.resolve(), super::scalar::Resolved::Null)
    }

    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Scalar(..) => self.resolve().type_name(),
            Kind::Seq(_) => "array",
            Kind::Map(_) => "object",
        }
    }
}
