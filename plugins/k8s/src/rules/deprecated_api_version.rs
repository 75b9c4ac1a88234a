//! ## What it does
//! Flags an object whose `apiVersion` was removed from Kubernetes, naming
//! the release that removed it and the replacement: `extensions/v1beta1`
//! and `apps/v1beta1`/`v1beta2` workloads (1.16), `extensions/v1beta1` and
//! `networking.k8s.io/v1beta1` Ingress (1.22), `rbac.authorization.k8s.io/v1beta1`
//! (1.22), `batch/v1beta1` CronJob and `policy/v1beta1` PodDisruptionBudget
//! and PodSecurityPolicy (1.25), `autoscaling/v2beta1` (1.25) and
//! `autoscaling/v2beta2` (1.26) HPA, and a few more. Points at the
//! `apiVersion` value.
//!
//! ## Why is this bad?
//! The API server of a current cluster rejects the manifest: the deploy
//! fails at the worst moment, usually right after a cluster upgrade.
//!
//! ## Example
//! ```yaml
//! apiVersion: extensions/v1beta1
//! kind: Ingress
//! ```
//!
//! ## Use instead
//! ```yaml
//! apiVersion: networking.k8s.io/v1
//! kind: Ingress
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an object uses an apiVersion removed from Kubernetes",
    severity: Severity::High,
    tags: &["correctness"],
    ..Meta::DEFAULT
};

/// (apiVersion, kind or "*", removed in, replacement)
const REMOVED: &[(&str, &str, &str, &str)] = &[
    ("extensions/v1beta1", "Ingress", "1.22", "networking.k8s.io/v1"),
    ("extensions/v1beta1", "NetworkPolicy", "1.16", "networking.k8s.io/v1"),
    ("extensions/v1beta1", "PodSecurityPolicy", "1.16", "policy/v1beta1 (itself removed in 1.25: use Pod Security Admission)"),
    ("extensions/v1beta1", "*", "1.16", "apps/v1"),
    ("apps/v1beta1", "*", "1.16", "apps/v1"),
    ("apps/v1beta2", "*", "1.16", "apps/v1"),
    ("networking.k8s.io/v1beta1", "*", "1.22", "networking.k8s.io/v1"),
    ("rbac.authorization.k8s.io/v1beta1", "*", "1.22", "rbac.authorization.k8s.io/v1"),
    ("rbac.authorization.k8s.io/v1alpha1", "*", "1.22", "rbac.authorization.k8s.io/v1"),
    ("admissionregistration.k8s.io/v1beta1", "*", "1.22", "admissionregistration.k8s.io/v1"),
    ("apiextensions.k8s.io/v1beta1", "*", "1.22", "apiextensions.k8s.io/v1"),
    ("scheduling.k8s.io/v1beta1", "*", "1.22", "scheduling.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "CSIDriver", "1.22", "storage.k8s.io/v1"),
    ("certificates.k8s.io/v1beta1", "*", "1.22", "certificates.k8s.io/v1"),
    ("coordination.k8s.io/v1beta1", "*", "1.22", "coordination.k8s.io/v1"),
    ("batch/v1beta1", "CronJob", "1.25", "batch/v1"),
    ("batch/v2alpha1", "CronJob", "1.21", "batch/v1"),
    ("policy/v1beta1", "PodDisruptionBudget", "1.25", "policy/v1"),
    ("policy/v1beta1", "PodSecurityPolicy", "1.25", "Pod Security Admission (namespace labels)"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler", "1.25", "autoscaling/v2"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26", "autoscaling/v2"),
    ("discovery.k8s.io/v1beta1", "EndpointSlice", "1.25", "discovery.k8s.io/v1"),
    ("events.k8s.io/v1beta1", "Event", "1.25", "events.k8s.io/v1"),
    ("node.k8s.io/v1beta1", "RuntimeClass", "1.25", "node.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "*", "1.26", "flowcontrol.apiserver.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "*", "1.29", "flowcontrol.apiserver.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.27", "storage.k8s.io/v1"),
];

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for o in &repo.objects {
        let hit = REMOVED.iter().find(|(api, kind, ..)| *api == o.api_version && (*kind == "*" || *kind == o.kind));
        let Some((api, _, removed, instead)) = hit else { continue };
        let span = o.node.value_span("apiVersion").unwrap_or_else(|| o.anchor());
        cx.report_in(o.doc, span, format!("{}: `{api}` was removed in Kubernetes {removed}", o.display()))
            .help(format!("use {instead} (check the fields that changed between versions)"));
    }
}
