//! The bundled real-world examples (attribution in `www/examples/ATTRIBUTION.md`).

pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub source: &'static str,
    /// The example this one adds to: its text comes first (kept once in
    /// the page's wasm, not once per example that uses it).
    pub extends: Option<usize>,
    /// This example's own manifests.
    pub text: &'static str,
}

impl Example {
    /// The whole text: the extended example's, then this one's own.
    pub fn full(&self) -> std::borrow::Cow<'static, str> {
        match self.extends.and_then(|i| EXAMPLES.get(i)) {
            Some(base) => format!("{}\n---\n{}", base.full(), self.text).into(),
            None => self.text.into(),
        }
    }
}

pub const EXAMPLES: &[Example] = &[
    Example {
        id: "online-boutique",
        title: "Online Boutique (12 services)",
        source: "GoogleCloudPlatform/microservices-demo, Apache-2.0",
        extends: None,
        text: include_str!("../examples/online-boutique.yaml"),
    },
    Example {
        id: "bookinfo",
        title: "Bookinfo (reviews selects 3 versions)",
        source: "istio/istio, Apache-2.0",
        extends: None,
        text: include_str!("../examples/bookinfo.yaml"),
    },
    Example {
        id: "bookinfo-gateway",
        title: "Bookinfo behind a Gateway (Gateway API)",
        source: "istio/istio, Apache-2.0",
        extends: Some(1),
        text: include_str!("../examples/bookinfo-gateway.yaml"),
    },
    Example {
        id: "guestbook",
        title: "Guestbook (NodePort)",
        source: "kubernetes/examples, Apache-2.0",
        extends: None,
        text: include_str!("../examples/guestbook-all-in-one.yaml"),
    },
    Example {
        id: "zookeeper",
        title: "ZooKeeper (headless StatefulSet)",
        source: "kubernetes/website, CC-BY-4.0",
        extends: None,
        text: include_str!("../examples/zookeeper.yaml"),
    },
    Example {
        id: "online-boutique-netpols",
        title: "Online Boutique with its NetworkPolicies",
        source: "GoogleCloudPlatform/microservices-demo, Apache-2.0",
        extends: Some(0),
        text: include_str!("../examples/online-boutique-netpols.yaml"),
    },
];

/// The example the page opens on.
pub const DEFAULT: usize = 0;
