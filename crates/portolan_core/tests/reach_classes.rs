//! `portolan reach` evaluates one pod of each class of pods that policies,
//! Services and the aggregation cannot tell apart (issue 13: the cost
//! follows distinct label sets × policy rules, not pods²). The classes
//! must never change the answer: each test compares every format with the
//! answer computed pod by pod, on the real manifests of `tests/corpus` and
//! on a cluster built to split classes (ipBlocks that hold some pods of a
//! workload, host-network pods on several nodes, internalTrafficPolicy
//! Local, hairpin traffic, pods without a workload).

mod common;

use portolan_core::analysis::{Analysis, analyze};
use portolan_core::output::reach as out;
use portolan_core::profile::{Profile, ProfileNode};
use portolan_core::reach::{Answer, Scope, answer_with};
use portolan_core::source::Source;

type Question<'q> = (Option<&'q Scope>, Option<&'q Scope>, Option<i64>);

fn formats(r: &Answer<'_>) -> [String; 5] {
    let all = r.connections();
    [
        out::json(&all),
        out::csv(&all),
        out::human(r),
        out::md(r),
        out::dot(r),
    ]
}

/// The answer by classes equals the answer pod by pod, in every format.
fn same_answer(a: &Analysis, q: Question<'_>, what: &str) -> (usize, usize) {
    let by_class = answer_with(a, q, false);
    let by_pod = answer_with(a, q, true);
    let names = ["json", "csv", "human", "md", "dot"];
    for ((name, x), y) in names.iter().zip(formats(&by_class)).zip(formats(&by_pod)) {
        assert!(
            x == y,
            "{what}: reach --format {name} differs by classes\n--- by class\n{x}\n--- by pod\n{y}"
        );
    }
    by_class.class_counts()
}

#[test]
fn classes_give_the_answer_pod_by_pod_on_the_corpus() {
    let files = common::corpus_files();
    let mut compared = 0;
    let mut merged = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let a = analyze(
            vec![Source::new(file.display().to_string(), text)],
            &Profile::default(),
        )
        .expect("default profile");
        let pods = a.cluster.pods.len();
        if pods == 0 || pods > 400 {
            continue;
        }
        let (senders, _) = same_answer(&a, (None, None, None), &file.display().to_string());
        compared += 1;
        merged += usize::from(senders < pods);
    }
    // The corpus has real applications with replicated workloads.
    assert!(compared > 20, "only {compared} corpus files with pods");
    assert!(merged > 5, "classes merged pods in only {merged} files");
}

/// Three nodes; `web` (4 replicas) behind Services `web` (Cluster) and
/// `web-local` (internalTrafficPolicy Local); `api` (3 replicas) with an
/// egress policy; `agent`, a host-network DaemonSet; `lone`, a pod of no
/// workload; policies with an ipBlock whose `except` holds one web pod.
const CLUSTER: &str = "\
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        ports: [{name: http, containerPort: 8080}, {name: admin, containerPort: 9090}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: api, ports: [{containerPort: 7000}]}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true
      containers: [{name: agent, image: agent, ports: [{containerPort: 9100}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: host-agent, namespace: kube-system, labels: {app: host-agent}}
spec:
  hostNetwork: true
  containers: [{name: agent, image: agent, ports: [{containerPort: 9101}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: lone, namespace: shop, labels: {app: lone}}
spec:
  containers: [{name: lone, image: lone}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: web-local, namespace: shop}
spec:
  internalTrafficPolicy: Local
  selector: {app: web}
  ports: [{port: 81, targetPort: http}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-in, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: api}}}]
    ports: [{port: http}]
  - from: [{ipBlock: {cidr: 0.0.0.0/0, except: [EXCEPT]}}]
    ports: [{port: 9090}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-out, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [EXCEPT]}}]
";

fn profile() -> Profile {
    Profile {
        nodes: (1..=3)
            .map(|i| ProfileNode {
                name: format!("node-{i}"),
                ip: Some(format!("192.168.0.{i}")),
                zone: None,
                cpu: None,
            })
            .collect(),
        ..Profile::default()
    }
}

