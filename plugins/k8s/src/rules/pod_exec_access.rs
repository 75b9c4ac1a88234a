//! ## What it does
//! Flags a Role or ClusterRole that allows `pods/exec` or `pods/attach`
//! (with the `create` or `get` verb, or `*`). Points at the resource.
//!
//! Not flagged: a role whose reach is one namespace (a Role, or a
//! ClusterRole granted only through RoleBindings) when every binding of it
//! in the files names ServiceAccounts only. That is automation whose job is
//! to exec into its neighbours (a chaos-testing runner, an MPI launcher
//! starting its workers), scoped to its namespace. Exec for people, exec in
//! every namespace (a ClusterRoleBinding), and a role no binding in the
//! files grants (its subjects are unknown) stay findings.
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

/// Whether the role is granted in the files, only within a namespace, and only to ServiceAccounts.
fn namespaced_automation(repo: &Repo, role: &Object) -> bool {
    let bindings: Vec<&Object> = repo
        .objects
        .iter()
        .filter(|b| matches!(b.kind.as_str(), "RoleBinding" | "ClusterRoleBinding"))
        .filter(|b| b.node.str_at("roleRef.kind") == Some(role.kind.as_str()) && b.node.str_at("roleRef.name") == Some(role.name.as_str()))
        .filter(|b| role.kind == "ClusterRole" || b.same_namespace(role))
        .collect();
    let service_accounts = |b: &&Object| {
        let subjects = b.node.get("subjects").map(Node::items).unwrap_or(&[]);
        !subjects.is_empty() && subjects.iter().all(|s| s.str("kind") == Some("ServiceAccount"))
    };
    !bindings.is_empty() && bindings.iter().all(|b| b.kind == "RoleBinding") && bindings.iter().all(service_accounts)
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for o in repo.objects.iter().filter(|o| matches!(o.kind.as_str(), "Role" | "ClusterRole")) {
        if !cx.reports_doc(o.doc) {
            continue;
        }
        if namespaced_automation(repo, o) {
            continue;
        }
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
