//! `netpol-port-is-service-port`: an ingress rule on a Service's port (or
//! node port) where the pods listen on another, or an egress rule on the
//! Service port of the pods its peers select (spec E.4.7, E.8.5).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{LabelSets, LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::model::IntOrString;
use crate::selector::Selector;
use crate::types::Protocol;

rule! {
    /// ## What it does
    /// Reports a numeric `port` of a NetworkPolicy ingress rule that equals
    /// the `port` (or `nodePort`) of a Service in front of the policy's pods
    /// while the Service sends that traffic to another container port, and
    /// no selected pod declares the rule's port; likewise a numeric `port`
    /// of an egress rule that equals such a Service port of the pods its
    /// `to` peers select. The help names the targetPort to write instead.
    ///
    /// ## Why it matters
    /// Policies see the packet after kube-proxy's DNAT: the destination port
    /// is the pod's container port, never the Service port (spec E.4.7) —
    /// at the sender's egress too, since the sending node translates first
    /// (E.5.2). A rule on the Service port admits nothing, and the Service's
    /// clients are cut off.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web-ingress
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: web}
    ///   ingress:
    ///   - ports: [{port: 80}]        # the Service port; the pods listen on 8080
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80, targetPort: 8080}]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels: {app: web}
    /// spec:
    ///   containers: [{name: web, image: nginx:1.27, ports: [{containerPort: 8080}]}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web-ingress
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: web}
    ///   ingress:
    ///   - ports: [{port: 8080}]
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80, targetPort: 8080}]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels: {app: web}
    /// spec:
    ///   containers: [{name: web, image: nginx:1.27, ports: [{containerPort: 8080}]}]
    /// ```
    ///
    /// ## References
    /// calico #8049, felix #2836; spec E.4.7, E.8.5, E.9.4.
    pub const RULE {
        code: "netpol-port-is-service-port",
        name: "netpol-port-is-service-port",
        severity: Warning,
        origin: Lint,
        summary: "A NetworkPolicy ingress or egress port is a Service's port, but policies see the container port after DNAT.",
    }
}

/// What a label set's pods receive through Services: (Service key, its
/// port or node port, protocol, the container port it translates to).
type Translations = BTreeSet<(String, i64, Protocol, i64)>;

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    let mut policies = cx.network_policies().peekable();
    if policies.peek().is_none() {
        return;
    }
    let sets = LabelSets::of_pods(&cx.cluster.pods);
    let through = through_services(cx, &sets);
    let namespaces = crate::netpol::namespaces(cx.objects, &cx.cluster.pods);
    for (o, np) in policies {
        egress(cx, (o, np), (&sets, &through, &namespaces), out);
        let Some(ns_sets) = sets.get(o.namespace.as_str()) else {
            continue;
        };
        let selector = np
            .pod_selector
            .as_ref()
            .map_or_else(Selector::everything, |s| Selector::from_label_selector(Some(s)));
        let matched = ns_sets.matching(&selector, false);
        // Declared ports: those of one pod per set (a set's pods share a
        // template).
        let declared: BTreeSet<i64> = matched
            .iter()
            .filter_map(|&s| ns_sets.pods[s].first())
            .filter_map(|&i| cx.container_ports(i))
            .flatten()
            .collect();
        let receiving: Vec<&Translations> = matched
            .iter()
            .filter_map(|&s| through.get(&(o.namespace.as_str(), s)))
            .collect();
        for port in np.ingress.iter().flatten().flat_map(|r| r.ports.iter()) {
            service_port(o, port, (&declared, &receiving), Direction::Ingress, out);
        }
    }
}

#[derive(Clone, Copy)]
enum Direction {
    Ingress,
    Egress,
}

/// The finding for a numeric `port` that no far-end pod declares and that
/// a Service in front of those pods (`receiving`) translates to another
/// container port.
fn service_port(
    o: &crate::model::Object,
    port: &crate::model::PolicyPort,
    (declared, receiving): (&BTreeSet<i64>, &[&Translations]),
    direction: Direction,
    out: &mut Vec<Diagnostic>,
) {
    let Some(IntOrString::Int(n)) = port.port.as_ref().map(|p| &p.value) else {
        return;
    };
    if port.end_port.is_some() || declared.contains(n) {
        return;
    }
    let protocol = port
        .protocol
        .as_ref()
        .map_or(Protocol::Tcp, |p| Protocol::or_default(&p.value));
    let hit = receiving
        .iter()
        .flat_map(|t| t.iter())
        .find(|(_, p, proto, target)| p == n && *proto == protocol && target != n);
    let Some((svc, _, _, target)) = hit else {
        return;
    };
    let (name, how) = match direction {
        Direction::Ingress => ("ingress", "policies see".to_owned()),
        Direction::Egress => (
            "egress",
            "the sending node translates first, so policies see".to_owned(),
        ),
    };
    let mut d = finding(
        (RULE.code, RULE.severity),
        o,
        port.port.as_ref().map_or(port.span, |p| p.span),
        format!(
            "NetworkPolicy {}/{}: {name} port {n} is a port of Service {svc}, which sends it to container port {target}; {how} {target}{} this rule admits none of that traffic",
            o.namespace,
            o.name(),
            match direction {
                Direction::Ingress => ", so",
                Direction::Egress => " and",
            }
        ),
    );
    d.help = Some(format!("write the container port the Service targets: port: {target}"));
    out.push(d);
}