/// [`CLUSTER`], or without what makes a node decide (the host-network
/// pods and internalTrafficPolicy Local) when `plain`.
fn cluster_with(plain: bool) -> Analysis {
    let base = if plain {
        CLUSTER
            .replace("hostNetwork: true", "hostNetwork: false")
            .replace(
                "internalTrafficPolicy: Local",
                "internalTrafficPolicy: Cluster",
            )
    } else {
        CLUSTER.to_owned()
    };
    let analyse = |except: &str| {
        let text = base.replace("EXCEPT", except);
        analyze(vec![Source::new("c.yaml", text)], &profile()).expect("profile")
    };
    // The `except` holds the first web pod's address: the web pods fall
    // into two classes.
    let first = analyse("192.0.2.0/32");
    let web = first
        .cluster
        .pods
        .iter()
        .find(|p| p.name.starts_with("web-"))
        .expect("web pods");
    let ip = web.ips.first().expect("pods get addresses");
    analyse(&format!("{ip}/32"))
}

fn cluster() -> Analysis {
    cluster_with(false)
}

#[test]
fn classes_give_the_answer_pod_by_pod_where_pods_differ() {
    let a = cluster();
    let pods = a.cluster.pods.len();
    same_answer(&a, (None, None, None), "cluster");
    // Where no node decides, the web pods but the one in the `except` are
    // one class, and so are the api pods.
    let plain = cluster_with(true);
    let (senders, dests) = same_answer(&plain, (None, None, None), "plain cluster");
    assert!(
        senders + 4 <= plain.cluster.pods.len() && dests + 4 <= plain.cluster.pods.len(),
        "{senders}, {dests} of {pods}"
    );
    let questions = [
        (
            Scope::parse_from("namespace:shop"),
            Scope::parse_to("service:shop/web"),
        ),
        (
            Scope::parse_from("workload:shop/Deployment/api"),
            Scope::parse_to("workload:shop/Deployment/web"),
        ),
        (
            Scope::parse_from("external:10.1.2.3"),
            Scope::parse_to("service:shop/web:80"),
        ),
        (
            Scope::parse_from("workload:kube-system/DaemonSet/agent"),
            Scope::parse_to("pod:shop/lone:7000"),
        ),
    ];
    for (from, to) in questions {
        let from = from.expect("a valid --from");
        let (to, port) = to.expect("a valid --to");
        same_answer(
            &a,
            (Some(&from), Some(&to), port),
            &format!("{from:?} → {to:?}"),
        );
    }
}

#[test]
fn the_aggregated_answer_counts_every_pod_pair() {
    let a = cluster();
    let r = answer_with(&a, (None, None, None), false);
    let (allowed, all) = r.totals();
    let listed = r.connections().connections;
    assert_eq!(all, listed.len());
    assert_eq!(
        allowed,
        listed
            .iter()
            .filter(|c| c.verdict == portolan_core::netpol::Verdict::Allowed)
            .count()
    );
    assert!(allowed < all, "the policies deny some pairs");
}

#[test]
fn a_large_workload_pair_that_disagrees_gives_each_outcome_its_share() {
    // Two apps of 20 pods: each pod's packets to its own address pass
    // whatever the policies (E.5.8), the other 380 pairs of the app with
    // itself are admitted by its policy. 400 pairs are too many to list.
    let mut text = portolan_core::generate::generate(2, 40);
    text.push_str(&portolan_core::generate::policies(2, 2));
    let a = analyze(vec![Source::new("gen.yaml", text)], &Profile::default()).expect("profile");
    same_answer(&a, (None, None, None), "generated");
    let r = answer_with(&a, (None, None, None), false);
    let rows = r.rows();
    assert_eq!(rows.iter().map(|r| r.pairs).sum::<usize>(), r.totals().1);
    let split: Vec<_> = rows.iter().filter(|r| r.of > r.pairs).collect();
    assert!(
        split
            .iter()
            .any(|r| r.pairs == 20 && r.of == 400 && r.policies.is_empty()),
        "the self pairs get their own share"
    );
    assert!(out::human(&r).contains(" [380 of 400 pod pairs]"));
    assert_eq!(r.class_counts(), (2, 2), "a class per app");
}

