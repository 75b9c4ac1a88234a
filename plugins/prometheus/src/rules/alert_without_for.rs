//! ## What it does
//! Flags an alerting rule with no `for:` (or `for: 0`). Alerts on events
//! counted over a window (`increase(...[5m]) > 0`, `changes()`, `resets()`,
//! `*_over_time()`, an `offset`) are not flagged: the window already spans time, and a
//! `for:` longer than it would hide single events.
//!
//! ## Why is this bad?
//! The alert fires on the first evaluation where the expression returns
//! anything: one scrape that fails, one spike, one restart pages someone.
//! A `for:` makes the condition hold for a while before anyone is woken.
//!
//! ## Example
//! ```yaml
//! - alert: HighErrorRate
//!   expr: job:http_errors:ratio5m > 0.05
//! ```
//!
//! ## Use instead
//! ```yaml
//! - alert: HighErrorRate
//!   expr: job:http_errors:ratio5m > 0.05
//!   for: 10m
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an alert fires on a single evaluation (no `for:`)",
    severity: Severity::Medium,
    tags: &["alerting"],
    aliases: &["alerts/for"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.alerts() {
        // A deliberately always-firing alert (a dead man's switch) needs no `for`.
        if r.ast().is_some_and(|e| matches!(promql::condition(e), promql::Condition::Intended))
            && r.ast().is_some_and(|e| promql::metric_names(e).is_empty())
        {
            continue;
        }
        if r.ast().is_some_and(windowed) {
            continue;
        }
        match r.node.get("for") {
            None => {
                cx.report_in(r.doc, r.key_span(), format!("alert `{}` has no `for:`: it fires on the first evaluation that matches", r.name()))
                    .help("add `for:` (for example `for: 5m`) so a short blip does not page anyone");
            }
            Some(v) if v.as_str().and_then(crate::duration::millis) == Some(0) => {
                cx.report_in(r.doc, v.span.clone(), format!("alert `{}` has `for: {}`: it fires on the first evaluation that matches", r.name(), v.as_str().unwrap_or("0")))
                    .help("set `for:` to how long the condition must hold (for example `5m`)");
            }
            _ => {}
        }
    }
}

/// The expression judges a window of samples (an event count or a `*_over_time`).
fn windowed(e: &Expr) -> bool {
    let mut found = false;
    promql::visit(e, &mut Vec::new(), &mut |n, _| {
        match n {
            Expr::Call(c) => {
                found |= ["increase", "changes", "resets"].contains(&c.func.name) || c.func.name.ends_with("_over_time")
            }
            // `x unless x offset 1h`: a window written by hand.
            Expr::VectorSelector(v) => found |= v.offset.is_some(),
            _ => {}
        }
    });
    found
}
