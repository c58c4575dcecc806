//! Every real manifest of `tests/corpus` is analysed without a panic, and
//! the API server would accept it (no Kubernetes-origin error) — except the
//! files listed here, each with the upstream rule it breaks.

mod common;

use portolan_core::analysis::analyze;
use portolan_core::codes::Origin;
use portolan_core::output::diagnostic_location;
use portolan_core::profile::Profile;
use portolan_core::rules;
use portolan_core::source::Source;

/// (file, line, code, field): the findings the API server really returns.
const EXPECTED: &[(&str, usize, &str, &str)] = &[
    // Popeye's fixture backend names no port: `validateIngressBackend`
    // requires a port name or number (spec G.1.9).
    (
        "live/popeye/ingress-1.yaml",
        69,
        "ingress-spec",
        "spec.rules[0].http.paths[0].backend",
    ),
    // Traefik's unit-test fixtures name Ingresses "" (their tests never apply
    // them): the API server requires a name (spec A.1).
    (
        "edge-cases/traefik-ingress/2-ingresses-in-different-namespace-with-same-service-name.yaml",
        44,
        "object-metadata",
        "metadata.name",
    ),
    (
        "edge-cases/traefik-ingress/2-ingresses-in-different-namespace-with-same-service-name.yaml",
        71,
        "object-metadata",
        "metadata.name",
    ),
    (
        "edge-cases/traefik-ingress/Ingress-with-a-named-port-matching-subset-of-service-pods.yaml",
        3,
        "object-metadata",
        "metadata.name",
    ),
    (
        "edge-cases/traefik-ingress/Ingress-with-endpoint-conditions.yaml",
        3,
        "object-metadata",
        "metadata.name",
    ),
    (
        "edge-cases/traefik-ingress/Ingress-with-one-service-without-endpoint.yaml",
        3,
        "object-metadata",
        "metadata.name",
    ),
    (
        "edge-cases/traefik-ingress/Ingress-with-one-service-without-endpoints-subset.yaml",
        3,
        "object-metadata",
        "metadata.name",
    ),
    (
        "edge-cases/traefik-ingress/Ingress-with-port-invalid-for-one-service.yaml",
        3,
        "object-metadata",
        "metadata.name",
    ),
    (
        "edge-cases/traefik-ingress/Ingress-with-port-name-in-backend-and-2-pod-replica.yaml",
        3,
        "object-metadata",
        "metadata.name",
    ),
    (
        "edge-cases/traefik-ingress/Ingress-with-service-with-externalName.yaml",
        3,
        "object-metadata",
        "metadata.name",
    ),
    (
        "edge-cases/traefik-ingress/Ingress-with-two-paths-using-same-service-and-different-port-name.yaml",
        3,
        "object-metadata",
        "metadata.name",
    ),
    (
        "edge-cases/traefik-ingress/Ingress-with-unknown-service-port-name.yaml",
        3,
        "object-metadata",
        "metadata.name",
    ),
    (
        "edge-cases/traefik-ingress/Ingress-with-unknown-service-port.yaml",
        3,
        "object-metadata",
        "metadata.name",
    ),
    // Deliberately malformed (np-guard test fixture): PyYAML stops at 225:30 too.
    (
        "edge-cases/np-guard-document-with-syntax-error.yaml",
        225,
        "yaml-syntax",
        "",
    ),
    // Istio analyzer fixtures: `protocol: HTTP` is not TCP/UDP/SCTP (spec A.4.5).
    (
        "edge-cases/istio-analyzer/deployment-multi-service.yaml",
        67,
        "service-ports",
        "spec.ports[0].protocol",
    ),
    (
        "edge-cases/istio-analyzer/deployment-multi-service.yaml",
        130,
        "service-ports",
        "spec.ports[0].protocol",
    ),
    (
        "edge-cases/istio-analyzer/deployment-multi-service.yaml",
        181,
        "service-ports",
        "spec.ports[0].protocol",
    ),
    (
        "edge-cases/istio-analyzer/deployment-multi-service.yaml",
        197,
        "service-ports",
        "spec.ports[0].protocol",
    ),
    (
        "edge-cases/istio-analyzer/deployment-multi-service.yaml",
        286,
        "service-ports",
        "spec.ports[0].protocol",
    ),
    (
        "edge-cases/istio-analyzer/deployment-multi-service-different-ns.yaml",
        75,
        "service-ports",
        "spec.ports[0].protocol",
    ),
    // Istio fixture: a two-port Service without port names (spec A.4.1).
    (
        "edge-cases/istio-analyzer/service-no-port-name.yaml",
        11,
        "service-ports",
        "spec.ports[0].name",
    ),
    (
        "edge-cases/istio-analyzer/service-no-port-name.yaml",
        14,
        "service-ports",
        "spec.ports[1].name",
    ),
    // Traefik provider fixtures, never applied as written: an ExternalName
    // Service with a clusterIP (spec A.5.4) and an IPv6 address as
    // externalName (not a DNS-1123 subdomain, spec A.7.1).
    (
        "edge-cases/traefik-ingress/Ingress-with-service-with-externalName.yaml",
        30,
        "service-cluster-ips",
        "spec.clusterIPs",
    ),
    (
        "edge-cases/traefik-ingress/Ingress-with-IPv6-endpoints-externalname-enabled.yaml",
        0,
        "service-external-name",
        "spec.externalName",
    ),
    (
        "edge-cases/traefik-ingress/Ingress-with-IPv6-endpoints.yaml",
        52,
        "service-external-name",
        "spec.externalName",
    ),
    // Popeye (a linter) fixtures of broken objects: an ExternalName Service
    // without externalName but with clusterIPs (A.7.1, A.5.4), Pods without containers.
    (
        "live/popeye/svc-1.yaml",
        0,
        "service-external-name",
        "spec.externalName",
    ),
    (
        "live/popeye/svc-1.yaml",
        0,
        "service-cluster-ips",
        "spec.clusterIPs",
    ),
    (
        "live/popeye/svc-1.yaml",
        0,
        "service-cluster-ips",
        "spec.ipFamilies",
    ),
    (
        "live/popeye/svc-1.yaml",
        0,
        "service-cluster-ips",
        "spec.ipFamilyPolicy",
    ),
    (
        "live/popeye/pod-2.yaml",
        0,
        "pod-containers",
        "spec.containers",
    ),
    (
        "live/popeye/pod-2.yaml",
        0,
        "pod-containers",
        "spec.containers",
    ),
];

