//! apimachinery's name, label and address primitives (`pkg/util/validation`),
//! each returning the list of messages the API server would print.

use std::net::IpAddr;

const DNS1123_LABEL_MAX: usize = 63;
const DNS1123_SUBDOMAIN_MAX: usize = 253;
const DNS1035_LABEL_MAX: usize = 63;
const QUALIFIED_NAME_MAX: usize = 63;
const LABEL_VALUE_MAX: usize = 63;

fn max_len(n: usize) -> String {
    format!("must be no more than {n} characters")
}

fn is_lower_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn dns1123_label_ok(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && is_lower_alnum(b[0])
        && is_lower_alnum(b[b.len() - 1])
        && b.iter().all(|&c| is_lower_alnum(c) || c == b'-')
}

/// `IsDNS1123Label`.
pub fn dns1123_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > DNS1123_LABEL_MAX {
        errs.push(max_len(DNS1123_LABEL_MAX));
    }
    if !dns1123_label_ok(s) {
        if s.contains('.') && s.split('.').all(dns1123_label_ok) {
            errs.push("must not contain dots".to_owned());
        } else {
            errs.push(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
                    .to_owned(),
            );
        }
    }
    errs
}

/// `IsDNS1123Subdomain`.
pub fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > DNS1123_SUBDOMAIN_MAX {
        errs.push(max_len(DNS1123_SUBDOMAIN_MAX));
    }
    if !s.split('.').all(dns1123_label_ok) {
        errs.push(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
                .to_owned(),
        );
    }
    errs
}

/// `IsWildcardDNS1123Subdomain`: `*.` and a DNS-1123 subdomain.
pub fn wildcard_dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > DNS1123_SUBDOMAIN_MAX {
        errs.push(max_len(DNS1123_SUBDOMAIN_MAX));
    }
    let ok = s
        .strip_prefix("*.")
        .is_some_and(|rest| rest.split('.').all(dns1123_label_ok));
    if !ok {
        errs.push(
            "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
                .to_owned(),
        );
    }
    errs
}

/// `IsValidPathSegmentName`: not `.` or `..`, no `/` or `%`.
pub fn path_segment_name(s: &str) -> Vec<String> {
    if s == "." || s == ".." {
        return vec![format!("may not be '{s}'")];
    }
    ["/", "%"]
        .iter()
        .filter(|c| s.contains(**c))
        .map(|c| format!("may not contain '{c}'"))
        .collect()
}

/// `IsDNS1035Label`.
pub fn dns1035_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > DNS1035_LABEL_MAX {
        errs.push(max_len(DNS1035_LABEL_MAX));
    }
    let b = s.as_bytes();
    let ok = !b.is_empty()
        && b[0].is_ascii_lowercase()
        && is_lower_alnum(b[b.len() - 1])
        && b.iter().all(|&c| is_lower_alnum(c) || c == b'-');
    if !ok {
        errs.push(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
                .to_owned(),
        );
    }
    errs
}

fn qualified_name_part_ok(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

const QUALIFIED_NAME_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/// `IsQualifiedName`: `[prefix/]name`.
pub fn qualified_name(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = s.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_owned());
            } else {
                errs.extend(
                    dns1123_subdomain(prefix)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            *name
        }
        _ => {
            errs.push(format!("{QUALIFIED_NAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_owned());
    } else if name.len() > QUALIFIED_NAME_MAX {
        errs.push(format!("name part {}", max_len(QUALIFIED_NAME_MAX)));
    }
    if !name.is_empty() && !qualified_name_part_ok(name) {
        errs.push(QUALIFIED_NAME_MSG.to_owned());
    }
    errs
}

/// `IsValidLabelValue`.
pub fn label_value(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > LABEL_VALUE_MAX {
        errs.push(max_len(LABEL_VALUE_MAX));
    }
    if !s.is_empty() && !qualified_name_part_ok(s) {
        errs.push(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
                .to_owned(),
        );
    }
    errs
}

/// `IsValidPortName` (`IANA_SVC_NAME)`: each failed sub-check is one message.
pub fn port_name(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 15 {
        errs.push("must be no more than 15 characters".to_owned());
    }
    if !s
        .bytes()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
    {
        errs.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_owned(),
        );
    }
    if s.contains("--") {
        errs.push("must not contain consecutive hyphens".to_owned());
    }
    if !s.bytes().any(|c| c.is_ascii_alphabetic()) {
        errs.push("must contain at least one letter (a-z)".to_owned());
    }
    if s.starts_with('-') || s.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_owned());
    }
    errs
}

