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
use std::collections::HashMap;

use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a serving container has no readiness probe",
    severity: Severity::Medium,
    tags: &["reliability"],
    aliases: &["CKV_K8S_9", "no-readiness-probe", "readinessProbeMissing"],
    ..Meta::DEFAULT
};

/// The Services of the files with their selectors, each under the first
/// `key: value` of its selector (a pod it selects carries that label): a
/// workload is matched only against those its labels name (matching every
/// pair made a repository of 2,400 Deployments and 2,400 Services take 3 s).
fn services(repo: &Repo) -> HashMap<(&str, &str), Vec<(&Object, &Node)>> {
    let mut out: HashMap<(&str, &str), Vec<(&Object, &Node)>> = HashMap::new();
    for s in repo.of_kind("Service") {
        let Some(sel) = s.node.at("spec.selector") else { continue };
        let Some(first) = sel.entries().first() else { continue };
        // `selects` needs every entry to be a scalar pair: one that is not selects nothing.
        let Some(pair) = first.key_str().zip(first.value.as_scalar().map(|v| v.text.as_str())) else { continue };
        out.entry(pair).or_default().push((s, sel));
    }
    out
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    let services = services(repo);
    let selected = |w: &Workload| {
        let labels = w.labels().map(Node::entries).unwrap_or(&[]).iter();
        let mut pairs = labels.filter_map(|e| e.key_str().zip(e.value.as_scalar().map(|v| v.text.as_str())));
        pairs.any(|pair| {
            let found = services.get(&pair).map_or(&[][..], Vec::as_slice);
            found.iter().any(|(s, sel)| s.same_namespace(w.obj) && selects(sel, w.labels()))
        })
    };
    for w in repo.workloads() {
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
