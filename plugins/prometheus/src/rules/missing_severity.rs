//! ## What it does
//! Flags an alerting rule with no `severity` label.
//!
//! ## Why is this bad?
//! Alertmanager routes on labels: with no severity, the alert cannot be sent
//! to the pager or to a ticket queue by routing rules, and whoever receives it
//! cannot tell whether to get up.
//!
//! ## Example
//! ```yaml
//! - alert: DiskFull
//!   expr: node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.05
//!   for: 10m
//! ```
//!
//! ## Use instead
//! ```yaml
//! - alert: DiskFull
//!   expr: node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.05
//!   for: 10m
//!   labels:
//!     severity: critical
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an alert has no `severity` label",
    severity: Severity::Medium,
    tags: &["alerting"],
    aliases: &["rule/label"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.alerts() {
        if r.label("severity").is_none() {
            cx.report_in(r.doc, r.key_span(), format!("alert `{}` has no `severity` label", r.name()))
                .help("add `labels: {severity: critical|warning|info}` so Alertmanager can route it to the pager or to a ticket");
        }
    }
}
