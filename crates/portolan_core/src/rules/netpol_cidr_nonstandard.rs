//! `netpol-cidr-nonstandard`: the API server's warnings on an ipBlock
//! `cidr` or `except` written in a non-standard form (spec E.1.8, E.8.13).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{LintCx, finding};
use crate::codes::rule;
use crate::diag::Diagnostic;
use crate::model::Spanned;

rule! {
    /// ## What it does
    /// Repeats the warnings the API server returns when it accepts a
    /// NetworkPolicy (`networkPolicyWarnings`, `GetWarningsForCIDR`) for
    /// each ipBlock `cidr` and `except` entry, with upstream's wording and
    /// field path: an address with bits set beyond the prefix length
    /// (ambiguous: the network or the single address?), IPv4 octets with
    /// leading zeros or an IPv4-mapped IPv6 prefix (to become invalid), and
    /// an IPv6 prefix not in RFC 5952 canonical form.
    ///
    /// ## Why it matters
    /// `10.0.0.1/8` means `10.0.0.0/8` to the policy, which is rarely what
    /// its author wanted; leading zeros were read as octal by some tools
    /// (CVE-2021-29923) and will be rejected; a non-canonical IPv6 value
    /// makes controllers that compare strings apply the object forever.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: office
    /// spec:
    ///   podSelector: {}
    ///   ingress:
    ///   - from:
    ///     - ipBlock:
    ///         cidr: 192.168.10.5/24
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: office
    /// spec:
    ///   podSelector: {}
    ///   ingress:
    ///   - from:
    ///     - ipBlock:
    ///         cidr: 192.168.10.0/24
    /// ```
    ///
    /// ## References
    /// kubernetes `pkg/registry/networking/networkpolicy/strategy.go`
    /// (`networkPolicyWarnings`), `pkg/api/validation`
    /// (`GetWarningsForCIDR`); spec E.1.8, E.8.13.
    pub const RULE {
        code: "netpol-cidr-nonstandard",
        name: "netpol-cidr-nonstandard",
        severity: Warning,
        origin: Lint,
        summary: "An ipBlock CIDR in a non-standard form: the API server warns (ambiguous host bits, leading zeros, non-canonical IPv6).",
    }
}

pub fn check(cx: &LintCx<'_>, out: &mut Vec<Diagnostic>) {
    for (o, np) in cx.network_policies() {
        for (direction, peers_key, rules) in
            [("ingress", "from", &np.ingress), ("egress", "to", &np.egress)]
        {
            for (i, rule) in rules.iter().flatten().enumerate() {
                for (j, peer) in rule.peers.iter().enumerate() {
                    let Some(block) = &peer.ip_block else { continue };
                    let at = format!("spec.{direction}[{i}].{peers_key}[{j}].ipBlock");
                    let values = block
                        .cidr
                        .iter()
                        .map(|c| (format!("{at}.cidr"), c))
                        .chain(
                            block
                                .except
                                .iter()
                                .enumerate()
                                .map(|(k, e)| (format!("{at}.except[{k}]"), e)),
                        );
                    for (path, value) in values {
                        for w in warnings(&path, value) {
                            out.push(finding((RULE.code, RULE.severity), o, value.span, w));
                        }
                    }
                }
            }
        }
    }
}

/// `GetWarningsForCIDR` for one value that validation accepted.
fn warnings(path: &str, value: &Spanned<String>) -> Vec<String> {
    let v = value.value.as_str();
    let Some((ip, bits, strict)) = parse_sloppy(v) else {
        return Vec::new();
    };
    let network = mask(ip, bits);
    let net = format!("{network}/{bits}");
    let mut out = Vec::new();
    if network != ip {
        let whole = if ip.is_ipv4() { 32 } else { 128 };
        out.push(format!(
            "{path}: CIDR value {v:?} is ambiguous in this context (should be {net:?} or {:?}?)",
            format!("{ip}/{whole}")
        ));
    }
    if !strict {
        out.push(format!(
            "{path}: non-standard CIDR value {v:?} will be considered invalid in a future Kubernetes release: use {net:?}"
        ));
    }
    let canonical = format!("{ip}/{bits}");
    if out.is_empty() && ip.is_ipv6() && canonical != v {
        out.push(format!(
            "{path}: IPv6 CIDR value {v:?} should be in RFC 5952 canonical format ({canonical:?})"
        ));
    }
    out
}