/// Test fixtures of other tools that pick `ClusterIPs` freely: allocation
/// (spec A.13) rejects them in any cluster, whatever its ranges, because
/// each reuses an address another Service holds (`10.0.0.1` is the API
/// server's own `default/kubernetes` in a range starting at 10.0.0.0) or lies
/// outside the range. (path prefix, code, field), any number of times.
const ALLOCATION_CLASHES: &[(&str, &str, &str)] = &[
    (
        "edge-cases/traefik-ingress/",
        "service-allocation",
        "spec.clusterIPs",
    ),
    (
        "edge-cases/istio-analyzer/multicluster-",
        "service-allocation",
        "spec.clusterIPs",
    ),
    (
        "live/popeye/svc-1.yaml",
        "service-allocation",
        "spec.clusterIPs",
    ),
];

/// The traefik fixtures come from a cluster with another service range,
/// `NodePort` range and dual-stack families; they are checked against it.
const TRAEFIK_PROFILE: &str = r#"{"serviceCIDR": "10.0.0.0/16,fc00:f853:ccd:e793::/64", "nodePortRange": "1-65535", "ipFamilies": ["IPv4", "IPv6"]}"#;

#[test]
fn the_corpus_is_accepted_as_the_api_server_accepts_it() {
    let corpus = common::material().join("corpus");
    let paths = common::corpus_files();
    assert!(
        paths.len() >= 60,
        "expected the 68 corpus files, found {}",
        paths.len()
    );
    let mut unexpected = Vec::new();
    let mut expected: Vec<_> = EXPECTED.to_vec();
    for path in &paths {
        let rel = path.strip_prefix(&corpus).unwrap().display().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let profile = if rel.contains("traefik-ingress") {
            Profile::from_json(TRAEFIK_PROFILE).unwrap()
        } else {
            Profile::default()
        };
        let analysis = analyze(vec![Source::new(rel.clone(), text)], &profile).unwrap();
        for d in &analysis.diagnostics {
            let rule = rules::find(d.code)
                .unwrap_or_else(|| panic!("{rel}: {} is not a registered code", d.code));
            if rule.origin != Origin::Kubernetes {
                continue;
            }
            let line = diagnostic_location(&analysis, d).line;
            let field = d.field.as_deref().unwrap_or("");
            if ALLOCATION_CLASHES
                .iter()
                .any(|&(p, c, f)| rel.starts_with(p) && c == d.code && f == field)
            {
                continue;
            }
            let hit = expected.iter().position(|&(f, l, c, fl)| {
                f == rel && (l == 0 || l == line) && c == d.code && fl == field
            });
            match hit {
                Some(i) => drop(expected.remove(i)),
                None => {
                    unexpected.push(format!("{rel}:{line}: {} {field} — {}", d.code, d.message));
                }
            }
        }
    }
    assert!(
        unexpected.is_empty(),
        "unexpected API errors:\n{}",
        unexpected.join("\n")
    );
    assert!(
        expected.is_empty(),
        "expected API errors not reported: {expected:?}"
    );
}

#[test]
fn the_syntax_error_spoils_one_document_only() {
    let path =
        common::material().join("corpus/edge-cases/np-guard-document-with-syntax-error.yaml");
    let analysis = analyze(
        vec![Source::new(
            "f.yaml",
            std::fs::read_to_string(path).unwrap(),
        )],
        &Profile::default(),
    )
    .unwrap();
    let syntax: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.code == "yaml-syntax")
        .collect();
    assert_eq!(syntax.len(), 1);
    let loc = diagnostic_location(&analysis, syntax[0]);
    assert_eq!((loc.line, loc.column), (225, 30));
    // PyYAML (PROVENANCE) stops at the error after 6 documents; Portolan
    // skips only the broken one (the frontend Deployment) and reads the rest.
    assert_eq!(analysis.cluster.services.len(), 12);
    assert!(
        analysis
            .objects
            .iter()
            .all(|o| !(o.kind.value == "Deployment" && o.name() == "frontend"))
    );
    assert!(
        analysis
            .objects
            .iter()
            .any(|o| o.kind.value == "Deployment" && o.name() == "adservice")
    );
}
