//! A deterministic layered layout with integer coordinates: external clients
//! → entry points (load balancers, externalIPs, `NodePorts`, Ingresses,
//! Gateways) → routes → Services → Service ports → pods and addresses. Rows follow the order of
//! their upstream neighbours so edges stay short and mostly parallel.

use std::collections::{BTreeMap, BTreeSet};

use portolan_core::graph::{GraphEdge, GraphNode, NodeKind};
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
    /// Compare mode: `gained`, `lost` or `changed` when a change of the
    /// diff is about this node.
    #[serde(default)]
    pub change: Option<String>,
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
    /// Compare mode: `gained` or `lost` for an endpoint a change is about.
    #[serde(default)]
    pub change: Option<String>,
}

/// A box drawn behind the nodes it groups: a namespace band (spanning the
/// entry, Service, port and pod columns) or the pods of one cluster node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LGroup {
    /// `namespace` or `node`.
    pub kind: String,
    pub label: String,
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Layout {
    pub width: i32,
    pub height: i32,
    pub groups: Vec<LGroup>,
    pub nodes: Vec<LNode>,
    pub edges: Vec<LEdge>,
}

/// Room above a namespace band for its label, and between bands.
const BAND_HEAD: i32 = 22;
const BAND_GAP: i32 = 16;
/// Padding of a group box around its nodes.
const PAD: i32 = 6;
/// Room right of the pods for the name of the node they run on.
const NODE_LABEL_W: i32 = 70;

/// The columns, and the last one's index (pods and addresses).
const COLUMNS: usize = 6;
const PODS: usize = COLUMNS - 1;

fn column(kind: &str) -> usize {
    match kind {
        "external" => 0,
        "loadbalancer" | "externalip" | "nodeport" | "ingress" | "gateway" => 1,
        "route" => 2,
        "service" => 3,
        "service-port" => 4,
        _ => PODS,
    }
}

