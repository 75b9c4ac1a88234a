//! ## What it does
//! Flags a `hostPath` volume that mounts a sensitive path of the node (`/`,
//! `/etc`, `/root`, `/proc`, `/sys`, `/dev`, `/boot`, `/var/lib/kubelet`,
//! `/var/lib/docker`, `/var/run`, `/run`, and the container runtime sockets
//! such as `/var/run/docker.sock`), or any host path that a container mounts
//! writable (no `readOnly: true`). Points at the `path:` value. In a
//! node agent (a DaemonSet, or a pod kept one per node by a `hostPort` that
//! mounts the node under `/host…`: log
//! collectors, CSI drivers, device installers read and write their node on
//! purpose) only the runtime socket is flagged.
//!
//! ## Why is this bad?
//! The Docker or containerd socket is root on the node. Writable or
//! sensitive host paths let a container read credentials, change the node's
//! configuration or plant files other pods and the kubelet trust.
//!
//! ## Example
//! ```yaml
//! volumes:
//!   - name: docker
//!     hostPath:
//!       path: /var/run/docker.sock
//! ```
//!
//! ## Use instead
//! Build images with a daemonless builder (BuildKit rootless, kaniko) and
//! use `emptyDir`, a ConfigMap or a PersistentVolumeClaim for data.
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a pod mounts a sensitive or writable host path",
    severity: Severity::High,
    tags: &["security"],
    aliases: &["CKV_K8S_27", "docker-sock", "sensitive-host-mounts", "writable-host-mount"],
    ..Meta::DEFAULT
};

const SOCKETS: &[&str] =
    &["/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd", "/run/containerd", "/var/run/crio", "/run/crio"];
const SENSITIVE: &[&str] =
    &["/", "/etc", "/root", "/proc", "/sys", "/dev", "/boot", "/var/lib/kubelet", "/var/lib/docker", "/var/run", "/run", "/home"];

/// A hostPath as written, without its trailing slashes (`/` stays `/`).
pub fn trimmed(path: &str) -> &str {
    if path.len() > 1 { path.trim_end_matches('/') } else { path }
}

/// A node path whose contents are the node itself: its configuration, its
/// kernel's views, the kubelet's and the runtime's state.
pub fn sensitive(path: &str) -> bool {
    let p = trimmed(path);
    SENSITIVE.contains(&p) || p.starts_with("/etc/") || p.starts_with("/var/lib/kubelet")
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads_and_patches() {
        let containers = w.containers();
        for vol in w.spec.get("volumes").map(Node::items).unwrap_or(&[]) {
            let Some(path_node) = vol.at("hostPath.path") else { continue };
            let Some(path) = path_node.as_str() else { continue };
            let trimmed = trimmed(path);
            let name = vol.str("name").unwrap_or("");
            let writable = containers.iter().any(|c| {
                c.node.get("volumeMounts").map(Node::items).unwrap_or(&[]).iter().any(|m| {
                    m.str("name") == Some(name) && m.get("readOnly").and_then(Node::as_bool) != Some(true)
                })
            });
            let socket = SOCKETS.iter().any(|s| trimmed.starts_with(s));
            // A node agent reads and writes its node; only the runtime socket stays a finding.
            if w.is_node_agent() && !socket {
                continue;
            }
            let message = if socket {
                format!("{} mounts the container runtime socket `{path}`: root on the node", w.obj.display())
            } else if sensitive(path) {
                format!("{} mounts the node's `{path}`", w.obj.display())
            } else if writable {
                format!("{} mounts the node's `{path}` writable", w.obj.display())
            } else {
                continue;
            };
            cx.report_in(w.obj.doc, path_node.span.clone(), message).help(
                "avoid hostPath: use emptyDir, a ConfigMap or a PersistentVolumeClaim; if it must stay, mount it `readOnly: true`",
            );
        }
    }
}
