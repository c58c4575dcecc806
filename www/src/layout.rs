//! A deterministic layered layout with integer coordinates: external clients
//! → entry points (load balancers, externalIPs, `NodePorts`, Ingresses,
//! Gateways) → routes → Services → Service ports → pods and addresses. Rows follow the order of
//! their upstream neighbours so edges stay short and mostly parallel.

use std::collections::{BTreeMap, BTreeSet};

use portolan_core::graph::{GraphEdge, GraphNode, NodeKind};
use serde::{Deserialize, Serialize};

/// The narrowest and widest node box; boxes are as wide as their
/// column's longest label, within these.
pub const NODE_W_MIN: i32 = 150;
pub const NODE_W_MAX: i32 = 400;
pub const NODE_H: i32 = 42;
/// Baselines of a node's two lines, and its text's left inset.
pub const LINE1_Y: i32 = 17;
pub const LINE2_Y: i32 = 33;
pub const INSET: i32 = 10;
/// Average advance of a character of the name (13 px sans, bold) and of
/// the second line (11.5 px monospace), in user units: the page's CSS uses
/// these sizes, and at the default view one user unit is one CSS pixel.
const NAME_CHAR: f64 = 8.2;
const SUB_CHAR: f64 = 7.0;
const COL_GAP: i32 = 110;
const ROW_GAP: i32 = 12;
const MARGIN: i32 = 24;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LNode {
    pub id: String,
    pub kind: String,
    pub label: String,
    /// The box's two lines: the object's name, then its type and address
    /// (or kind); shortened in the middle only beyond the widest box.
    pub line1: String,
    pub line2: String,
    /// The box's width (its column's).
    pub w: i32,
    /// A Service (or Service port) that has no ready endpoint.
    #[serde(default)]
    pub empty: bool,
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
    /// The edge's full label (its tooltip), and the short one drawn at its
    /// start: `9555/TCP` for `9555 → 9555 → 9555/TCP`, `80 → 8080/TCP` for
    /// `80 → 8080 → 8080/TCP`; drawn once per source and text.
    pub label: String,
    pub short: String,
    pub label_shown: bool,
    /// The label ends at `label_x` (before the target) instead of starting
    /// there.
    pub label_end: bool,
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

impl Layout {
    /// Whether the graph has the node `id`.
    pub fn has(&self, id: &str) -> bool {
        self.nodes.iter().any(|n| n.id == id)
    }
}

/// Room above a namespace band for its label, and between bands.
const BAND_HEAD: i32 = 24;
const BAND_GAP: i32 = 16;
/// Padding of a group box around its nodes.
const PAD: i32 = 6;
/// Room right of the pods for the name of the node they run on.
const NODE_LABEL_W: i32 = 90;

/// The columns, and the last one's index (pods and addresses).
const COLUMNS: usize = 6;
const PODS: usize = COLUMNS - 1;
const SERVICES: usize = 3;
const PORTS: usize = 4;

/// The column of a node kind, left to right.
pub fn column(kind: &str) -> usize {
    match kind {
        "external" => 0,
        "loadbalancer" | "externalip" | "nodeport" | "ingress" | "gateway" => 1,
        "route" => 2,
        "service" => SERVICES,
        "service-port" => PORTS,
        _ => PODS,
    }
}

/// A node's two lines: `name (type, address)` and `name address` labels
/// split into the name and the rest; others keep their label over their
/// kind.
fn lines(n: &GraphNode) -> (String, String) {
    let kind = n.kind.as_str().replace('-', " ");
    let label = n.label.as_str();
    if let Some((name, rest)) = label.split_once(" (")
        && let Some(rest) = rest.strip_suffix(')')
    {
        return (name.to_owned(), rest.to_owned());
    }
    if n.kind == NodeKind::Pod
        && let Some((name, ip)) = label.rsplit_once(' ')
    {
        return (name.to_owned(), ip.to_owned());
    }
    (label.to_owned(), kind)
}

/// At most `max` characters, shortened in the middle so that both the
/// start and the end (where generated names differ) stay readable.
pub fn shorten(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_owned();
    }
    let head = (max - 1) / 2;
    let tail = max - 1 - head;
    let start: String = s.chars().take(head).collect();
    let end: String = s.chars().skip(n - tail).collect();
    format!("{start}…{end}")
}

