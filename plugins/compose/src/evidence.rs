//! Facts for other plugins: each compose file this plugin read, and each
//! service as its file writes it (not merged), so the backup plugin's
//! inventory reads compose files through this plugin instead of a second time.
use opslint_sdk::{Ctx, EvidenceMeta, EvidenceValue};
use opslint_yaml::Node;

use crate::model::Repo;

pub fn meta() -> Vec<EvidenceMeta> {
    let e = |key: &str, description: &str| EvidenceMeta { key: key.into(), description: description.into() };
    vec![
        e(
            "compose/file",
            "a compose file this plugin read in full (valid YAML, one document): `services=N`, or `format=1` for a file in compose format 1",
        ),
        e(
            "compose/service",
            "a service as its compose file writes it (one fact each, at its name; not merged): `name=`, `image=` (as written), `build=` (the Dockerfile it builds, a repository path), and one item per `port=`, `depends_on=`, `mount=` (container path), `env=` (variable name); `command=`, `entrypoint=`, `environment=` (their words)",
        ),
    ]
}

pub fn collect(cx: &mut Ctx, repo: &Repo) {
    for f in repo.files.iter().filter(|f| f.named && !f.sample && !f.multi) {
        let at = f.root.entries().first().map(|e| e.key.span.clone());
        if f.v1 {
            cx.evidence_in(f.doc, "compose/file", EvidenceValue::Text("format=1".into()), at);
            continue;
        }
        let services = f.root.get("services").map(Node::entries).unwrap_or(&[]);
        cx.evidence_in(f.doc, "compose/file", EvidenceValue::Text(format!("services={}", services.len())), at);
        for e in services {
            let Some(name) = e.key_str() else { continue };
            let items = service_items(&f.path, name, &e.value);
            cx.evidence_in(f.doc, "compose/service", EvidenceValue::Items(items), Some(e.key.span.clone()));
        }
    }
}

fn service_items(path: &str, name: &str, svc: &Node) -> Vec<String> {
    let mut out = vec![format!("name={name}")];
    if let Some(image) = svc.str("image") {
        out.push(format!("image={image}"));
    }
    if let Some(dockerfile) = build_dockerfile(path, svc) {
        out.push(format!("build={dockerfile}"));
    }
    let scalars = |n: Option<&Node>| -> Vec<String> {
        match n {
            Some(n) if n.is_map() => n.entries().iter().filter_map(|e| e.key_str().map(str::to_string)).collect(),
            Some(n) => n.items().iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
            None => Vec::new(),
        }
    };
    out.extend(scalars(svc.get("ports")).into_iter().map(|p| format!("port={p}")));
    out.extend(scalars(svc.get("depends_on")).into_iter().map(|d| format!("depends_on={d}")));
    for v in svc.get("volumes").map(Node::items).unwrap_or(&[]) {
        let target = match v.as_str() {
            Some(s) => s.split(':').nth(1).map(str::to_string),
            None => v.str("target").map(str::to_string),
        };
        out.extend(target.map(|t| format!("mount={t}")));
    }
    if let Some(env) = svc.get("environment") {
        let keys: Vec<String> = if env.is_map() {
            env.entries().iter().filter_map(|e| e.key_str().map(str::to_string)).collect()
        } else {
            env.items()
                .iter()
                .filter_map(|i| i.as_str().map(|s| s.split('=').next().unwrap_or(s).to_string()))
                .collect()
        };
        out.extend(keys.into_iter().map(|k| format!("env={k}")));
    }
    for key in ["command", "entrypoint", "environment"] {
        out.push(format!("{key}={}", words(svc.get(key))));
    }
    out
}

/// The Dockerfile a service builds, as a repository path (`build: ./db` → `db/Dockerfile`).
fn build_dockerfile(compose_path: &str, svc: &Node) -> Option<String> {
    let build = svc.get("build")?;
    let (context, file) = match build.as_str() {
        Some(c) => (c.to_string(), "Dockerfile".to_string()),
        None => (
            build.str("context").unwrap_or(".").to_string(),
            build.str("dockerfile").unwrap_or("Dockerfile").to_string(),
        ),
    };
    if context.contains("://") || context.contains('$') {
        return None;
    }
    let dir = compose_path.rsplit_once('/').map_or("", |(d, _)| d);
    let mut parts: Vec<&str> = Vec::new();
    for p in dir.split('/').chain(context.split('/')).chain(file.split('/')) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// A node's scalars as words (`key: ` before map values), as the backup plugin scans them.
fn words(node: Option<&Node>) -> String {
    fn walk(node: &Node, out: &mut String) {
        match &node.value {
            opslint_yaml::Value::Scalar(s) => {
                out.push_str(&s.text);
                out.push(' ');
            }
            opslint_yaml::Value::Seq(items) => items.iter().for_each(|n| walk(n, out)),
            opslint_yaml::Value::Map(entries) => entries.iter().for_each(|e| {
                if let Some(k) = e.key_str() {
                    out.push_str(k);
                    out.push_str(": ");
                }
                walk(&e.value, out)
            }),
        }
    }
    let mut s = String::new();
    if let Some(n) = node {
        walk(n, &mut s);
    }
    s
}
