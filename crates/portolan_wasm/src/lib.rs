//! The wasm-bindgen facade: convert in, call the core, convert out. The npm
//! package's JavaScript (`npm/`) wraps these functions with types and the CLI.
//! Errors reach JavaScript as `Error` exceptions with messages, never as traps.

use portolan_core::cli::{self, Cmd, ColorChoice};
use portolan_core::profile::Profile;
use portolan_core::source::Source;
use portolan_core::types::Protocol;
use wasm_bindgen::prelude::*;

fn sources(names: Vec<String>, texts: Vec<String>) -> Result<Vec<Source>, JsError> {
    if names.len() != texts.len() {
        return Err(JsError::new("names and texts must have the same length"));
    }
    Ok(names
        .into_iter()
        .zip(texts)
        .map(|(n, t)| Source::new(n, t))
        .collect())
}

fn byte_sources(
    names: Vec<String>,
    data: Vec<u8>,
    lengths: &[u32],
) -> Result<Vec<Source>, JsError> {
    let total: usize = lengths.iter().map(|&l| l as usize).sum();
    if names.len() != lengths.len() || total != data.len() {
        return Err(JsError::new("names, lengths and data do not agree"));
    }
    let mut rest = data.as_slice();
    let mut out = Vec::with_capacity(names.len());
    for (name, &len) in names.into_iter().zip(lengths) {
        let (bytes, tail) = rest.split_at(len as usize);
        rest = tail;
        out.push(Source::from_bytes(name, bytes.to_vec()));
    }
    Ok(out)
}

fn profile(json: Option<String>) -> Result<Profile, JsError> {
    match json {
        Some(j) if !j.trim().is_empty() => {
            Profile::from_json(&j).map_err(|e| JsError::new(&format!("profile: {e}")))
        }
        _ => Ok(Profile::default()),
    }
}

fn analyze(
    names: Vec<String>,
    texts: Vec<String>,
    profile_json: Option<String>,
) -> Result<portolan_core::analysis::Analysis, JsError> {
    portolan_core::analysis::analyze(sources(names, texts)?, &profile(profile_json)?)
        .map_err(|e| JsError::new(&e))
}

/// The package version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// `portolan check --format json` over in-memory files; returns the JSON text.
#[wasm_bindgen]
pub fn check(
    names: Vec<String>,
    texts: Vec<String>,
    profile_json: Option<String>,
) -> Result<String, JsError> {
    Ok(portolan_core::output::json::check(&analyze(
        names,
        texts,
        profile_json,
    )?))
}

/// `portolan graph --format json`; returns the JSON text.
#[wasm_bindgen]
pub fn graph(
    names: Vec<String>,
    texts: Vec<String>,
    profile_json: Option<String>,
) -> Result<String, JsError> {
    let analysis = analyze(names, texts, profile_json)?;
    let g = portolan_core::graph::build(&analysis);
    Ok(portolan_core::output::graph_json::render(&analysis, &g))
}

