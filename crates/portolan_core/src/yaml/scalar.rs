//! Plain-scalar resolution exactly as kubectl reads YAML: sigs.k8s.io/yaml on
//! go-yaml v2, i.e. YAML 1.1 (`resolve.go`): `y/yes/on` and friends are
//! booleans, `0777` is octal, `0x50` hex, `0b101` binary, `8_080` has its
//! underscores dropped, `~` is null, timestamps stay strings.
//!
//! [`yaml12_differs`] tells where a YAML 1.2 (core schema) reader would see a
//! different value, so users can be warned before another tool disagrees.

use super::tree::{Kind, Node, Style};

/// A scalar's value after YAML 1.1 resolution.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved<'n> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'n str),
    /// Not a scalar.
    Collection,
}

impl Resolved<'_> {
    pub fn type_name(&self) -> &'static str {
        match self {
            Resolved::Null => "null",
            Resolved::Bool(_) => "boolean",
            Resolved::Int(_) => "integer",
            Resolved::Float(_) => "number",
            Resolved::Str(_) => "string",
            Resolved::Collection => "collection",
        }
    }
}

const TAG_PREFIX: &str = "tag:yaml.org,2002:";

impl Node<'_> {
    /// Resolve this node as go-yaml v2 would when decoding into `interface{}`.
    pub fn resolve(&self) -> Resolved<'_> {
        let Kind::Scalar(text, style) = &self.kind else {
            return Resolved::Collection;
        };
        if let Some(tag) = self.tag.as_deref() {
            if let Some(short) = tag.strip_prefix(TAG_PREFIX) {
                return match short {
                    "str" | "binary" | "timestamp" => Resolved::Str(text),
                    "null" => Resolved::Null,
                    _ => resolve_plain(text),
                };
            }
            if tag != "!" {
                return resolve_or_str(text, *style);
            }
            return Resolved::Str(text);
        }
        resolve_or_str(text, *style)
    }
}

fn resolve_or_str(text: &str, style: Style) -> Resolved<'_> {
    if style == Style::Plain {
        resolve_plain(text)
    } else {
        Resolved::Str(text)
    }
}

/// go-yaml v2 `resolve()` for an untagged plain scalar.
pub fn resolve_plain(text: &str) -> Resolved<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Resolved::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Resolved::Bool(false);
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        _ => {}
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return Resolved::Str(text);
    }
    if let Some(i) = parse_go_int(text) {
        return Resolved::Int(i);
    }
    if is_yaml_float(text) {
        let cleaned: String = text.chars().filter(|&c| c != '_').collect();
        if let Ok(f) = cleaned.parse::<f64>() {
            return Resolved::Float(f);
        }
    }
    Resolved::Str(text)
}

/// `strconv.ParseInt(strings.Replace(s, "_", "", -1), 0, 64)`: sign, then
/// `0x`/`0o`/`0b` prefixes or a leading `0` for octal.
fn parse_go_int(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    // Addresses, names and the like are rejected without allocating, and
    // plain decimals (ports, counts) are read directly.
    if !b
        .iter()
        .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'+' | b'-'))
    {
        return None;
    }
    let sign = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = &b[sign..];
    if !digits.is_empty()
        && digits.iter().all(u8::is_ascii_digit)
        && (digits.len() == 1 || digits[0] != b'0')
    {
        return text.parse::<i64>().ok();
    }
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    let (neg, digits) = match plain.as_bytes().first()? {
        b'-' => (true, &plain[1..]),
        b'+' => (false, &plain[1..]),
        _ => (false, plain.as_str()),
    };
    if digits.is_empty() {
        return None;
    }
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = if let Some(b) = lower.strip_prefix("0x") {
        (16, b)
    } else if let Some(b) = lower.strip_prefix("0o") {
        (8, b)
    } else if let Some(b) = lower.strip_prefix("0b") {
        (2, b)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(body, radix).ok()?;
    let value = if neg { -magnitude } else { magnitude };
    i64::try_from(value).ok()
}

/// go-yaml v2's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let frac_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if int_digits == 0 && i == frac_start {
            return false;
        }
    } else if int_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

/// What a YAML 1.2 core-schema reader makes of a plain scalar, when it differs
/// from the YAML 1.1 reading kubectl uses. Returns a short description of the
/// 1.2 reading.
pub fn yaml12_differs(text: &str) -> Option<&'static str> {
    let v11 = resolve_plain(text);
    let v12 = resolve_core12(text);
    match (&v11, &v12) {
        (Resolved::Float(a), Resolved::Float(b)) if a.is_nan() && b.is_nan() => None,
        _ if v11 == v12 => None,
        (_, Resolved::Str(_)) => Some("a string"),
        (_, Resolved::Int(_)) => Some("a different integer"),
        (_, Resolved::Bool(_)) => Some("a boolean"),
        (_, Resolved::Float(_)) => Some("a number"),
        (_, Resolved::Null) => Some("null"),
        _ => Some("a different value"),
    }
}

