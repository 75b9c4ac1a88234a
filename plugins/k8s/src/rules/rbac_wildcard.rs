//! ## What it does
//! Flags a Role or ClusterRole rule with `*` in `verbs`, `resources` or
//! `apiGroups`. Points at the wildcard.
//!
//! Not flagged, because they cannot grant more than reading: `resources: ["*"]`
//! with read verbs only (`get`, `list`, `watch`) inside named API groups that
//! are not the core one (a dashboard reading every `cilium.io` object: no
//! Secrets, no writes, no escalation), and any wildcard inside the metrics
//! APIs (`metrics.k8s.io`, `custom.metrics.k8s.io`,
//! `external.metrics.k8s.io`: aggregated APIs that only serve reads, the
//! documented role of metrics adapters). `*` in `apiGroups` or `verbs`
//! elsewhere, and `*` resources of the core group, stay findings.
//!
//! ## Why is this bad?
//! A wildcard grants everything, including resources and verbs added by
//! future versions and CRDs: secrets, `escalate`, `impersonate`, `bind`.
//!
//! ## Example
//! ```yaml
//! rules:
//!   - apiGroups: ["*"]
//!     resources: ["*"]
//!     verbs: ["*"]
//! ```
//!
//! ## Use instead
//! ```yaml
//! rules:
//!   - apiGroups: ["apps"]
//!     resources: ["deployments"]
//!     verbs: ["get", "list", "watch"]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an RBAC rule uses a wildcard",
    severity: Severity::High,
    tags: &["security"],
    aliases: &["CKV_K8S_49", "wildcard-in-rules"],
    ..Meta::DEFAULT
};

/// Aggregated APIs that serve metrics, and only reads.
const METRICS_GROUPS: &[&str] = &["metrics.k8s.io", "custom.metrics.k8s.io", "external.metrics.k8s.io"];

/// Whether a rule can only read, whatever its wildcards: reads of every resource of named,
/// non-core groups, or anything in the metrics APIs.
fn read_only(rule: &Node) -> bool {
    let strs = |field: &str| -> Vec<&str> { rule.get(field).map(Node::items).unwrap_or(&[]).iter().filter_map(Node::as_str).collect() };
    let (groups, verbs) = (strs("apiGroups"), strs("verbs"));
    if groups.is_empty() || rule.get("nonResourceURLs").is_some() {
        return false;
    }
    if groups.iter().all(|g| METRICS_GROUPS.contains(g)) {
        return true;
    }
    groups.iter().all(|g| !g.is_empty() && *g != "*")
        && !verbs.is_empty()
        && verbs.iter().all(|v| matches!(*v, "get" | "list" | "watch"))
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for o in repo.objects.iter().filter(|o| matches!(o.kind.as_str(), "Role" | "ClusterRole")) {
        for rule in o.node.get("rules").map(Node::items).unwrap_or(&[]) {
            if read_only(rule) {
                continue;
            }
            for field in ["verbs", "resources", "apiGroups"] {
                for item in rule.get(field).map(Node::items).unwrap_or(&[]) {
                    if item.as_str() == Some("*") {
                        cx.report_in(o.doc, item.span.clone(), format!("{}: `{field}` contains `*`", o.display()))
                            .help(format!("list the {field} the subject needs explicitly"));
                    }
                }
            }
        }
    }
}