/// `portolan trace --format json`: one packet from `from` (`pod:NS/NAME`,
/// `node:NAME`, `external:IP`) to `to` (`HOST:PORT`), or one HTTP request
/// to a URL (`http://HOST/PATH`) with `method`, `headers` (`NAME:VALUE`)
/// and `via`.
#[wasm_bindgen]
#[expect(
    clippy::too_many_arguments,
    reason = "wasm-bindgen exports take the JavaScript API's arguments one by one"
)]
pub fn trace(
    names: Vec<String>,
    texts: Vec<String>,
    profile_json: Option<String>,
    from: String,
    to: String,
    protocol: Option<String>,
    at_node: Option<String>,
    proxy_mode: Option<String>,
    method: Option<String>,
    headers: Option<Vec<String>>,
    via: Option<String>,
) -> Result<String, JsError> {
    let from = portolan_core::sim::From::parse(&from).map_err(|e| JsError::new(&e))?;
    let mut header_pairs = Vec::new();
    for h in headers.unwrap_or_default() {
        let (k, v) = h
            .split_once(':')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| JsError::new(&format!("headers: NAME:VALUE, not '{h}'")))?;
        header_pairs.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    let analysis = analyze(names, texts, profile_json)?;
    let proxy_mode = match proxy_mode.as_deref() {
        None | Some("") => analysis.profile.profile.proxy_mode,
        Some(m) => portolan_core::profile::ProxyMode::from_option(m)
            .map_err(|e| JsError::new(&format!("proxyMode {e}")))?,
    };
    let protocol = match protocol.as_deref() {
        None | Some("") => Protocol::Tcp,
        Some(p) => Protocol::from_option(p).map_err(|e| JsError::new(&format!("protocol {e}")))?,
    };
    let req = portolan_core::sim::Request {
        from,
        to,
        protocol,
        at_node: at_node.filter(|n| !n.is_empty()),
        proxy_mode,
        method: method.filter(|m| !m.is_empty()),
        headers: header_pairs,
        via: via.filter(|v| !v.is_empty()),
    };
    let t = portolan_core::sim::trace(&analysis, &req).map_err(|e| JsError::new(&e))?;
    serde_json::to_string(&t).map_err(|e| JsError::new(&e.to_string()))
}

/// `portolan dns --format json`: what cluster DNS answers a pod in the
/// profile's namespace for `name` (search list applied).
#[wasm_bindgen]
pub fn dns(
    names: Vec<String>,
    texts: Vec<String>,
    profile_json: Option<String>,
    name: String,
    qtype: Option<String>,
) -> Result<String, JsError> {
    let qtype = match qtype.as_deref() {
        None | Some("") => portolan_core::dns::QType::A,
        Some(q) => portolan_core::dns::QType::from_option(q)
            .map_err(|e| JsError::new(&format!("type {e}")))?,
    };
    let analysis = analyze(names, texts, profile_json)?;
    let p = &analysis.profile.profile;
    let a = portolan_core::dns::resolve(
        &analysis.cluster,
        &p.cluster_domain,
        &p.namespace,
        &name,
        qtype,
    );
    serde_json::to_string(&a).map_err(|e| JsError::new(&e.to_string()))
}