/// `IsValidPortNum`.
pub fn port_num(p: i64) -> Vec<String> {
    if (1..=65535).contains(&p) {
        Vec::new()
    } else {
        vec!["must be between 1 and 65535, inclusive".to_owned()]
    }
}

/// Parse an IP as current apimachinery does (`IsValidIP`, strict): no
/// leading zeros, no IPv4-mapped IPv6, no zones.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    let ip: IpAddr = s.parse().ok()?;
    if let IpAddr::V6(v6) = ip
        && (v6.to_ipv4_mapped().is_some() || s.contains('%'))
    {
        return None;
    }
    Some(ip)
}

pub fn ip(s: &str) -> Vec<String> {
    if parse_ip(s).is_some() {
        Vec::new()
    } else {
        vec!["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)".to_owned()]
    }
}

/// A parsed CIDR.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }

    pub fn is_ipv6(&self) -> bool {
        self.addr.is_ipv6()
    }

    /// The number of addresses, saturating.
    pub fn size(&self) -> u128 {
        let bits = if self.addr.is_ipv4() { 32 } else { 128 };
        1u128
            .checked_shl(bits - u32::from(self.prefix))
            .unwrap_or(u128::MAX)
    }

    /// The `n`th address of the range.
    pub fn nth(&self, n: u128) -> IpAddr {
        match self.addr {
            IpAddr::V4(a) => IpAddr::V4(u32::from(a).wrapping_add(n as u32).into()),
            IpAddr::V6(a) => IpAddr::V6(u128::from(a).wrapping_add(n).into()),
        }
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// Parse a CIDR strictly (canonical: no leading zeros in the prefix
/// length, host bits zero).
pub fn parse_cidr(s: &str) -> Option<Cidr> {
    let (a, p) = s.split_once('/')?;
    if p.len() > 1 && p.starts_with('0') {
        return None;
    }
    let net = parse_cidr_legacy(s)?;
    // Host bits must be zero (current `IsValidCIDR`).
    (parse_ip(a)? == net.addr).then_some(net)
}

/// Parse a CIDR as the legacy fields (NetworkPolicy `ipBlock`) still do
/// (`IsValidCIDRForLegacyField` without the strict gate, spec E.1.5.3):
/// host bits may be set and are masked, so `10.0.0.1/8` is `10.0.0.0/8`.
pub fn parse_cidr_legacy(s: &str) -> Option<Cidr> {
    let (a, p) = s.split_once('/')?;
    let addr = parse_ip(a)?;
    if p.is_empty() || p.len() > 3 || !p.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let prefix: u8 = p.parse().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    if prefix > max {
        return None;
    }
    let network = match addr {
        IpAddr::V4(v) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4((u32::from(v) & mask).into())
        }
        IpAddr::V6(v) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6((u128::from(v) & mask).into())
        }
    };
    Some(Cidr {
        addr: network,
        prefix,
    })
}

