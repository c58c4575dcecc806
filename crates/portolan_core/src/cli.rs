//! The command line shared by the native `portolan` binary and the npm CLI:
//! argument parsing and command execution live here, so both print the same
//! bytes. Hosts only read files and write the outputs.

use std::collections::BTreeMap;

use crate::analysis::{Analysis, analyze_with};
use crate::diag::Severity;
use crate::options::Options;
use crate::profile::{Profile, ProxyMode};
use crate::source::Source;
use crate::types::Protocol;

pub const USAGE: &str = "\
Portolan: where will this Service send my packets?

Usage: portolan <COMMAND> [OPTIONS] [PATH]...

Commands:
  check    Validate manifests as the API server would, and lint their routing
  graph    Print the routing graph (Services, ports, endpoints, pods)
  trace    Simulate one packet: --from pod:NS/NAME|node:NAME|external:IP --to HOST:PORT,
           or one HTTP request through an Ingress or a Gateway: --to http://HOST/PATH
  dns      Ask cluster DNS: --name NAME --type A|AAAA|SRV|CNAME|PTR
  reach    Who can reach whom, through NetworkPolicy: [--from SOURCE] [--to DESTINATION]
  diff     What a change does to routing: BASE HEAD, or --base-ref REF PATH
  rules    List every check with its documentation
  version  Print the version

PATH is a file, a directory (searched recursively for *.yaml, *.yml, *.json)
or - for standard input (the default when standard input is not a terminal).

Options:
  --format <FORMAT>      check: human|json|sarif|github|junit; graph: json|dot|mermaid;
                         reach: human|json|csv|md|dot; diff: human|json|md|sarif|github;
                         trace, dns, rules: human|json
  --base-ref <REF>       diff: read BASE as PATH at git revision REF
  --from <SOURCE>        trace: pod:NS/NAME, node:NAME or external:IP;
                         reach: pod:NS/NAME, workload:NS/KIND/NAME, namespace:NS or external:IP
  --to <HOST:PORT>       trace: an IP or a DNS name (resolved as the source would), and a port,
                         or a URL http://HOST[:PORT]/PATH, https://… or grpc://HOST/SERVICE/METHOD;
                         reach: service:NS/NAME[:PORT], pod:NS/NAME[:PORT] or workload:NS/KIND/NAME
  --protocol <PROTO>     trace: TCP (default), UDP or SCTP
  --at-node <NODE>       trace: where an external packet to an LB or external IP enters
  --method <METHOD>      trace of a URL: the HTTP method (default GET)
  --header <NAME:VALUE>  trace of a URL: a request header (repeatable)
  --via <ENTRY>          trace of a URL: gateway:NS/NAME or ingressclass:NAME, when several could serve it
  --name <NAME>          dns: the name to resolve (short names use the namespace's search list)
  --type <TYPE>          dns: A (default), AAAA, SRV, CNAME or PTR
  --profile <FILE>       cluster profile (YAML or JSON)
  --config <FILE>        configuration file (default: .portolan.yaml found upward)
  --proxy-mode <MODE>    iptables|nftables (overrides the profile)
  --namespace <NS>       namespace for objects without one (overrides the profile)
  --deny-warnings        exit 1 on warnings too
  --color <WHEN>         auto|always|never (NO_COLOR is honoured)
  -h, --help             print this help
";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmd {
    Check,
    Graph,
    Trace,
    Dns,
    Reach,
    Diff,
    Rules,
    Version,
    Help,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Debug)]
pub struct Invocation {
    pub cmd: Cmd,
    pub format: String,
    pub paths: Vec<String>,
    pub profile: Option<String>,
    pub config: Option<String>,
    pub proxy_mode: Option<ProxyMode>,
    pub namespace: Option<String>,
    pub deny_warnings: bool,
    pub color: ColorChoice,
    pub from: Option<String>,
    pub to: Option<String>,
    pub protocol: Protocol,
    pub at_node: Option<String>,
    pub method: Option<String>,
    pub headers: Vec<(String, String)>,
    pub via: Option<String>,
    pub base_ref: Option<String>,
    pub name: Option<String>,
    pub qtype: String,
}

impl Invocation {
    /// Whether the command reads manifests.
    pub fn reads_input(&self) -> bool {
        matches!(
            self.cmd,
            Cmd::Check | Cmd::Graph | Cmd::Trace | Cmd::Dns | Cmd::Reach | Cmd::Diff
        )
    }
}

