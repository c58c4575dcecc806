//! What an analysis is asked beyond the cluster profile: limits, codes
//! switched off or re-graded, what-if changes, threads, kinds not expanded.

use std::collections::BTreeMap;

use crate::diag::Severity;
use crate::snapshot::WhatIf;
use crate::yaml::Limits;

/// Options beyond the profile.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub limits: Limits,
    /// Codes switched off, and severities overridden (from a config file).
    pub disabled: Vec<String>,
    pub severities: BTreeMap<String, Severity>,
    /// Pods and nodes removed or unready, workloads scaled, policies flipped.
    pub what_if: WhatIf,
    /// Threads that may read a large input (0: one per core).
    pub threads: usize,
    /// Custom kinds not to expand into pods (config `workloads.exclude`).
    pub excluded_kinds: Vec<String>,
}
