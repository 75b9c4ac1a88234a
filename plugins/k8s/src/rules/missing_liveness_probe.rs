//! ## What it does
//! Flags a container of a long-running workload without a `livenessProbe`.
//! Jobs, CronJobs, pods that do not restart and init containers are
//! skipped. Points at the container's name. Off by default: a liveness probe
//! is a choice, not a fault (a probe that checks dependencies or times out
//! under load restarts healthy pods and turns a slowdown into an outage);
//! `k8s/missing-readiness-probe` is the one every service needs.
//!
//! ## Why is this bad?
//! A process that hangs (deadlock, exhausted pool) without exiting keeps
//! its pod Running forever; nothing restarts it.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: worker
//!     image: example/worker:2.0
//! ```
//!
//! ## Use instead
//! ```yaml
//! containers:
//!   - name: worker
//!     image: example/worker:2.0
//!     livenessProbe:
//!       exec: {command: [/bin/worker, healthcheck]}
//!       periodSeconds: 30
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a long-running container has no liveness probe",
    severity: Severity::Low,
    tags: &["reliability"],
    aliases: &["CKV_K8S_8", "no-liveness-probe", "livenessProbeMissing"],
    enabled: false,
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads() {
        if w.is_batch() {
            continue;
        }
        for c in w.containers().into_iter().filter(|c| !c.init) {
            if c.node.get("livenessProbe").is_some() {
                continue;
            }
            cx.report_in(w.obj.doc, c.anchor(), format!("{} has no liveness probe", c.display(&w)))
                .help("add a `livenessProbe` that fails when the process is stuck, so the kubelet restarts it");
        }
    }
}
