//! Fuzz target: `trace` and `dns` on a generated cluster. The cluster is
//! analysed once; each input is a query — a source, a destination, a
//! protocol, a node, a DNS name and type, one per line — and every answer
//! must come back without a panic, its probabilities summing to one.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use portolan_core::analysis::{Analysis, analyze_with};
use portolan_core::dns::{QType, resolve};
use portolan_core::options::Options;
use portolan_core::profile::{Profile, ProxyMode};
use portolan_core::sim::{From, Request, trace};
use portolan_core::source::Source;

fn cluster() -> &'static Analysis {
    static A: OnceLock<Analysis> = OnceLock::new();
    A.get_or_init(|| {
        // Services, Deployments, live pods and nodes, plus the shapes the
        // simulator branches on: NodePort, LoadBalancer, Local policies,
        // ExternalName, headless, affinity.
        let mut text = portolan_core::generate::generate(6, 24);
        text.push_str("\n---\n");
        text.push_str(include_str!("../../tests/sim/cluster.yaml"));
        let options = Options {
            threads: 1,
            ..Options::default()
        };
        analyze_with(
            vec![Source::new("cluster.yaml", text)],
            &Profile::default(),
            &options,
        )
        .expect("default profile")
    })
}

fuzz_target!(|data: &[u8]| {
    let a = cluster();
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let mut next = || lines.next().unwrap_or("");
    let (from, to, protocol, at_node, name, qtype) =
        (next(), next(), next(), next(), next(), next());
    if let Ok(from) = From::parse(from) {
        let req = Request {
            from,
            to: to.to_owned(),
            protocol: portolan_core::types::Protocol::parse(protocol).unwrap_or_default(),
            at_node: (!at_node.is_empty()).then(|| at_node.to_owned()),
            proxy_mode: if data.first().is_some_and(|b| b & 1 == 1) {
                ProxyMode::Nftables
            } else {
                ProxyMode::Iptables
            },
            method: None,
            headers: Vec::new(),
            via: None,
        };
        if let Ok(t) = trace(a, &req) {
            if t.verdict == "delivered" {
                let sum: f64 = t.destinations.iter().map(|d| d.probability).sum();
                assert!((sum - 1.0).abs() < 1e-9, "probabilities sum to {sum}");
            }
            let _ = portolan_core::output::trace::human(&t);
        }
    }
    let qtype = QType::parse(qtype).unwrap_or(QType::A);
    let _ = resolve(&a.cluster, "cluster.local", "default", name, qtype);
});