/// `ParseCIDRSloppy`: the address, the prefix length, and whether Go's
/// strict `netip.ParsePrefix` accepts it too (no leading zeros).
fn parse_sloppy(v: &str) -> Option<(IpAddr, u8, bool)> {
    let (addr, len) = v.split_once('/')?;
    if len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) || len.len() > 3 {
        return None;
    }
    let bits: u8 = len.parse().ok()?;
    let strict_len = len == "0" || !len.starts_with('0');
    if addr.contains(':') {
        let a: Ipv6Addr = addr.parse().ok()?;
        if bits > 128 {
            return None;
        }
        // An IPv4-mapped prefix is read as the IPv4 one it maps (and is
        // non-standard).
        return Some(match a.to_ipv4_mapped() {
            Some(v4) if bits >= 96 => (IpAddr::V4(v4), bits - 96, false),
            _ => (IpAddr::V6(a), bits, strict_len),
        });
    }
    let parts: Vec<&str> = addr.split('.').collect();
    if parts.len() != 4 || bits > 32 {
        return None;
    }
    let mut octets = [0u8; 4];
    let mut strict = strict_len;
    for (o, p) in octets.iter_mut().zip(&parts) {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *o = p.parse().ok()?;
        strict &= *p == "0" || !p.starts_with('0');
    }
    Some((IpAddr::V4(Ipv4Addr::from(octets)), bits, strict))
}

fn mask(ip: IpAddr, bits: u8) -> IpAddr {
    match ip {
        IpAddr::V4(a) => {
            let m = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(a) & m))
        }
        IpAddr::V6(a) => {
            let m = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(a) & m))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every case of upstream's `TestGetWarningsForCIDR`
    /// (kubernetes `pkg/api/validation/validation_test.go`).
    #[test]
    fn warnings_follow_upstream() {
        let path = "spec.loadBalancerSourceRanges[0]";
        let w = |v: &str| warnings(path, &Spanned::new(v.to_owned(), crate::source::Span::default()));
        assert!(w("192.12.2.0/24").is_empty());
        assert!(w("2001:db8::/64").is_empty());
        for (cidr, want) in [
            ("192.012.2.0/24", vec![r#"non-standard CIDR value "192.012.2.0/24" will be considered invalid in a future Kubernetes release: use "192.12.2.0/24""#]),
            ("192.12.2.0/024", vec![r#"non-standard CIDR value "192.12.2.0/024" will be considered invalid in a future Kubernetes release: use "192.12.2.0/24""#]),
            ("::ffff:192.12.2.0/120", vec![r#"non-standard CIDR value "::ffff:192.12.2.0/120" will be considered invalid in a future Kubernetes release: use "192.12.2.0/24""#]),
            ("192.12.2.8/24", vec![r#"CIDR value "192.12.2.8/24" is ambiguous in this context (should be "192.12.2.0/24" or "192.12.2.8/32"?)"#]),
            ("192.012.2.8/24", vec![
                r#"CIDR value "192.012.2.8/24" is ambiguous in this context (should be "192.12.2.0/24" or "192.12.2.8/32"?)"#,
                r#"non-standard CIDR value "192.012.2.8/24" will be considered invalid in a future Kubernetes release: use "192.12.2.0/24""#,
            ]),
            ("2001:db8:0:0::/64", vec![r#"IPv6 CIDR value "2001:db8:0:0::/64" should be in RFC 5952 canonical format ("2001:db8::/64")"#]),
        ] {
            let want: Vec<String> = want.into_iter().map(|m| format!("{path}: {m}")).collect();
            assert_eq!(w(cidr), want, "{cidr}");
        }
    }
}
