//! The bundled real-world examples (attribution in `www/examples/ATTRIBUTION.md`).

pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub source: &'static str,
    pub text: &'static str,
}

pub const EXAMPLES: &[Example] = &[
    Example {
        id: "online-boutique",
        title: "Online Boutique (12 services)",
        source: "GoogleCloudPlatform/microservices-demo, Apache-2.0",
        text: include_str!("../examples/online-boutique.yaml"),
    },
    Example {
        id: "online-boutique-netpols",
        title: "Online Boutique with its NetworkPolicies",
        source: "GoogleCloudPlatform/microservices-demo, Apache-2.0",
        text: concat!(
            include_str!("../examples/online-boutique.yaml"),
            "\n---\n",
            include_str!("../examples/online-boutique-netpols.yaml")
        ),
    },
    Example {
        id: "bookinfo",
        title: "Bookinfo (reviews selects 3 versions)",
        source: "istio/istio, Apache-2.0",
        text: include_str!("../examples/bookinfo.yaml"),
    },
    Example {
        id: "bookinfo-gateway",
        title: "Bookinfo behind a Gateway (Gateway API)",
        source: "istio/istio, Apache-2.0",
        text: concat!(
            include_str!("../examples/bookinfo.yaml"),
            "\n---\n",
            include_str!("../examples/bookinfo-gateway.yaml")
        ),
    },
    Example {
        id: "guestbook",
        title: "Guestbook (NodePort)",
        source: "kubernetes/examples, Apache-2.0",
        text: include_str!("../examples/guestbook-all-in-one.yaml"),
    },
    Example {
        id: "zookeeper",
        title: "ZooKeeper (headless StatefulSet)",
        source: "kubernetes/website, CC-BY-4.0",
        text: include_str!("../examples/zookeeper.yaml"),
    },
];

/// The example the page opens on.
pub const DEFAULT: usize = 0;