/// What a command produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Output {
    pub fn usage_error(message: &str) -> Self {
        Output {
            stdout: String::new(),
            stderr: format!("error: {message}\n\nRun 'portolan --help' for usage.\n"),
            code: 2,
        }
    }
}

impl Invocation {
    /// `cmd` with every option at its default.
    fn new(cmd: Cmd) -> Self {
        Invocation {
            cmd,
            format: String::new(),
            paths: Vec::new(),
            profile: None,
            config: None,
            proxy_mode: None,
            namespace: None,
            deny_warnings: false,
            color: ColorChoice::Auto,
            from: None,
            to: None,
            protocol: Protocol::Tcp,
            at_node: None,
            method: None,
            headers: Vec::new(),
            via: None,
            base_ref: None,
            name: None,
            qtype: "A".to_owned(),
        }
    }
}

pub fn parse_args(args: &[String]) -> Result<Invocation, String> {
    let mut it = args.iter().peekable();
    let mut inv = Invocation::new(Cmd::Help);
    let Some(first) = it.next() else {
        return Ok(inv);
    };
    inv.cmd = match first.as_str() {
        "check" => Cmd::Check,
        "graph" => Cmd::Graph,
        "trace" => Cmd::Trace,
        "reach" => Cmd::Reach,
        "diff" => Cmd::Diff,
        "dns" => Cmd::Dns,
        "rules" => Cmd::Rules,
        "version" | "--version" | "-V" => Cmd::Version,
        "help" | "--help" | "-h" => Cmd::Help,
        other => return Err(format!("unknown command '{other}'")),
    };
    let value = |name: &str, it: &mut std::iter::Peekable<std::slice::Iter<'_, String>>| {
        it.next()
            .cloned()
            .ok_or_else(|| format!("{name} needs a value"))
    };
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut take = |name: &str| match &inline {
            Some(v) => Ok(v.clone()),
            None => value(name, &mut it),
        };
        match flag {
            "--format" | "-f" => inv.format = take("--format")?,
            "--profile" => inv.profile = Some(take("--profile")?),
            "--config" => inv.config = Some(take("--config")?),
            "--proxy-mode" => {
                let v = take("--proxy-mode")?;
                inv.proxy_mode =
                    Some(ProxyMode::from_option(&v).map_err(|e| format!("--proxy-mode {e}"))?);
            }
            "--namespace" | "-n" => inv.namespace = Some(take("--namespace")?),
            "--deny-warnings" => inv.deny_warnings = true,
            "--from" => inv.from = Some(take("--from")?),
            "--to" => inv.to = Some(take("--to")?),
            "--protocol" => {
                let v = take("--protocol")?;
                inv.protocol = Protocol::from_option(&v).map_err(|e| format!("--protocol {e}"))?;
            }
            "--at-node" => inv.at_node = Some(take("--at-node")?),
            "--method" => inv.method = Some(take("--method")?),
            "--header" => {
                let v = take("--header")?;
                let (k, val) = v
                    .split_once(':')
                    .filter(|(k, _)| !k.trim().is_empty())
                    .ok_or_else(|| format!("--header NAME:VALUE, not '{v}'"))?;
                inv.headers
                    .push((k.trim().to_owned(), val.trim().to_owned()));
            }
            "--via" => inv.via = Some(take("--via")?),
            "--base-ref" => inv.base_ref = Some(take("--base-ref")?),
            "--name" => inv.name = Some(take("--name")?),
            "--type" => inv.qtype = take("--type")?,
            "--color" => {
                inv.color = match take("--color")?.as_str() {
                    "auto" => ColorChoice::Auto,
                    "always" => ColorChoice::Always,
                    "never" => ColorChoice::Never,
                    v => return Err(format!("--color must be auto, always or never, not '{v}'")),
                };
            }
            "--help" | "-h" => inv.cmd = Cmd::Help,
            "-" => inv.paths.push("-".to_owned()),
            f if f.starts_with('-') && f.len() > 1 => return Err(format!("unknown option '{f}'")),
            path => inv.paths.push(path.to_owned()),
        }
    }
    finish(inv)
}