/// Connections on both sides whose verdict differs, pair by pair.
fn changed_by_pairs(base: &Analysis, head: &Analysis) -> usize {
    let key = |c: &portolan_core::reach::ReachConnection| {
        (
            c.from.clone(),
            c.to.clone(),
            c.port,
            c.protocol,
            c.via.clone(),
        )
    };
    let was: std::collections::HashMap<_, _> = answer_with(base, (None, None, None), true)
        .connections()
        .connections
        .iter()
        .map(|c| (key(c), c.verdict))
        .collect();
    answer_with(head, (None, None, None), true)
        .connections()
        .connections
        .iter()
        .filter(|c| was.get(&key(c)).is_some_and(|v| *v != c.verdict))
        .count()
}

#[test]
fn diff_counts_the_connections_whose_verdict_changed() {
    // interfaces.md §6.4: pairs whose verdict changed are counted in the
    // summary line. HEAD moves the port web admits from the api pods.
    let base = cluster_with(true);
    let head_text = |a: &Analysis| {
        let ip = a
            .cluster
            .pods
            .iter()
            .find(|p| p.name.starts_with("web-"))
            .and_then(|p| p.ips.first().cloned());
        ip.unwrap_or_default()
    };
    let except = format!("{}/32", head_text(&base));
    let text = CLUSTER
        .replace("hostNetwork: true", "hostNetwork: false")
        .replace(
            "internalTrafficPolicy: Local",
            "internalTrafficPolicy: Cluster",
        )
        .replace("EXCEPT", &except)
        .replace("    ports: [{port: http}]", "    ports: [{port: admin}]");
    let head = analyze(vec![Source::new("c.yaml", text)], &profile()).expect("profile");
    let expected = changed_by_pairs(&base, &head);
    assert!(expected > 10, "the edit changes verdicts: {expected}");

    assert_eq!(portolan_core::diff::reach_changed(&base, &head), expected);
    assert_eq!(
        portolan_core::diff::reach_changed(&head, &base),
        changed_by_pairs(&head, &base)
    );
    assert_eq!(portolan_core::diff::reach_changed(&base, &base), 0);
}

#[test]
fn diff_counts_pairs_whose_pod_turns_host_network() {
    // A pod's pair with itself is its own evaluation while it has its own
    // address (E.5.8) and an ordinary pair once it shares its node's: HEAD
    // moves the web pods onto the host network.
    let base = cluster_with(true);
    let except = {
        let web = base
            .cluster
            .pods
            .iter()
            .find(|p| p.name.starts_with("web-"));
        format!(
            "{}/32",
            web.and_then(|p| p.ips.first()).cloned().unwrap_or_default()
        )
    };
    let plain = CLUSTER
        .replace("hostNetwork: true", "hostNetwork: false")
        .replace(
            "internalTrafficPolicy: Local",
            "internalTrafficPolicy: Cluster",
        )
        .replace("EXCEPT", &except);
    let head_text = plain.replacen(
        "    spec:\n      containers:\n      - name: web",
        "    spec:\n      hostNetwork: true\n      containers:\n      - name: web",
        1,
    );
    assert_ne!(plain, head_text);
    let head = analyze(vec![Source::new("c.yaml", head_text)], &profile()).expect("profile");
    for (x, y) in [(&base, &head), (&head, &base)] {
        let expected = changed_by_pairs(x, y);
        assert!(expected > 0);
        assert_eq!(portolan_core::diff::reach_changed(x, y), expected);
    }
}

#[test]
fn a_host_network_pod_does_not_split_classes_by_node() {
    // Only pods isolated for ingress need their node in the class when a
    // host-network sender exists (E.5.6): the api pods stay one class.
    let a = cluster_with(true);
    let with_agent = {
        let text = CLUSTER
            .replace(
                "internalTrafficPolicy: Local",
                "internalTrafficPolicy: Cluster",
            )
            .replace("EXCEPT", "192.0.2.0/32");
        analyze(vec![Source::new("c.yaml", text)], &profile()).expect("profile")
    };
    let (plain_senders, plain_dests) = answer_with(&a, (None, None, None), false).class_counts();
    let (senders, dests) = same_answer(&with_agent, (None, None, None), "with host-network pods");
    // The agent DaemonSet's three pods send as their three nodes (+2); the
    // web pods, isolated for ingress, split by node (web is on three nodes,
    // one already apart by the ipBlock: at most +2); api and lone do not.
    assert!(senders <= plain_senders + 2, "{senders} vs {plain_senders}");
    assert!(dests <= plain_dests + 2, "{dests} vs {plain_dests}");
}

