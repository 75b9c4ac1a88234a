//! ## What it does
//! Flags an alerting rule whose expression has no condition: no comparison,
//! no `and`/`unless`, no `absent()`; or whose comparison uses `bool`.
//!
//! ## Why is this bad?
//! Every series the expression returns is an alert: `rate(errors_total[5m])`
//! fires for every service as long as the metric exists, even at zero, and
//! `x > bool 1` returns 0 or 1 for every series, so it fires all the time.
//!
//! ## Example
//! ```yaml
//! - alert: Errors
//!   expr: rate(http_errors_total[5m])
//! ```
//!
//! ## Use instead
//! ```yaml
//! - alert: Errors
//!   expr: rate(http_errors_total[5m]) > 0.1
//! ```
use crate::prelude::*;
use crate::promql::Condition;

pub const META: Meta = Meta {
    summary: "an alert's expression has no condition (it fires for every series)",
    severity: Severity::High,
    tags: &["alerting", "correctness"],
    aliases: &["alerts/comparison"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.alerts() {
        let Some(e) = r.ast() else { continue };
        let message = match promql::condition(e) {
            Condition::None => format!("alert `{}` has no comparison: it fires for every series the expression returns", r.name()),
            Condition::Bool => format!("alert `{}` compares with `bool`: every series returns 0 or 1, so it always fires", r.name()),
            _ => continue,
        };
        cx.report_in(r.doc, r.expr_span(), message)
            .help("add the threshold the alert is about (for example `> 0.05`), without `bool`");
    }
}
