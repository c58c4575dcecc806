//! Every rendering of `output/`, one snapshot per format, produced through
//! the command line exactly as a user runs it (`portolan check`, `graph`,
//! `trace`, `dns`, `rules`), on one small manifest with a finding of each
//! severity.

use portolan_core::cli::{execute, parse_args};
use portolan_core::source::Source;

const MANIFEST: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - {name: http, containerPort: 8080}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http, nodePort: 30080}
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector: {app: api}
  ports:
  - {port: 80, targetPort: 9090}
  - {port: 443}
---
apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: shop
spec:
  selector: {app: cart}
  ports:
  - {port: 80}
";

/// `MANIFEST` with a default-deny ingress policy and one that admits
/// `app: web` pods' port 8080 from the `api` pods only.
const POLICIES: &str = "\
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec: {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: api}}}]
    ports: [{port: 8080}]
";

fn run(args: &[&str]) -> String {
    run_on(MANIFEST, args)
}

fn run_on(manifest: &str, args: &[&str]) -> String {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let inv = parse_args(&args).expect("the arguments parse");
    let out = execute(
        &inv,
        vec![Source::new("shop.yaml", manifest)],
        None,
        None,
        false,
    );
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    format!("exit {}\n{}", out.code, out.stdout)
}

macro_rules! snapshot {
    ($name:ident, $($arg:literal),+) => {
        #[test]
        fn $name() {
            insta::with_settings!({
                snapshot_path => "snapshots/output",
                prepend_module_to_snapshot => false,
                description => concat!("portolan" $(, " ", $arg)+),
                omit_expression => true,
            }, {
                insta::assert_snapshot!(stringify!($name), run(&[$($arg),+]));
            });
        }
    };
}

snapshot!(check_human, "check", "shop.yaml");
snapshot!(check_json, "check", "--format", "json", "shop.yaml");
snapshot!(check_sarif, "check", "--format", "sarif", "shop.yaml");
snapshot!(check_github, "check", "--format", "github", "shop.yaml");
snapshot!(check_junit, "check", "--format", "junit", "shop.yaml");
snapshot!(graph_json, "graph", "--format", "json", "shop.yaml");
snapshot!(graph_dot, "graph", "--format", "dot", "shop.yaml");
snapshot!(graph_mermaid, "graph", "--format", "mermaid", "shop.yaml");
snapshot!(
    trace_human,
    "trace",
    "--from",
    "pod:shop/web-xxvnq5fjdl-pc87z",
    "--to",
    "web.shop:80",
    "shop.yaml"
);
snapshot!(
    trace_json,
    "trace",
    "--from",
    "external:203.0.113.9",
    "--to",
    "172.18.0.2:30080",
    "--format",
    "json",
    "shop.yaml"
);
snapshot!(
    dns_human,
    "dns",
    "--name",
    "_http._tcp.web.shop.svc.cluster.local",
    "--type",
    "srv",
    "shop.yaml"
);
snapshot!(
    dns_json,
    "dns",
    "--name",
    "web.shop",
    "--format",
    "json",
    "shop.yaml"
);
snapshot!(rules_human, "rules");

#[test]
fn trace_with_network_policy() {
    let manifest = format!("{MANIFEST}{POLICIES}");
    let args = [
        "trace",
        "--from",
        "pod:shop/web-xxvnq5fjdl-pc87z",
        "--to",
        "web.shop:80",
        "shop.yaml",
    ];
    insta::with_settings!({
        snapshot_path => "snapshots/output",
        prepend_module_to_snapshot => false,
        description => "portolan trace … (NetworkPolicy: web admits only api)",
        omit_expression => true,
    }, {
        insta::assert_snapshot!("trace_policy_human", run_on(&manifest, &args));
        let mut json = args.to_vec();
        json.extend(["--format", "json"]);
        insta::assert_snapshot!("trace_policy_json", run_on(&manifest, &json));
    });
}

#[test]
fn a_protocol_kube_proxy_does_not_program_is_a_usage_error() {
    let args: Vec<String> = [
        "trace",
        "--from",
        "external:1.2.3.4",
        "--to",
        "web:80",
        "--protocol",
        "icmp",
    ]
    .iter()
    .map(|a| (*a).to_owned())
    .collect();
    assert_eq!(
        parse_args(&args).err().as_deref(),
        Some("--protocol must be TCP, UDP or SCTP, not 'icmp'")
    );
}

#[test]
fn reach_in_every_format() {
    let manifest = format!("{MANIFEST}{POLICIES}");
    insta::with_settings!({
        snapshot_path => "snapshots/output",
        prepend_module_to_snapshot => false,
        description => "portolan reach --format F shop.yaml (NetworkPolicy: web admits only api)",
        omit_expression => true,
    }, {
        for format in ["human", "json", "csv", "md", "dot"] {
            insta::assert_snapshot!(
                format!("reach_{format}"),
                run_on(&manifest, &["reach", "--format", format, "shop.yaml"])
            );
        }
    });
}

/// The hosts' option values are checked, and refused, by the core in one
/// place; the CLI and the JavaScript API only name their option.
#[test]
fn option_values_are_read_in_any_case_and_refused_with_the_allowed_list() {
    use portolan_core::types::{Protocol, not_one_of};
    assert_eq!(Protocol::from_option("udp"), Ok(Protocol::Udp));
    assert_eq!(
        Protocol::from_option("icmp"),
        Err("must be TCP, UDP or SCTP, not 'icmp'".to_owned())
    );
    assert_eq!(
        portolan_core::profile::ProxyMode::from_option("ipvs"),
        Err("must be iptables or nftables, not 'ipvs'".to_owned())
    );
    assert_eq!(
        portolan_core::dns::QType::from_option("mx"),
        Err("must be A, AAAA, SRV, CNAME or PTR, not 'mx'".to_owned())
    );
    assert_eq!(not_one_of(&["x"], "y"), "must be x, not 'y'");
}
