//! Gateway API objects as the API server validates a custom resource
//! (spec H.1): the CRDs' OpenAPI schema (required fields, enums, lengths,
//! item counts, patterns, ranges, list-map keys), then — only when none of
//! those errors is blocking — their CEL rules, whose failures point at the
//! node that carries the rule.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex_lite::Regex;

use super::FieldError;
use crate::codes;
use crate::diag::ErrorType;
use crate::model::{
    BackendRef, Filter, Gateway, GatewayClass, GrantRef, Listener, Object, ParentRef,
    ReferenceGrant, Route, RouteMatch, RouteRule, Spanned,
};
use crate::source::Span;

const HOSTNAME: &str = r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
const SECTION: &str = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
const PROTOCOL: &str = r"^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$";
const CONTROLLER: &str = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$";
const NAMESPACE: &str = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
const GROUP: &str = r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
const KIND: &str = r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$";
const HEADER: &str = r"^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$";
const PATH_CHARS: &str = r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$";
const GRPC_SERVICE: &str = r"^(?i)\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$";
const GRPC_METHOD: &str = r"^[A-Za-z_][A-Za-z_0-9]*$";
const DURATION: &str = r"^([0-9]{1,5}(h|m|s|ms)){1,4}$";
const CORS_ORIGIN: &str =
    r"(^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9\-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)";
/// `HTTPMethodWithWildcard`.
const CORS_METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "*",
];

/// The patterns, compiled once per process.
fn pattern(p: &'static str) -> &'static Regex {
    static CACHE: OnceLock<std::sync::Mutex<Vec<(&'static str, &'static Regex)>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut list = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, re)) = list.iter().find(|(k, _)| *k == p) {
        return re;
    }
    let re: &'static Regex = Box::leak(Box::new(
        Regex::new(p).unwrap_or_else(|_| Regex::new("^$").expect("a valid pattern")),
    ));
    list.push((p, re));
    re
}

/// The errors of one object: schema errors first, CEL failures apart
/// (dropped when a schema error is blocking, H.1.1).
struct V<'e> {
    code: &'static str,
    errs: &'e mut Vec<FieldError>,
    cel: Vec<FieldError>,
    blocking: bool,
    object_span: Span,
    /// Fields whose JSON type was refused (reported while decoding): not
    /// also "required" because their value could not be read.
    mistyped: &'e [String],
}

impl<'e> V<'e> {
    fn new(code: &'static str, errs: &'e mut Vec<FieldError>, object: &'e Object) -> Self {
        V {
            code,
            errs,
            cel: Vec::new(),
            // A TypeInvalid is blocking (H.1.1).
            blocking: !object.mistyped.is_empty(),
            object_span: object.anchor_span(),
            mistyped: &object.mistyped,
        }
    }

    fn push(&mut self, e: FieldError) {
        if matches!(
            e.error_type,
            ErrorType::NotSupported
                | ErrorType::Required
                | ErrorType::TooLong
                | ErrorType::TooMany
                | ErrorType::TypeInvalid
        ) {
            self.blocking = true;
        }
        self.errs.push(e);
    }

    fn required(&mut self, span: Span, path: &str) {
        if self.mistyped.iter().any(|m| m == path) {
            return;
        }
        self.push(FieldError::new(self.code, span, path, ErrorType::Required));
    }

    /// A required string: present, non-empty (`minLength: 1`), at most
    /// `max` bytes, matching `re` (if any).
    fn string(
        &mut self,
        v: Option<&Spanned<String>>,
        at: Span,
        path: &str,
        max: usize,
        re: Option<&'static str>,
    ) {
        match v {
            None => self.required(at, path),
            Some(s) => self.text(s, path, 1, max, re),
        }
    }

    fn text(
        &mut self,
        s: &Spanned<String>,
        path: &str,
        min: usize,
        max: usize,
        re: Option<&'static str>,
    ) {
        if s.value.len() < min {
            self.push(
                FieldError::new(self.code, s.span, path, ErrorType::Invalid)
                    .quoted(&s.value)
                    .detail(format!(
                        "{path} in body should be at least {min} chars long"
                    )),
            );
        }
        if s.value.len() > max {
            self.push(
                FieldError::new(self.code, s.span, path, ErrorType::TooLong)
                    .detail(format!("may not be more than {max} bytes")),
            );
        }
        if let Some(p) = re
            && !s.value.is_empty()
            && !pattern(p).is_match(&s.value)
        {
            self.push(
                FieldError::new(self.code, s.span, path, ErrorType::Invalid)
                    .quoted(&s.value)
                    .detail(format!("{path} in body should match '{p}'")),
            );
        }
    }

    fn one_of(&mut self, s: &Spanned<String>, path: &str, allowed: &[&str]) {
        if !allowed.contains(&s.value.as_str()) {
            self.push(super::service::unsupported(
                self.code, s.span, path, &s.value, allowed,
            ));
        }
    }

