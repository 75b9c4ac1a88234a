//! ## What it does
//! Flags a Role or ClusterRole rule with `*` in `verbs`, `resources` or
//! `apiGroups`. Points at the wildcard.
//!
//! ## Why is this bad?
//! A wildcard grants everything, including resources and verbs added by
//! future versions and CRDs: secrets, `escalate`, `impersonate`, `bind`.
//!
//! ## Example
//! ```yaml
//! rules:
//!   - apiGroups: ["*"]
//!     resources: ["*"]
//!     verbs: ["*"]
//! ```
//!
//! ## Use instead
//! ```yaml
//! rules:
//!   - apiGroups: ["apps"]
//!     resources: ["deployments"]
//!     verbs: ["get", "list", "watch"]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an RBAC rule uses a wildcard",
    severity: Severity::High,
    tags: &["security"],
    aliases: &["CKV_K8S_49", "wildcard-in-rules"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for o in repo.objects.iter().filter(|o| matches!(o.kind.as_str(), "Role" | "ClusterRole")) {
        for rule in o.node.get("rules").map(Node::items).unwrap_or(&[]) {
            for field in ["verbs", "resources", "apiGroups"] {
                for item in rule.get(field).map(Node::items).unwrap_or(&[]) {
                    if item.as_str() == Some("*") {
                        cx.report_in(o.doc, item.span.clone(), format!("{}: `{field}` contains `*`", o.display()))
                            .help(format!("list the {field} the subject needs explicitly"));
                    }
                }
            }
        }
    }
}