/// The diff count evaluates only the class pairs an edit can touch
/// (`reach::changed_count`): on realistic edits of Online Boutique with its
/// NetworkPolicies it equals the count pair by pair and the count from the
/// two whole answers, in both directions.
#[test]
fn the_diff_count_of_touched_pairs_equals_the_whole_count() {
    let read = |f: &str| {
        std::fs::read_to_string(common::material().join("corpus").join(f)).expect("corpus file")
    };
    let base_text = format!(
        "{}\n---\n{}",
        read("online-boutique.yaml"),
        read("online-boutique-netpols.yaml")
    );
    let edits: [(&str, &str, &str); 8] = [
        // A policy admits one more client.
        (
            "a policy's peers",
            "        matchLabels:\n          app: frontend\n    - podSelector:\n        matchLabels:\n          app: checkoutservice",
            "        matchLabels:\n          app: frontend\n    - podSelector:\n        matchLabels:\n          app: loadgenerator",
        ),
        // cartservice's own policy selects nothing: deny-all isolates it.
        (
            "a policy's selector",
            "  podSelector:\n    matchLabels:\n      app: cartservice\n",
            "  podSelector:\n    matchLabels:\n      app: nothing\n",
        ),
        // A workload's label changes, so its own policy no longer selects it.
        (
            "a pod label",
            "      labels:\n        app: cartservice\n",
            "      labels:\n        app: cartservice-v2\n",
        ),
        // A Service's targetPort moves.
        (
            "a targetPort",
            "    targetPort: 7070",
            "    targetPort: 7071",
        ),
        // A namespace label that a selector could read.
        (
            "a new namespace",
            "apiVersion: apps/v1",
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: default, labels: {team: shop}}\n---\napiVersion: apps/v1",
        ),
        // adservice may send only to the frontend.
        (
            "an egress rule",
            "  egress:\n  - {}\n",
            "  egress:\n  - to: [{podSelector: {matchLabels: {app: frontend}}}]\n",
        ),
        // Nothing at all.
        ("no edit", "", ""),
        // A policy added.
        (
            "a policy added",
            "apiVersion: apps/v1",
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: redis-open}\nspec:\n  podSelector: {matchLabels: {app: redis-cart}}\n  ingress: [{}]\n---\napiVersion: apps/v1",
        ),
    ];
    let base =
        analyze(vec![Source::new("b.yaml", base_text.clone())], &profile()).expect("profile");
    for (what, from, to) in edits {
        let text = if from.is_empty() {
            base_text.clone()
        } else {
            assert!(base_text.contains(from), "{what}: the edit applies");
            base_text.replacen(from, to, 1)
        };
        let head = analyze(vec![Source::new("h.yaml", text)], &profile()).expect("profile");
        for (x, y, dir) in [(&base, &head, "base → head"), (&head, &base, "head → base")] {
            let truth = changed_by_pairs(x, y);
            let whole = portolan_core::reach::changed_pairs(
                &portolan_core::reach::answer(x, None, None, None),
                &portolan_core::reach::answer(y, None, None, None),
            );
            assert_eq!(whole, truth, "{what}, {dir}: the whole answers");
            assert_eq!(
                portolan_core::reach::changed_count(x, y),
                truth,
                "{what}, {dir}: the touched pairs"
            );
            // A moved targetPort or a namespace label no selector reads
            // changes no verdict of a connection on both sides.
            match what {
                "no edit" => assert_eq!(truth, 0),
                "a targetPort" | "a new namespace" => {}
                _ => assert!(truth > 0, "{what} changes verdicts"),
            }
        }
    }
}