/// The characters of each line that fit the widest box.
fn fit_chars(per_char: f64) -> usize {
    (f64::from(NODE_W_MAX - 2 * INSET) / per_char) as usize
}

fn text_width(chars: usize, per_char: f64) -> i32 {
    (chars as f64 * per_char).ceil() as i32 + 2 * INSET
}

/// The graph the layout works on: drawable nodes, edges between them, and
/// each node's neighbours both ways.
struct Prepared<'a> {
    nodes: Vec<&'a GraphNode>,
    edges: Vec<&'a GraphEdge>,
    incoming: BTreeMap<&'a str, Vec<&'a str>>,
    outgoing: BTreeMap<&'a str, Vec<&'a str>>,
}

impl<'a> Prepared<'a> {
    fn new(nodes: &'a [GraphNode], edges: &'a [GraphEdge]) -> Self {
        // Cluster nodes are not hops of their own: pods carry their node.
        // The outside world is drawn only when a way in leads from it.
        let from_outside = edges.iter().any(|e| e.from == "external");
        let nodes: Vec<&GraphNode> = nodes
            .iter()
            .filter(|n| n.kind != NodeKind::Node && (n.kind != NodeKind::External || from_outside))
            .collect();
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
        Prepared {
            nodes,
            edges,
            incoming,
            outgoing,
        }
    }

    /// Services by namespace/name; then each other column by the smallest
    /// rank of a neighbour in the column feeding or fed by it.
    fn ranks(&self) -> BTreeMap<&'a str, usize> {
        let mut rank: BTreeMap<&str, usize> = BTreeMap::new();
        let mut services: Vec<&str> = self
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Service)
            .map(|n| n.id.as_str())
            .collect();
        services.sort_unstable();
        for (i, s) in services.iter().enumerate() {
            rank.insert(s, i * 1000);
        }
        for col in [PORTS, PODS, 2, 1, 0] {
            let feeding = if col > SERVICES {
                &self.incoming
            } else {
                &self.outgoing
            };
            let mut members: Vec<(usize, &str)> = self
                .nodes
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
        rank
    }

    /// The band of each node: its namespace; entry points and addresses
    /// without one take the band of what they lead to or come from.
    /// Band → column → members, ordered (pods by the node they run on).
    fn bands(
        &self,
        rank: &BTreeMap<&str, usize>,
        node_of: &BTreeMap<String, String>,
    ) -> BTreeMap<Option<String>, Vec<Vec<&'a GraphNode>>> {
        let namespace_of: BTreeMap<&str, &str> = self
            .nodes
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
            self.outgoing
                .get(n.id.as_str())
                .into_iter()
                .chain(self.incoming.get(n.id.as_str()))
                .flatten()
                .find_map(|x| namespace_of.get(x).map(|s| (*s).to_owned()))
        };
        let mut bands: BTreeMap<Option<String>, Vec<Vec<&GraphNode>>> = BTreeMap::new();
        for n in &self.nodes {
            bands
                .entry(band(n))
                .or_insert_with(|| vec![Vec::new(); COLUMNS])[column(n.kind.as_str())]
            .push(n);
        }
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
        bands
    }
}

/// Where each column starts and how wide its boxes are; empty columns
/// (no entry points, say) take no room.
struct Columns {
    x: [i32; COLUMNS],
    w: [i32; COLUMNS],
    /// The right edge of the last used column.
    right: i32,
}

