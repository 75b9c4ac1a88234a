//! ## What it does
//! Flags a container that may run as root: neither `runAsNonRoot: true` nor
//! `runAsUser` greater than 0 at the container or pod level (the container's
//! `securityContext` overrides the pod's), or an explicit `runAsUser: 0` or
//! `runAsNonRoot: false`. Points at the offending value, else at the
//! container's name.
//!
//! ## Why is this bad?
//! Most images default to root. Root in a container is root on the node's
//! kernel: one runtime or kernel bug away from the host, and free to rewrite
//! the image's files.
//!
//! ## Example
//! ```yaml
//! spec:
//!   containers:
//!     - name: web
//!       image: nginx:1.27
//! ```
//!
//! ## Use instead
//! ```yaml
//! spec:
//!   securityContext:
//!     runAsNonRoot: true
//!     runAsUser: 10001
//!   containers:
//!     - name: web
//!       image: nginxinc/nginx-unprivileged:1.27
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a container may run as root",
    severity: Severity::Medium,
    tags: &["security"],
    aliases: &["CKV_K8S_23", "run-as-non-root", "runAsRootAllowed"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads() {
        for c in w.containers() {
            let user = c.effective(&w, "runAsUser");
            let non_root = c.effective(&w, "runAsNonRoot");
            if let Some(u) = user.filter(|u| u.as_i64() == Some(0)) {
                cx.report_in(w.obj.doc, u.span.clone(), format!("{} runs as root (`runAsUser: 0`)", c.display(&w)))
                    .help("run as an unprivileged UID (e.g. `runAsUser: 10001`) with `runAsNonRoot: true`");
                continue;
            }
            if user.and_then(Node::as_i64).is_some_and(|u| u > 0) || non_root.and_then(Node::as_bool) == Some(true) {
                continue;
            }
            let span = non_root.map_or_else(|| c.anchor(), |n| n.span.clone());
            cx.report_in(w.obj.doc, span, format!("{} may run as root: no `runAsNonRoot: true` or non-zero `runAsUser`", c.display(&w)))
                .help("set `securityContext.runAsNonRoot: true` (pod or container) and a non-zero `runAsUser`");
        }
    }
}
