//! Every code Portolan reports, declared once: the checks that mirror what
//! kubectl and the API server reject (found by the layer that detects them:
//! `source`, `yaml`, `model`, `validate`, `analysis`) here, and each lint
//! rule in its own file under `rules/`. A declaration is a [`rule!`] whose
//! `///` documentation follows one template — What it does / Why it matters
//! / Example / Use instead / References — and whose YAML examples are run
//! by the meta-tests in `rules`: the Example fires the code, the Use
//! instead stays silent.

use serde::{Serialize, Serializer};

use crate::diag::Severity;

/// Where a code comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// kubectl or the API server rejects the manifest.
    Kubernetes,
    /// Kubernetes accepts it; Portolan finds a problem with its routing.
    Lint,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Kubernetes => "kubernetes",
            Origin::Lint => "lint",
        }
    }
}

/// A check's metadata, as `portolan rules` lists it.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// Markdown: What it does / Why it matters / Example / Use instead /
    /// References (the declaration's doc comment).
    pub docs: &'static str,
    pub origin: Origin,
}

impl Rule {
    pub fn help_uri(&self) -> String {
        format!("https://portolan.dev/rules/{}", self.code)
    }

    /// The documentation as Markdown (the doc comment without the space
    /// that follows each `///`).
    pub fn markdown(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

/// By hand, so that `docs` is the Markdown (not the raw doc comment).
impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Rule", 6)?;
        st.serialize_field("code", self.code)?;
        st.serialize_field("name", self.name)?;
        st.serialize_field("severity", &self.severity)?;
        st.serialize_field("summary", self.summary)?;
        st.serialize_field("docs", &self.markdown())?;
        st.serialize_field("origin", &self.origin)?;
        st.end()
    }
}

/// Declares a code: its `///` documentation becomes the rule's docs.
macro_rules! rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis const $id:ident {
            code: $code:literal,
            name: $name:literal,
            severity: $severity:ident,
            origin: $origin:ident,
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis const $id: $crate::codes::Rule = $crate::codes::Rule {
            code: $code,
            name: $name,
            severity: $crate::diag::Severity::$severity,
            summary: $summary,
            docs: concat!($($doc, "\n"),*),
            origin: $crate::codes::Origin::$origin,
        };
    };
}
pub(crate) use rule;

/// The checks that mirror what kubectl and the API server reject (and the
/// notes about the input itself), in the order `portolan rules` lists them.
pub const API: &[Rule] = &[
    YAML_SYNTAX,
    YAML_DUPLICATE_KEY,
    YAML_11_SCALAR,
    YAML_LIMIT,
    INVALID_UTF8,
    SNAPSHOT_LIMIT,
    MISSING_KIND,
    UNKNOWN_FIELD,
    WRONG_TYPE,
    OBJECT_METADATA,
    SERVICE_TYPE,
    SERVICE_PORTS,
    SERVICE_CLUSTER_IPS,
    SERVICE_SELECTOR,
    SERVICE_EXTERNAL_NAME,
    SERVICE_EXTERNAL_IPS,
    SERVICE_SESSION_AFFINITY,
    SERVICE_TRAFFIC_POLICY,
    SERVICE_LOAD_BALANCER,
    SERVICE_ALLOCATION,
    WORKLOAD_SELECTOR,
    POD_CONTAINERS,
    NETWORK_POLICY_SELECTOR,
    NETWORK_POLICY_PORTS,
    NETWORK_POLICY_PEERS,
    NETWORK_POLICY_TYPES,
    INGRESS_SPEC,
    INGRESS_CLASS_SPEC,
    GATEWAY_SPEC,
    ROUTE_SPEC,
    REFERENCE_GRANT_SPEC,
];

rule! {
    /// ## What it does
    /// Reports a YAML syntax error at the position where the parser stopped.
    ///
    /// ## Why it matters
    /// kubectl refuses the whole file when one document cannot be parsed; Portolan reports the document and still analyses the others.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: [web      # the flow sequence is never closed
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// YAML 1.2.2 specification; kubectl `error converting YAML to JSON`.
    pub const YAML_SYNTAX {
        code: "yaml-syntax",
        name: "invalid-yaml",
        severity: Error,
        origin: Kubernetes,
        summary: "The document is not valid YAML.",
    }
}

