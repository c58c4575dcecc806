//! The registry of every check: API-server validation families and the lint
//! rules beyond it. A lint rule is one file: its documentation, its `RULE`
//! and one `check` function; registering it is one line in `LINTS`.

mod api;
mod named_target_port_missing;
mod selector_matches_nothing;

use serde::Serialize;

use crate::cluster::{Cluster, ClusterPod};
use crate::diag::{Diagnostic, Severity};
use crate::model::{Body, Object, Service, StringMap};

/// A check's metadata, as `portolan rules` lists it.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// Markdown: What it does / Why is this bad? / Example / References.
    pub docs: &'static str,
    /// `kubernetes` (kubectl or the API server rejects the manifest) or `lint`.
    pub origin: &'static str,
}

impl Rule {
    pub fn help_uri(&self) -> String {
        format!("https://portolan.dev/rules/{}", self.code)
    }
}

/// Inputs a lint rule reads.
pub struct LintCx<'a> {
    pub objects: &'a [Object],
    pub cluster: &'a Cluster,
}

type Check = fn(&LintCx<'_>, &mut Vec<Diagnostic>);

const LINTS: &[(Rule, Check)] = &[
    (
        selector_matches_nothing::RULE,
        selector_matches_nothing::check,
    ),
    (
        named_target_port_missing::RULE,
        named_target_port_missing::check,
    ),
];

/// Every check, API-server families first, sorted by code within each.
pub fn all() -> Vec<Rule> {
    let mut rules: Vec<Rule> = api::RULES.to_vec();
    rules.extend(LINTS.iter().map(|(r, _)| *r));
    rules
}

pub fn find(code: &str) -> Option<Rule> {
    all().into_iter().find(|r| r.code == code)
}

pub fn run(objects: &[Object], cluster: &Cluster, diags: &mut Vec<Diagnostic>) {
    let cx = LintCx { objects, cluster };
    for (_, check) in LINTS {
        check(&cx, diags);
    }
}

impl LintCx<'_> {
    pub fn service(&self, index: usize) -> Option<(&Object, &Service)> {
        let o = self.objects.get(index)?;
        match &o.body {
            Body::Service(s) => Some((o, s)),
            _ => None,
        }
    }

    /// The labels a pod got, with spans: the Pod's own or its template's.
    pub fn pod_labels(&self, pod: &ClusterPod) -> Option<(&Object, &StringMap)> {
        let o = self.objects.get(pod.object)?;
        match &o.body {
            Body::Pod(_) => Some((o, &o.meta.labels)),
            Body::Workload(w) => w.template.as_ref().map(|t| (o, &t.meta.labels)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_documented_and_codes_are_unique() {
        let rules = all();
        let mut codes: Vec<&str> = rules.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), n, "duplicate rule codes");
        for r in &rules {
            for section in ["## What it does", "## Why is this bad?", "## Example"] {
                assert!(r.docs.contains(section), "{} lacks {section}", r.code);
            }
            assert!(!r.summary.is_empty() && r.summary.len() < 120, "{}", r.code);
        }
    }

    #[test]
    fn every_rule_file_is_registered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        let registered: Vec<&str> = LINTS.iter().map(|(r, _)| r.code).collect();
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            let Some(stem) = name.strip_suffix(".rs") else {
                continue;
            };
            if stem == "mod" || stem == "api" {
                continue;
            }
            let code = stem.replace('_', "-");
            assert!(
                registered.contains(&code.as_str()),
                "rule file {name} is not registered in LINTS"
            );
        }
    }

    #[test]
    fn every_emitted_code_is_a_registered_rule() {
        let emitted = [
            crate::yaml::CODE_SYNTAX,
            crate::yaml::CODE_DUPLICATE_KEY,
            crate::yaml::CODE_YAML12,
            crate::yaml::CODE_LIMIT,
            crate::model::decode::CODE_UNKNOWN_FIELD,
            crate::model::decode::CODE_TYPE,
            crate::model::CODE_MISSING_KIND,
        ];
        for code in emitted {
            assert!(find(code).is_some(), "{code} is not in the registry");
        }
    }

    #[test]
    fn what_kubernetes_rejects_is_an_error_and_lints_are_not() {
        for r in all() {
            assert!(r.origin == "kubernetes" || r.origin == "lint", "{}", r.code);
            assert_eq!(
                r.severity == Severity::Error,
                r.origin == "kubernetes",
                "{}",
                r.code
            );
        }
    }
}
