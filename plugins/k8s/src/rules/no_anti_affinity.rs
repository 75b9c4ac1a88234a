//! ## What it does
//! Flags a replicated Deployment, StatefulSet or Rollout (`replicas` of 2 or
//! more, or an HPA target) with neither `affinity.podAntiAffinity` nor
//! `topologySpreadConstraints`. Points at the workload's name.
//!
//! ## Why is this bad?
//! The scheduler may put every replica on the same node or zone; losing
//! that node takes the whole service down despite the replicas.
//!
//! ## Example
//! ```yaml
//! spec:
//!   replicas: 3
//!   template:
//!     spec:
//!       containers: [...]
//! ```
//!
//! ## Use instead
//! ```yaml
//! spec:
//!   replicas: 3
//!   template:
//!     spec:
//!       topologySpreadConstraints:
//!         - maxSkew: 1
//!           topologyKey: topology.kubernetes.io/zone
//!           whenUnsatisfiable: ScheduleAnyway
//!           labelSelector: {matchLabels: {app: web}}
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a replicated workload does not spread its pods across nodes or zones",
    severity: Severity::Low,
    tags: &["reliability"],
    aliases: &["no-anti-affinity", "deployment-has-host-podantiaffinity"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.reported_workloads(cx) {
        if !matches!(w.obj.kind.as_str(), "Deployment" | "StatefulSet" | "Rollout") {
            continue;
        }
        if w.replicas().unwrap_or(1) < 2 && repo.hpa_for(&w).is_none() {
            continue;
        }
        if w.spec.at("affinity.podAntiAffinity").is_some() || w.spec.get("topologySpreadConstraints").is_some() {
            continue;
        }
        cx.report_in(w.obj.doc, w.obj.anchor(), format!("{} has several replicas but no pod anti-affinity or topology spread", w.obj.display()))
            .help("add `topologySpreadConstraints` (by zone and hostname) or a preferred `podAntiAffinity`");
    }
}
