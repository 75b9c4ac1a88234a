//! ## What it does
//! Flags a Deployment (or Argo Rollout) with fewer than 2 replicas
//! (`replicas` absent means 1), unless a HorizontalPodAutoscaler in the
//! files targets it with `minReplicas` of 2 or more. `replicas: 0` (parked
//! on purpose) is not flagged, nor is a Deployment that is a singleton by
//! design: `strategy: Recreate` (never two pods at once), or pods that mount
//! a PersistentVolumeClaim that is not `ReadWriteMany` (a second replica
//! could not attach the disk; the disk is the single point to look at).
//! Points at `replicas`, else at the name.
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
        if w.obj.node.str_at("spec.strategy.type") == Some("Recreate")
            || mounts_single_attach_claim(repo, &w)
            || uses_accelerators(&w)
            || scaled_by_keda(repo, &w)
        {
            continue;
        }
        let span = w.obj.node.value_span("spec.replicas").unwrap_or_else(|| w.obj.anchor());
        cx.report_in(w.obj.doc, span, format!("{} runs a single replica", w.obj.display()))
            .help("run at least 2 replicas (or an HPA with `minReplicas: 2`), spread across nodes");
    }
}

/// Whether a KEDA ScaledObject drives the replica count: an event-driven worker that the
/// scaler grows from its queue (and often parks at zero), where `replicas` is only a seed.
fn scaled_by_keda(repo: &Repo, w: &Workload) -> bool {
    repo.objects.iter().any(|o| {
        o.kind == "ScaledObject"
            && o.group() == "keda.sh"
            && o.same_namespace(w.obj)
            && o.node.str_at("spec.scaleTargetRef.name") == Some(w.obj.name.as_str())
            && o.node.str_at("spec.scaleTargetRef.kind").unwrap_or("Deployment") == w.obj.kind
    })
}

/// Whether the pods ask for GPUs or TPUs: one replica of a model server is a capacity
/// and cost decision (each replica holds whole accelerators), not an oversight.
fn uses_accelerators(w: &Workload) -> bool {
    const RESOURCES: &[&str] = &["nvidia.com/gpu", "amd.com/gpu", "google.com/tpu", "habana.ai/gaudi", "aws.amazon.com/neuron"];
    let asks = |c: &Node| {
        ["resources.limits", "resources.requests"].iter().any(|at| {
            c.at(at).is_some_and(|m| m.entries().iter().any(|e| e.key_str().is_some_and(|k| RESOURCES.contains(&k))))
        })
    };
    w.containers().iter().any(|c| asks(c.node))
        || w.spec.get("nodeSelector").is_some_and(|n| {
            n.entries().iter().any(|e| e.key_str().is_some_and(|k| k.contains("accelerator") || k.contains("gke-tpu")))
        })
}

/// Whether the pods mount a claim only one node can attach: any claim not
/// declared `ReadWriteMany` in the files (ReadWriteOnce is the default).
fn mounts_single_attach_claim(repo: &Repo, w: &Workload) -> bool {
    w.spec.get("volumes").map(Node::items).unwrap_or(&[]).iter().any(|v| {
        let Some(claim) = v.str_at("persistentVolumeClaim.claimName") else { return false };
        let shared = repo.named("PersistentVolumeClaim", claim).any(|pvc| {
            pvc.node.at("spec.accessModes").map(Node::items).unwrap_or(&[]).iter().any(|m| m.as_str() == Some("ReadWriteMany"))
        });
        !shared
    })
}
