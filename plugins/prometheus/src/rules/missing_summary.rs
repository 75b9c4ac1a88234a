//! ## What it does
//! Flags an alerting rule with neither a `summary` nor a `description`
//! annotation (nor the older `message`).
//!
//! ## Why is this bad?
//! The notification carries only the alert's name and labels: whoever is
//! paged must open Prometheus to learn what is wrong, where and how bad.
//!
//! ## Example
//! ```yaml
//! - alert: DiskFull
//!   expr: node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.05
//! ```
//!
//! ## Use instead
//! ```yaml
//! - alert: DiskFull
//!   expr: node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.05
//!   annotations:
//!     summary: "{{ $labels.mountpoint }} on {{ $labels.instance }} is almost full"
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an alert has no summary or description",
    severity: Severity::Low,
    tags: &["alerting"],
    aliases: &["rule/annotation"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.alerts() {
        if !["summary", "description", "message"].iter().any(|k| r.annotation(k).is_some()) {
            cx.report_in(r.doc, r.key_span(), format!("alert `{}` has no `summary` or `description` annotation", r.name()))
                .help("add `annotations: {summary: ..., description: ...}` saying what is wrong, where, and how bad ({{ $labels.x }} and {{ $value }} fill in the details)");
        }
    }
}