/// The YAML 1.2.2 core schema (10.3.2).
fn resolve_core12(text: &str) -> Resolved<'_> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" => return Resolved::Bool(true),
        "false" | "False" | "FALSE" => return Resolved::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Resolved::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        _ => {}
    }
    if let Some(oct) = text.strip_prefix("0o")
        && !oct.is_empty()
        && oct.bytes().all(|c| (b'0'..=b'7').contains(&c))
    {
        return i64::from_str_radix(oct, 8).map_or(Resolved::Str(text), Resolved::Int);
    }
    if let Some(hex) = text.strip_prefix("0x")
        && !hex.is_empty()
        && hex.bytes().all(|c| c.is_ascii_hexdigit())
    {
        return i64::from_str_radix(hex, 16).map_or(Resolved::Str(text), Resolved::Int);
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) {
        return text
            .parse::<i64>()
            .map_or(Resolved::Str(text), Resolved::Int);
    }
    if is_yaml_float(text)
        && let Ok(f) = text.parse::<f64>()
    {
        return Resolved::Float(f);
    }
    Resolved::Str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml11_booleans_as_kubectl_reads_them() {
        for t in [
            "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True",
        ] {
            assert_eq!(resolve_plain(t), Resolved::Bool(true), "{t}");
        }
        for t in ["n", "no", "NO", "off", "Off", "false", "FALSE"] {
            assert_eq!(resolve_plain(t), Resolved::Bool(false), "{t}");
        }
        assert_eq!(resolve_plain("yEs"), Resolved::Str("yEs"));
    }

    #[test]
    fn yaml11_integers() {
        assert_eq!(resolve_plain("0777"), Resolved::Int(0o777));
        assert_eq!(resolve_plain("0x50"), Resolved::Int(80));
        assert_eq!(resolve_plain("0b101"), Resolved::Int(5));
        assert_eq!(resolve_plain("8_080"), Resolved::Int(8080));
        assert_eq!(resolve_plain("-42"), Resolved::Int(-42));
        assert_eq!(resolve_plain("+7"), Resolved::Int(7));
        assert_eq!(resolve_plain("0"), Resolved::Int(0));
        // `09` is not octal; go-yaml falls back to its float pattern, which accepts it.
        assert_eq!(resolve_plain("09"), Resolved::Float(9.0));
        // The decimal fast path agrees with strconv.ParseInt at the edges.
        assert_eq!(resolve_plain("-0"), Resolved::Int(0));
        assert_eq!(resolve_plain("+0"), Resolved::Int(0));
        assert_eq!(
            resolve_plain("9223372036854775807"),
            Resolved::Int(i64::MAX)
        );
        assert_eq!(
            resolve_plain("-9223372036854775808"),
            Resolved::Int(i64::MIN)
        );
        assert_eq!(
            resolve_plain("9223372036854775808"),
            Resolved::Float(9_223_372_036_854_775_808.0)
        );
        assert_eq!(resolve_plain("10.244.0.2"), Resolved::Str("10.244.0.2"));
        assert_eq!(resolve_plain("100m"), Resolved::Str("100m"));
        assert_eq!(resolve_plain("0X1F"), Resolved::Int(31));
    }

    #[test]
    fn floats_nulls_and_strings() {
        assert_eq!(resolve_plain("1.5"), Resolved::Float(1.5));
        assert_eq!(resolve_plain(".5"), Resolved::Float(0.5));
        assert_eq!(resolve_plain("1e3"), Resolved::Float(1000.0));
        assert_eq!(resolve_plain("~"), Resolved::Null);
        assert_eq!(resolve_plain("2001-12-14"), Resolved::Str("2001-12-14"));
        assert_eq!(resolve_plain("1.2.3"), Resolved::Str("1.2.3"));
        assert_eq!(resolve_plain("-"), Resolved::Str("-"));
        assert_eq!(resolve_plain("."), Resolved::Str("."));
    }

    #[test]
    fn yaml12_disagreements_are_found() {
        assert_eq!(yaml12_differs("yes"), Some("a string"));
        assert_eq!(yaml12_differs("off"), Some("a string"));
        assert_eq!(yaml12_differs("0777"), Some("a different integer"));
        assert_eq!(yaml12_differs("8_080"), Some("a string"));
        assert_eq!(yaml12_differs("0b11"), Some("a string"));
        assert_eq!(yaml12_differs("true"), None);
        assert_eq!(yaml12_differs("80"), None);
        assert_eq!(yaml12_differs("0x50"), None);
        assert_eq!(yaml12_differs("nginx"), None);
    }
}