impl Columns {
    fn new(
        bands: &BTreeMap<Option<String>, Vec<Vec<&GraphNode>>>,
        lines: &BTreeMap<&str, (String, String)>,
    ) -> Self {
        let mut x = [0; COLUMNS];
        let mut w = [0; COLUMNS];
        let mut at = MARGIN;
        for c in 0..COLUMNS {
            let widest = bands
                .values()
                .flat_map(|cols| cols[c].iter())
                .map(|n| {
                    let (a, b) = &lines[n.id.as_str()];
                    text_width(a.chars().count(), NAME_CHAR)
                        .max(text_width(b.chars().count(), SUB_CHAR))
                })
                .max();
            x[c] = at;
            if let Some(widest) = widest {
                w[c] = widest.clamp(NODE_W_MIN, NODE_W_MAX);
                at += w[c] + COL_GAP;
            }
        }
        Columns {
            x,
            w,
            right: at - COL_GAP,
        }
    }
}

/// The pods of one cluster node in one band, boxed: `(node, first row,
/// last row)` over a column's rows.
fn node_runs<'n>(
    col: &[(&GraphNode, i32)],
    node_of: &'n BTreeMap<String, String>,
) -> Vec<(&'n String, i32, i32)> {
    let mut runs: Vec<(&String, i32, i32)> = Vec::new();
    for (n, r) in col {
        let Some(node) = node_of.get(&n.id) else {
            continue;
        };
        match runs.last_mut() {
            Some((last, _, end)) if *last == node => *end = *r,
            _ => runs.push((node, *r, *r)),
        }
    }
    runs
}

/// The rows of one band's columns. Services are packed from the top; each
/// Service's ports start on its own row (ports beside their Service), and
/// every other column's nodes sit as near as they can to the row of what
/// they lead to or come from, in their order. Pods boxed by node stay
/// packed so a node's box holds only its pods.
fn band_rows<'a>(
    cols: &[Vec<&'a GraphNode>],
    p: &Prepared<'a>,
    grouped: bool,
) -> Vec<Vec<(&'a GraphNode, i32)>> {
    let mut row_of: BTreeMap<&str, i32> = BTreeMap::new();
    let mut rows: Vec<Vec<(&GraphNode, i32)>> = vec![Vec::new(); COLUMNS];
    // Services packed, each leaving room below it for its ports.
    let mut next = 0;
    for n in &cols[SERVICES] {
        let ports = p
            .outgoing
            .get(n.id.as_str())
            .map_or(0, |o| o.iter().filter(|x| x.starts_with("port:")).count());
        row_of.insert(n.id.as_str(), next);
        rows[SERVICES].push((*n, next));
        next += i32::try_from(ports.max(1)).unwrap_or(i32::MAX / 2);
    }
    let toward = [
        (PORTS, Some(&p.incoming)),
        (PODS, (!grouped).then_some(&p.incoming)),
        (2, Some(&p.outgoing)),
        (1, Some(&p.outgoing)),
    ];
    for (c, near) in toward {
        let mut next = 0;
        for n in &cols[c] {
            let want = near
                .and_then(|m| m.get(n.id.as_str()))
                .and_then(|xs| xs.iter().filter_map(|x| row_of.get(x)).min().copied());
            let r = want.map_or(next, |w| w.max(next));
            row_of.insert(n.id.as_str(), r);
            rows[c].push((*n, r));
            next = r + 1;
        }
    }
    rows
}

