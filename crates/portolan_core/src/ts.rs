//! TypeScript declarations of every JSON document the core emits, generated
//! from the Rust types with ts-rs (feature `ts`). `cargo xtask npm` writes
//! them into the npm package's `types.d.ts`, so the package's types cannot
//! drift from what the wasm core returns.

use ts_rs::{Config, TS};

/// `decl` of `T` as an exported declaration.
fn export<T: TS>(cfg: &Config, out: &mut String) {
    let decl = T::decl(cfg);
    if let Some(docs) = T::docs() {
        out.push_str(&docs);
    }
    out.push_str("export ");
    out.push_str(&decl);
    out.push_str("\n\n");
}

/// Every declaration, in a stable order. Integers are JavaScript numbers:
/// no count or port Portolan emits comes near 2^53.
pub fn declarations() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the Rust types of portolan_core by `cargo xtask npm` (ts-rs).\n// Do not edit: change the Rust type and rebuild.\n\n",
    );
    export::<crate::diag::Severity>(&cfg, &mut out);
    export::<crate::diag::ObjectRef>(&cfg, &mut out);
    export::<crate::output::Location>(&cfg, &mut out);
    export::<crate::output::json::Summary>(&cfg, &mut out);
    export::<crate::output::json::RelatedJson>(&cfg, &mut out);
    export::<crate::output::json::DiagnosticJson<'static>>(&cfg, &mut out);
    export::<crate::output::json::CheckJson<'static>>(&cfg, &mut out);
    export::<crate::model::Hints>(&cfg, &mut out);
    export::<crate::types::ServiceType>(&cfg, &mut out);
    export::<crate::types::Protocol>(&cfg, &mut out);
    export::<crate::types::TrafficPolicy>(&cfg, &mut out);
    export::<crate::types::SessionAffinity>(&cfg, &mut out);
    export::<crate::snapshot::IntOrStringJson>(&cfg, &mut out);
    export::<crate::snapshot::Endpoint>(&cfg, &mut out);
    export::<crate::snapshot::ClusterPort>(&cfg, &mut out);
    export::<crate::snapshot::LoadBalancerIp>(&cfg, &mut out);
    export::<crate::snapshot::ClusterService>(&cfg, &mut out);
    export::<crate::snapshot::ClusterNode>(&cfg, &mut out);
    export::<crate::snapshot::ClusterPod>(&cfg, &mut out);
    export::<crate::graph::NodeKind>(&cfg, &mut out);
    export::<crate::graph::GraphNode>(&cfg, &mut out);
    export::<crate::graph::GraphEdge>(&cfg, &mut out);
    export::<crate::output::graph_json::GraphJson<'static>>(&cfg, &mut out);
    export::<crate::netpol::PolicyRef>(&cfg, &mut out);
    export::<crate::sim::Destination>(&cfg, &mut out);
    export::<crate::sim::DnsLookup>(&cfg, &mut out);
    export::<crate::sim::Hop>(&cfg, &mut out);
    export::<crate::sim::RouteRef>(&cfg, &mut out);
    export::<crate::sim::BackendShare>(&cfg, &mut out);
    export::<crate::sim::Redirect>(&cfg, &mut out);
    export::<crate::sim::Trace>(&cfg, &mut out);
    export::<crate::output::diff::ChangeJson<'static>>(&cfg, &mut out);
    export::<crate::output::diff::FindingJson<'static>>(&cfg, &mut out);
    export::<crate::output::diff::DiffFindings<'static>>(&cfg, &mut out);
    export::<crate::output::diff::DiffJson<'static>>(&cfg, &mut out);
    export::<crate::reach::ReachConnection>(&cfg, &mut out);
    export::<crate::reach::Reach>(&cfg, &mut out);
    export::<crate::dns::Answer>(&cfg, &mut out);
    export::<crate::dns::DnsAnswer>(&cfg, &mut out);
    export::<crate::codes::Origin>(&cfg, &mut out);
    export::<crate::codes::Rule>(&cfg, &mut out);
    export::<crate::profile::ProxyMode>(&cfg, &mut out);
    export::<crate::profile::ProfileNode>(&cfg, &mut out);
    export::<crate::profile::Profile>(&cfg, &mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn declarations_cover_the_documents_of_interfaces_md() {
        let d = super::declarations();
        for name in [
            "type CheckJson",
            "type GraphJson",
            "type Trace",
            "type DnsAnswer",
            "type Rule",
            "type Profile",
        ] {
            assert!(
                d.contains(&format!("export {name}")),
                "{name} missing:\n{d}"
            );
        }
        assert!(!d.contains("bigint"), "integers must be numbers");
        // Every node kind `graph` emits, and not the page's own.
        assert!(d.contains("\"externalip\""), "{d}");
        assert!(d.contains("\"service-port\""), "{d}");
        assert!(!d.contains("pod-group"), "{d}");
    }
}
