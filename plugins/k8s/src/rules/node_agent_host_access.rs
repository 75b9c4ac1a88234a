//! ## What it does
//! Lists, once per node agent, what it takes from its node: privileged
//! containers, the node's network, PID or IPC namespace, and hostPath mounts
//! of sensitive node paths (`/`, `/proc`, `/sys`, `/dev`, `/etc`…). A node
//! agent is a DaemonSet, or a pod kept one per node by a `hostPort` that
//! mounts the node under `/host…`. Off by default: an inventory to review,
//! not a defect. `host-namespace`, `host-path` and `privileged-container`
//! leave node agents alone because a log shipper, a CNI or CSI driver or a
//! device installer needs its node by design; this rule is where that
//! access stays visible (`--extend-select k8s/node-agent-host-access`).
//!
//! ## Why is this bad?
//! Each agent is root on every node it runs on. That is its job, but the
//! grant should be the smallest that job needs: an exporter that only reads
//! `/proc` and `/sys` needs read-only mounts, not `privileged: true`.
//!
//! ## Example
//! ```yaml
//! kind: DaemonSet
//! spec:
//!   template:
//!     spec:
//!       hostPID: true
//!       containers:
//!         - name: agent
//!           securityContext: {privileged: true}
//! ```
//!
//! ## Use instead
//! ```yaml
//! kind: DaemonSet
//! spec:
//!   template:
//!     spec:
//!       containers:
//!         - name: agent
//!           securityContext:
//!             capabilities: {drop: [ALL], add: [SYS_PTRACE]}
//! ```
use crate::prelude::*;
use crate::rules::host_path::sensitive;

pub const META: Meta = Meta {
    summary: "a node agent's access to its node (inventory)",
    severity: Severity::Info,
    tags: &["security"],
    aliases: &["CKV_K8S_16", "CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19"],
    enabled: false,
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads() {
        if !w.is_node_agent() {
            continue;
        }
        let mut access: Vec<String> = Vec::new();
        for c in w.containers() {
            if c.security("privileged").and_then(Node::as_bool) == Some(true) {
                let what = if c.init { "init container" } else { "container" };
                access.push(format!("privileged {what} \"{}\"", c.name));
            }
        }
        for key in ["hostNetwork", "hostPID", "hostIPC"] {
            if w.spec.get(key).and_then(Node::as_bool) == Some(true) {
                access.push(format!("`{key}`"));
            }
        }
        for vol in w.spec.get("volumes").map(Node::items).unwrap_or(&[]) {
            let Some(path) = vol.str_at("hostPath.path") else { continue };
            if sensitive(path) {
                access.push(format!("the node's `{path}`"));
            }
        }
        if access.is_empty() {
            continue;
        }
        cx.report_in(w.obj.doc, w.obj.anchor(), format!("node agent {} takes from its node: {}", w.obj.display(), access.join(", ")))
            .help("check that the agent needs each grant: read-only mounts and named capabilities instead of `privileged: true`");
    }
}