type Namespaces = BTreeMap<String, BTreeMap<String, String>>;

/// The pods by namespace and label set, what each set receives through
/// Services, and the namespaces' labels.
type Seen<'a, 's> = (
    &'a BTreeMap<&'s str, LabelSets<'s>>,
    &'a HashMap<(&'s str, usize), Translations>,
    &'a Namespaces,
);

/// E.8.5's egress side: a numeric port of an egress rule that is a Service
/// port of the pods the rule's selector peers pick (not ipBlocks: a packet
/// to an address outside the pods is E.5.2's case).
fn egress(
    cx: &LintCx<'_>,
    (o, np): (&crate::model::Object, &crate::model::NetworkPolicy),
    (sets, through, namespaces): Seen<'_, '_>,
    out: &mut Vec<Diagnostic>,
) {
    for rule in np.egress.iter().flatten() {
        if rule.peers.is_empty() || rule.ports.is_empty() {
            continue;
        }
        // The (namespace, label set) of every pod a selector peer picks.
        let mut picked: Vec<(&str, usize)> = Vec::new();
        for peer in rule.peers.iter().filter(|p| p.ip_block.is_none()) {
            let selector = peer
                .pod_selector
                .as_ref()
                .map_or_else(Selector::everything, |s| Selector::from_label_selector(Some(s)));
            let in_namespaces: Vec<&str> = match &peer.namespace_selector {
                None => vec![o.namespace.as_str()],
                Some(sel) => {
                    let ns_selector = Selector::from_label_selector(Some(sel));
                    namespaces
                        .iter()
                        .filter(|(_, labels)| ns_selector.matches(labels))
                        .map(|(n, _)| n.as_str())
                        .collect()
                }
            };
            for ns in in_namespaces {
                if let Some((&key, ns_sets)) = sets.get_key_value(ns) {
                    picked.extend(ns_sets.matching(&selector, false).into_iter().map(|s| (key, s)));
                }
            }
        }
        let declared: BTreeSet<i64> = picked
            .iter()
            .filter_map(|(ns, s)| sets.get(ns)?.pods[*s].first())
            .filter_map(|&i| cx.container_ports(i))
            .flatten()
            .collect();
        let receiving: Vec<&Translations> =
            picked.iter().filter_map(|key| through.get(key)).collect();
        for port in &rule.ports {
            service_port(o, port, (&declared, &receiving), Direction::Egress, out);
        }
    }
}

/// What each label set's pods receive through Services, by (namespace,
/// label-set id).
fn through_services<'s>(
    cx: &LintCx<'_>,
    sets: &BTreeMap<&'s str, LabelSets<'_>>,
) -> HashMap<(&'s str, usize), Translations> {
    // Each pod's namespace and label-set id, to aggregate per label set.
    let mut set_of: HashMap<String, (&str, usize)> = HashMap::new();
    for (ns, s) in sets {
        for (id, pods) in s.pods.iter().enumerate() {
            for &i in pods {
                set_of.insert(cx.cluster.pods[i].key(), (ns, id));
            }
        }
    }
    let mut through: HashMap<(&str, usize), Translations> = HashMap::new();
    for svc in &cx.cluster.services {
        for e in &svc.endpoints {
            let (Some(key), Some(target)) = (e.pod.as_deref(), e.port) else {
                continue;
            };
            let Some(&set) = set_of.get(key) else {
                continue;
            };
            let name = e.port_name.as_deref().unwrap_or("");
            for sp in svc.ports.iter().filter(|sp| {
                sp.name == name && e.protocol.is_none_or(|p| p == sp.protocol)
            }) {
                let entry = through.entry(set).or_default();
                entry.insert((svc.key(), sp.port, sp.protocol, target));
                if let Some(np) = sp.node_port {
                    entry.insert((svc.key(), np, sp.protocol, target));
                }
            }
        }
    }
    through
}
