//! ## What it does
//! Flags a PodDisruptionBudget that allows no voluntary eviction:
//! `maxUnavailable: 0` (or `0%`), `minAvailable: 100%`, or a `minAvailable`
//! at least the `replicas` of the workload it selects in the files. Points
//! at the value.
//!
//! ## Why is this bad?
//! Node drains hang: cluster upgrades, autoscaler scale-downs and node
//! repairs stall until someone deletes the budget by hand.
//!
//! ## Example
//! ```yaml
//! spec:
//!   minAvailable: 3     # the Deployment has 3 replicas
//! ```
//!
//! ## Use instead
//! ```yaml
//! spec:
//!   maxUnavailable: 1
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a PodDisruptionBudget forbids every eviction",
    severity: Severity::Medium,
    tags: &["reliability"],
    aliases: &["pdb-max-unavailable", "pdb-min-available"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for p in repo.of_kind("PodDisruptionBudget") {
        if !cx.reports_doc(p.doc) {
            continue;
        }
        if let Some(v) = p.node.at("spec.maxUnavailable") {
            let t = v.as_scalar().map_or("", |s| s.text.as_str()).trim();
            if t == "0" || t == "0%" {
                cx.report_in(p.doc, v.span.clone(), format!("{}: `maxUnavailable: {t}` forbids every eviction", p.display()))
                    .help("allow at least one pod to be evicted (`maxUnavailable: 1`)");
            }
            continue;
        }
        let Some(v) = p.node.at("spec.minAvailable") else { continue };
        let t = v.as_scalar().map_or("", |s| s.text.as_str()).trim();
        if t == "100%" {
            cx.report_in(p.doc, v.span.clone(), format!("{}: `minAvailable: 100%` forbids every eviction", p.display()))
                .help("use `maxUnavailable: 1` (or a lower `minAvailable`)");
            continue;
        }
        let Some(min) = v.as_i64() else { continue };
        let Some(sel) = p.node.at("spec.selector") else { continue };
        let target = repo.pods_for(sel.get("matchLabels")).into_iter().find(|w| {
            w.obj.same_namespace(p)
                && matches!(w.obj.kind.as_str(), "Deployment" | "StatefulSet" | "ReplicaSet" | "Rollout")
                && label_selector_matches(sel, w.labels()) == Some(true)
                && repo.hpa_for(w).is_none()
        });
        if let Some(w) = target {
            let replicas = w.replicas().unwrap_or(1);
            if min >= replicas {
                cx.report_in(p.doc, v.span.clone(), format!("{}: `minAvailable: {min}` with {replicas} replica(s) of {} forbids every eviction", p.display(), w.obj.display()))
                    .help("set `minAvailable` below the replica count, or use `maxUnavailable: 1`");
            }
        }
    }
}
