//! Diagnostics as plain data: produced by every layer, rendered only at the edge.

use serde::Serialize;

use crate::source::{SourceId, Span};

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The error types of apimachinery's `field` package, as the API server prints them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ErrorType {
    Required,
    Invalid,
    NotSupported,
    Duplicate,
    Forbidden,
    TooLong,
    /// A CRD schema's `maxItems` (Gateway API).
    TooMany,
    /// A CRD schema's JSON type.
    TypeInvalid,
    InternalError,
}

impl ErrorType {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorType::Required => "Required",
            ErrorType::Invalid => "Invalid",
            ErrorType::NotSupported => "NotSupported",
            ErrorType::Duplicate => "Duplicate",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "TooLong",
            ErrorType::TooMany => "TooMany",
            ErrorType::TypeInvalid => "TypeInvalid",
            ErrorType::InternalError => "InternalError",
        }
    }

    /// The phrase the API server puts before the detail ("Invalid value", …).
    pub fn phrase(self) -> &'static str {
        match self {
            ErrorType::Required => "Required value",
            ErrorType::Invalid | ErrorType::TypeInvalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
            ErrorType::TooMany => "Too many",
            ErrorType::InternalError => "Internal error",
        }
    }
}

/// The object a finding is about.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ObjectRef {
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

/// Another location that explains a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub source: SourceId,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub source: SourceId,
    pub span: Span,
    /// Shared by all the findings about one object: thousands of findings
    /// do not each copy it.
    pub object: Option<std::sync::Arc<ObjectRef>>,
    pub field: Option<String>,
    pub error_type: Option<ErrorType>,
    pub help: Option<String>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        severity: Severity,
        source: SourceId,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            source,
            span,
            object: None,
            field: None,
            error_type: None,
            help: None,
            related: Vec::new(),
        }
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    #[must_use]
    pub fn with_object(mut self, object: Option<std::sync::Arc<ObjectRef>>) -> Self {
        self.object = object;
        self
    }

    #[must_use]
    pub fn with_related(
        mut self,
        source: SourceId,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            source,
            span,
            message: message.into(),
        });
        self
    }
}

/// Findings of one code kept about one object (or one YAML document); the
/// rest are counted in one more finding. A manifest with thousands of
/// invalid labels or duplicate keys says all it has to say in the first
/// hundred, and memory stays proportional to the input.
pub const MAX_PER_CODE: usize = 100;

/// Keep at most [`MAX_PER_CODE`] findings of each code among `diags[from..]`
/// (findings about one object or document), in order, and add after them,
/// for each code cut short, a finding at the first one left out that says
/// how many were.
pub fn cap_per_code(diags: &mut Vec<Diagnostic>, from: usize) {
    if diags.len() - from <= MAX_PER_CODE {
        return;
    }
    let mut seen: Vec<(&'static str, usize)> = Vec::new();
    let mut cut: Vec<Diagnostic> = Vec::new();
    let mut i = from;
    diags.retain(|d| {
        let keep_index = i;
        i += 1;
        if keep_index < from {
            return true;
        }
        let n = if let Some((_, n)) = seen.iter_mut().find(|(c, _)| *c == d.code) {
            *n += 1;
            *n
        } else {
            seen.push((d.code, 1));
            1
        };
        if n == MAX_PER_CODE + 1 {
            cut.push(
                Diagnostic::new(d.code, d.severity, d.source, d.span, String::new())
                    .with_object(d.object.clone()),
            );
        }
        n <= MAX_PER_CODE
    });
    for d in cut {
        diags.push(more(d, &seen));
    }
}

/// The "N more" finding that stands for a code's findings past the cap.
fn more(mut d: Diagnostic, seen: &[(&'static str, usize)]) -> Diagnostic {
    let n = seen
        .iter()
        .find(|(c, _)| *c == d.code)
        .map_or(0, |(_, n)| *n);
    d.message = format!(
        "{} more {} findings here and after (only the first {MAX_PER_CODE} are listed)",
        n - MAX_PER_CODE,
        d.code
    );
    d
}

/// [`cap_per_code`] for findings made one at a time: those past the cap
/// are dropped as they come, so thousands of findings about one object
/// never exist together.
#[derive(Default)]
pub struct Capper {
    seen: Vec<(&'static str, usize)>,
    cut: Vec<Diagnostic>,
}

impl Capper {
    pub fn push(&mut self, d: Diagnostic, out: &mut Vec<Diagnostic>) {
        let n = if let Some((_, n)) = self.seen.iter_mut().find(|(c, _)| *c == d.code) {
            *n += 1;
            *n
        } else {
            self.seen.push((d.code, 1));
            1
        };
        if n == MAX_PER_CODE + 1 {
            self.cut.push(
                Diagnostic::new(d.code, d.severity, d.source, d.span, String::new())
                    .with_object(d.object.clone()),
            );
        }
        if n <= MAX_PER_CODE {
            out.push(d);
        }
    }

    /// The "N more" findings, after the kept ones.
    pub fn finish(self, out: &mut Vec<Diagnostic>) {
        for d in self.cut {
            out.push(more(d, &self.seen));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_beyond_the_cap_are_counted_in_one() {
        let mut diags = vec![Diagnostic::new(
            "other",
            Severity::Error,
            0,
            Span::point(0),
            "before",
        )];
        for i in 0..250 {
            diags.push(Diagnostic::new(
                "a",
                Severity::Error,
                0,
                Span::point(i),
                format!("a{i}"),
            ));
            if i < 3 {
                diags.push(Diagnostic::new(
                    "b",
                    Severity::Warning,
                    0,
                    Span::point(i),
                    "b",
                ));
            }
        }
        cap_per_code(&mut diags, 1);
        assert_eq!(diags.len(), 1 + MAX_PER_CODE + 3 + 1);
        let last = diags.last().unwrap();
        assert_eq!(last.code, "a");
        assert_eq!(last.span, Span::point(MAX_PER_CODE));
        assert!(
            last.message.starts_with("150 more a findings"),
            "{}",
            last.message
        );
        assert_eq!(diags.iter().filter(|d| d.code == "b").count(), 3);
    }
}
