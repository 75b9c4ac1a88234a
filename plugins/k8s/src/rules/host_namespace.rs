//! ## What it does
//! Flags a pod spec that shares the node's network, process or IPC namespace
//! (`hostNetwork`, `hostPID` or `hostIPC` set to `true`). Node agents are
//! not judged: one pod per node is the shape of node agents (log and metrics
//! collectors, CNI and CSI drivers, device installers), which need the node's
//! namespaces to do their job; review those by hand. A node agent is a
//! DaemonSet, or its pre-DaemonSet form: a ReplicationController or
//! Deployment kept one pod per node by a `hostPort` that mounts the node
//! under `/host…` or `/rootfs`.
//!
//! ## Why is this bad?
//! The pod sees every process, socket or shared-memory segment of the node:
//! it can sniff traffic, bind node ports, signal or inspect other workloads,
//! and the namespace boundary that isolates containers is gone.
//!
//! ## Example
//! ```yaml
//! spec:
//!   hostNetwork: true
//! ```
//!
//! ## Use instead
//! ```yaml
//! spec:
//!   hostNetwork: false   # or leave it out; expose the pod through a Service
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a pod shares the node's network, PID or IPC namespace",
    severity: Severity::High,
    tags: &["security"],
    aliases: &[
        "CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19", "host-network", "host-pid", "host-ipc", "hostNetworkSet", "hostPIDSet",
        "hostIPCSet",
    ],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads_and_patches() {
        if w.is_node_agent() {
            continue;
        }
        for key in ["hostNetwork", "hostPID", "hostIPC"] {
            if let Some(v) = w.spec.get(key).filter(|v| v.as_bool() == Some(true)) {
                cx.report_in(w.obj.doc, v.span.clone(), format!("{} sets `{key}: true`", w.obj.display()))
                    .help(format!("remove `{key}`; a pod should not share the node's namespaces"));
            }
        }
    }
}
