//! ## What it does
//! Flags a container whose `securityContext.readOnlyRootFilesystem` is not
//! `true`. Points at the value, else at the container's name.
//!
//! ## Why is this bad?
//! A writable root filesystem lets an attacker drop tools or modify the
//! application in place, and hides state in the container that is lost on
//! restart.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: web
//!     image: nginx:1.27
//! ```
//!
//! ## Use instead
//! ```yaml
//! containers:
//!   - name: web
//!     image: nginx:1.27
//!     securityContext:
//!       readOnlyRootFilesystem: true
//!     volumeMounts:
//!       - {name: tmp, mountPath: /tmp}   # an emptyDir for scratch space
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a container's root filesystem is writable",
    severity: Severity::Low,
    tags: &["security"],
    aliases: &["CKV_K8S_22", "no-read-only-root-fs", "notReadOnlyRootFilesystem", "container-security-context-readonlyrootfilesystem"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads() {
        for c in w.containers() {
            let v = c.security("readOnlyRootFilesystem");
            if v.and_then(Node::as_bool) == Some(true) {
                continue;
            }
            let span = v.map_or_else(|| c.anchor(), |v| v.span.clone());
            cx.report_in(w.obj.doc, span, format!("{} has a writable root filesystem", c.display(&w)))
                .help("set `securityContext.readOnlyRootFilesystem: true` and mount an emptyDir where the process writes");
        }
    }
}