/// Whether a Service or Service port has no ready endpoint behind it.
fn empty(n: &GraphNode, p: &Prepared<'_>, ready_out: &BTreeSet<&str>) -> bool {
    match n.kind {
        NodeKind::ServicePort => !ready_out.contains(n.id.as_str()),
        NodeKind::Service => {
            let out = p
                .outgoing
                .get(n.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            // An ExternalName Service leads to its name, not to ports.
            out.iter().all(|x| x.starts_with("port:")) && out.iter().all(|x| !ready_out.contains(x))
        }
        _ => false,
    }
}

/// Lay out the graph: columns by hop, one band per namespace (ordered by
/// name), pods grouped by the cluster node they run on (`node_of`: pod id →
/// node name); within a band, rows follow their neighbours so edges stay
/// short and mostly parallel, and boxes are as wide as their column's
/// longest label. Linear in nodes + edges (after sorting).
pub fn layout(
    nodes: &[GraphNode],
    edges: &[GraphEdge],
    flagged: &BTreeSet<String>,
    node_of: &BTreeMap<String, String>,
) -> Layout {
    let p = Prepared::new(nodes, edges);
    let rank = p.ranks();
    let bands = p.bands(&rank, node_of);
    let lines: BTreeMap<&str, (String, String)> = p
        .nodes
        .iter()
        .map(|n| {
            let (a, b) = lines(n);
            (
                n.id.as_str(),
                (
                    shorten(&a, fit_chars(NAME_CHAR)),
                    shorten(&b, fit_chars(SUB_CHAR)),
                ),
            )
        })
        .collect();
    let cols = Columns::new(&bands, &lines);
    let has_node_groups = p.nodes.iter().any(|n| node_of.contains_key(&n.id));
    let (pos, groups, y) = place(&p, &bands, &cols, node_of, has_node_groups);
    // External clients, centred on everything.
    let row = NODE_H + ROW_GAP;
    let externals: Vec<&GraphNode> = bands.values().flat_map(|c| c[0].iter().copied()).collect();
    let span = externals.len() as i32 * row;
    let height = (y - BAND_GAP + MARGIN).max(span + 2 * MARGIN).max(200);
    let mut pos = pos;
    for (r, n) in externals.iter().enumerate() {
        pos.insert(
            n.id.as_str(),
            (
                cols.x[0],
                ((height - span) / 2).max(MARGIN) + r as i32 * row,
            ),
        );
    }
    let ready_out: BTreeSet<&str> = p
        .edges
        .iter()
        .filter(|e| e.ready != Some(false) && e.from.starts_with("port:"))
        .map(|e| e.from.as_str())
        .collect();
    let lnodes = p
        .nodes
        .iter()
        .map(|n| {
            let (x, y) = pos[n.id.as_str()];
            let (name, sub) = lines[n.id.as_str()].clone();
            LNode {
                id: n.id.clone(),
                kind: n.kind.as_str().to_owned(),
                label: n.label.clone(),
                line1: name,
                line2: sub,
                w: cols.w[column(n.kind.as_str())],
                empty: empty(n, &p, &ready_out),
                namespace: n.namespace.clone(),
                x,
                y,
                synthetic: n.synthetic,
                flagged: flagged.contains(&n.id),
                change: None,
            }
        })
        .collect();
    Layout {
        width: cols.right
            + MARGIN
            + if has_node_groups {
                NODE_LABEL_W + PAD
            } else {
                0
            },
        height,
        groups,
        nodes: lnodes,
        edges: edges_between(&p, &pos, &cols),
    }
}

/// Node positions, group boxes (namespace bands behind node boxes) and the
/// bottom of the last band.
fn place<'a>(
    p: &Prepared<'a>,
    bands: &BTreeMap<Option<String>, Vec<Vec<&'a GraphNode>>>,
    cols: &Columns,
    node_of: &BTreeMap<String, String>,
    has_node_groups: bool,
) -> (BTreeMap<&'a str, (i32, i32)>, Vec<LGroup>, i32) {
    let row = NODE_H + ROW_GAP;
    let mut pos: BTreeMap<&str, (i32, i32)> = BTreeMap::new();
    let mut groups = Vec::new();
    let mut y = MARGIN;
    // Namespaced bands first (by name), then the rest; column 0 last.
    let mut order: Vec<&Option<String>> = bands.keys().filter(|k| k.is_some()).collect();
    order.extend(bands.keys().filter(|k| k.is_none()));
    for key in order {
        let rows = band_rows(&bands[key], p, has_node_groups);
        let tallest = rows[1..]
            .iter()
            .filter_map(|c| c.last().map(|(_, r)| r + 1))
            .max()
            .unwrap_or(0);
        if tallest == 0 {
            continue;
        }
        let top = y + if key.is_some() { BAND_HEAD } else { 0 };
        for (c, col) in rows.iter().enumerate().skip(1) {
            for (n, r) in col {
                pos.insert(n.id.as_str(), (cols.x[c], top + r * row));
            }
        }
        for (node, first, last) in node_runs(&rows[PODS], node_of) {
            groups.push(LGroup {
                kind: "node".into(),
                label: node.clone(),
                x: cols.x[PODS] - PAD,
                y: top + first * row - PAD / 2,
                width: cols.w[PODS] + 2 * PAD + NODE_LABEL_W,
                height: (last - first + 1) * row - ROW_GAP + PAD,
            });
        }
        let bottom = top + tallest * row - ROW_GAP;
        if let Some(ns) = key {
            let used = |c: usize| !rows[c].is_empty();
            let first = (1..COLUMNS).find(|&c| used(c)).unwrap_or(1);
            let last = (1..COLUMNS).rev().find(|&c| used(c)).unwrap_or(PODS);
            let extra = if last == PODS && has_node_groups {
                NODE_LABEL_W
            } else {
                0
            };
            groups.push(LGroup {
                kind: "namespace".into(),
                label: ns.clone(),
                x: cols.x[first] - 2 * PAD,
                y,
                width: cols.x[last] + cols.w[last] - cols.x[first] + 4 * PAD + extra,
                height: bottom - y + 2 * PAD,
            });
        }
        y = bottom + 2 * PAD + BAND_GAP;
    }
    groups.sort_by_key(|g| g.kind != "namespace");
    (pos, groups, y)
}