/// Lay out the graph: columns by hop, one band per namespace (ordered by
/// name), pods grouped by the cluster node they run on (`node_of`: pod id →
/// node name); within a band, rows follow their upstream neighbours so edges
/// stay short and mostly parallel. Linear in nodes + edges (after sorting).
#[expect(
    clippy::too_many_lines,
    reason = "one pass over the graph: columns, bands, placement and groups share its state"
)]
pub fn layout(
    nodes: &[GraphNode],
    edges: &[GraphEdge],
    flagged: &BTreeSet<String>,
    node_of: &BTreeMap<String, String>,
) -> Layout {
    // Cluster nodes are not hops of their own: pods carry their node.
    let nodes: Vec<&GraphNode> = nodes.iter().filter(|n| n.kind != NodeKind::Node).collect();
    let known: BTreeSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    let edges: Vec<&GraphEdge> = edges
        .iter()
        .filter(|e| known.contains(e.from.as_str()) && known.contains(e.to.as_str()))
        .collect();
    let mut incoming: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut outgoing: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in &edges {
        outgoing
            .entry(e.from.as_str())
            .or_default()
            .push(e.to.as_str());
        incoming
            .entry(e.to.as_str())
            .or_default()
            .push(e.from.as_str());
    }
    // Order: services by namespace/name; then each other column by the
    // smallest rank of a neighbour in the column feeding or fed by it.
    let mut rank: BTreeMap<&str, usize> = BTreeMap::new();
    let mut services: Vec<&str> = nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Service)
        .map(|n| n.id.as_str())
        .collect();
    services.sort_unstable();
    for (i, s) in services.iter().enumerate() {
        rank.insert(s, i * 1000);
    }
    for col in [4usize, PODS, 2, 1, 0] {
        let feeding = if col > 3 { &incoming } else { &outgoing };
        let mut members: Vec<(usize, &str)> = nodes
            .iter()
            .filter(|n| column(n.kind.as_str()) == col)
            .map(|n| {
                let r = feeding
                    .get(n.id.as_str())
                    .into_iter()
                    .flatten()
                    .filter_map(|x| rank.get(x))
                    .min()
                    .copied()
                    .unwrap_or(usize::MAX / 2);
                (r, n.id.as_str())
            })
            .collect();
        members.sort_unstable();
        for (i, (r, id)) in members.iter().enumerate() {
            rank.insert(id, r.saturating_add(i));
        }
    }
    // The band of a node: its namespace; entry points and addresses without
    // one take the band of what they lead to or come from.
    let namespace_of: BTreeMap<&str, &str> = nodes
        .iter()
        .filter_map(|n| Some((n.id.as_str(), n.namespace.as_deref()?)))
        .collect();
    let band = |n: &GraphNode| -> Option<String> {
        if column(n.kind.as_str()) == 0 {
            return None;
        }
        if let Some(ns) = &n.namespace {
            return Some(ns.clone());
        }
        outgoing
            .get(n.id.as_str())
            .into_iter()
            .chain(incoming.get(n.id.as_str()))
            .flatten()
            .find_map(|x| namespace_of.get(x).map(|s| (*s).to_owned()))
    };
    // band → column → members (ordered).
    let mut bands: BTreeMap<Option<String>, Vec<Vec<&GraphNode>>> = BTreeMap::new();
    for n in &nodes {
        bands
            .entry(band(n))
            .or_insert_with(|| vec![Vec::new(); COLUMNS])[column(n.kind.as_str())]
        .push(n);
    }
    let row = NODE_H + ROW_GAP;
    for cols in bands.values_mut() {
        for (c, col) in cols.iter_mut().enumerate() {
            col.sort_by_key(|n| {
                let node = if c == PODS {
                    node_of.get(&n.id).cloned()
                } else {
                    None
                };
                (
                    node,
                    rank.get(n.id.as_str()).copied().unwrap_or(usize::MAX),
                    n.id.clone(),
                )
            });
        }
    }
    // Empty columns (no entry points, say) take no room.
    let mut slot = [0i32; COLUMNS];
    let mut used = 0;
    for (c, s) in slot.iter_mut().enumerate() {
        *s = used;
        if bands.values().any(|cols| !cols[c].is_empty()) {
            used += 1;
        }
    }
    let x_of = |c: usize| MARGIN + slot[c] * (NODE_W + COL_GAP);
    let has_node_groups = nodes.iter().any(|n| node_of.contains_key(&n.id));
    let mut pos: BTreeMap<&str, (i32, i32)> = BTreeMap::new();
    let mut groups = Vec::new();
    let mut y = MARGIN;
    // Namespaced bands first (by name), then the rest; column 0 last.
    let mut order: Vec<&Option<String>> = bands.keys().filter(|k| k.is_some()).collect();
    order.extend(bands.keys().filter(|k| k.is_none()));
    for key in order {
        let cols = &bands[key];
        let tallest = cols[1..].iter().map(Vec::len).max().unwrap_or(0) as i32;
        if tallest == 0 {
            continue;
        }
        let top = y + if key.is_some() { BAND_HEAD } else { 0 };
        for (c, col) in cols.iter().enumerate().skip(1) {
            for (r, n) in col.iter().enumerate() {
                pos.insert(n.id.as_str(), (x_of(c), top + r as i32 * row));
            }
            // Pods of one node, boxed.
            if c == PODS {
                let mut r = 0;
                while r < col.len() {
                    let Some(node) = node_of.get(&col[r].id) else {
                        r += 1;
                        continue;
                    };
                    let mut end = r + 1;
                    while end < col.len() && node_of.get(&col[end].id) == Some(node) {
                        end += 1;
                    }
                    groups.push(LGroup {
                        kind: "node".into(),
                        label: node.clone(),
                        x: x_of(c) - PAD,
                        y: top + r as i32 * row - PAD / 2,
                        width: NODE_W + 2 * PAD + NODE_LABEL_W,
                        height: (end - r) as i32 * row - ROW_GAP + PAD,
                    });
                    r = end;
                }
            }
        }
        let bottom = top + tallest * row - ROW_GAP;
        if let Some(ns) = key {
            let first = (1..COLUMNS).find(|&c| !cols[c].is_empty()).unwrap_or(1);
            let last = (1..COLUMNS)
                .rev()
                .find(|&c| !cols[c].is_empty())
                .unwrap_or(PODS);
            groups.push(LGroup {
                kind: "namespace".into(),
                label: ns.clone(),
                x: x_of(first) - 2 * PAD,
                y,
                width: x_of(last) - x_of(first)
                    + NODE_W
                    + 4 * PAD
                    + if last == PODS && has_node_groups {
                        NODE_LABEL_W
                    } else {
                        0
                    },
                height: bottom - y + 2 * PAD,
            });
        }
        y = bottom + 2 * PAD + BAND_GAP;
    }
    // External clients, centred on everything.
    let externals: Vec<&GraphNode> = bands
        .values()
        .flat_map(|cols| cols[0].iter().copied())
        .collect();
    let span = externals.len() as i32 * row;
    let height = (y - BAND_GAP + MARGIN).max(span + 2 * MARGIN).max(200);
    for (r, n) in externals.iter().enumerate() {
        pos.insert(
            n.id.as_str(),
            (x_of(0), ((height - span) / 2).max(MARGIN) + r as i32 * row),
        );
    }
    // Namespace bands behind node boxes.
    groups.sort_by_key(|g| g.kind != "namespace");
    let lnodes = nodes
        .iter()
        .map(|n| {
            let (x, y) = pos[n.id.as_str()];
            LNode {
                id: n.id.clone(),
                kind: n.kind.as_str().to_owned(),
                label: n.label.clone(),
                namespace: n.namespace.clone(),
                x,
                y,
                synthetic: n.synthetic,
                flagged: flagged.contains(&n.id),
                change: None,
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
                change: None,
            }
        })
        .collect();
    Layout {
        width: MARGIN * 2
            + used.max(1) * NODE_W
            + (used - 1).max(0) * COL_GAP
            + if has_node_groups {
                NODE_LABEL_W + PAD
            } else {
                0
            },
        height,
        groups,
        nodes: lnodes,
        edges: ledges,
    }
}
