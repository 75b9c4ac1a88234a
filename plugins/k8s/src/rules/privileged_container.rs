//! ## What it does
//! Flags a container whose `securityContext.privileged` is `true`.
//! A kustomize patch that sets it is flagged at the patch (patches are
//! judged for what they set, never for what they lack). DaemonSets are not
//! judged: node agents (CNI and CSI drivers, GPU and kernel-module
//! installers) need privilege to change the node; review those by hand.
//!
//! ## Why is this bad?
//! A privileged container has every capability and sees the host's devices:
//! escaping to the node is trivial, and from the node to the cluster.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: web
//!     image: nginx:1.27
//!     securityContext:
//!       privileged: true
//! ```
//!
//! ## Use instead
//! ```yaml
//! containers:
//!   - name: web
//!     image: nginx:1.27
//!     securityContext:
//!       privileged: false
//!       capabilities:
//!         add: [NET_BIND_SERVICE]   # only what is needed
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a container runs privileged",
    severity: Severity::High,
    tags: &["security"],
    aliases: &["CKV_K8S_16", "privileged-container", "runAsPrivileged", "container-security-context-privileged"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads_and_patches() {
        if w.is_node_agent() {
            continue;
        }
        for c in w.containers() {
            let Some(v) = c.security("privileged") else { continue };
            if v.as_bool() == Some(true) {
                cx.report_in(w.obj.doc, v.span.clone(), format!("{} runs privileged", c.display(&w)))
                    .help("remove `privileged: true`; add only the capabilities the process needs");
            }
        }
    }
}