    fn range(&mut self, v: &Spanned<i64>, path: &str, lo: i64, hi: i64) {
        let detail = if v.value < lo {
            format!("{path} in body should be greater than or equal to {lo}")
        } else if v.value > hi {
            format!("{path} in body should be less than or equal to {hi}")
        } else {
            return;
        };
        self.push(
            FieldError::new(self.code, v.span, path, ErrorType::Invalid)
                .value(v.value.to_string())
                .detail(detail),
        );
    }

    fn items(&mut self, len: usize, span: Span, path: &str, min: usize, max: usize) {
        if len > max {
            self.push(
                FieldError::new(self.code, span, path, ErrorType::TooMany)
                    .value(len.to_string())
                    .detail(format!("must have at most {max} items")),
            );
        } else if len < min {
            self.push(
                FieldError::new(self.code, span, path, ErrorType::Invalid)
                    .detail(format!("{path} in body should have at least {min} items")),
            );
        }
    }

    /// A CEL rule's failure at `path` (a node of type `node`).
    fn cel(&mut self, span: Span, path: &str, node: &str, message: &str) {
        self.cel.push(
            FieldError::new(self.code, span, path, ErrorType::Invalid)
                .quoted(node)
                .detail(message),
        );
    }

    fn finish(self) {
        if self.cel.is_empty() {
            return;
        }
        if self.blocking {
            self.errs.push(
                FieldError::new(self.code, self.object_span, "", ErrorType::Invalid).detail(
                    "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
                ),
            );
        } else {
            self.errs.extend(self.cel);
        }
    }
}

fn span_or(span: Span, fallback: Span) -> Span {
    if span == Span::default() {
        fallback
    } else {
        span
    }
}

/// H.1.4: GatewayClass.
pub fn validate_class(object: &Object, c: &GatewayClass, errs: &mut Vec<FieldError>) {
    let mut v = V::new(codes::GATEWAY_SPEC.code, errs, object);
    let spec = span_or(c.spec_span, object.anchor_span());
    v.string(
        c.controller_name.as_ref(),
        spec,
        "spec.controllerName",
        253,
        Some(CONTROLLER),
    );
    if let Some(d) = &c.description {
        v.text(d, "spec.description", 0, 64, None);
    }
    // `ParametersReference`: group, kind and name required.
    if let Some(p) = &c.parameters_ref {
        let at = "spec.parametersRef";
        // A group may be empty (the core group), but must be there.
        match &p.group {
            None => v.required(p.span, &format!("{at}.group")),
            Some(g) => v.text(g, &format!("{at}.group"), 0, 253, Some(GROUP)),
        }
        v.string(
            p.kind.as_ref(),
            p.span,
            &format!("{at}.kind"),
            63,
            Some(KIND),
        );
        v.string(p.name.as_ref(), p.span, &format!("{at}.name"), 253, None);
        if let Some(ns) = &p.namespace {
            v.text(ns, &format!("{at}.namespace"), 1, 63, Some(NAMESPACE));
        }
    }
    v.finish();
}

/// H.1.5: Gateway.
pub fn validate_gateway(object: &Object, g: &Gateway, errs: &mut Vec<FieldError>) {
    let mut v = V::new(codes::GATEWAY_SPEC.code, errs, object);
    let spec = span_or(g.spec_span, object.anchor_span());
    v.string(
        g.class_name.as_ref(),
        spec,
        "spec.gatewayClassName",
        253,
        None,
    );
    match g.listeners_span {
        None => v.required(spec, "spec.listeners"),
        Some(span) => v.items(g.listeners.len(), span, "spec.listeners", 1, 64),
    }
    let mut names = HashSet::new();
    for (i, l) in g.listeners.iter().enumerate() {
        listener(&mut v, l, &format!("spec.listeners[{i}]"));
        if let Some(n) = &l.name
            && !names.insert(n.value.as_str())
        {
            v.push(
                FieldError::new(
                    v.code,
                    n.span,
                    format!("spec.listeners[{i}]"),
                    ErrorType::Duplicate,
                )
                .value(format!("{{\"name\":{:?}}}", n.value)),
            );
        }
    }
    v.items(g.addresses.len(), spec, "spec.addresses", 0, 16);
    listeners_cel(&mut v, g);
    v.finish();
}

