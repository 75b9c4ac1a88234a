//! ## What it does
//! Flags a Role or ClusterRole that allows `pods/exec` or `pods/attach`
//! (with the `create` or `get` verb, or `*`). Points at the resource.
//!
//! ## Why is this bad?
//! Exec into a pod is a shell with the pod's identity, secrets and network:
//! the subject can read every secret mounted in any pod it can reach.
//!
//! ## Example
//! ```yaml
//! rules:
//!   - apiGroups: [""]
//!     resources: ["pods", "pods/exec"]
//!     verbs: ["get", "create"]
//! ```
//!
//! ## Use instead
//! ```yaml
//! rules:
//!   - apiGroups: [""]
//!     resources: ["pods", "pods/log"]
//!     verbs: ["get", "list"]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an RBAC role allows exec or attach into pods",
    severity: Severity::Medium,
    tags: &["security"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for o in repo.objects.iter().filter(|o| matches!(o.kind.as_str(), "Role" | "ClusterRole")) {
        for rule in o.node.get("rules").map(Node::items).unwrap_or(&[]) {
            let verbs: Vec<&str> = rule.get("verbs").map(Node::items).unwrap_or(&[]).iter().filter_map(Node::as_str).collect();
            if !verbs.iter().any(|v| matches!(*v, "create" | "get" | "*")) {
                continue;
            }
            for r in rule.get("resources").map(Node::items).unwrap_or(&[]) {
                if let Some(res @ ("pods/exec" | "pods/attach")) = r.as_str() {
                    cx.report_in(o.doc, r.span.clone(), format!("{} allows `{res}`", o.display()))
                        .help("remove exec/attach access; grant it only to break-glass roles");
                }
            }
        }
    }
}
