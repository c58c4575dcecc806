//! The pure matching rules of Ingress (G.3) and Gateway API (H.2.4, H.3):
//! hosts, hostnames, paths. No model, no I/O: the vectors of the spec are
//! this module's tests.

/// How a host rule matched (G.3.2): precise beats wildcard beats any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HostMatch {
    Any,
    Wildcard,
    Precise,
}

/// G.3.1: an Ingress rule's `host` against the request's Host. A wildcard
/// `*.S` covers exactly one non-empty label before `S`.
pub fn ingress_host(rule: &str, host: &str) -> Option<HostMatch> {
    if rule.is_empty() {
        return Some(HostMatch::Any);
    }
    if let Some(suffix) = rule.strip_prefix("*.") {
        let label = host.strip_suffix(suffix)?.strip_suffix('.')?;
        return (!label.is_empty() && !label.contains('.')).then_some(HostMatch::Wildcard);
    }
    (rule == host).then_some(HostMatch::Precise)
}

/// H.3.2: a Gateway API hostname (listener or route) against the Host. A
/// wildcard `*.S` is a suffix match over any number of labels, never `S`.
pub fn gateway_host(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix('*') {
        Some(suffix) => host.len() > suffix.len() && host.ends_with(suffix),
        None => pattern == host,
    }
}

/// H.2.4: the route hostnames a listener serves. `None` = any host (both
/// unset); an empty list = no intersection.
pub fn intersect(listener: Option<&str>, route: &[String]) -> Option<Vec<String>> {
    let Some(l) = listener else {
        return (!route.is_empty()).then(|| route.to_vec());
    };
    if route.is_empty() {
        return Some(vec![l.to_owned()]);
    }
    let mut out = Vec::new();
    for h in route {
        let keep = if h == l {
            Some(h.clone())
        } else if let Some(s) = l.strip_prefix('*')
            && h.len() > s.len()
            && h.ends_with(s)
        {
            Some(h.clone())
        } else if let Some(t) = h.strip_prefix('*')
            && l.len() > t.len()
            && l.ends_with(t)
        {
            Some(l.to_owned())
        } else {
            None
        };
        if let Some(k) = keep
            && !out.contains(&k)
        {
            out.push(k);
        }
    }
    Some(out)
}

/// G.3.4 (also Gateway API's `PathPrefix`, H.3.5): element-wise prefix,
/// one trailing `/` of the rule ignored.
pub fn prefix(rule: &str, path: &str) -> bool {
    if rule == "/" {
        return true;
    }
    let p = rule.strip_suffix('/').unwrap_or(rule);
    path == p
        || path
            .strip_prefix(p)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The request path: the bytes before `?` or `#`, not decoded (0.1).
pub fn split_query(target: &str) -> (&str, Option<&str>) {
    let target = target.split('#').next().unwrap_or(target);
    match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    }
}

/// The first value of each query parameter (H.3.4, repeated → first).
pub fn query_value<'q>(query: Option<&'q str>, name: &str) -> Option<&'q str> {
    query?
        .split('&')
        .filter_map(|kv| kv.split_once('=').or(Some((kv, ""))))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_3_1_ingress_wildcards_cover_one_label() {
        assert_eq!(
            ingress_host("*.foo.com", "bar.foo.com"),
            Some(HostMatch::Wildcard)
        );
        assert_eq!(ingress_host("*.foo.com", "baz.bar.foo.com"), None);
        assert_eq!(ingress_host("*.foo.com", "foo.com"), None);
        assert_eq!(ingress_host("*.foo.com", ".foo.com"), None);
        assert_eq!(ingress_host("", "anything"), Some(HostMatch::Any));
        assert_eq!(
            ingress_host("foo.bar.com", "foo.bar.com"),
            Some(HostMatch::Precise)
        );
        assert_eq!(ingress_host("foo.bar.com", "bar.com"), None);
    }

    #[test]
    fn h_3_2_gateway_wildcards_cover_any_number_of_labels() {
        assert!(gateway_host("*.example.com", "a.example.com"));
        assert!(gateway_host("*.example.com", "a.b.example.com"));
        assert!(!gateway_host("*.example.com", "example.com"));
        assert!(gateway_host("example.com", "example.com"));
    }

    #[test]
    fn h_2_4_hostname_intersection() {
        let r = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(intersect(None, &[]), None);
        assert_eq!(intersect(Some("a.com"), &[]), Some(r(&["a.com"])));
        assert_eq!(intersect(None, &r(&["x.com"])), Some(r(&["x.com"])));
        assert_eq!(
            intersect(
                Some("*.specific.com"),
                &r(&["a.specific.com", "*.b.specific.com", "other.com"])
            ),
            Some(r(&["a.specific.com", "*.b.specific.com"]))
        );
        assert_eq!(
            intersect(Some("very.specific.com"), &r(&["*.specific.com"])),
            Some(r(&["very.specific.com"]))
        );
        assert_eq!(intersect(Some("*.a.com"), &r(&["a.com"])), Some(vec![]));
    }

    #[test]
    fn g_3_6_path_vectors_of_the_website() {
        assert!(prefix("/", "/anything"));
        assert!(prefix("/foo", "/foo") && prefix("/foo", "/foo/"));
        assert!(prefix("/foo/", "/foo") && prefix("/foo/", "/foo/"));
        assert!(!prefix("/aaa/bb", "/aaa/bbb"));
        assert!(prefix("/aaa/bbb", "/aaa/bbb"));
        assert!(prefix("/aaa/bbb", "/aaa/bbb/"));
        assert!(prefix("/aaa/bbb", "/aaa/bbb/ccc"));
        assert!(!prefix("/aaa/bbb", "/aaa/bbbxyz"));
        assert!(!prefix("/foo", "/FOO"));
    }

    #[test]
    fn query_and_path_split() {
        assert_eq!(split_query("/a?b=1#c"), ("/a", Some("b=1")));
        assert_eq!(split_query("/a#c?x"), ("/a", None));
        assert_eq!(query_value(Some("a=1&b=2&a=3"), "a"), Some("1"));
        assert_eq!(query_value(Some("flag&b=2"), "flag"), Some(""));
    }
}