/// Defaults and checks that depend on the command: the format, and the
/// arguments `trace`, `reach` and `dns` need.
fn finish(mut inv: Invocation) -> Result<Invocation, String> {
    let allowed: &[&str] = match inv.cmd {
        Cmd::Graph => &["json", "dot", "mermaid"],
        Cmd::Check => &["human", "json", "sarif", "github", "junit"],
        Cmd::Reach => &["human", "json", "csv", "md", "dot"],
        Cmd::Diff => &["human", "json", "md", "sarif", "github"],
        Cmd::Trace | Cmd::Dns | Cmd::Rules | Cmd::Version | Cmd::Help => &["human", "json"],
    };
    if inv.format.is_empty() {
        inv.format = if inv.cmd == Cmd::Graph {
            "json".into()
        } else {
            "human".into()
        };
    }
    if !allowed.contains(&inv.format.as_str()) {
        return Err(format!(
            "--format for this command must be one of: {}",
            allowed.join(", ")
        ));
    }
    if inv.cmd == Cmd::Trace {
        let from = inv
            .from
            .as_deref()
            .ok_or("trace needs --from pod:NS/NAME, node:NAME or external:IP")?;
        crate::sim::From::parse(from)?;
        let Some(to) = &inv.to else {
            return Err("trace needs --to HOST:PORT or --to http://HOST/PATH".to_owned());
        };
        let url = crate::sim::is_url(to);
        if !url && (inv.method.is_some() || !inv.headers.is_empty() || inv.via.is_some()) {
            return Err(
                "--method, --header and --via apply to a URL: --to http://HOST/PATH".to_owned(),
            );
        }
    }
    if inv.cmd == Cmd::Reach {
        if let Some(from) = &inv.from {
            crate::reach::Scope::parse_from(from)?;
        }
        if let Some(to) = &inv.to {
            crate::reach::Scope::parse_to(to)?;
        }
    }
    if inv.cmd == Cmd::Diff {
        let want = if inv.base_ref.is_some() { 1 } else { 2 };
        if inv.paths.len() != want {
            return Err(if want == 1 {
                "diff --base-ref REF takes one PATH (BASE is PATH at REF)".to_owned()
            } else {
                "diff needs BASE and HEAD (two paths, or --base-ref REF PATH)".to_owned()
            });
        }
    } else if inv.base_ref.is_some() {
        return Err("--base-ref applies to diff".to_owned());
    }
    if inv.cmd == Cmd::Dns {
        if inv.name.is_none() {
            return Err("dns needs --name NAME".to_owned());
        }
        if let Err(e) = crate::dns::QType::from_option(&inv.qtype) {
            return Err(format!("--type {e}"));
        }
    }
    Ok(inv)
}

/// The configuration file (`.portolan.yaml`), already converted to JSON by the host.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Config {
    /// code → "off" | "error" | "warning" | "info"
    #[serde(default)]
    pub rules: BTreeMap<String, String>,
    #[serde(default)]
    pub profile: Option<Profile>,
    /// Paths (relative to the config file) left out of directory walks.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Which custom resources count as workloads.
    #[serde(default)]
    pub workloads: WorkloadsConfig,
}

/// `workloads:` in the configuration. Custom kinds with a pod template
/// (`spec.template` with labels and containers) and prometheus-operator's
/// Prometheus and Alertmanager are expanded into pods unless excluded.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadsConfig {
    /// Custom kinds never expanded into pods (`Rollout`, `CloneSet`, …).
    #[serde(default)]
    pub exclude: Vec<String>,
}

impl Config {
    pub fn options(&self) -> Result<Options, String> {
        let mut o = Options {
            excluded_kinds: self.workloads.exclude.clone(),
            ..Options::default()
        };
        for (code, level) in &self.rules {
            if crate::rules::find(code).is_none() {
                return Err(format!(
                    "config: unknown rule '{code}' (see 'portolan rules')"
                ));
            }
            match level.as_str() {
                "off" => o.disabled.push(code.clone()),
                "error" => drop(o.severities.insert(code.clone(), Severity::Error)),
                "warning" => drop(o.severities.insert(code.clone(), Severity::Warning)),
                "info" => drop(o.severities.insert(code.clone(), Severity::Info)),
                other => {
                    return Err(format!(
                        "config: rule '{code}' level must be off, error, warning or info, not '{other}'"
                    ));
                }
            }
        }
        Ok(o)
    }
}

/// Run a parsed invocation over sources already read by the host.
/// `profile` and `config` are JSON texts (hosts convert YAML with [`yaml_to_json`]).
pub fn execute(
    inv: &Invocation,
    sources: Vec<Source>,
    profile: Option<&str>,
    config: Option<&Config>,
    color: bool,
) -> Output {
    execute_keeping(inv, sources, profile, config, color).0
}

