//! ## What it does
//! Flags a Deployment (or Argo Rollout) with fewer than 2 replicas
//! (`replicas` absent means 1), unless a HorizontalPodAutoscaler in the
//! files targets it with `minReplicas` of 2 or more. `replicas: 0` (parked
//! on purpose) is not flagged, nor is a Deployment that is a singleton by
//! design: `strategy: Recreate` (never two pods at once), or pods that mount
//! a PersistentVolumeClaim that is not `ReadWriteMany` (a second replica
//! could not attach the disk; the disk is the single point to look at).
//! Nor is a client that serves nothing: no container declares a port and no
//! Service in the files selects its pods (a load generator, a queue
//! subscriber): a restart pauses its work but is no outage of a service
//! (a Service counts when it is in the same folder or names the same
//! namespace: a Service elsewhere in the repository with no namespace is
//! another deployment's). Load generators (`loadgenerator`, `locust`, `k6`
//! in the name or image) are test tooling whose replica count is the load
//! they make, not redundancy; notebook servers (`jupyter` images) keep each
//! user's kernels in memory, so a second replica behind a Service would
//! split sessions, not add redundancy.
//! Nor is a database, cache or broker run from its own image (`redis`,
//! `postgres`, `rabbitmq`…): a second replica of a Deployment would be a
//! second, separate store (two Redis leaders, two carts), so the advice
//! does not apply; `ephemeral-state` judges where its data lives.
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
use opslint_knowledge::stateful::{engine_ports, image_service};

pub const META: Meta = Meta {
    summary: "a stateless workload runs a single replica",
    severity: Severity::Medium,
    tags: &["reliability"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.reported_workloads(cx) {
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
            || !serves(cx, repo, &w)
            || load_generator(&w)
            || notebook(&w)
            || runs_store(&w)
        {
            continue;
        }
        let span = w.obj.node.value_span("spec.replicas").unwrap_or_else(|| w.obj.anchor());
        cx.report_in(w.obj.doc, span, format!("{} runs a single replica", w.obj.display()))
            .help("run at least 2 replicas (or an HPA with `minReplicas: 2`), spread across nodes");
    }
}

/// Whether a container runs a database, cache or broker from its image (and serves its port).
fn runs_store(w: &Workload) -> bool {
    w.containers().iter().filter(|c| !c.init).any(|c| {
        c.image().and_then(image_service).is_some_and(|s| {
            let known = engine_ports(s.name);
            let ports = c.ports();
            known.is_empty() || ports.is_empty() || ports.iter().any(|(p, _)| p.is_some_and(|p| known.contains(&p)))
        })
    })
}

/// Whether anything connects to the pods: a declared container port, or a Service selecting them.
fn serves(cx: &Ctx, repo: &Repo, w: &Workload) -> bool {
    let dir = |doc: usize| cx.documents().get(doc).map_or("", |d| d.0.rsplit_once('/').map_or("", |(d, _)| d));
    let near = |s: &Object| match (&s.namespace, &w.obj.namespace) {
        (Some(a), Some(b)) => a == b,
        (None, None) => dir(s.doc) == dir(w.obj.doc),
        _ => false,
    };
    w.containers().iter().any(|c| !c.init && c.node.get("ports").is_some_and(|p| !p.items().is_empty()))
        || repo
            .of_kind("Service")
            .any(|s| near(s) && s.node.at("spec.selector").is_some_and(|sel| crate::model::selects(sel, w.labels())))
}

/// A load generator: test tooling whose replica count is the load it makes.
fn load_generator(w: &Workload) -> bool {
    const NAMES: &[&str] = &["loadgenerator", "load-generator", "loadgen", "locust", "k6"];
    let named = |text: &str| {
        let last = text.rsplit('/').next().unwrap_or(text).split([':', '@']).next().unwrap_or("").to_ascii_lowercase();
        NAMES.iter().any(|n| last == *n || last.split(['-', '_', '.']).any(|w| w == *n) || last.contains("loadgen"))
    };
    named(&w.obj.name) || w.containers().iter().any(|c| c.image().is_some_and(named))
}

/// A notebook server: sessions and kernels live in the one pod's memory.
fn notebook(w: &Workload) -> bool {
    w.containers().iter().any(|c| c.image().is_some_and(|i| i.to_ascii_lowercase().contains("jupyter")))
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
    w.containers().iter().any(|c| c.device_resource().is_some())
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