fn listener(v: &mut V<'_>, l: &Listener, path: &str) {
    v.string(
        l.name.as_ref(),
        l.span,
        &format!("{path}.name"),
        253,
        Some(SECTION),
    );
    if let Some(h) = &l.hostname {
        v.text(h, &format!("{path}.hostname"), 1, 253, Some(HOSTNAME));
    }
    match &l.port {
        None => v.required(l.span, &format!("{path}.port")),
        Some(p) => v.range(p, &format!("{path}.port"), 1, 65535),
    }
    v.string(
        l.protocol.as_ref(),
        l.span,
        &format!("{path}.protocol"),
        255,
        Some(PROTOCOL),
    );
    if let Some(from) = &l.allowed_routes.from {
        v.one_of(
            from,
            &format!("{path}.allowedRoutes.namespaces.from"),
            &["All", "Selector", "Same"],
        );
    }
    v.items(
        l.allowed_routes.kinds.len(),
        l.allowed_routes.span,
        &format!("{path}.allowedRoutes.kinds"),
        0,
        8,
    );
    if let Some((span, mode, certs)) = &l.tls {
        if let Some(mode) = mode {
            v.one_of(
                mode,
                &format!("{path}.tls.mode"),
                &["Terminate", "Passthrough"],
            );
        }
        // H.1.3: an absent mode is defaulted to Terminate before CEL runs.
        if mode.as_ref().is_none_or(|m| m.value == "Terminate") && !certs {
            v.cel(
                *span,
                &format!("{path}.tls"),
                "object",
                "certificateRefs or options must be specified when mode is Terminate",
            );
        }
    }
}

/// A CEL rule on the listeners: its message, and whether a listener fails it.
type ListenerRule<'f> = (&'static str, &'f dyn Fn(&Listener) -> bool);

/// The CEL rules on `spec.listeners` (H.1.5).
fn listeners_cel(v: &mut V<'_>, g: &Gateway) {
    let span = g.listeners_span.unwrap_or(g.spec_span);
    let proto = |l: &Listener| {
        l.protocol
            .as_ref()
            .map_or("", |p| p.value.as_str())
            .to_owned()
    };
    let rules: [ListenerRule<'_>; 4] = [
        (
            "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
            &|l| matches!(proto(l).as_str(), "HTTP" | "TCP" | "UDP") && l.tls.is_some(),
        ),
        ("tls mode must be Terminate for protocol HTTPS", &|l| {
            proto(l) == "HTTPS"
                && l.tls
                    .as_ref()
                    .is_some_and(|(_, m, _)| m.as_ref().is_some_and(|m| m.value != "Terminate"))
        }),
        // `has(l.tls.mode)` holds once `tls` is there: the mode defaults
        // to Terminate (H.1.3).
        ("tls mode must be set for protocol TLS", &|l| {
            proto(l) == "TLS" && l.tls.is_none()
        }),
        (
            "hostname must not be specified for protocols ['TCP', 'UDP']",
            &|l| matches!(proto(l).as_str(), "TCP" | "UDP") && l.hostname.is_some(),
        ),
    ];
    for (message, fails) in rules {
        if g.listeners.iter().any(fails) {
            v.cel(span, "spec.listeners", "array", message);
        }
    }
    let mut names = HashSet::new();
    if !g
        .listeners
        .iter()
        .all(|l| names.insert(l.name.as_ref().map(|n| n.value.as_str())))
    {
        v.cel(
            span,
            "spec.listeners",
            "array",
            "Listener name must be unique within the Gateway",
        );
    }
    let mut combos = HashSet::new();
    if !g.listeners.iter().all(|l| {
        combos.insert((
            l.port.as_ref().map(|p| p.value),
            proto(l),
            l.hostname.as_ref().map(|h| h.value.clone()),
        ))
    }) {
        v.cel(
            span,
            "spec.listeners",
            "array",
            "Combination of port, protocol and hostname must be unique for each listener",
        );
    }
}

/// H.1.6 and H.1.7: HTTPRoute and GRPCRoute.
pub fn validate_route(object: &Object, r: &Route, errs: &mut Vec<FieldError>) {
    let mut v = V::new(codes::ROUTE_SPEC.code, errs, object);
    let spec = span_or(r.spec_span, object.anchor_span());
    v.items(r.hostnames.len(), spec, "spec.hostnames", 0, 16);
    for (i, h) in r.hostnames.iter().enumerate() {
        v.text(h, &format!("spec.hostnames[{i}]"), 1, 253, Some(HOSTNAME));
    }
    v.items(r.parent_refs.len(), spec, "spec.parentRefs", 0, 32);
    for (i, p) in r.parent_refs.iter().enumerate() {
        parent_ref(&mut v, p, &format!("spec.parentRefs[{i}]"));
    }
    parents_cel(&mut v, r, spec);
    if let Some((rules, span)) = &r.rules {
        v.items(rules.len(), *span, "spec.rules", usize::from(!r.grpc), 16);
        let total: usize = rules
            .iter()
            .map(|x| x.matches.as_ref().map_or(0, Vec::len))
            .sum();
        if total > 128 {
            v.cel(*span, "spec.rules", "array", "While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128");
        }
        // Rule names (`SectionName`), unique when set (CEL on `rules`;
        // gateway-api's `TestHTTPRouteRuleExperimental`).
        let mut names = HashSet::new();
        for (i, rule) in rules.iter().enumerate() {
            if let Some(n) = &rule.name {
                v.text(n, &format!("spec.rules[{i}].name"), 1, 253, Some(SECTION));
            }
        }
        if !rules
            .iter()
            .filter_map(|x| x.name.as_ref())
            .all(|n| names.insert(n.value.as_str()))
        {
            v.cel(
                *span,
                "spec.rules",
                "array",
                "Rule name must be unique within the route",
            );
        }
        for (i, rule) in rules.iter().enumerate() {
            route_rule(&mut v, rule, &format!("spec.rules[{i}]"), r.grpc);
        }
    }
    v.finish();
}