/// [`execute`], handing back the analysis it made (if any) instead of
/// freeing it: a process that exits right after need not free it.
pub fn execute_keeping(
    inv: &Invocation,
    sources: Vec<Source>,
    profile: Option<&str>,
    config: Option<&Config>,
    color: bool,
) -> (Output, Option<crate::analysis::Analysis>) {
    match inv.cmd {
        Cmd::Help => {
            let out = Output {
                stdout: USAGE.to_owned(),
                stderr: String::new(),
                code: 0,
            };
            return (out, None);
        }
        Cmd::Version => {
            let out = Output {
                stdout: format!("portolan {}\n", env!("CARGO_PKG_VERSION")),
                stderr: String::new(),
                code: 0,
            };
            return (out, None);
        }
        Cmd::Rules => return (rules(&inv.format), None),
        Cmd::Diff => {
            let out = Output::usage_error("diff compares two inputs: run it through execute_diff");
            return (out, None);
        }
        Cmd::Check | Cmd::Graph | Cmd::Trace | Cmd::Dns | Cmd::Reach => {}
    }
    let (prof, options) = match settings(inv, profile, config) {
        Ok(s) => s,
        Err(o) => return (o, None),
    };
    let analysis = match analyze_with(sources, &prof, &options) {
        Ok(a) => a,
        Err(e) => return (Output::usage_error(&format!("profile: {e}")), None),
    };
    let out = if inv.cmd == Cmd::Trace {
        trace(inv, &analysis, prof.proxy_mode)
    } else if inv.cmd == Cmd::Dns {
        dns(inv, &analysis)
    } else if inv.cmd == Cmd::Reach {
        reach(inv, &analysis)
    } else if inv.cmd == Cmd::Graph {
        let g = crate::graph::build(&analysis);
        let stdout = match inv.format.as_str() {
            "dot" => crate::output::dot::render(&g),
            "mermaid" => crate::output::mermaid::render(&g),
            _ => crate::output::graph_json::render(&analysis, &g),
        };
        Output {
            stdout,
            stderr: String::new(),
            code: 0,
        }
    } else {
        let stdout = match inv.format.as_str() {
            "json" => crate::output::json::check(&analysis),
            "sarif" => crate::output::sarif::check(&analysis),
            "github" => crate::output::github::check(&analysis),
            "junit" => crate::output::junit::check(&analysis),
            _ => crate::output::human::check(&analysis, color),
        };
        let failing = analysis.error_count() > 0
            || (inv.deny_warnings && analysis.count(Severity::Warning) > 0);
        Output {
            stdout,
            stderr: String::new(),
            code: i32::from(failing),
        }
    };
    (out, Some(analysis))
}

/// The profile and options of an invocation: the configuration's, then
/// `--profile`, `--proxy-mode` and `--namespace`.
fn settings(
    inv: &Invocation,
    profile: Option<&str>,
    config: Option<&Config>,
) -> Result<(Profile, Options), Output> {
    let mut prof = config.and_then(|c| c.profile.clone()).unwrap_or_default();
    if let Some(text) = profile {
        prof =
            Profile::from_json(text).map_err(|e| Output::usage_error(&format!("profile: {e}")))?;
    }
    if let Some(m) = inv.proxy_mode {
        prof.proxy_mode = m;
    }
    if let Some(ns) = &inv.namespace {
        prof.namespace.clone_from(ns);
    }
    let options = config
        .map(Config::options)
        .transpose()
        .map_err(|e| Output::usage_error(&e))?
        .unwrap_or_default();
    Ok((prof, options))
}

/// `portolan diff` over the two inputs the host has read (interfaces.md
/// §6.4): both analysed with the same profile and options.
pub fn execute_diff(
    inv: &Invocation,
    sides: (Vec<Source>, Vec<Source>),
    profile: Option<&str>,
    config: Option<&Config>,
) -> Output {
    execute_diff_keeping(inv, sides, profile, config).0
}

/// [`execute_diff`], handing the two analyses back (a process about to
/// exit need not free them).
pub fn execute_diff_keeping(
    inv: &Invocation,
    (base, head): (Vec<Source>, Vec<Source>),
    profile: Option<&str>,
    config: Option<&Config>,
) -> (Output, Option<(Analysis, Analysis)>) {
    let (prof, options) = match settings(inv, profile, config) {
        Ok(s) => s,
        Err(o) => return (o, None),
    };
    // The text both sides hold is read once, and the rest of the two
    // analyses runs side by side.
    let threads = crate::par::threads(options.threads);
    let (b, h) = match crate::analysis::analyze_pair((base, head), &prof, &options) {
        Ok(pair) => pair,
        Err(e) => return (Output::usage_error(&format!("profile: {e}")), None),
    };
    // Counted for the summary line, which only human and md print; beside
    // the diff itself, which it does not read.
    let count = matches!(inv.format.as_str(), "human" | "md");
    let (mut d, reach_changed) = crate::par::join(
        threads,
        || crate::diff::diff(&b, &h),
        || count.then(|| crate::diff::reach_changed_with(&b, &h, threads)),
    );
    d.reach_changed = reach_changed;
    let stdout = match inv.format.as_str() {
        "json" => crate::output::diff::json(&d, &b, &h),
        "md" => crate::output::diff::md(&d, &b, &h),
        "sarif" => crate::output::diff::sarif(&d, &b, &h),
        "github" => crate::output::diff::github(&d, &b, &h),
        _ => crate::output::diff::human(&d, &b, &h),
    };
    let out = Output {
        stdout,
        stderr: String::new(),
        code: i32::from(d.failing(&h)),
    };
    (out, Some((b, h)))
}