rule! {
    /// ## What it does
    /// Reports the second occurrence of a key in one mapping, pointing back at the first.
    ///
    /// ## Why it matters
    /// kubectl's strict decoding rejects duplicate keys; lenient tools silently keep the last value, so what you reviewed is not what is applied.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   name: api       # duplicate: kubectl refuses it, lenient tools keep "api"
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// sigs.k8s.io/yaml strict decoding.
    pub const YAML_DUPLICATE_KEY {
        code: "yaml-duplicate-key",
        name: "duplicate-mapping-key",
        severity: Error,
        origin: Kubernetes,
        summary: "A mapping sets the same key twice.",
    }
}

rule! {
    /// ## What it does
    /// Warns on plain scalars such as `yes`, `on`, `0777` or `8_080` that kubectl (YAML 1.1, go-yaml v2) reads as a boolean or number while YAML 1.2 tools read them differently.
    ///
    /// ## Why it matters
    /// Helm, kustomize plugins, editors and linters built on YAML 1.2 disagree with kubectl about these values; a label `enabled: on` becomes the boolean `true` and is rejected as a label value.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    ///     metrics: on     # kubectl (YAML 1.1): the boolean true; YAML 1.2: the string "on"
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    ///     metrics: "on"   # quoted: the string "on" everywhere
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// YAML 1.1 type repository (bool, int); go-yaml v2 `resolve.go`.
    pub const YAML_11_SCALAR {
        code: "yaml-1.1-scalar",
        name: "yaml-1.1-ambiguous-scalar",
        severity: Warning,
        origin: Lint,
        summary: "A plain scalar means something else in YAML 1.1 than in YAML 1.2.",
    }
}

rule! {
    /// ## What it does
    /// Stops analysing a document whose nesting is too deep or whose aliases expand too far, and inputs that are too large.
    ///
    /// ## Why it matters
    /// Such inputs are how denial-of-service attacks on YAML parsers look ('billion laughs'); the API server bounds request size and depth too.
    ///
    /// ## Example
    /// ```yaml
    /// a: &a [x, x, x, x, x, x, x, x, x, x]
    /// b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    /// c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    /// # … six levels more expand to billions of nodes
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # ordinary nesting; each alias expands to a few nodes
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    ///     env: &env
    ///     - {name: LOG_LEVEL, value: info}
    ///   - name: sidecar
    ///     image: busybox:1.36
    ///     env: *env
    /// ```
    ///
    /// ## References
    /// CVE-2019-11253 (Kubernetes API server YAML parsing).
    pub const YAML_LIMIT {
        code: "yaml-limit",
        name: "input-limit-exceeded",
        severity: Error,
        origin: Kubernetes,
        summary: "The input exceeds a nesting, alias, size or document-count limit.",
    }
}

rule! {
    /// ## What it does
    /// Reports each byte sequence that is not UTF-8 at its line and column (the first 100 of a file, then how many more). The file is still read, with U+FFFD in place of each such sequence, so its other documents are analysed; the objects of the document that holds one are taken as rejected.
    ///
    /// ## Why it matters
    /// Kubernetes manifests are UTF-8 (JSON and YAML both require it for kubectl): kubectl stops at the first invalid byte ("yaml: invalid leading UTF-8 octet") and applies nothing of the document. Latin-1 or Windows-1252 text pasted into a value is the usual cause.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     owner: Jos\xe9   # a Latin-1 é: the one byte E9, not UTF-8
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     owner: José      # saved as UTF-8: é is the two bytes C3 A9
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// go-yaml (sigs.k8s.io/yaml) reader: `invalid leading UTF-8 octet`; YAML 1.2 §5.2 (character encodings).
    pub const INVALID_UTF8 {
        code: "invalid-utf8",
        name: "invalid-utf8",
        severity: Error,
        origin: Kubernetes,
        summary: "A file holds bytes that are not UTF-8 text.",
    }
}

