//! ## What it does
//! Flags a container whose seccomp profile is not `RuntimeDefault` or
//! `Localhost`: `securityContext.seccompProfile.type` at the container
//! level, else the pod level, is absent or `Unconfined`. Points at the
//! `type` value, else at the container's name.
//!
//! ## Why is this bad?
//! Without a profile the container may call every system call, including
//! the rarely used ones behind most kernel container escapes.
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
//!     seccompProfile:
//!       type: RuntimeDefault
//!   containers:
//!     - name: web
//!       image: nginx:1.27
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a container runs without a seccomp profile",
    severity: Severity::Low,
    tags: &["security"],
    aliases: &["CKV_K8S_31"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads() {
        for c in w.containers() {
            let ty = c.effective(&w, "seccompProfile").and_then(|p| p.get("type"));
            if ty.and_then(Node::as_str).is_some_and(|t| t == "RuntimeDefault" || t == "Localhost") {
                continue;
            }
            let span = ty.map_or_else(|| c.anchor(), |t| t.span.clone());
            cx.report_in(w.obj.doc, span, format!("{} has no RuntimeDefault seccomp profile", c.display(&w)))
                .help("set `securityContext.seccompProfile.type: RuntimeDefault` on the pod");
        }
    }
}