fn trace(inv: &Invocation, analysis: &crate::analysis::Analysis, mode: ProxyMode) -> Output {
    let from = match crate::sim::From::parse(inv.from.as_deref().unwrap_or_default()) {
        Ok(f) => f,
        Err(e) => return Output::usage_error(&e),
    };
    let req = crate::sim::Request {
        from,
        to: inv.to.clone().unwrap_or_default(),
        protocol: inv.protocol,
        at_node: inv.at_node.clone(),
        proxy_mode: mode,
        method: inv.method.clone(),
        headers: inv.headers.clone(),
        via: inv.via.clone(),
    };
    match crate::sim::trace(analysis, &req) {
        Ok(t) => {
            let stdout = if inv.format == "json" {
                crate::output::json_text(&t)
            } else {
                crate::output::trace::human(&t)
            };
            Output {
                stdout,
                stderr: String::new(),
                code: 0,
            }
        }
        Err(e) => Output::usage_error(&e),
    }
}

fn dns(inv: &Invocation, analysis: &crate::analysis::Analysis) -> Output {
    let qtype = crate::dns::QType::parse(&inv.qtype).unwrap_or(crate::dns::QType::A);
    let zone = &analysis.profile.profile.cluster_domain;
    let ns = &analysis.profile.profile.namespace;
    let a = crate::dns::resolve(
        &analysis.cluster,
        zone,
        ns,
        inv.name.as_deref().unwrap_or_default(),
        qtype,
    );
    let stdout = if inv.format == "json" {
        crate::output::json_text(&a)
    } else {
        crate::output::dns::human(&a, &inv.qtype.to_uppercase())
    };
    Output {
        stdout,
        stderr: String::new(),
        code: 0,
    }
}

fn reach(inv: &Invocation, analysis: &crate::analysis::Analysis) -> Output {
    use crate::reach::Scope;
    // Both parsed already (parse_args).
    let from = inv.from.as_deref().and_then(|f| Scope::parse_from(f).ok());
    let (to, port) = inv
        .to
        .as_deref()
        .and_then(|t| Scope::parse_to(t).ok())
        .map_or((None, None), |(s, p)| (Some(s), p));
    let r = crate::reach::answer(analysis, from.as_ref(), to.as_ref(), port);
    let stdout = match inv.format.as_str() {
        "json" => crate::output::reach::json(&r.connections()),
        "csv" => crate::output::reach::csv(&r.connections()),
        "md" => crate::output::reach::md(&r),
        "dot" => crate::output::reach::dot(&r),
        _ => crate::output::reach::human(&r),
    };
    Output {
        stdout,
        stderr: String::new(),
        code: 0,
    }
}

/// `portolan rules` in `human` or `json`.
pub fn rules(format: &str) -> Output {
    Output {
        stdout: crate::output::rules::render(format),
        stderr: String::new(),
        code: 0,
    }
}

/// Convert a YAML (or JSON) document to JSON text, as sigs.k8s.io/yaml does.
pub fn yaml_to_json(text: &str) -> Result<String, String> {
    let (docs, diags) = crate::yaml::parse_all(text);
    if let Some(d) = diags.iter().find(|d| d.severity == Severity::Error) {
        let src = Source::new("", text);
        let p = src.position(d.span.start());
        return Err(format!("{}:{}: {}", p.line, p.column, d.message));
    }
    let value = docs
        .first()
        .map_or(serde_json::Value::Object(serde_json::Map::new()), |d| {
            crate::yaml::to_json(&d.root)
        });
    Ok(value.to_string())
}

/// Parse a configuration file already converted to JSON.
pub fn parse_config(json: &str) -> Result<Config, String> {
    serde_json::from_str(json).map_err(|e| e.to_string())
}