fn parent_ref(v: &mut V<'_>, p: &ParentRef, path: &str) {
    v.string(p.name.as_ref(), p.span, &format!("{path}.name"), 253, None);
    if let Some(ns) = &p.namespace {
        v.text(ns, &format!("{path}.namespace"), 1, 63, Some(NAMESPACE));
    }
    if let Some(s) = &p.section_name {
        v.text(s, &format!("{path}.sectionName"), 1, 253, Some(SECTION));
    }
    if let Some(port) = &p.port {
        v.range(port, &format!("{path}.port"), 1, 65535);
    }
    if let Some(g) = &p.group {
        v.text(g, &format!("{path}.group"), 0, 253, Some(GROUP));
    }
    if let Some(k) = &p.kind {
        v.text(k, &format!("{path}.kind"), 1, 63, Some(KIND));
    }
}

/// The parentRefs CEL rules: `sectionName` set and unique when one parent
/// is named twice.
fn parents_cel(v: &mut V<'_>, r: &Route, spec: Span) {
    let key = |p: &ParentRef| {
        (
            p.group
                .as_ref()
                .map_or(crate::http::GATEWAY_GROUP, |g| g.value.as_str())
                .to_owned(),
            p.kind
                .as_ref()
                .map_or("Gateway", |k| k.value.as_str())
                .to_owned(),
            p.namespace.as_ref().map(|n| n.value.clone()),
            p.name.as_ref().map(|n| n.value.clone()),
        )
    };
    let mut seen: std::collections::HashMap<_, Vec<&ParentRef>> = std::collections::HashMap::new();
    for p in &r.parent_refs {
        seen.entry(key(p)).or_default().push(p);
    }
    let mut groups: Vec<&Vec<&ParentRef>> = seen.values().filter(|g| g.len() > 1).collect();
    groups.sort_by_key(|g| g[0].span.start);
    let missing = groups
        .iter()
        .any(|g| g.iter().any(|p| p.section_name.is_none()));
    if missing {
        v.cel(spec, "spec.parentRefs", "array", "sectionName must be specified when parentRefs includes 2 or more references to the same parent");
    }
    let repeated = groups.iter().any(|g| {
        let mut names = HashSet::new();
        !g.iter()
            .all(|p| names.insert(p.section_name.as_ref().map(|s| s.value.as_str())))
    });
    if repeated && !missing {
        v.cel(spec, "spec.parentRefs", "array", "sectionName must be unique when parentRefs includes 2 or more references to the same parent");
    }
}

fn route_rule(v: &mut V<'_>, rule: &RouteRule, path: &str, grpc: bool) {
    if let Some(matches) = &rule.matches {
        v.items(matches.len(), rule.span, &format!("{path}.matches"), 0, 64);
        for (i, m) in matches.iter().enumerate() {
            route_match(v, m, &format!("{path}.matches[{i}]"), grpc);
        }
    }
    v.items(
        rule.filters.len(),
        rule.span,
        &format!("{path}.filters"),
        0,
        16,
    );
    for (i, f) in rule.filters.iter().enumerate() {
        filter(v, f, &format!("{path}.filters[{i}]"), grpc);
    }
    filters_cel(
        v,
        &rule.filters,
        rule.span,
        path,
        rule.matches.as_deref(),
        false,
    );
    let refs = rule.backend_refs.as_deref().unwrap_or(&[]);
    v.items(refs.len(), rule.span, &format!("{path}.backendRefs"), 0, 16);
    for (i, b) in refs.iter().enumerate() {
        backend_ref(v, b, &format!("{path}.backendRefs[{i}]"), grpc);
    }
    if !refs.is_empty() && rule.filters.iter().any(|f| f.redirect.is_some()) {
        v.cel(
            rule.span,
            path,
            "object",
            "RequestRedirect filter must not be used together with backendRefs",
        );
    }
    backend_filters_cel(v, rule, path);
    if let Some(t) = &rule.timeouts {
        timeouts(v, t, &format!("{path}.timeouts"));
    }
}

