//! ## What it does
//! Flags a CronJob without `concurrencyPolicy` (it defaults to `Allow`) or
//! without `startingDeadlineSeconds`. Points at the CronJob's `schedule`.
//!
//! ## Why is this bad?
//! With `Allow`, a run that is slower than the schedule overlaps the next
//! one (two backups writing the same file, two migrations at once). Without
//! a starting deadline, a controller that was down counts the missed runs
//! and, past 100, stops scheduling the CronJob at all.
//!
//! ## Example
//! ```yaml
//! kind: CronJob
//! spec:
//!   schedule: "0 3 * * *"
//! ```
//!
//! ## Use instead
//! ```yaml
//! kind: CronJob
//! spec:
//!   schedule: "0 3 * * *"
//!   concurrencyPolicy: Forbid
//!   startingDeadlineSeconds: 600
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a CronJob has no concurrencyPolicy or startingDeadlineSeconds",
    severity: Severity::Low,
    tags: &["reliability"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for o in repo.of_kind("CronJob") {
        let Some(spec) = o.node.get("spec") else { continue };
        let missing: Vec<&str> =
            ["concurrencyPolicy", "startingDeadlineSeconds"].into_iter().filter(|k| spec.get(k).is_none()).collect();
        if missing.is_empty() {
            continue;
        }
        let span = o.node.value_span("spec.schedule").unwrap_or_else(|| o.anchor());
        cx.report_in(o.doc, span, format!("{} sets no {}", o.display(), missing.join(" or ")))
            .help("set `concurrencyPolicy: Forbid` (or `Replace`) and a `startingDeadlineSeconds`");
    }
}
