//! ## What it does
//! Flags a container whose `securityContext.privileged` is `true`.
//! A kustomize patch that sets it is flagged at the patch (patches are
//! judged for what they set, never for what they lack). Node agents are not
//! judged: CNI and CSI drivers, GPU and kernel-module installers need
//! privilege to change the node; review those by hand. A
//! node agent is a DaemonSet, or a pod kept one per node by a `hostPort`
//! that mounts the node under `/host…`.
//!
//! Two shapes that seem to need privilege get a help of their own rather
//! than silence, because they have a way out: a container that asks for an
//! accelerator through its device plugin (`nvidia.com/gpu`, `google.com/tpu`)
//! already gets its device (GKE needed privileged TPU pods only before 1.28),
//! and an NFS server (container port 2049) runs the kernel's nfsd, which a
//! managed file store or a user-space server (NFS-Ganesha) avoids.
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
                let help = if let Some(device) = c.device_resource() {
                    format!("remove `privileged: true`: the device plugin already gives the container its `{device}` devices")
                } else if c.serves_port(2049) {
                    "a kernel NFS server needs privilege: serve the files from a managed file store or a user-space NFS server (NFS-Ganesha) instead".to_string()
                } else {
                    "remove `privileged: true`; add only the capabilities the process needs".to_string()
                };
                cx.report_in(w.obj.doc, v.span.clone(), format!("{} runs privileged", c.display(&w))).help(help);
            }
        }
    }
}