rule! {
    /// ## What it does
    /// Notes that the completed snapshot stopped making pods for workloads at its limits (10,000 pods per workload, 200,000 synthesized pods in all), and how many it left out.
    ///
    /// ## Why it matters
    /// It is not a problem of the manifests: the routing of the pods left out is not simulated. A replica count in the millions is also how an input that tries to exhaust memory looks.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: load-0
    /// spec:
    ///   replicas: 50000   # the snapshot makes 10,000 of them
    ///   selector:
    ///     matchLabels: {app: load-0}
    ///   template:
    ///     metadata:
    ///       labels: {app: load-0}
    ///     spec:
    ///       containers: [{name: load, image: example/load:1.0}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # realistic replica counts, or fewer workloads checked at a time
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: load-0
    /// spec:
    ///   replicas: 50
    ///   selector:
    ///     matchLabels: {app: load-0}
    ///   template:
    ///     metadata:
    ///       labels: {app: load-0}
    ///     spec:
    ///       containers: [{name: load, image: example/load:1.0}]
    /// ```
    ///
    /// ## References
    /// Interfaces §2 (snapshot completion).
    pub const SNAPSHOT_LIMIT {
        code: "snapshot-limit",
        name: "snapshot-limit",
        severity: Info,
        origin: Lint,
        summary: "The workloads would run more pods than the snapshot makes.",
    }
}

rule! {
    /// ## What it does
    /// Reports documents that are not objects or have no `kind`/`apiVersion`.
    ///
    /// ## Why it matters
    /// kubectl cannot map such a document to a resource and refuses it ("Object 'Kind' is missing").
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// # no kind: kubectl cannot tell which resource this is
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// apimachinery `runtime.MissingKindErr`.
    pub const MISSING_KIND {
        code: "missing-kind",
        name: "missing-kind",
        severity: Error,
        origin: Kubernetes,
        summary: "A manifest lacks `apiVersion` or `kind`, or is not an object.",
    }
}

rule! {
    /// ## What it does
    /// Reports fields outside the schema of Service, Pod and workload specs, containers, ports and object metadata, with the closest known field.
    ///
    /// ## Why it matters
    /// `kubectl apply` uses strict field validation by default and rejects unknown fields; older tools silently dropped them, so a typo such as `targetport` changed nothing and nobody noticed.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    ///     targetport: 8080   # unknown field; did you mean targetPort?
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    ///     targetPort: 8080
    /// ```
    ///
    /// ## References
    /// KEP-2885 server-side field validation.
    pub const UNKNOWN_FIELD {
        code: "unknown-field",
        name: "unknown-field",
        severity: Error,
        origin: Kubernetes,
        summary: "A known kind has a field its schema does not define.",
    }
}

rule! {
    /// ## What it does
    /// Reports values whose YAML type does not fit the field: an unquoted `true` or `1.0` as a label value, a string where a port number belongs.
    ///
    /// ## Why it matters
    /// The API server cannot decode the object and rejects it (`cannot unmarshal bool into Go struct field … of type string`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    ///     canary: true      # a boolean; label values are strings
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   labels:
    ///     app: web
    ///     canary: "true"    # quoted: a string
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// encoding/json decoding into the typed API objects.
    pub const WRONG_TYPE {
        code: "wrong-type",
        name: "wrong-type",
        severity: Error,
        origin: Kubernetes,
        summary: "A field has a value of the wrong type.",
    }
}

rule! {
    /// ## What it does
    /// Validates `metadata` as `ValidateObjectMeta` does: Service names are DNS-1035 labels, other names DNS-1123 subdomains, label keys qualified names and values label values (spec A.1, A.6).
    ///
    /// ## Why it matters
    /// The API server rejects the object; a Service name that starts with a digit cannot become a DNS label.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: 2048-game   # a Service name must start with a letter
    /// spec:
    ///   selector:
    ///     app: game
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: game-2048
    /// spec:
    ///   selector:
    ///     app: game
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// `pkg/api/validation/objectmeta.go`; spec A.1.
    pub const OBJECT_METADATA {
        code: "object-metadata",
        name: "invalid-object-metadata",
        severity: Error,
        origin: Kubernetes,
        summary: "Object name, namespace, labels or annotations are invalid.",
    }
}

rule! {
    /// ## What it does
    /// Checks `spec.type` against ClusterIP, NodePort, LoadBalancer and ExternalName (case-sensitive; spec A.2).
    ///
    /// ## Why it matters
    /// The API server rejects the Service.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: Nodeport    # case matters: NodePort
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: NodePort
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// `ValidateService`; spec A.2.
    pub const SERVICE_TYPE {
        code: "service-type",
        name: "unsupported-service-type",
        severity: Error,
        origin: Kubernetes,
        summary: "`spec.type` is not a supported Service type.",
    }
}

