//! ## What it does
//! Flags an alert template that reads a label (`{{ $labels.instance }}`)
//! which the expression's result cannot carry: an aggregation dropped it
//! (`sum by (job)`), or a function returns other labels.
//!
//! ## Why is this bad?
//! The label is empty in every notification: "Instance  is down" tells the
//! person paged nothing about where to look.
//!
//! ## Example
//! ```yaml
//! - alert: HighErrorRate
//!   expr: sum by (job) (rate(http_errors_total[5m])) > 1
//!   annotations:
//!     summary: "errors on {{ $labels.instance }}"
//! ```
//!
//! ## Use instead
//! ```yaml
//! - alert: HighErrorRate
//!   expr: sum by (job, instance) (rate(http_errors_total[5m])) > 1
//!   annotations:
//!     summary: "errors on {{ $labels.instance }}"
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an alert template reads a label the expression drops",
    severity: Severity::Medium,
    tags: &["alerting", "correctness"],
    aliases: &["alerts/template"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.alerts() {
        let Some(e) = r.ast() else { continue };
        // absent() has its own rule (absent-label-template).
        if is_absent(e) {
            continue;
        }
        let Some(kept) = promql::kept_labels(e) else { continue };
        report(cx, r, &kept, "the expression's result");
    }
}

pub fn is_absent(e: &Expr) -> bool {
    matches!(promql::unparen(e), Expr::Call(c) if c.func.name == "absent" || c.func.name == "absent_over_time")
}

pub fn report(cx: &mut Ctx, r: &Rule, kept: &std::collections::BTreeSet<String>, what: &str) {
    for entry in r.annotations().iter().chain(r.labels()) {
        let Some(text) = entry.value.as_str() else { continue };
        if crate::model::helm_templated(text) {
            continue;
        }
        let Some(missing) = crate::template::labels_read(text).into_iter().find(|l| !kept.contains(l)) else { continue };
        let carries = if kept.is_empty() {
            "carries no labels".to_string()
        } else {
            format!("carries only {}", kept.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", "))
        };
        cx.report_in(
            r.doc,
            entry.value.span.clone(),
            format!("alert `{}`: `{}` reads label `{missing}`, but {what} {carries}", r.name(), entry.key_str().unwrap_or("")),
        )
        .help(format!("keep `{missing}` in the expression (`by (..., {missing})`) or remove it from the template"));
    }
}
