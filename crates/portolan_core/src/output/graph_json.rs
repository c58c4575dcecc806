//! `portolan graph --format json` (interfaces.md §4): the completed
//! snapshot and the routing graph.

use serde::Serialize;

use crate::analysis::Analysis;
use crate::graph::{GraphEdge, GraphNode, RoutingGraph};
use crate::snapshot::{ClusterNode, ClusterPod, ClusterService};

/// `portolan graph --format json`.
#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GraphJson<'a> {
    #[cfg_attr(feature = "ts", ts(type = "1"))]
    version: u32,
    nodes: &'a [ClusterNode],
    pods: &'a [ClusterPod],
    services: &'a [ClusterService],
    #[serde(rename = "graphNodes")]
    graph_nodes: Vec<&'a GraphNode>,
    edges: Vec<&'a GraphEdge>,
}

pub fn render(analysis: &Analysis, g: &RoutingGraph) -> String {
    let json = GraphJson {
        version: 1,
        nodes: &analysis.cluster.nodes,
        pods: &analysis.cluster.pods,
        services: &analysis.cluster.services,
        graph_nodes: g.nodes().collect(),
        edges: g.edges().collect(),
    };
    let mut s = serde_json::to_string_pretty(&json).unwrap_or_default();
    s.push('\n');
    s
}
