//! `--format json` for `check` (interfaces.md §4).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Location, diagnostic_location, locate};
use crate::analysis::Analysis;
use crate::diag::{ObjectRef, Severity};

#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Summary {
    pub files: usize,
    pub documents: usize,
    pub objects: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub kinds: BTreeMap<String, usize>,
    #[serde(rename = "unknownKinds")]
    pub unknown_kinds: usize,
}

#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RelatedJson {
    #[serde(flatten)]
    location: Location,
    message: String,
}

#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DiagnosticJson<'a> {
    code: &'a str,
    #[cfg_attr(feature = "ts", ts(as = "Severity"))]
    severity: &'a str,
    message: &'a str,
    #[serde(flatten)]
    location: Location,
    object: Option<&'a ObjectRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    field: Option<&'a str>,
    #[serde(rename = "errorType", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "ts",
        ts(
            optional,
            type = "'Required' | 'Invalid' | 'NotSupported' | 'Duplicate' | 'Forbidden' | 'TooLong' | 'TooMany' | 'TypeInvalid' | 'InternalError'"
        )
    )]
    error_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<RelatedJson>>", optional))]
    related: Vec<RelatedJson>,
}

#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckJson<'a> {
    #[cfg_attr(feature = "ts", ts(type = "1"))]
    version: u32,
    summary: Summary,
    diagnostics: Vec<DiagnosticJson<'a>>,
}

pub fn summary(analysis: &Analysis) -> Summary {
    Summary {
        files: analysis.sources.len(),
        documents: analysis.documents,
        objects: analysis.objects.len(),
        errors: analysis.count(Severity::Error),
        warnings: analysis.count(Severity::Warning),
        infos: analysis.count(Severity::Info),
        kinds: analysis.kinds(),
        unknown_kinds: analysis.unknown_kinds(),
    }
}

pub fn check(analysis: &Analysis) -> String {
    let diagnostics = analysis
        .diagnostics
        .iter()
        .map(|d| DiagnosticJson {
            code: d.code,
            severity: d.severity.as_str(),
            message: &d.message,
            location: diagnostic_location(analysis, d),
            object: d.object.as_deref(),
            field: d.field.as_deref(),
            error_type: d.error_type.map(super::super::diag::ErrorType::as_str),
            help: d.help.as_deref(),
            related: d
                .related
                .iter()
                .map(|r| RelatedJson {
                    location: locate(analysis, r.source, r.span),
                    message: r.message.clone(),
                })
                .collect(),
        })
        .collect();
    let out = CheckJson {
        version: 1,
        summary: summary(analysis),
        diagnostics,
    };
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
    s.push('\n');
    s
}
