//! ## What it does
//! Flags a ClusterRoleBinding or RoleBinding that grants the `cluster-admin`
//! ClusterRole. Points at the role name.
//!
//! ## Why is this bad?
//! `cluster-admin` can do anything in the cluster. A compromised pod or
//! leaked token of that subject owns the cluster.
//!
//! ## Example
//! ```yaml
//! kind: ClusterRoleBinding
//! roleRef:
//!   kind: ClusterRole
//!   name: cluster-admin
//! ```
//!
//! ## Use instead
//! Bind a role that lists the resources and verbs the subject needs.
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a binding grants cluster-admin",
    severity: Severity::High,
    tags: &["security"],
    aliases: &["cluster-admin-role-binding"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for o in repo.objects.iter().filter(|o| matches!(o.kind.as_str(), "ClusterRoleBinding" | "RoleBinding")) {
        let Some(name) = o.node.at("roleRef.name") else { continue };
        if name.as_str() == Some("cluster-admin") && o.node.str_at("roleRef.kind") == Some("ClusterRole") {
            cx.report_in(o.doc, name.span.clone(), format!("{} grants `cluster-admin`", o.display()))
                .help("bind a narrower role with only the permissions the subject needs");
        }
    }
}
