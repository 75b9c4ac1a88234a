//! ## What it does
//! Flags a container of a long-running workload that serves traffic (it
//! declares ports, or a Service in the same files selects its pods) and has
//! no `readinessProbe`. Jobs, CronJobs and init containers are skipped.
//! Points at the container's name.
//!
//! ## Why is this bad?
//! Without a readiness probe a pod receives traffic as soon as its process
//! starts, before it can answer, and keeps receiving it when it cannot:
//! every rollout and every overload turns into errors for users.
//!
//! ## Example
//! ```yaml
//! containers:
//!   - name: web
//!     image: example/web:1.4
//!     ports: [{containerPort: 8080}]
//! ```
//!
//! ## Use instead
//! ```yaml
//! containers:
//!   - name: web
//!     image: example/web:1.4
//!     ports: [{containerPort: 8080}]
//!     readinessProbe:
//!       httpGet: {path: /ready, port: 8080}
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a serving container has no readiness probe",
    severity: Severity::Medium,
    tags: &["reliability"],
    aliases: &["CKV_K8S_9", "no-readiness-probe", "readinessProbeMissing"],
    ..Meta::DEFAULT
};

/// The Services of the files with their selectors, filed by the selector's
/// first `key: value`: a workload is matched only against those its labels
/// name (matching every pair made a repository of 2,400 Deployments and 2,400
/// Services take 3 s).
fn services_of(repo: &Repo) -> BySelector<'_, (&Object, &Node)> {
    let mut out = BySelector::default();
    for s in repo.of_kind("Service") {
        let Some(sel) = s.node.at("spec.selector") else { continue };
        // `selects` needs every entry to be a scalar pair: a selector whose first is not selects nothing.
        if let Some(first) = first_pair(Some(sel)) {
            out.insert(Some(first), (s, sel));
        }
    }
    out
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    // Filed at the first container that asks (a run over named files may have none).
    let services = std::cell::OnceCell::new();
    let selected = |w: &Workload| {
        let services = services.get_or_init(|| services_of(repo));
        services.candidates(w.labels()).any(|(s, sel)| s.same_namespace(w.obj) && selects(sel, w.labels()))
    };
    for w in repo.reported_workloads(cx) {
        if w.is_batch() {
            continue;
        }
        // Whether a Service of the files selects the workload's pods; only asked of containers without ports.
        let mut by_service = None;
        for c in w.containers().into_iter().filter(|c| !c.init) {
            if c.node.get("readinessProbe").is_some() {
                continue;
            }
            if c.ports().is_empty()
                && !*by_service.get_or_insert_with(|| selected(&w))
            {
                continue;
            }
            cx.report_in(w.obj.doc, c.anchor(), format!("{} serves traffic but has no readiness probe", c.display(&w)))
                .help("add a `readinessProbe` that succeeds only when the container can answer requests");
        }
    }
}
