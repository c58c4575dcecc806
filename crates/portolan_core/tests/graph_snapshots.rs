//! Snapshots of `portolan graph --format json` for corpus apps (insta):
//! Online Boutique; bookinfo, whose `reviews` selects three versions; the
//! zookeeper headless StatefulSet; and endpoints from live dumps.

mod common;

use portolan_core::analysis::analyze;
use portolan_core::graph;
use portolan_core::profile::Profile;
use portolan_core::source::Source;

fn graph_json(file: &str) -> String {
    let text = std::fs::read_to_string(common::material().join("corpus").join(file)).unwrap();
    let a = analyze(vec![Source::new(file, text)], &Profile::default()).unwrap();
    portolan_core::output::graph_json::render(&a, &graph::build(&a))
}

#[test]
fn online_boutique() {
    insta::assert_snapshot!(graph_json("online-boutique.yaml"));
}

#[test]
fn bookinfo_reviews_selects_three_versions() {
    let json = graph_json("bookinfo.yaml");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let reviews = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "reviews")
        .unwrap();
    let pods: std::collections::BTreeSet<&str> = reviews["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pod"].as_str().unwrap())
        .collect();
    assert_eq!(pods.len(), 3);
    insta::assert_snapshot!(json);
}

#[test]
fn zookeeper_headless_statefulset() {
    let json = graph_json("edge-cases/k8s-website-zookeeper.yaml");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let hs = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "zk-hs")
        .unwrap();
    assert_eq!(hs["headless"], true);
    let pods: Vec<&str> = v["pods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(pods, ["zk-0", "zk-1", "zk-2"], "StatefulSet ordinals");
    insta::assert_snapshot!(json);
}

#[test]
fn live_online_boutique_endpoints_come_from_real_pod_status() {
    let json = graph_json("live/np-guard-onlineboutique-live.yaml");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let synthetic = v["pods"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["synthetic"] == true)
        .count();
    assert_eq!(
        synthetic, 0,
        "live pods are used as given, not re-created from their Deployments"
    );
    insta::assert_snapshot!(json);
}

#[test]
fn live_gke_dump_endpoints() {
    insta::assert_snapshot!(graph_json("live/kalc-gke-cluster-dump.yaml"));
}