/// An edge label without repeats: the numbers of `port → targetPort →
/// containerPort/protocol` each once, in order.
pub fn short_label(label: &str) -> String {
    let parts: Vec<&str> = label.split(" → ").collect();
    let Some((last, init)) = parts.split_last() else {
        return label.to_owned();
    };
    let (number, protocol) = last.split_once('/').unwrap_or((last, ""));
    let mut kept: Vec<&str> = Vec::new();
    for part in init.iter().copied().chain([number]) {
        if kept.last() != Some(&part) {
            kept.push(part);
        }
    }
    let mut s = kept.join(" → ");
    if !protocol.is_empty() {
        s.push('/');
        s.push_str(protocol);
    }
    s
}

/// Each edge as a curve from its source's right side to its target's left,
/// with its short label where edges do not crowd: just before a Service
/// port (which one Service feeds), else just after the source (a port's
/// edges to its pods mostly say the same). Labels at one end stack, and
/// edges with the same text there share one.
fn edges_between(p: &Prepared<'_>, pos: &BTreeMap<&str, (i32, i32)>, cols: &Columns) -> Vec<LEdge> {
    let width_of: BTreeMap<&str, i32> = p
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), cols.w[column(n.kind.as_str())]))
        .collect();
    let mut texts: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    p.edges
        .iter()
        .map(|e| {
            let short = short_label(&e.label);
            let at_target = e.to.starts_with("port:");
            let end = if at_target {
                e.to.as_str()
            } else {
                e.from.as_str()
            };
            let seen = texts.entry(end).or_default();
            let (rank, label_shown) = if let Some(i) = seen.iter().position(|t| *t == short) {
                (i, false)
            } else {
                seen.push(short.clone());
                (seen.len() - 1, true)
            };
            let (fx, fy) = pos[e.from.as_str()];
            let (tx, ty) = pos[e.to.as_str()];
            let fw = width_of[e.from.as_str()];
            let (start_x, start_y) = (fx + fw, fy + NODE_H / 2);
            let (end_x, end_y) = (tx, ty + NODE_H / 2);
            let mid = i32::midpoint(start_x, end_x);
            LEdge {
                from: e.from.clone(),
                to: e.to.clone(),
                label: e.label.clone(),
                short,
                label_shown,
                d: format!("M{start_x},{start_y} C{mid},{start_y} {mid},{end_y} {end_x},{end_y}"),
                label_x: if at_target { end_x - 8 } else { start_x + 6 },
                label_y: if at_target { end_y } else { start_y }
                    - 5
                    - 13 * i32::try_from(rank).unwrap_or(0),
                label_end: at_target,
                ready: e.ready,
                change: None,
            }
        })
        .collect()
}
