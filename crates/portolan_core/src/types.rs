//! The enumerated values of the Service API, typed. Validation reads the
//! manifest's strings exactly as the API server does (and reports the ones
//! it rejects); everything after it — the snapshot, kube-proxy, DNS, the
//! lints — works with these. A rejected object's invalid value reads as the
//! API server's default (it never reaches a real cluster).

use std::fmt;

use serde::Serialize;

/// Why an option's value is not one of `allowed`: "must be A, B or C, not
/// 'x'". Hosts put their own option name in front (`--proxy-mode` on the
/// command line, `proxyMode` in JavaScript); the check and the words are
/// the core's.
pub fn not_one_of(allowed: &[&str], given: &str) -> String {
    let list = match allowed {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    format!("must be {list}, not '{given}'")
}

macro_rules! api_enum {
    (
        $(#[$meta:meta])*
        $name:ident, default $default:ident, { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in the API's order.
            pub const ALL: &[$name] = &[$($name::$variant),+];

            /// The value the API spells `text` (case-sensitive, as the API
            /// server compares).
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// `text` read as the snapshot reads it: unknown values (which
            /// validation rejects) as the default.
            pub fn or_default(text: &str) -> Self {
                Self::parse(text).unwrap_or($name::$default)
            }

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// A host's option value, in any case (`tcp` is TCP); `Err`
            /// says which values are allowed.
            pub fn from_option(text: &str) -> Result<Self, String> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(text))
                    .ok_or_else(|| not_one_of(&[$($text),+], text))
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::$default
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

api_enum! {
    /// `spec.type` (spec A.2).
    ServiceType, default ClusterIP, {
        ClusterIP = "ClusterIP",
        NodePort = "NodePort",
        LoadBalancer = "LoadBalancer",
        ExternalName = "ExternalName",
    }
}

api_enum! {
    /// A port's `protocol` (spec A.3).
    Protocol, default Tcp, {
        Tcp = "TCP",
        Udp = "UDP",
        Sctp = "SCTP",
    }
}

api_enum! {
    /// `externalTrafficPolicy` and `internalTrafficPolicy` (spec A.10, A.11).
    TrafficPolicy, default Cluster, {
        Cluster = "Cluster",
        Local = "Local",
    }
}

api_enum! {
    /// `sessionAffinity` (spec A.9).
    SessionAffinity, default None, {
        None = "None",
        ClientIP = "ClientIP",
    }
}

impl ServiceType {
    /// Reachable from outside the cluster through node ports.
    pub fn has_node_ports(self) -> bool {
        matches!(self, ServiceType::NodePort | ServiceType::LoadBalancer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_and_print_as_the_api_spells_them() {
        for t in ServiceType::ALL {
            assert_eq!(ServiceType::parse(t.as_str()), Some(*t));
            assert_eq!(serde_json::to_string(t).unwrap(), format!("\"{t}\""));
        }
        assert_eq!(Protocol::parse("TCP"), Some(Protocol::Tcp));
        assert_eq!(
            Protocol::parse("tcp"),
            None,
            "case-sensitive, as the API server"
        );
        assert_eq!(ServiceType::or_default("Nodeport"), ServiceType::ClusterIP);
        assert_eq!(SessionAffinity::default().as_str(), "None");
        assert_eq!(TrafficPolicy::or_default("Local"), TrafficPolicy::Local);
    }
}