rule! {
    /// ## What it does
    /// Checks spec A.3–A.4: ports required (unless headless or ExternalName), names required for multi-port Services and DNS-1123 labels, unique names and (protocol, port) pairs, port ranges, protocols, targetPort numbers and IANA_SVC_NAME names, nodePort only where allowed.
    ///
    /// ## Why it matters
    /// The API server rejects the Service.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    ///   - port: 443       # a Service with two ports must name each of them
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - name: http
    ///     port: 80
    ///   - name: https
    ///     port: 443
    /// ```
    ///
    /// ## References
    /// `validateServicePort`; spec A.3, A.4.
    pub const SERVICE_PORTS {
        code: "service-ports",
        name: "invalid-service-ports",
        severity: Error,
        origin: Kubernetes,
        summary: "Service ports are missing, duplicated or invalid.",
    }
}

rule! {
    /// ## What it does
    /// Checks spec A.5: headless only for ClusterIP Services, valid and canonical IPs, at most one per family, families matching the IPs, nothing of it on ExternalName Services.
    ///
    /// ## Why it matters
    /// The API server rejects the Service.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: NodePort
    ///   clusterIP: None   # NodePort Services cannot be headless
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: NodePort    # no clusterIP: one is allocated
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// `ValidateServiceClusterIPsRelatedFields`; spec A.5.
    pub const SERVICE_CLUSTER_IPS {
        code: "service-cluster-ips",
        name: "invalid-cluster-ips",
        severity: Error,
        origin: Kubernetes,
        summary: "`clusterIP`, `clusterIPs`, `ipFamilies` or `ipFamilyPolicy` are inconsistent or invalid.",
    }
}

rule! {
    /// ## What it does
    /// Validates `spec.selector` as labels (spec A.6); errors are reported at `spec.selector`.
    ///
    /// ## Why it matters
    /// The API server rejects the Service.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: -web       # must start with an alphanumeric character
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// `ValidateLabels`; spec A.6.
    pub const SERVICE_SELECTOR {
        code: "service-selector",
        name: "invalid-service-selector",
        severity: Error,
        origin: Kubernetes,
        summary: "A Service selector key or value is not a valid label.",
    }
}

rule! {
    /// ## What it does
    /// Requires `spec.externalName` on ExternalName Services and checks it is a DNS-1123 subdomain (one trailing dot allowed; spec A.7).
    ///
    /// ## Why it matters
    /// The API server rejects the Service; cluster DNS could not answer with the CNAME.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
    ///   type: ExternalName
    ///   externalName: My_DB.example.com   # no '_', no capitals
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    /// spec:
    ///   type: ExternalName
    ///   externalName: my-db.example.com
    /// ```
    ///
    /// ## References
    /// `ValidateService`; spec A.7.
    pub const SERVICE_EXTERNAL_NAME {
        code: "service-external-name",
        name: "invalid-external-name",
        severity: Error,
        origin: Kubernetes,
        summary: "An ExternalName Service has no valid `externalName`.",
    }
}

rule! {
    /// ## What it does
    /// Checks each `spec.externalIPs` entry is an IP and not unspecified, loopback, link-local or link-local multicast (spec A.8).
    ///
    /// ## Why it matters
    /// The API server rejects the Service.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   externalIPs:
    ///   - 127.0.0.1       # loopback: never an external IP
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   externalIPs:
    ///   - 203.0.113.10    # an address routed to the nodes
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// `ValidateNonSpecialIP`; spec A.8.
    pub const SERVICE_EXTERNAL_IPS {
        code: "service-external-ips",
        name: "invalid-external-ips",
        severity: Error,
        origin: Kubernetes,
        summary: "An `externalIPs` entry is not a valid, non-special IP.",
    }
}

rule! {
    /// ## What it does
    /// Checks `spec.sessionAffinity` is None or ClientIP and the ClientIP timeout is in (0, 86400] (spec A.9).
    ///
    /// ## Why it matters
    /// The API server rejects the Service.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   sessionAffinity: ClientIP
    ///   sessionAffinityConfig:
    ///     clientIP:
    ///       timeoutSeconds: 0     # must be 1 to 86400
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   sessionAffinity: ClientIP
    ///   sessionAffinityConfig:
    ///     clientIP:
    ///       timeoutSeconds: 10800
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// `validateClientIPAffinityConfig`; spec A.9.
    pub const SERVICE_SESSION_AFFINITY {
        code: "service-session-affinity",
        name: "invalid-session-affinity",
        severity: Error,
        origin: Kubernetes,
        summary: "`sessionAffinity` or its timeout is invalid.",
    }
}

