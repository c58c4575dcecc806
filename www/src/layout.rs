//! A deterministic layered layout with integer coordinates: external clients
//! → entry points (load balancers, externalIPs, `NodePorts`, Ingresses) →
//! Services → Service ports → pods and addresses. Rows follow the order of
//! their upstream neighbours so edges stay short and mostly parallel.

use std::collections::{BTreeMap, BTreeSet};

use portolan_core::graph::{GraphEdge, GraphNode};
use serde::{Deserialize, Serialize};

pub const NODE_W: i32 = 190;
pub const NODE_H: i32 = 34;
const COL_GAP: i32 = 80;
const ROW_GAP: i32 = 12;
const MARGIN: i32 = 24;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LNode {
    pub id: String,
    pub kind: String,
    pub label: String,
    pub namespace: Option<String>,
    pub x: i32,
    pub y: i32,
    pub synthetic: bool,
    /// A diagnostic is about this object.
    pub flagged: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LEdge {
    pub from: String,
    pub to: String,
    pub label: String,
    /// SVG path data.
    pub d: String,
    pub label_x: i32,
    pub label_y: i32,
    pub ready: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Layout {
    pub width: i32,
    pub height: i32,
    pub nodes: Vec<LNode>,
    pub edges: Vec<LEdge>,
}

fn column(kind: &str) -> usize {
    match kind {
        "external" => 0,
        "loadbalancer" | "externalip" | "nodeport" | "ingress" => 1,
        "service" => 2,
        "service-port" => 3,
        _ => 4,
    }
}

pub fn layout(nodes: &[GraphNode], edges: &[GraphEdge], flagged: &BTreeSet<String>) -> Layout {
    // Cluster nodes are not hops of their own: pods carry their node.
    let nodes: Vec<&GraphNode> = nodes.iter().filter(|n| n.kind != "node").collect();
    let edges: Vec<&GraphEdge> = edges.iter().collect();
    // Order: services by namespace/name; then each other column by the
    // smallest rank of a neighbour in the column feeding or fed by it.
    let mut rank: BTreeMap<&str, (usize, String)> = BTreeMap::new();
    let mut services: Vec<&str> = nodes
        .iter()
        .filter(|n| n.kind == "service")
        .map(|n| n.id.as_str())
        .collect();
    services.sort_unstable();
    for (i, s) in services.iter().enumerate() {
        rank.insert(s, (i * 1000, (*s).to_owned()));
    }
    let neighbour_rank =
        |id: &str, rank: &BTreeMap<&str, (usize, String)>, incoming: bool| -> Option<usize> {
            edges
                .iter()
                .filter_map(|e| {
                    if incoming && e.to == id {
                        rank.get(e.from.as_str())
                    } else if !incoming && e.from == id {
                        rank.get(e.to.as_str())
                    } else {
                        None
                    }
                })
                .map(|r| r.0)
                .min()
        };
    for col in [3usize, 4, 1, 0] {
        let incoming = col > 2;
        let mut members: Vec<(usize, &str)> = nodes
            .iter()
            .filter(|n| column(n.kind) == col)
            .map(|n| {
                (
                    neighbour_rank(&n.id, &rank, incoming).unwrap_or(usize::MAX / 2),
                    n.id.as_str(),
                )
            })
            .collect();
        members.sort_unstable();
        for (i, (r, id)) in members.iter().enumerate() {
            rank.insert(id, (r.saturating_add(i), (*id).to_owned()));
        }
    }
    let mut by_col: Vec<Vec<&str>> = vec![Vec::new(); 5];
    for n in &nodes {
        by_col[column(n.kind)].push(n.id.as_str());
    }
    for col in &mut by_col {
        col.sort_by_key(|id| {
            rank.get(id)
                .cloned()
                .unwrap_or((usize::MAX, (*id).to_owned()))
        });
    }
    // Empty columns (no entry points, say) take no room.
    let mut slot = [0i32; 5];
    let mut used = 0;
    for (c, col) in by_col.iter().enumerate() {
        slot[c] = used;
        if !col.is_empty() {
            used += 1;
        }
    }
    let tallest = by_col.iter().map(Vec::len).max().unwrap_or(0) as i32;
    let height = MARGIN * 2 + tallest * (NODE_H + ROW_GAP);
    let mut pos: BTreeMap<&str, (i32, i32)> = BTreeMap::new();
    for (c, col) in by_col.iter().enumerate() {
        let x = MARGIN + slot[c] * (NODE_W + COL_GAP);
        // Short columns are centred on the tallest.
        let offset = (tallest - col.len() as i32) * (NODE_H + ROW_GAP) / 2;
        for (r, id) in col.iter().enumerate() {
            pos.insert(
                id,
                (
                    x,
                    MARGIN + offset.max(0) * i32::from(c < 2) + r as i32 * (NODE_H + ROW_GAP),
                ),
            );
        }
    }
    let lnodes = nodes
        .iter()
        .map(|n| {
            let (x, y) = pos[n.id.as_str()];
            LNode {
                id: n.id.clone(),
                kind: n.kind.to_owned(),
                label: n.label.clone(),
                namespace: n.namespace.clone(),
                x,
                y,
                synthetic: n.synthetic,
                flagged: flagged.contains(&n.id),
            }
        })
        .collect();
    let ledges = edges
        .iter()
        .map(|e| {
            let (fx, fy) = pos[e.from.as_str()];
            let (tx, ty) = pos[e.to.as_str()];
            let (x1, y1, x2, y2) = (fx + NODE_W, fy + NODE_H / 2, tx, ty + NODE_H / 2);
            let mid = i32::midpoint(x1, x2);
            LEdge {
                from: e.from.clone(),
                to: e.to.clone(),
                label: e.label.clone(),
                d: format!("M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"),
                label_x: mid,
                label_y: i32::midpoint(y1, y2) - 4,
                ready: e.ready,
            }
        })
        .collect();
    Layout {
        width: MARGIN * 2 + 5 * NODE_W + 4 * COL_GAP,
        height: height.max(200),
        nodes: lnodes,
        edges: ledges,
    }
}