pub fn cidr(s: &str) -> Vec<String> {
    if parse_cidr(s).is_some() {
        Vec::new()
    } else {
        vec!["must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)".to_owned()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Vectors from apimachinery validation_test.go (TestIsDNS1035Label,
    // TestIsQualifiedName, TestIsValidLabelValue, TestIsValidPortName).
    #[test]
    fn dns1035_labels() {
        for ok in ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", &"a".repeat(63)] {
            assert!(dns1035_label(ok).is_empty(), "{ok}");
        }
        for bad in [
            "0",
            "01",
            "012",
            "1a",
            "1-a",
            "",
            "A",
            "ABC",
            "aBc",
            "a.b",
            "-123",
            &"a".repeat(64),
        ] {
            assert!(!dns1035_label(bad).is_empty(), "{bad}");
        }
        assert_eq!(
            dns1123_label("a.b"),
            vec!["must not contain dots".to_owned()]
        );
    }

    #[test]
    fn qualified_names() {
        let long_prefix = format!("{}/{}", "a".repeat(253), "b".repeat(63));
        for ok in [
            "simple",
            "now-with-dashes",
            "1-starts-with-num",
            "1234",
            "simple/simple",
            "now-with-dashes/simple",
            "1234/5678",
            "1.2.3.4/5678",
            "Uppercase_Is_OK_123",
            "example.com/Uppercase_Is_OK_123",
            &long_prefix,
        ] {
            assert!(qualified_name(ok).is_empty(), "{ok}");
        }
        for bad in [
            "nospecialchars%^=@",
            "cantendwithadash-",
            "-cantstartwithadash-",
            "only/one/slash",
            "Example.com/abc",
            "example_com/abc",
            "example.com/",
            "/simple",
            &"a".repeat(64),
            &format!("{}/b", "a".repeat(254)),
        ] {
            assert!(!qualified_name(bad).is_empty(), "{bad}");
        }
    }

    #[test]
    fn label_values() {
        for ok in [
            "",
            "simple",
            "now-with-dashes",
            "1-starts-with-num",
            "end-with-num-1",
            "1234",
            "Uppercase_Is_OK_123",
            &"a".repeat(63),
        ] {
            assert!(label_value(ok).is_empty(), "{ok}");
        }
        for bad in [
            "nospecialchars%^=@",
            "Tama-nui-te-rā.is_Māori.Sun",
            "\\backslashes\\are\\bad",
            "-starts-with-dash",
            "ends-with-dash-",
            ".starts.with.dot",
            "ends.with.dot.",
            &"a".repeat(64),
        ] {
            assert!(!label_value(bad).is_empty(), "{bad}");
        }
    }

    #[test]
    fn port_names() {
        for ok in [
            "telnet",
            "re-mail-ck",
            "pop3",
            "a",
            "a-1",
            "1-a",
            "a-1-b-2-c-3-d-4",
            "abcdefghijklmno",
        ] {
            assert!(port_name(ok).is_empty(), "{ok}");
        }
        assert_eq!(port_name("abcdefghijklmnop").len(), 1);
        assert_eq!(port_name("Telnet").len(), 1);
        assert_eq!(port_name("re-:mail-ck").len(), 1);
        assert_eq!(port_name("pop3--").len(), 2);
        assert_eq!(port_name("-123").len(), 2);
        assert_eq!(port_name("1234").len(), 1);
    }

    #[test]
    fn ips_and_cidrs() {
        assert!(ip("10.0.0.1").is_empty());
        assert!(ip("2001:db8::1").is_empty());
        assert!(!ip("010.0.0.1").is_empty());
        assert!(!ip("::ffff:1.2.3.4").is_empty());
        assert!(!ip("myhost.mydomain").is_empty());
        assert!(cidr("10.0.0.0/8").is_empty());
        assert!(!cidr("1.2.3.4/33").is_empty());
        assert!(!cidr("1.2.3.4/24").is_empty());
        assert!(!cidr("foo.bar").is_empty());
        let c = parse_cidr("10.96.0.0/12").unwrap();
        assert!(c.contains("10.100.1.1".parse().unwrap()));
        assert!(!c.contains("10.112.0.1".parse().unwrap()));
    }
}
