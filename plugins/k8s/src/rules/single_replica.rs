//! ## What it does
//! Flags a Deployment (or Argo Rollout) with fewer than 2 replicas
//! (`replicas` absent means 1), unless a HorizontalPodAutoscaler in the
//! files targets it with `minReplicas` of 2 or more. `replicas: 0` (parked
//! on purpose) is not flagged. Points at `replicas`, else at the name.
//!
//! ## Why is this bad?
//! One pod is one point of failure: every rollout, node drain or crash is
//! an outage of the service.
//!
//! ## Example
//! ```yaml
//! kind: Deployment
//! spec:
//!   replicas: 1
//! ```
//!
//! ## Use instead
//! ```yaml
//! kind: Deployment
//! spec:
//!   replicas: 2
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a stateless workload runs a single replica",
    severity: Severity::Medium,
    tags: &["reliability"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads() {
        if !matches!(w.obj.kind.as_str(), "Deployment" | "Rollout") {
            continue;
        }
        let replicas = w.replicas();
        if replicas.is_some_and(|r| r == 0 || r >= 2) {
            continue;
        }
        if let Some(h) = repo.hpa_for(&w) {
            if h.node.i64_at("spec.minReplicas").unwrap_or(1) >= 2 {
                continue;
            }
        }
        if w.obj.node.at("spec.replicas").is_some_and(|r| r.as_str().is_some_and(templated)) {
            continue;
        }
        let span = w.obj.node.value_span("spec.replicas").unwrap_or_else(|| w.obj.anchor());
        cx.report_in(w.obj.doc, span, format!("{} runs a single replica", w.obj.display()))
            .help("run at least 2 replicas (or an HPA with `minReplicas: 2`), spread across nodes");
    }
}
