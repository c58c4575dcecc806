//! `portolan diff --base-ref REF PATH`: BASE is PATH at a git revision,
//! read by running `git` (interfaces.md §6.4), in a temporary repository.

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n";
const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]\n";

#[test]
fn base_ref_reads_the_base_side_from_git() {
    let dir = std::env::temp_dir().join(format!("portolan-diff-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("k8s/.hidden")).unwrap();
    git(&dir, &["init", "-q"]);
    std::fs::write(dir.join("k8s/service.yaml"), SERVICE).unwrap();
    std::fs::write(dir.join("k8s/deployment.yaml"), DEPLOYMENT).unwrap();
    std::fs::write(dir.join("k8s/.hidden/skip.yaml"), "kind: Nonsense\n").unwrap();
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "base"]);
    // The pull request: the Deployment's labels no longer match.
    std::fs::write(
        dir.join("k8s/deployment.yaml"),
        DEPLOYMENT.replace(
            "app: web}}\n  template:\n    metadata: {labels: {app: web}}",
            "app: webapp}}\n  template:\n    metadata: {labels: {app: webapp}}",
        ),
    )
    .unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_portolan"))
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("portolan runs")
    };
    let out = run(&["diff", "--base-ref", "HEAD", "k8s", "--format", "json"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let kinds: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["endpoints-lost", "service-unreachable"], "{stdout}");
    assert_eq!(v["changes"][0]["file"], "k8s/service.yaml");
    // Nothing changed at HEAD itself: no change, exit 0.
    git(&dir, &["commit", "-q", "-am", "head"]);
    let out = run(&["diff", "--base-ref", "HEAD", "k8s"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "no change to routing\n"
    );
    // A revision git does not know is a usage error that says so.
    let out = run(&["diff", "--base-ref", "no-such-ref", "k8s"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--base-ref no-such-ref"));
    let _ = std::fs::remove_dir_all(&dir);
}
