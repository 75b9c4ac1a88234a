//! ## What it does
//! Flags a long-running or batch container whose
//! `securityContext.allowPrivilegeEscalation` is not `false` (it defaults to
//! true). Points at the value when it is `true`, else at the container's name.
//!
//! ## Why is this bad?
//! Without it, a setuid binary or file capability in the image lets the
//! process gain more privileges than its parent (`no_new_privs` is not set).
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
//!       allowPrivilegeEscalation: false
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a container allows privilege escalation",
    severity: Severity::Medium,
    tags: &["security"],
    aliases: &["CKV_K8S_20", "privilege-escalation-container", "privilegeEscalationAllowed"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads() {
        for c in w.containers() {
            let v = c.security("allowPrivilegeEscalation");
            let (span, why) = match v.map(|v| (v, v.as_bool())) {
                Some((_, Some(false))) => continue,
                Some((v, _)) => (v.span.clone(), "sets `allowPrivilegeEscalation: true`"),
                None => (c.anchor(), "does not set `allowPrivilegeEscalation: false`"),
            };
            cx.report_in(w.obj.doc, span, format!("{} {why}", c.display(&w)))
                .help("set `securityContext.allowPrivilegeEscalation: false` on the container");
        }
    }
}