/// `HTTPCORSFilter` (H.1.6): lists that are sets with item limits, origins
/// by pattern, methods by enum, `*` alone or not at all (CEL), `maxAge` at
/// least 1. Cases from gateway-api's `TestHTTPRouteCORS`.
fn cors(v: &mut V<'_>, c: &crate::model::Cors, path: &str) {
    type Item<'c> = (
        &'static str,
        &'c Option<Spanned<Vec<Spanned<String>>>>,
        usize,
    );
    let lists: [Item<'_>; 4] = [
        ("allowOrigins", &c.allow_origins, 64),
        ("allowMethods", &c.allow_methods, 9),
        ("allowHeaders", &c.allow_headers, 64),
        ("exposeHeaders", &c.expose_headers, 64),
    ];
    for (field, list, max) in lists {
        let Some(list) = list else { continue };
        let at = format!("{path}.{field}");
        v.items(list.value.len(), list.span, &at, 0, max);
        let mut seen = HashSet::new();
        for (i, item) in list.value.iter().enumerate() {
            let item_at = format!("{at}[{i}]");
            match field {
                "allowOrigins" => v.text(item, &item_at, 1, 253, Some(CORS_ORIGIN)),
                "allowMethods" => v.one_of(item, &item_at, CORS_METHODS),
                _ => v.text(item, &item_at, 1, 256, Some(HEADER)),
            }
            if !seen.insert(item.value.as_str()) {
                v.push(
                    FieldError::new(v.code, item.span, &item_at, ErrorType::Duplicate)
                        .quoted(&item.value),
                );
            }
        }
        let wildcard = list.value.iter().any(|x| x.value == "*");
        // `*` alone or not at all; upstream's message for allowHeaders
        // (added in a later release) also says "methods".
        let message = match field {
            "allowOrigins" => Some("AllowOrigins cannot contain '*' alongside other origins"),
            "allowMethods" => Some("AllowMethods cannot contain '*' alongside other methods"),
            "allowHeaders" => Some("AllowHeaders cannot contain '*' alongside other methods"),
            _ => None,
        };
        if let Some(message) = message.filter(|_| wildcard && list.value.len() > 1) {
            v.cel(list.span, &at, "array", message);
        }
    }
    if let Some(m) = &c.max_age {
        v.range(m, &format!("{path}.maxAge"), 1, i64::from(i32::MAX));
    }
}

