//! ## What it does
//! Flags a Deployment, StatefulSet, DaemonSet or ReplicaSet whose
//! `spec.selector` does not match the labels of its own pod template.
//! Points at the selector.
//!
//! ## Why is this bad?
//! The API server rejects the object (`selector does not match template
//! labels`), or with an older API the controller creates pods it never
//! counts and keeps creating more.
//!
//! ## Example
//! ```yaml
//! selector:
//!   matchLabels: {app: api}
//! template:
//!   metadata:
//!     labels: {app: web}
//! ```
//!
//! ## Use instead
//! ```yaml
//! selector:
//!   matchLabels: {app: web}
//! template:
//!   metadata:
//!     labels: {app: web}
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a controller's selector does not match its pod template's labels",
    severity: Severity::High,
    tags: &["correctness"],
    aliases: &["mismatching-selector"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads() {
        if !matches!(w.obj.kind.as_str(), "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet") {
            continue;
        }
        let Some(selector) = w.obj.node.at("spec.selector") else { continue };
        if !selector.is_map() {
            continue;
        }
        if label_selector_matches(selector, w.labels()) == Some(false) {
            cx.report_in(w.obj.doc, selector.span.clone(), format!("{}: `spec.selector` does not match the pod template's labels", w.obj.display()))
                .help("make `spec.template.metadata.labels` include every label the selector requires");
        }
    }
}
