//! ## What it does
//! Flags a replicated Deployment, StatefulSet or Rollout (`replicas` of 2 or
//! more, or the target of a HorizontalPodAutoscaler) whose pods no
//! PodDisruptionBudget in the files selects. Points at the workload's name.
//!
//! ## Why is this bad?
//! A node drain or cluster upgrade may evict every replica at once: the
//! redundancy you pay for does not survive routine maintenance.
//!
//! ## Example
//! ```yaml
//! kind: Deployment
//! spec:
//!   replicas: 3
//! ```
//!
//! ## Use instead
//! ```yaml
//! apiVersion: policy/v1
//! kind: PodDisruptionBudget
//! spec:
//!   maxUnavailable: 1
//!   selector:
//!     matchLabels: {app: web}
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a replicated workload has no PodDisruptionBudget",
    severity: Severity::Medium,
    tags: &["reliability"],
    aliases: &["deployment-has-poddisruptionbudget", "statefulset-has-poddisruptionbudget"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    let mut budgets = BySelector::default();
    for p in repo.of_kind("PodDisruptionBudget") {
        budgets.insert(first_pair(p.node.at("spec.selector.matchLabels")), p);
    }
    for w in repo.reported_workloads(cx) {
        if !matches!(w.obj.kind.as_str(), "Deployment" | "StatefulSet" | "Rollout") {
            continue;
        }
        if w.replicas().unwrap_or(1) < 2 && repo.hpa_for(&w).is_none() {
            continue;
        }
        let covered = budgets.candidates(w.labels()).any(|p| {
            p.same_namespace(w.obj) && p.node.at("spec.selector").and_then(|s| label_selector_matches(s, w.labels())) != Some(false)
        });
        if !covered {
            cx.report_in(w.obj.doc, w.obj.anchor(), format!("{} is replicated but no PodDisruptionBudget covers its pods", w.obj.display()))
                .help("add a PodDisruptionBudget (policy/v1) with `maxUnavailable: 1` selecting the pods");
        }
    }
}
