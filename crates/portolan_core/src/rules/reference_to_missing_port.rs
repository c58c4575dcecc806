//! `reference-to-missing-port`: a container names a port that the Service
//! it calls does not have.

use super::LintCx;
use super::reference_to_missing_service::at_reference;
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::refs::Target;
use crate::snapshot::IntOrStringJson;

rule! {
    /// ## What it does
    /// Reports each client reference (interfaces.md §6.5) whose Service
    /// exists but has no port of the number the reference names (an
    /// `http://` or `https://` URL without a port names 80 or 443). For a
    /// headless Service, whose clients connect to the pods directly, a
    /// numeric targetPort counts too. The message lists the Service's
    /// ports, and says so when the number is a targetPort.
    ///
    /// ## Why it matters
    /// The ClusterIP answers only on the Service's own ports: the client's
    /// connection is refused or times out. Writing the container's port
    /// (the targetPort) instead of the Service port is the usual slip.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: client
    /// spec:
    ///   containers:
    ///   - name: client
    ///     image: curlimages/curl:8.10.1
    ///     args: ["--url", "http://web:8080/"]
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector: {app: web}
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: client
    /// spec:
    ///   containers:
    ///   - name: client
    ///     image: curlimages/curl:8.10.1
    ///     args: ["--url", "http://web/"]
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector: {app: web}
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ```
    ///
    /// ## References
    /// Kubernetes docs, *Service* (port and targetPort); interfaces.md §6.5;
    /// spec A.3, D.2.
    pub const RULE {
        code: "reference-to-missing-port",
        name: "reference-to-missing-port",
        severity: Warning,
        origin: Lint,
        summary: "A container names a port that the Service it calls does not have.",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for r in cx.references {
        let Target::MissingPort { service } = r.target else {
            continue;
        };
        let Some(svc) = cx.cluster.services.get(service) else {
            continue;
        };
        let port = r.port.unwrap_or_default();
        let ports: Vec<String> = svc
            .ports
            .iter()
            .map(|p| format!("{}/{}", p.port, p.protocol))
            .collect();
        let target_of = svc
            .ports
            .iter()
            .find(|p| p.target_port == IntOrStringJson::Int(port))
            .map(|p| format!(": {port} is the targetPort of its port {}; clients use {}", p.port, p.port))
            .unwrap_or_default();
        out.push(at_reference(
            cx,
            (RULE.code, RULE.severity),
            r,
            &format!(
                "but Service {}/{} has no port {port} (it has {}){target_of}",
                svc.namespace,
                svc.name,
                if ports.is_empty() { "none".to_owned() } else { ports.join(", ") },
            ),
        ));
    }
}