rule! {
    /// ## What it does
    /// Checks spec A.10–A.12.6: externalTrafficPolicy only on externally accessible Services and Cluster/Local, healthCheckNodePort only for LoadBalancer+Local, internalTrafficPolicy values, supported trafficDistribution values.
    ///
    /// ## Why it matters
    /// The API server rejects the Service.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: ClusterIP
    ///   externalTrafficPolicy: Local   # only for NodePort, LoadBalancer or externalIPs
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: LoadBalancer             # reachable from outside: the policy applies
    ///   externalTrafficPolicy: Local
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// `validateServiceExternalTrafficPolicy`; spec A.10, A.11.
    pub const SERVICE_TRAFFIC_POLICY {
        code: "service-traffic-policy",
        name: "invalid-traffic-policy",
        severity: Error,
        origin: Kubernetes,
        summary: "A traffic policy, `healthCheckNodePort` or `trafficDistribution` is invalid.",
    }
}

rule! {
    /// ## What it does
    /// Checks spec A.12: loadBalancerSourceRanges (and its annotation) only on LoadBalancer Services and as CIDRs, allocateLoadBalancerNodePorts and loadBalancerClass only on LoadBalancer Services.
    ///
    /// ## Why it matters
    /// The API server rejects the Service.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: ClusterIP
    ///   loadBalancerSourceRanges: [10.0.0.0/8]   # only for type: LoadBalancer
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: LoadBalancer
    ///   loadBalancerSourceRanges: [10.0.0.0/8]   # the clients the load balancer admits
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## References
    /// `ValidateService`; spec A.12.
    pub const SERVICE_LOAD_BALANCER {
        code: "service-load-balancer",
        name: "invalid-load-balancer-fields",
        severity: Error,
        origin: Kubernetes,
        summary: "LoadBalancer-only fields are misused or invalid.",
    }
}

rule! {
    /// ## What it does
    /// Runs the create-time allocation of spec A.13 against the cluster profile: IP families configured, ClusterIPs inside the service CIDR and not taken, nodePorts inside the range and not taken by another Service of the input.
    ///
    /// ## Why it matters
    /// The API server rejects the Service before it even validates it; two Services of one repository that ask for the same nodePort can never both be applied.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: NodePort
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    ///     nodePort: 8080    # outside 30000-32767
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   type: NodePort
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    ///     nodePort: 30080   # inside the range (or leave it out to get one)
    /// ```
    ///
    /// ## References
    /// `pkg/registry/core/service/storage/alloc.go`; spec A.13.
    pub const SERVICE_ALLOCATION {
        code: "service-allocation",
        name: "service-allocation-failed",
        severity: Error,
        origin: Kubernetes,
        summary: "A requested ClusterIP or nodePort cannot be allocated in this cluster.",
    }
}

rule! {
    /// ## What it does
    /// Checks `spec.selector` of Deployments, ReplicaSets, StatefulSets, DaemonSets, ReplicationControllers and Jobs: required where upstream requires it, valid LabelSelector requirements (spec B.2.6), and matching the template labels.
    ///
    /// ## Why it matters
    /// The API server rejects a workload whose selector does not match its template: the controller could never count its own pods.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: website   # the selector wants app: web
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: nginx:1.27
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///       - name: web
    ///         image: nginx:1.27
    /// ```
    ///
    /// ## References
    /// `ValidateDeploymentSpec`, `ValidateLabelSelector`; spec B.2.6.
    pub const WORKLOAD_SELECTOR {
        code: "workload-selector",
        name: "invalid-workload-selector",
        severity: Error,
        origin: Kubernetes,
        summary: "A workload selector is missing, invalid, or does not select its own pod template.",
    }
}

rule! {
    /// ## What it does
    /// Checks container names (DNS-1123 labels, unique) and container ports: IANA_SVC_NAME names unique per container, containerPort in 1–65535, supported protocol.
    ///
    /// ## Why it matters
    /// The API server rejects the object; a Service's named targetPort can only resolve against valid, unique port names.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    ///     ports:
    ///     - name: http_port    # '_' is not allowed in a port name
    ///       containerPort: 8080
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: nginx:1.27
    ///     ports:
    ///     - name: http
    ///       containerPort: 8080
    /// ```
    ///
    /// ## References
    /// `validateContainerPorts`; spec F.1.
    pub const POD_CONTAINERS {
        code: "pod-containers",
        name: "invalid-containers",
        severity: Error,
        origin: Kubernetes,
        summary: "Containers or container ports are missing, duplicated or invalid.",
    }
}