/// `portolan reach --format json`: every (source pod, destination pod,
/// port) and its NetworkPolicy verdict, directly and through Services.
/// `from` and `to` take the CLI's `--from` and `--to` forms.
#[wasm_bindgen]
pub fn reach(
    names: Vec<String>,
    texts: Vec<String>,
    profile_json: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<String, JsError> {
    use portolan_core::reach::Scope;
    let from = from
        .filter(|f| !f.is_empty())
        .map(|f| Scope::parse_from(&f))
        .transpose()
        .map_err(|e| JsError::new(&e))?;
    let (to, port) = match to.filter(|t| !t.is_empty()) {
        Some(t) => {
            let (scope, port) = Scope::parse_to(&t).map_err(|e| JsError::new(&e))?;
            (Some(scope), port)
        }
        None => (None, None),
    };
    let analysis = analyze(names, texts, profile_json)?;
    let r = portolan_core::reach::reach(&analysis, from.as_ref(), to.as_ref(), port);
    serde_json::to_string(&r).map_err(|e| JsError::new(&e.to_string()))
}

/// `portolan diff --format json`: what HEAD changes in routing against
/// BASE (interfaces.md §6.4), both analysed with the same profile.
#[wasm_bindgen]
pub fn diff(
    base_names: Vec<String>,
    base_texts: Vec<String>,
    head_names: Vec<String>,
    head_texts: Vec<String>,
    profile_json: Option<String>,
) -> Result<String, JsError> {
    let base = analyze(base_names, base_texts, profile_json.clone())?;
    let head = analyze(head_names, head_texts, profile_json)?;
    let d = portolan_core::diff::diff(&base, &head);
    Ok(portolan_core::output::diff::json(&d, &base, &head))
}

/// `portolan rules --format json`.
#[wasm_bindgen]
pub fn rules() -> String {
    cli::rules("json").stdout
}

/// Convert YAML or JSON text to JSON, as kubectl reads it.
#[wasm_bindgen(js_name = yamlToJson)]
pub fn yaml_to_json(text: &str) -> Result<String, JsError> {
    cli::yaml_to_json(text).map_err(|e| JsError::new(&e))
}

/// What the host must read before running a command.
#[wasm_bindgen(getter_with_clone)]
pub struct Plan {
    /// Whether the command reads manifests at all.
    #[wasm_bindgen(js_name = readsInput)]
    pub reads_input: bool,
    pub paths: Vec<String>,
    pub profile: Option<String>,
    pub config: Option<String>,
    /// "auto", "always" or "never".
    pub color: String,
    /// `diff`: the first path is BASE (or, with `baseRef`, BASE is the one
    /// path at that git revision).
    pub diff: bool,
    #[wasm_bindgen(js_name = baseRef)]
    pub base_ref: Option<String>,
    /// A usage error: print it to stderr and exit 2.
    pub error: Option<String>,
}

/// Parse a command line (without the program name).
#[wasm_bindgen(js_name = planCli)]
pub fn plan_cli(args: Vec<String>) -> Plan {
    match cli::parse_args(&args) {
        Ok(inv) => Plan {
            reads_input: inv.reads_input(),
            paths: inv.paths.clone(),
            profile: inv.profile.clone(),
            config: inv.config.clone(),
            color: match inv.color {
                ColorChoice::Auto => "auto",
                ColorChoice::Always => "always",
                ColorChoice::Never => "never",
            }
            .to_owned(),
            diff: inv.cmd == Cmd::Diff,
            base_ref: inv.base_ref.clone(),
            error: None,
        },
        Err(e) => Plan {
            reads_input: false,
            paths: Vec::new(),
            profile: None,
            config: None,
            color: "auto".into(),
            diff: false,
            base_ref: None,
            error: Some(cli::Output::usage_error(&e).stderr),
        },
    }
}

/// The result of a command line.
#[wasm_bindgen(getter_with_clone)]
pub struct CliOutput {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// Run a command line over files the host has read (in order), with the
/// profile and configuration already converted to JSON. The files' bytes
/// come concatenated in `data`, `lengths[i]` of them for `names[i]`: bytes
/// that are not UTF-8 are findings (`invalid-utf8`), as in the native CLI.
/// For `diff`, the first `split` files are BASE and the rest HEAD.
#[wasm_bindgen(js_name = runCli)]
#[expect(
    clippy::too_many_arguments,
    reason = "wasm-bindgen exports take the JavaScript API's arguments one by one"
)]
pub fn run_cli(
    args: Vec<String>,
    names: Vec<String>,
    data: Vec<u8>,
    lengths: Vec<u32>,
    profile_json: Option<String>,
    config_json: Option<String>,
    color: bool,
    split: Option<u32>,
) -> Result<CliOutput, JsError> {
    let inv = match cli::parse_args(&args) {
        Ok(inv) => inv,
        Err(e) => {
            let o = cli::Output::usage_error(&e);
            return Ok(CliOutput {
                stdout: o.stdout,
                stderr: o.stderr,
                code: o.code,
            });
        }
    };
    let config = match config_json {
        Some(j) => match cli::parse_config(&j) {
            Ok(c) => Some(c),
            Err(e) => {
                let o = cli::Output::usage_error(&format!("config: {e}"));
                return Ok(CliOutput {
                    stdout: o.stdout,
                    stderr: o.stderr,
                    code: o.code,
                });
            }
        },
        None => None,
    };
    let srcs = if inv.cmd == Cmd::Help {
        Vec::new()
    } else {
        byte_sources(names, data, &lengths)?
    };
    let o = if inv.cmd == Cmd::Diff {
        let mut base = srcs;
        let head = base.split_off((split.unwrap_or(0) as usize).min(base.len()));
        cli::execute_diff(&inv, (base, head), profile_json.as_deref(), config.as_ref())
    } else {
        cli::execute(&inv, srcs, profile_json.as_deref(), config.as_ref(), color)
    };
    Ok(CliOutput {
        stdout: o.stdout,
        stderr: o.stderr,
        code: o.code,
    })
}
