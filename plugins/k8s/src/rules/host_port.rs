//! ## What it does
//! Flags a container port with a `hostPort`.
//!
//! ## Why is this bad?
//! A host port binds the node's interface: it bypasses Services and network
//! policies, limits scheduling to one such pod per node, and exposes the
//! container on the node's address.
//!
//! ## Example
//! ```yaml
//! ports:
//!   - containerPort: 8080
//!     hostPort: 8080
//! ```
//!
//! ## Use instead
//! ```yaml
//! ports:
//!   - containerPort: 8080   # and a Service in front of the pods
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a container binds a port of the node (hostPort)",
    severity: Severity::Medium,
    tags: &["security"],
    aliases: &["CKV_K8S_26", "hostPortSet"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads_and_patches() {
        for c in w.containers() {
            for p in c.node.get("ports").map(Node::items).unwrap_or(&[]) {
                if let Some(v) = p.get("hostPort").filter(|v| v.as_i64().is_some_and(|n| n > 0)) {
                    cx.report_in(w.obj.doc, v.span.clone(), format!("{} binds host port {}", c.display(&w), v.as_i64().unwrap_or(0)))
                        .help("remove `hostPort` and reach the pods through a Service (NodePort or LoadBalancer if it must be external)");
                }
            }
        }
    }
}
