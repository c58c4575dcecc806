//! A realistic cluster snapshot of any size, shaped like `kubectl get
//! svc,deploy,pods,nodes -A -o yaml` (one `kind: List`), for benchmarks and
//! large-input tests (`cargo xtask gen`). Deterministic for given sizes.

use std::fmt::Write as _;

/// The snapshot text: Nodes, then per app a Service, a Deployment and its Pods.
pub fn generate(services: usize, pods: usize) -> String {
    let nodes = (pods / 30).clamp(3, 500);
    let mut s = String::with_capacity(pods * 2600 + services * 1800);
    s.push_str("apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n");
    for n in 0..nodes {
        let _ = write!(
            s,
            "- apiVersion: v1\n  kind: Node\n  metadata:\n    name: node-{n}\n    uid: {uid}\n    resourceVersion: \"{rv}\"\n    labels:\n      kubernetes.io/hostname: node-{n}\n      topology.kubernetes.io/zone: zone-{z}\n  status:\n    addresses:\n    - type: InternalIP\n      address: 10.0.{a}.{b}\n    - type: Hostname\n      address: node-{n}\n",
            uid = uid(n, 1),
            rv = 1000 + n,
            z = n % 3,
            a = n / 250,
            b = n % 250 + 2,
        );
    }
    for i in 0..services {
        let ns = format!("team-{}", i % 20);
        let app = format!("app-{i}");
        let replicas = pods / services + usize::from(i < pods % services);
        let ip = 0x0a60_0000u32 + 10 + i as u32;
        let _ = write!(
            s,
            "- apiVersion: v1\n  kind: Service\n  metadata:\n    name: {app}\n    namespace: {ns}\n    uid: {uid}\n    resourceVersion: \"{rv}\"\n    creationTimestamp: \"2026-01-01T00:00:00Z\"\n    labels:\n      app.kubernetes.io/name: {app}\n      app.kubernetes.io/part-of: shop\n  spec:\n    type: ClusterIP\n    clusterIP: {cip}\n    clusterIPs:\n    - {cip}\n    ipFamilies:\n    - IPv4\n    ipFamilyPolicy: SingleStack\n    internalTrafficPolicy: Cluster\n    sessionAffinity: None\n    selector:\n      app.kubernetes.io/name: {app}\n    ports:\n    - name: http\n      port: 80\n      protocol: TCP\n      targetPort: http\n    - name: metrics\n      port: 9090\n      protocol: TCP\n      targetPort: 9090\n  status:\n    loadBalancer: {{}}\n",
            uid = uid(i, 2),
            rv = 5000 + i,
            cip = ipv4(ip),
        );
        let _ = write!(
            s,
            "- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: {app}\n    namespace: {ns}\n    uid: {uid}\n    resourceVersion: \"{rv}\"\n    generation: 1\n    labels:\n      app.kubernetes.io/name: {app}\n  spec:\n    replicas: {replicas}\n    selector:\n      matchLabels:\n        app.kubernetes.io/name: {app}\n    template:\n      metadata:\n        labels:\n          app.kubernetes.io/name: {app}\n          app.kubernetes.io/part-of: shop\n      spec:\n        containers:\n        - name: server\n          image: registry.example/{app}:1.{i}\n          ports:\n          - name: http\n            containerPort: 8080\n            protocol: TCP\n          - name: metrics\n            containerPort: 9090\n            protocol: TCP\n",
            uid = uid(i, 3),
            rv = 9000 + i,
        );
        for r in 0..replicas {
            let pod_ip = 0x0af4_0000u32 + 2 + (i * 1000 + r) as u32 % 0xfff0;
            let node = (i + r) % nodes;
            let ready = !(r == 0 && i % 17 == 3);
            let _ = write!(
                s,
                "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: {app}-5d8f{h:05x}-{r}x{i}\n    namespace: {ns}\n    uid: {uid}\n    resourceVersion: \"{rv}\"\n    creationTimestamp: \"2026-01-01T00:00:00Z\"\n    labels:\n      app.kubernetes.io/name: {app}\n      app.kubernetes.io/part-of: shop\n      pod-template-hash: 5d8f{h:05x}\n    ownerReferences:\n    - apiVersion: apps/v1\n      kind: ReplicaSet\n      name: {app}-5d8f{h:05x}\n      uid: {owner}\n      controller: true\n  spec:\n    nodeName: node-{node}\n    containers:\n    - name: server\n      image: registry.example/{app}:1.{i}\n      ports:\n      - name: http\n        containerPort: 8080\n        protocol: TCP\n      - name: metrics\n        containerPort: 9090\n        protocol: TCP\n      resources:\n        requests:\n          cpu: 100m\n          memory: 128Mi\n  status:\n    phase: Running\n    hostIP: 10.0.{a}.{b}\n    podIP: {pip}\n    podIPs:\n    - ip: {pip}\n    conditions:\n    - type: Initialized\n      status: \"True\"\n    - type: Ready\n      status: \"{ready}\"\n    - type: ContainersReady\n      status: \"{ready}\"\n    - type: PodScheduled\n      status: \"True\"\n",
                h = i * 7919 % 0xfffff,
                uid = uid(i * 1000 + r, 4),
                rv = 20000 + i * 10 + r,
                owner = uid(i, 5),
                a = node / 250,
                b = node % 250 + 2,
                pip = ipv4(pod_ip),
                ready = if ready { "True" } else { "False" },
            );
        }
    }
    s
}

/// `count` NetworkPolicies for a snapshot of [`generate`] with `services`
/// apps, as YAML documents to append after it (`---` first): in turn an
/// ingress rule from the shop's pods of the namespace, one from a single
/// app of the next namespace, an egress rule to the shop's pods anywhere
/// and to cluster DNS, and an ipBlock on the metrics port for clients
/// outside the cluster (everything but the private ranges).
pub fn policies(services: usize, count: usize) -> String {
    let mut s = String::with_capacity(count * 700);
    let services = services.max(1);
    for k in 0..count {
        let j = k % services;
        let (ns, app) = (format!("team-{}", j % 20), format!("app-{j}"));
        let next = (j + 1) % services;
        let _ = write!(
            s,
            "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: policy-{k}\n  namespace: {ns}\nspec:\n  podSelector:\n    matchLabels:\n      app.kubernetes.io/name: {app}\n"
        );
        let _ = match k % 4 {
            0 => write!(
                s,
                "  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          app.kubernetes.io/part-of: shop\n    ports:\n    - port: http\n"
            ),
            1 => write!(
                s,
                "  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: team-{}\n      podSelector:\n        matchLabels:\n          app.kubernetes.io/name: app-{next}\n    ports:\n    - port: 8080\n",
                next % 20
            ),
            2 => write!(
                s,
                "  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector: {{}}\n      podSelector:\n        matchLabels:\n          app.kubernetes.io/part-of: shop\n    ports:\n    - port: http\n  - to:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: kube-system\n    ports:\n    - port: 53\n      protocol: UDP\n    - port: 53\n      protocol: TCP\n"
            ),
            _ => write!(
                s,
                "  ingress:\n  - from:\n    - ipBlock:\n        cidr: 0.0.0.0/0\n        except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]\n    ports:\n    - port: metrics\n"
            ),
        };
    }
    s
}

fn ipv4(v: u32) -> String {
    let o = v.to_be_bytes();
    format!("{}.{}.{}.{}", o[0], o[1], o[2], o[3])
}

fn uid(n: usize, kind: u32) -> String {
    format!(
        "{kind:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        n >> 16,
        (n >> 4) & 0xfff,
        n & 0xfff,
        n
    )
}
