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
            ErrorType::InternalError => "InternalError",
        }
    }

    /// The phrase the API server puts before the detail ("Invalid value", …).
    pub fn phrase(self) -> &'static str {
        match self {
            ErrorType::Required => "Required value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
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
    pub object: Option<ObjectRef>,
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
    pub fn with_object(mut self, object: Option<ObjectRef>) -> Self {
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
