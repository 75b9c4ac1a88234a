//! ## What it does
//! Flags an `absent()` alert whose template reads a label that `absent()`
//! cannot return: its result carries only the labels matched with `=` in
//! its selector.
//!
//! ## Why is this bad?
//! When the metric disappears, the notification says "  is down" with empty
//! labels: `absent(up{job=~"api.*"})` has no `job` and never an `instance`.
//!
//! ## Example
//! ```yaml
//! - alert: ApiMetricsMissing
//!   expr: absent(up{job="api"})
//!   annotations:
//!     summary: "{{ $labels.instance }} has no metrics"
//! ```
//!
//! ## Use instead
//! ```yaml
//! - alert: ApiMetricsMissing
//!   expr: absent(up{job="api"})
//!   annotations:
//!     summary: "job {{ $labels.job }} has no metrics"
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an absent() alert's template reads a label absent() cannot return",
    severity: Severity::Medium,
    tags: &["alerting", "correctness"],
    aliases: &["promql/absent"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.alerts() {
        let Some(e) = r.ast() else { continue };
        if !super::template_label_dropped::is_absent(e) {
            continue;
        }
        let Some(kept) = promql::kept_labels(e) else { continue };
        super::template_label_dropped::report(cx, r, &kept, "absent(), which keeps only the labels matched with `=`,");
    }
}