/// The rule's "Within backendRefs" CEL twins of the replacePrefixMatch
/// rules (`HTTPRouteRule`): when exactly one backendRef carries exactly one
/// such filter, the rule needs exactly one `PathPrefix` match. The message
/// capitalisation differs between the two, as upstream's does.
fn backend_filters_cel(v: &mut V<'_>, rule: &RouteRule, path: &str) {
    let refs = rule.backend_refs.as_deref().unwrap_or(&[]);
    for (kind, message) in [
        (
            Rewrite::Redirect,
            "Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
        ),
        (
            Rewrite::Url,
            "Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified",
        ),
    ] {
        let carrying = refs
            .iter()
            .filter(|b| replaces_prefix(&b.filters, kind) == 1)
            .count();
        if carrying == 1 && !one_prefix_match(rule.matches.as_deref()) {
            v.cel(rule.span, path, "object", message);
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rewrite {
    Redirect,
    Url,
}

/// How many of `filters` are a `kind` filter replacing the prefix match.
fn replaces_prefix(filters: &[Filter], kind: Rewrite) -> usize {
    filters
        .iter()
        .filter(|f| {
            let u = match kind {
                Rewrite::Redirect => f.redirect.as_ref(),
                Rewrite::Url => f.rewrite.as_ref(),
            };
            u.and_then(|u| u.path.as_ref()).is_some_and(|p| {
                p.type_
                    .as_ref()
                    .is_some_and(|x| x.value == "ReplacePrefixMatch")
                    && p.replace_prefix_match.is_some()
            })
        })
        .count()
}

/// `size(self.matches) == 1 && self.matches[0].path.type == 'PathPrefix'`
/// after defaulting (H.1.3): absent matches are one `PathPrefix /`, and so
/// is an absent path or path type.
fn one_prefix_match(matches: Option<&[RouteMatch]>) -> bool {
    matches.is_none_or(|m| {
        m.len() == 1
            && m[0]
                .path
                .as_ref()
                .is_none_or(|p| p.type_.as_ref().is_none_or(|t| t.value == "PathPrefix"))
    })
}

/// `timeouts` (H.1.6): each a Gateway API `Duration`, and the backend's
/// request no longer than the whole request unless that is `0s` (no
/// timeout).
fn timeouts(v: &mut V<'_>, t: &crate::model::Timeouts, path: &str) {
    for (field, d) in [
        ("request", &t.request),
        ("backendRequest", &t.backend_request),
    ] {
        if let Some(d) = d {
            v.text(d, &format!("{path}.{field}"), 0, usize::MAX, Some(DURATION));
        }
    }
    let millis = |d: &Option<Spanned<String>>| d.as_ref().and_then(|d| duration_ms(&d.value));
    if let (Some(request), Some(backend)) = (millis(&t.request), millis(&t.backend_request))
        && request != 0
        && backend > request
    {
        v.cel(
            t.span,
            path,
            "object",
            "backendRequest timeout cannot be longer than request timeout",
        );
    }
}

/// A Gateway API `Duration` (GEP-2257: up to four `<digits><unit>` parts,
/// units h, m, s, ms) in milliseconds; `None` when it does not parse.
fn duration_ms(text: &str) -> Option<u64> {
    if !pattern(DURATION).is_match(text) {
        return None;
    }
    let mut total = 0u64;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        let n: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let (unit, len) = if rest.starts_with("ms") {
            (1, 2)
        } else if rest.starts_with('h') {
            (3_600_000, 1)
        } else if rest.starts_with('m') {
            (60_000, 1)
        } else {
            (1000, 1)
        };
        total += n * unit;
        rest = &rest[len..];
    }
    Some(total)
}

fn route_match(v: &mut V<'_>, m: &RouteMatch, path: &str, grpc: bool) {
    if let Some(p) = &m.path {
        if grpc {
            let at = format!("{path}.method");
            let ty = p.type_.as_ref().map_or("Exact", |t| t.value.as_str());
            if let Some(t) = &p.type_ {
                v.one_of(t, &format!("{at}.type"), &["Exact", "RegularExpression"]);
            }
            if p.service.is_none() && p.method.is_none() {
                v.cel(
                    p.span,
                    &at,
                    "object",
                    "One or both of 'service' or 'method' must be specified",
                );
            }
            if ty == "Exact" {
                if let Some(s) = p
                    .service
                    .as_ref()
                    .filter(|s| !pattern(GRPC_SERVICE).is_match(&s.value))
                {
                    v.cel(s.span, &at, "object", "service must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)");
                }
                if let Some(s) = p
                    .method
                    .as_ref()
                    .filter(|s| !pattern(GRPC_METHOD).is_match(&s.value))
                {
                    v.cel(s.span, &at, "object", "method must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)");
                }
            }
        } else {
            path_match(v, p, &format!("{path}.path"));
        }
    }
    for (list, field, max_value) in [
        (&m.headers, "headers", 4096),
        (&m.query_params, "queryParams", 1024),
    ] {
        v.items(list.len(), m.span, &format!("{path}.{field}"), 0, 16);
        let mut names = HashSet::new();
        for (i, h) in list.iter().enumerate() {
            let at = format!("{path}.{field}[{i}]");
            v.string(
                h.name.as_ref(),
                h.span,
                &format!("{at}.name"),
                256,
                Some(HEADER),
            );
            v.string(
                h.value.as_ref(),
                h.span,
                &format!("{at}.value"),
                max_value,
                None,
            );
            if let Some(t) = &h.type_ {
                v.one_of(t, &format!("{at}.type"), &["Exact", "RegularExpression"]);
            }
            // A list-map keyed by name (header names compare as written).
            if let Some(n) = &h.name
                && !names.insert(n.value.clone())
            {
                v.push(
                    FieldError::new(v.code, n.span, at, ErrorType::Duplicate)
                        .value(format!("{{\"name\":{:?}}}", n.value)),
                );
            }
        }
    }
    if let Some(method) = &m.method {
        v.one_of(
            method,
            &format!("{path}.method"),
            &[
                "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
            ],
        );
    }
}

/// The `path` match schema and its CEL rules (H.1.6).
fn path_match(v: &mut V<'_>, p: &crate::model::PathMatch, path: &str) {
    let ty = p.type_.as_ref().map_or("PathPrefix", |t| t.value.as_str());
    if let Some(t) = &p.type_ {
        v.one_of(
            t,
            &format!("{path}.type"),
            &["Exact", "PathPrefix", "RegularExpression"],
        );
    }
    let Some(value) = &p.value else { return };
    v.text(value, &format!("{path}.value"), 0, 1024, None);
    if !matches!(ty, "Exact" | "PathPrefix") {
        return;
    }
    let s = value.value.as_str();
    let suffix = " when type one of ['Exact', 'PathPrefix']";
    let mut fail = |m: String| v.cel(p.span, path, "object", &format!("{m}{suffix}"));
    if !s.starts_with('/') {
        fail("value must be an absolute path and start with '/'".to_owned());
    }
    for seq in ["//", "/./", "/../", "%2f", "%2F", "#"] {
        if s.contains(seq) {
            fail(format!("must not contain '{seq}'"));
        }
    }
    for end in ["/..", "/."] {
        if s.ends_with(end) {
            fail(format!("must not end with '{end}'"));
        }
    }
    if !s.is_empty() && !pattern(PATH_CHARS).is_match(s) {
        fail("must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$)".to_owned());
    }
}

const HTTP_FILTERS: &[&str] = &[
    "RequestHeaderModifier",
    "ResponseHeaderModifier",
    "RequestMirror",
    "RequestRedirect",
    "URLRewrite",
    "ExtensionRef",
    "CORS",
];
const GRPC_FILTERS: &[&str] = &[
    "ResponseHeaderModifier",
    "RequestHeaderModifier",
    "RequestMirror",
    "ExtensionRef",
];

/// The field a filter type needs.
fn filter_field(ty: &str) -> &'static str {
    match ty {
        "RequestHeaderModifier" => "requestHeaderModifier",
        "ResponseHeaderModifier" => "responseHeaderModifier",
        "RequestMirror" => "requestMirror",
        "RequestRedirect" => "requestRedirect",
        "URLRewrite" => "urlRewrite",
        "ExtensionRef" => "extensionRef",
        "CORS" => "cors",
        _ => "",
    }
}

fn filter(v: &mut V<'_>, f: &Filter, path: &str, grpc: bool) {
    let Some(ty) = &f.type_ else {
        v.required(f.span, &format!("{path}.type"));
        return;
    };
    v.one_of(
        ty,
        &format!("{path}.type"),
        if grpc { GRPC_FILTERS } else { HTTP_FILTERS },
    );
    let own = filter_field(&ty.value);
    for field in &f.fields {
        if field.value != own && HTTP_FILTERS.iter().any(|t| filter_field(t) == field.value) {
            let t = HTTP_FILTERS
                .iter()
                .find(|t| filter_field(t) == field.value)
                .copied()
                .unwrap_or("");
            v.cel(
                f.span,
                path,
                "object",
                &format!(
                    "filter.{} must be nil if the filter.type is not {t}",
                    field.value
                ),
            );
        }
    }
    if !own.is_empty() && !f.fields.iter().any(|x| x.value == own) {
        v.cel(
            f.span,
            path,
            "object",
            &format!(
                "filter.{own} must be specified for {} filter.type",
                ty.value
            ),
        );
    }
    if let Some(r) = &f.redirect {
        if let Some(s) = &r.scheme {
            v.one_of(
                s,
                &format!("{path}.requestRedirect.scheme"),
                &["http", "https"],
            );
        }
        if let Some(c) = &r.status_code
            && ![301, 302, 303, 307, 308].contains(&c.value)
        {
            {
                v.push(
                    FieldError::new(
                        v.code,
                        c.span,
                        format!("{path}.requestRedirect.statusCode"),
                        ErrorType::NotSupported,
                    )
                    .value(c.value.to_string())
                    .detail("supported values: 301, 302, 303, 307, 308"),
                );
            }
        }
        if let Some(p) = &r.port {
            v.range(p, &format!("{path}.requestRedirect.port"), 1, 65535);
        }
    }
    path_modifiers(v, f, path);
    if let Some(c) = &f.cors {
        cors(v, c, &format!("{path}.cors"));
    }
    if let Some(m) = &f.mirror {
        backend_ref(v, m, &format!("{path}.requestMirror.backendRef"), grpc);
    }
}

/// The `path` modifiers of a RequestRedirect or URLRewrite filter.
fn path_modifiers(v: &mut V<'_>, f: &Filter, path: &str) {
    for (u, field) in [(&f.redirect, "requestRedirect"), (&f.rewrite, "urlRewrite")] {
        let Some(m) = u.as_ref().and_then(|u| u.path.as_ref()) else {
            continue;
        };
        let at = format!("{path}.{field}.path");
        let ty = m.type_.as_ref().map_or("", |t| t.value.as_str());
        match &m.type_ {
            None => v.required(m.span, &format!("{at}.type")),
            Some(t) => v.one_of(
                t,
                &format!("{at}.type"),
                &["ReplaceFullPath", "ReplacePrefixMatch"],
            ),
        }
        let pairs = [
            (
                "ReplaceFullPath",
                "replaceFullPath",
                m.replace_full_path.is_some(),
            ),
            (
                "ReplacePrefixMatch",
                "replacePrefixMatch",
                m.replace_prefix_match.is_some(),
            ),
        ];
        for (t, field, set) in pairs {
            if ty == t && !set {
                v.cel(
                    m.span,
                    &at,
                    "object",
                    &format!("{field} must be specified when type is set to '{t}'"),
                );
            }
            if ty != t && set {
                v.cel(
                    m.span,
                    &at,
                    "object",
                    &format!("type must be '{t}' when {field} is set"),
                );
            }
        }
    }
}

/// The CEL rules across a rule's filters (H.1.6).
fn filters_cel(
    v: &mut V<'_>,
    filters: &[Filter],
    span: Span,
    path: &str,
    matches: Option<&[RouteMatch]>,
    backend: bool,
) {
    let types: Vec<&str> = filters
        .iter()
        .filter_map(|f| f.type_.as_ref())
        .map(|t| t.value.as_str())
        .collect();
    let fpath = format!("{path}.filters");
    if types.contains(&"RequestRedirect") && types.contains(&"URLRewrite") {
        v.cel(span, &fpath, "array", "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both");
    }
    for t in [
        "RequestHeaderModifier",
        "ResponseHeaderModifier",
        "RequestRedirect",
        "URLRewrite",
        "CORS",
    ] {
        if types.iter().filter(|x| **x == t).count() > 1 {
            v.cel(
                span,
                &fpath,
                "array",
                &format!("{t} filter cannot be repeated"),
            );
        }
    }
    // replacePrefixMatch needs exactly one PathPrefix match: the rule's CEL
    // (`exists_one` over its filters); a backendRef's filters are checked
    // by the rule's "Within backendRefs" twins.
    let prefix_only = one_prefix_match(matches);
    for (kind, name) in [
        (Rewrite::Redirect, "RequestRedirect"),
        (Rewrite::Url, "URLRewrite"),
    ] {
        let uses = replaces_prefix(filters, kind) == 1;
        if uses && !prefix_only && !backend {
            v.cel(span, path, "object", &format!("When using {name} filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified"));
        }
    }
}

fn backend_ref(v: &mut V<'_>, b: &BackendRef, path: &str, grpc: bool) {
    v.string(b.name.as_ref(), b.span, &format!("{path}.name"), 253, None);
    if let Some(ns) = &b.namespace {
        v.text(ns, &format!("{path}.namespace"), 1, 63, Some(NAMESPACE));
    }
    if let Some(g) = &b.group {
        v.text(g, &format!("{path}.group"), 0, 253, Some(GROUP));
    }
    if let Some(k) = &b.kind {
        v.text(k, &format!("{path}.kind"), 1, 63, Some(KIND));
    }
    if let Some(p) = &b.port {
        v.range(p, &format!("{path}.port"), 1, 65535);
    }
    if let Some(w) = &b.weight {
        v.range(w, &format!("{path}.weight"), 0, 1_000_000);
    }
    if b.group_kind() == ("", "Service") && b.port.is_none() {
        v.cel(
            b.span,
            path,
            "object",
            "Must have port for Service reference",
        );
    }
    v.items(b.filters.len(), b.span, &format!("{path}.filters"), 0, 16);
    for (i, f) in b.filters.iter().enumerate() {
        filter(v, f, &format!("{path}.filters[{i}]"), grpc);
    }
    filters_cel(v, &b.filters, b.span, path, None, true);
}

/// H.1.8: ReferenceGrant.
pub fn validate_grant(object: &Object, g: &ReferenceGrant, errs: &mut Vec<FieldError>) {
    let mut v = V::new(codes::REFERENCE_GRANT_SPEC.code, errs, object);
    let spec = span_or(g.spec_span, object.anchor_span());
    for (list, field, needs_ns) in [(&g.from, "from", true), (&g.to, "to", false)] {
        let path = format!("spec.{field}");
        v.items(list.len(), spec, &path, 1, 16);
        for (i, e) in list.iter().enumerate() {
            grant_ref(&mut v, e, &format!("{path}[{i}]"), needs_ns);
        }
    }
    v.finish();
}

fn grant_ref(v: &mut V<'_>, e: &GrantRef, path: &str, from: bool) {
    match &e.group {
        None => v.required(e.span, &format!("{path}.group")),
        Some(g) => v.text(g, &format!("{path}.group"), 0, 253, Some(GROUP)),
    }
    v.string(
        e.kind.as_ref(),
        e.span,
        &format!("{path}.kind"),
        63,
        Some(KIND),
    );
    if from {
        v.string(
            e.namespace.as_ref(),
            e.span,
            &format!("{path}.namespace"),
            63,
            Some(NAMESPACE),
        );
    } else if let Some(n) = &e.name {
        v.text(n, &format!("{path}.name"), 1, 253, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        for p in [
            HOSTNAME,
            SECTION,
            PROTOCOL,
            CONTROLLER,
            NAMESPACE,
            GROUP,
            KIND,
            HEADER,
            PATH_CHARS,
            GRPC_SERVICE,
            GRPC_METHOD,
        ] {
            assert!(Regex::new(p).is_ok(), "{p}");
        }
        assert!(
            pattern(PROTOCOL).is_match("HTTP") && pattern(PROTOCOL).is_match("example.com/proto")
        );
        assert!(!pattern(HOSTNAME).is_match("Foo.com") && pattern(HOSTNAME).is_match("*.foo.com"));
        assert!(pattern(GROUP).is_match(""));
    }
}