rule! {
    /// ## What it does
    /// Validates the label selectors of a NetworkPolicy — `spec.podSelector`
    /// and each peer's `podSelector` and `namespaceSelector` — as
    /// `ValidateLabelSelector` does (spec E.1.2): label keys and values, and
    /// `matchExpressions` operators (`In`, `NotIn`, `Exists`, `DoesNotExist`,
    /// case-sensitive) with values exactly where the operator needs them.
    ///
    /// ## Why it matters
    /// The API server rejects the policy, so it protects nothing: the pods
    /// you meant to isolate stay open, and a `kubectl apply` of the whole
    /// directory fails on it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api-ingress
    /// spec:
    ///   podSelector:
    ///     matchExpressions:
    ///     - {key: app, operator: in, values: [api]}   # operators are case-sensitive
    ///   policyTypes: [Ingress]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api-ingress
    /// spec:
    ///   podSelector:
    ///     matchExpressions:
    ///     - {key: app, operator: In, values: [api]}
    ///   policyTypes: [Ingress]
    /// ```
    ///
    /// ## References
    /// `ValidateNetworkPolicySpec`, `ValidateLabelSelector`; spec E.1.2.
    pub const NETWORK_POLICY_SELECTOR {
        code: "network-policy-selector",
        name: "invalid-network-policy-selector",
        severity: Error,
        origin: Kubernetes,
        summary: "A NetworkPolicy pod or namespace selector is invalid.",
    }
}

rule! {
    /// ## What it does
    /// Checks each `ports[j]` of a NetworkPolicy rule (spec E.1.3): protocol
    /// `TCP`, `UDP` or `SCTP`; a numeric `port` in 1–65535; a named `port` a
    /// valid port name (a quoted `"80"` is a name, and not a valid one);
    /// `endPort` only with a numeric `port`, not below it, in range.
    ///
    /// ## Why it matters
    /// The API server rejects the policy. Policies match the container port
    /// after kube-proxy's translation, never a Service port, and ICMP cannot
    /// be written at all.
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
    ///   - ports:
    ///     - {port: 8000, endPort: 7000}   # endPort below port
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
    ///   - ports:
    ///     - {port: 7000, endPort: 8000}
    /// ```
    ///
    /// ## References
    /// `ValidateNetworkPolicyPort`; spec E.1.3.
    pub const NETWORK_POLICY_PORTS {
        code: "network-policy-ports",
        name: "invalid-network-policy-ports",
        severity: Error,
        origin: Kubernetes,
        summary: "A NetworkPolicy port, endPort or protocol is invalid.",
    }
}

rule! {
    /// ## What it does
    /// Checks each `from[j]` / `to[j]` peer of a NetworkPolicy rule (spec
    /// E.1.4, E.1.5): at least one of `podSelector`, `namespaceSelector`,
    /// `ipBlock`; `ipBlock` alone; its `cidr` a valid CIDR and each `except`
    /// a strict subset of it.
    ///
    /// ## Why it matters
    /// The API server rejects the policy. An empty peer `- {}` looks like
    /// "everyone" but is an error; to allow every peer, leave `from` out.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: db-ingress
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: db}
    ///   ingress:
    ///   - from:
    ///     - ipBlock: {cidr: 10.0.0.0/8}
    ///       podSelector: {matchLabels: {app: api}}   # not with ipBlock
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: db-ingress
    /// spec:
    ///   podSelector:
    ///     matchLabels: {app: db}
    ///   ingress:
    ///   - from:
    ///     - ipBlock: {cidr: 10.0.0.0/8}
    ///     - podSelector: {matchLabels: {app: api}}   # two peers: either admits
    /// ```
    ///
    /// ## References
    /// `ValidateNetworkPolicyPeer`, `ValidateIPBlock`; spec E.1.4, E.1.5.
    pub const NETWORK_POLICY_PEERS {
        code: "network-policy-peers",
        name: "invalid-network-policy-peers",
        severity: Error,
        origin: Kubernetes,
        summary: "A NetworkPolicy peer is empty, mixes ipBlock with selectors, or has an invalid CIDR.",
    }
}

