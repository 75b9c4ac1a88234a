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
use std::collections::HashMap;

use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a replicated workload has no PodDisruptionBudget",
    severity: Severity::Medium,
    tags: &["reliability"],
    aliases: &["deployment-has-poddisruptionbudget", "statefulset-has-poddisruptionbudget"],
    ..Meta::DEFAULT
};

/// The budgets of the files, each under the first `key: value` of its
/// `matchLabels` (a pod it covers carries that label), or in `always` when
/// it has none to narrow by.
struct Budgets<'a> {
    by_label: HashMap<(&'a str, &'a str), Vec<&'a Object>>,
    always: Vec<&'a Object>,
}

impl<'a> Budgets<'a> {
    fn new(repo: &'a Repo) -> Self {
        let mut b = Budgets { by_label: HashMap::new(), always: Vec::new() };
        for p in repo.of_kind("PodDisruptionBudget") {
            let first = p.node.at("spec.selector.matchLabels").and_then(|m| m.entries().first());
            match first.and_then(|e| Some((e.key_str()?, e.value.as_scalar()?.text.as_str()))) {
                Some(pair) => b.by_label.entry(pair).or_default().push(p),
                None => b.always.push(p),
            }
        }
        b
    }

    /// Budgets that may select the pods: the caller still matches each.
    fn candidates<'b>(&'b self, w: &'b Workload) -> impl Iterator<Item = &'a Object> + 'b {
        let labels = w.labels().map(Node::entries).unwrap_or(&[]).iter();
        let labelled = labels.filter_map(|e| Some((e.key_str()?, e.value.as_scalar()?.text.as_str())));
        let by_label = labelled.flat_map(|pair| self.by_label.get(&pair).into_iter().flatten());
        self.always.iter().chain(by_label).copied()
    }
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    let budgets = Budgets::new(repo);
    for w in repo.workloads() {
        if !matches!(w.obj.kind.as_str(), "Deployment" | "StatefulSet" | "Rollout") {
            continue;
        }
        if w.replicas().unwrap_or(1) < 2 && repo.hpa_for(&w).is_none() {
            continue;
        }
        let covered = budgets.candidates(&w).any(|p| {
            p.same_namespace(w.obj) && p.node.at("spec.selector").and_then(|s| label_selector_matches(s, w.labels())) != Some(false)
        });
        if !covered {
            cx.report_in(w.obj.doc, w.obj.anchor(), format!("{} is replicated but no PodDisruptionBudget covers its pods", w.obj.display()))
                .help("add a PodDisruptionBudget (policy/v1) with `maxUnavailable: 1` selecting the pods");
        }
    }
}
