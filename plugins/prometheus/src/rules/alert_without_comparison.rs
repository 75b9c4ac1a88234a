//! ## What it does
//! Flags an alerting rule whose expression has no condition: no comparison,
//! no `and`/`unless`, no `absent()`; or whose comparison uses `bool`.
//!
//! Not flagged: a bare selector (perhaps aggregated) whose matchers search
//! a pattern (`pg_index_size{indexrelname=~".*ccnew.*"}`) or that reads an
//! `_info` metric with a label matcher: there every series that exists is
//! the problem, and the value (a size, or the constant 1) does not matter.
//! An exact matcher on an enumeration (`kube_pod_status_phase{phase="Failed"}`)
//! is still flagged: such metrics return 0 for every other pod.
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
use promql_parser::label::MatchOp;

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
            Condition::None if presence(e) => continue,
            Condition::None => format!("alert `{}` has no comparison: it fires for every series the expression returns", r.name()),
            Condition::Bool => format!("alert `{}` compares with `bool`: every series returns 0 or 1, so it always fires", r.name()),
            _ => continue,
        };
        cx.report_in(r.doc, r.expr_span(), message)
            .help("add the threshold the alert is about (for example `> 0.05`), without `bool`");
    }
}

/// A selector that finds things by a pattern, or an info metric narrowed by a label: presence is the condition.
fn presence(e: &Expr) -> bool {
    let mut e = promql::unparen(e);
    while let Expr::Aggregate(a) = e {
        e = promql::unparen(&a.expr);
    }
    let Expr::VectorSelector(v) = e else { return false };
    let labels = || v.matchers.matchers.iter().filter(|m| m.name != "__name__");
    let searches = labels().any(|m| matches!(m.op, MatchOp::Re(_)) && (m.value.contains(".*") || m.value.contains(".+")));
    let info = v.name.as_deref().is_some_and(|n| n.ends_with("_info")) && labels().next().is_some();
    searches || info
}