rule! {
    /// ## What it does
    /// Checks `spec.policyTypes` (spec E.1.6): at most two entries, each
    /// exactly `Ingress` or `Egress` (duplicates are allowed).
    ///
    /// ## Why it matters
    /// The API server rejects the policy. Written in lower case, the type
    /// looks right in review and the policy never exists.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny-egress
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [egress]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny-egress
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Egress]
    /// ```
    ///
    /// ## References
    /// `ValidateNetworkPolicySpec`; spec E.1.6.
    pub const NETWORK_POLICY_TYPES {
        code: "network-policy-types",
        name: "invalid-policy-types",
        severity: Error,
        origin: Kubernetes,
        summary: "`spec.policyTypes` has more than two entries or one that is not Ingress or Egress.",
    }
}

rule! {
    /// ## What it does
    /// Validates an Ingress as `ValidateIngressCreate` does: a `defaultBackend` or `rules`; each rule `host` a DNS name (a wildcard `*.` covers one label), never an IP; each path's `pathType` (required) and `path` (absolute, without `//`, `/./`, `/../`, `%2f`, not ending in `/..` or `/.`); each backend a Service (a DNS-1035 name and a port name or number, not both) or a resource, not both; `tls` hosts and secret names; `ingressClassName`; and the `kubernetes.io/ingress.class` annotation agreeing with it.
    ///
    /// ## Why it matters
    /// The API server rejects the whole Ingress: none of its rules is served. A missing `pathType` hides every other error of its path, so the first fix often uncovers the next.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   rules:
    ///   - host: shop.example.com
    ///     http:
    ///       paths:
    ///       - path: /api//v1        # must not contain '//'
    ///         pathType: Prefix
    ///         backend:
    ///           service:
    ///             name: web
    ///             port:
    ///               number: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    /// spec:
    ///   rules:
    ///   - host: shop.example.com
    ///     http:
    ///       paths:
    ///       - path: /api/v1
    ///         pathType: Prefix
    ///         backend:
    ///           service:
    ///             name: web
    ///             port:
    ///               number: 80
    /// ```
    ///
    /// ## References
    /// `pkg/apis/networking/validation/validation.go` (`ValidateIngressCreate`, `ValidateIngressSpec`, `validateHTTPIngressPath`, `validateIngressBackend`); spec G.1.1–G.1.12.
    pub const INGRESS_SPEC {
        code: "ingress-spec",
        name: "invalid-ingress",
        severity: Error,
        origin: Kubernetes,
        summary: "The API server rejects the Ingress (hosts, paths, backends, TLS or class).",
    }
}

rule! {
    /// ## What it does
    /// Validates an IngressClass as `ValidateIngressClass` does: `spec.controller` required, at most 250 bytes and a domain-prefixed path (`example.com/controller`); `spec.parameters` with a kind and a name, `scope` `Cluster` (the default, without `namespace`) or `Namespace` (with one).
    ///
    /// ## Why it matters
    /// The API server rejects the class, so the Ingresses that name it have no controller and get 404.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: IngressClass
    /// metadata:
    ///   name: nginx
    /// spec:
    ///   controller: nginx          # must be a domain-prefixed path
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: IngressClass
    /// metadata:
    ///   name: nginx
    /// spec:
    ///   controller: k8s.io/ingress-nginx
    /// ```
    ///
    /// ## References
    /// `pkg/apis/networking/validation/validation.go` (`ValidateIngressClass`, `validateIngressClassParametersReference`); spec G.1.13–G.1.14.
    pub const INGRESS_CLASS_SPEC {
        code: "ingress-class-spec",
        name: "invalid-ingress-class",
        severity: Error,
        origin: Kubernetes,
        summary: "The API server rejects the IngressClass (controller or parameters).",
    }
}

