//! Every vector of `shared/spec/selector-vectors.json` (transcribed from
//! apimachinery `pkg/labels/selector_test.go`), spec B.2–B.3.

mod common;

use std::collections::BTreeMap;

use portolan_core::selector::{Op, Requirement, Selector};
use serde_json::Value;

fn vectors() -> Value {
    let path = common::material().join("spec/selector-vectors.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn labels(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

fn op(name: &str) -> Op {
    match name {
        "=" => Op::Equals,
        "==" => Op::DoubleEquals,
        "!=" => Op::NotEquals,
        "in" => Op::In,
        "notin" => Op::NotIn,
        "exists" => Op::Exists,
        "!" => Op::DoesNotExist,
        "gt" => Op::GreaterThan,
        "lt" => Op::LessThan,
        other => panic!("unknown op {other}"),
    }
}

#[test]
fn parse_vectors() {
    let v = vectors();
    let cases = v["parse"].as_array().unwrap();
    assert!(cases.len() >= 40);
    for case in cases {
        let input = case["input"].as_str().unwrap();
        let parsed = Selector::parse(input);
        assert_eq!(
            parsed.is_ok(),
            case["valid"].as_bool().unwrap(),
            "{input:?}: {parsed:?}"
        );
        let Ok(sel) = parsed else { continue };
        if let Some(s) = case.get("string") {
            assert_eq!(sel.to_string(), s.as_str().unwrap(), "{input:?}");
        }
        if let Some(reqs) = case.get("parsed") {
            let got: Vec<(String, &str, Vec<String>)> = sel
                .requirements()
                .iter()
                .map(|r| (r.key.clone(), r.op.name(), r.values.clone()))
                .collect();
            let want: Vec<(String, &str, Vec<String>)> = reqs
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    let values = r["values"].as_array().unwrap().iter();
                    (
                        r["key"].as_str().unwrap().to_owned(),
                        r["op"].as_str().unwrap(),
                        values.map(|x| x.as_str().unwrap().to_owned()).collect(),
                    )
                })
                .collect();
            assert_eq!(got, want, "{input:?}");
        }
    }
}

#[test]
fn match_vectors() {
    let v = vectors();
    for case in v["match"].as_array().unwrap() {
        let sel = Selector::parse(case["selector"].as_str().unwrap()).unwrap();
        let want = case["match"].as_bool().unwrap();
        assert_eq!(sel.matches(&labels(&case["labels"])), want, "{case}");
    }
}

#[test]
fn requirement_vectors() {
    let v = vectors();
    for case in v["requirementMatch"].as_array().unwrap() {
        let reqs: Vec<Requirement> = case["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let values = r["values"].as_array().unwrap();
                Requirement::new(
                    r["key"].as_str().unwrap(),
                    op(r["op"].as_str().unwrap()),
                    values.iter().map(|x| x.as_str().unwrap().to_owned()),
                )
                .unwrap()
            })
            .collect();
        let sel = Selector::All(reqs);
        assert_eq!(
            sel.matches(&labels(&case["labels"])),
            case["match"].as_bool().unwrap(),
            "{case}"
        );
    }
}
