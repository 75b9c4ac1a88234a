//! ## What it does
//! Flags a container without a CPU request, a memory request or a memory
//! limit. Points at `resources:` if present, else at the container's name.
//!
//! ## Why is this bad?
//! Without requests the scheduler packs pods blindly and the pod is the
//! first evicted under pressure; without a memory limit one leak can exhaust
//! the node and take its neighbours down.
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
//!     resources:
//!       requests: {cpu: 100m, memory: 128Mi}
//!       limits: {memory: 256Mi}
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a container has no CPU request, memory request or memory limit",
    severity: Severity::Medium,
    tags: &["reliability"],
    aliases: &[
        "CKV_K8S_10", "CKV_K8S_12", "CKV_K8S_13", "unset-cpu-requirements", "unset-memory-requirements",
        "cpuRequestsMissing", "memoryRequestsMissing", "memoryLimitsMissing",
    ],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads() {
        for c in w.containers() {
            let missing: Vec<&str> = [("requests.cpu", "CPU request"), ("requests.memory", "memory request"), ("limits.memory", "memory limit")]
                .into_iter()
                .filter(|(p, _)| c.node.get("resources").and_then(|r| r.at(p)).is_none_or(Node::is_null))
                .map(|(_, what)| what)
                .collect();
            if missing.is_empty() {
                continue;
            }
            let span = c.node.key_span("resources").unwrap_or_else(|| c.anchor());
            cx.report_in(w.obj.doc, span, format!("{} has no {}", c.display(&w), missing.join(", ")))
                .help("set `resources.requests.cpu`, `resources.requests.memory` and `resources.limits.memory`");
        }
    }
}
