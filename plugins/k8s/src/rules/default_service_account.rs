//! ## What it does
//! Flags a pod spec that runs as the namespace's `default` service account
//! (`serviceAccountName` absent or `default`) with its API token mounted
//! (`automountServiceAccountToken` not `false` on the pod). Points at
//! `serviceAccountName`, else at the workload's name.
//!
//! ## Why is this bad?
//! Every pod of the namespace shares the default account, so any role bound
//! to it is granted to all of them, and the mounted token is a credential
//! an attacker can take from a compromised container.
//!
//! ## Example
//! ```yaml
//! spec:
//!   containers: [...]
//! ```
//!
//! ## Use instead
//! ```yaml
//! spec:
//!   serviceAccountName: web
//!   automountServiceAccountToken: false   # unless it calls the API
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a pod uses the default service account with its token mounted",
    severity: Severity::Low,
    tags: &["security"],
    aliases: &["CKV_K8S_38"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads() {
        let sa = w.spec.get("serviceAccountName").or_else(|| w.spec.get("serviceAccount"));
        if sa.and_then(Node::as_str).is_some_and(|s| s != "default") {
            continue;
        }
        if w.spec.get("automountServiceAccountToken").and_then(Node::as_bool) == Some(false) {
            continue;
        }
        let span = sa.map_or_else(|| w.obj.anchor(), |s| s.span.clone());
        cx.report_in(w.obj.doc, span, format!("{} runs as the default service account with its token mounted", w.obj.display()))
            .help("set `automountServiceAccountToken: false`, or give the workload its own `serviceAccountName`");
    }
}