rule! {
    /// ## What it does
    /// Validates GatewayClasses and Gateways against the Gateway API CRDs' schema and CEL rules, as the API server does for a custom resource: `controllerName` a domain-prefixed path; `gatewayClassName`; 1 to 64 listeners, each with a unique DNS-subdomain `name`, a `hostname` (precise or `*.` wildcard), a `port` in 1–65535 and a `protocol`; `allowedRoutes.namespaces.from` one of All, Selector, Same; and, when no schema error blocks them, the listener rules (`tls` not on HTTP, TCP or UDP; a TLS mode; no hostname on TCP or UDP; unique names and port/protocol/hostname combinations).
    ///
    /// ## Why it matters
    /// The API server rejects the object: the Gateway never gets an address and none of its routes attaches. Errors of the CEL rules appear only once the schema errors are fixed.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: Gateway
    /// metadata:
    ///   name: edge
    /// spec:
    ///   gatewayClassName: eg
    ///   listeners:
    ///   - name: http
    ///     protocol: HTTP
    ///     port: 80
    ///     tls:                     # tls must not be specified for HTTP
    ///       mode: Terminate
    ///       certificateRefs:
    ///       - name: edge-cert
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: Gateway
    /// metadata:
    ///   name: edge
    /// spec:
    ///   gatewayClassName: eg
    ///   listeners:
    ///   - name: https
    ///     protocol: HTTPS
    ///     port: 443
    ///     tls:
    ///       mode: Terminate
    ///       certificateRefs:
    ///       - name: edge-cert
    /// ```
    ///
    /// ## References
    /// `config/crd/standard/gateway.networking.k8s.io_gateways.yaml`, `…_gatewayclasses.yaml`; apiextensions `kubeOpenAPIResultToFieldErrors`; spec H.1.1–H.1.5.
    pub const GATEWAY_SPEC {
        code: "gateway-spec",
        name: "invalid-gateway",
        severity: Error,
        origin: Kubernetes,
        summary: "The API server rejects the Gateway or GatewayClass (Gateway API schema and CEL rules).",
    }
}

rule! {
    /// ## What it does
    /// Validates HTTPRoutes and GRPCRoutes against the Gateway API CRDs' schema and CEL rules: hostnames, parentRefs (at most 32, each with a `name`; a `sectionName` when a parent is named twice), 1 to 16 rules (an HTTPRoute's `rules: []` is refused), match paths (absolute, without `//`, `/./`, `/../`, `%2f`, `#`), header names, methods, filter types and their fields, redirect status codes, and backendRefs (a `name`, a weight in 0–1000000, and a `port` for a Service).
    ///
    /// ## Why it matters
    /// The API server rejects the route, so none of its rules is served and the traffic meant for it gets 404 or reaches another route. CEL errors appear only once the schema errors are fixed.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: HTTPRoute
    /// metadata:
    ///   name: web
    /// spec:
    ///   parentRefs:
    ///   - name: edge
    ///   rules:
    ///   - backendRefs:
    ///     - name: web              # Must have port for Service reference
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1
    /// kind: HTTPRoute
    /// metadata:
    ///   name: web
    /// spec:
    ///   parentRefs:
    ///   - name: edge
    ///   rules:
    ///   - backendRefs:
    ///     - name: web
    ///       port: 80
    /// ```
    ///
    /// ## References
    /// `config/crd/standard/gateway.networking.k8s.io_httproutes.yaml`, `…_grpcroutes.yaml`; spec H.1.6–H.1.7, I.8, I.11.
    pub const ROUTE_SPEC {
        code: "route-spec",
        name: "invalid-route",
        severity: Error,
        origin: Kubernetes,
        summary: "The API server rejects the HTTPRoute or GRPCRoute (Gateway API schema and CEL rules).",
    }
}

rule! {
    /// ## What it does
    /// Validates ReferenceGrants against their CRD schema: 1 to 16 `from` entries, each with a `group` (which may be `""`), a `kind` and a `namespace`, and 1 to 16 `to` entries, each with a `group` and a `kind`.
    ///
    /// ## Why it matters
    /// The API server rejects the grant, and the cross-namespace references it was meant to allow stay refused (`RefNotPermitted`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1beta1
    /// kind: ReferenceGrant
    /// metadata:
    ///   name: edge-routes
    /// spec:
    ///   from:
    ///   - group: gateway.networking.k8s.io
    ///     kind: HTTPRoute            # namespace is required
    ///   to:
    ///   - group: ""
    ///     kind: Service
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: gateway.networking.k8s.io/v1beta1
    /// kind: ReferenceGrant
    /// metadata:
    ///   name: edge-routes
    /// spec:
    ///   from:
    ///   - group: gateway.networking.k8s.io
    ///     kind: HTTPRoute
    ///     namespace: edge
    ///   to:
    ///   - group: ""
    ///     kind: Service
    /// ```
    ///
    /// ## References
    /// `config/crd/standard/gateway.networking.k8s.io_referencegrants.yaml`; spec H.1.8.
    pub const REFERENCE_GRANT_SPEC {
        code: "reference-grant-spec",
        name: "invalid-reference-grant",
        severity: Error,
        origin: Kubernetes,
        summary: "The API server rejects the ReferenceGrant (Gateway API schema).",
    }
}
