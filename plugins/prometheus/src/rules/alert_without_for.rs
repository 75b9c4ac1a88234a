//! ## What it does
//! Flags an alerting rule with no `for:`, and, at a lower severity, one that
//! sets `for: 0` (`0m`, `0s`): stated, but still a page on one evaluation.
//!
//! Not flagged, because a `for:` adds nothing or does harm there:
//! - an expression that judges a window already: events counted over a range
//!   (`increase(...[5m]) > 0`, `changes()`, `resets()`, `delta()`), a trend
//!   (`deriv()`, `predict_linear()`), `*_over_time()`, an `offset`. A `for:`
//!   longer than the window would hide single events;
//! - a condition that measures time itself: an age against `time()`
//!   (`time() - last_success_timestamp > 3600`, `not_after - time() < 7 * 86400`)
//!   or a metric that is an age, an uptime or a time to expiry
//!   (`..._age_of_oldest_message > 3600`, `uptime < 60` after a restart,
//!   `days_until_cert_expiring < 7`). Once true it stays true until someone
//!   acts, or it is the event itself: `for: 1m` on `uptime < 60` never fires;
//! - an alert whose `severity` pages nobody (`info`, `none`, `notice`,
//!   `debug`): a notification, not a page;
//! - a dead man's switch (`vector(1)`), which is meant to fire always.
//!
//! Still flagged: `absent()` (a target rescheduled or one failed discovery
//! makes a series vanish for a moment; upstream mixins give such alerts
//! `for: 10m` or more) and state flags such as a failed configuration reload
//! (a reloader retries; the Prometheus and Alertmanager mixins wait `10m`).
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

/// Severities that route to a channel or nowhere, never to a pager.
const NOT_PAGING: &[&str] = &["info", "information", "informational", "none", "notice", "debug"];

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.alerts() {
        // A deliberately always-firing alert (a dead man's switch) needs no `for`.
        if r.ast().is_some_and(|e| matches!(promql::condition(e), promql::Condition::Intended))
            && r.ast().is_some_and(|e| promql::metric_names(e).is_empty())
        {
            continue;
        }
        if r.ast().is_some_and(|e| windowed(e) || measures_time(e)) {
            continue;
        }
        if r.label("severity").and_then(|s| s.as_str()).is_some_and(|s| NOT_PAGING.contains(&s.trim().to_lowercase().as_str())) {
            continue;
        }
        match r.node.get("for") {
            None => {
                cx.report_in(r.doc, r.key_span(), format!("alert `{}` has no `for:`: it fires on the first evaluation that matches", r.name()))
                    .help("add `for:` (for example `for: 5m`) so a short blip does not page anyone");
            }
            // Written on purpose, so less likely an oversight: still one evaluation pages.
            Some(v) if v.as_str().and_then(crate::duration::millis) == Some(0) => {
                cx.report_in(r.doc, v.span.clone(), format!("alert `{}` sets `for: {}`: it fires on the first evaluation that matches", r.name(), v.as_str().unwrap_or("0")))
                    .severity(Severity::Low)
                    .help("set `for:` to how long the condition must hold (for example `5m`); if one evaluation must page, suppress this finding with the reason");
            }
            _ => {}
        }
    }
}

/// The expression judges a window of samples (an event count, a trend or a `*_over_time`).
fn windowed(e: &Expr) -> bool {
    const WINDOW: &[&str] =
        &["increase", "changes", "resets", "delta", "deriv", "predict_linear", "holt_winters", "double_exponential_smoothing"];
    let mut found = false;
    promql::visit(e, &mut Vec::new(), &mut |n, _| {
        match n {
            Expr::Call(c) => found |= WINDOW.contains(&c.func.name) || c.func.name.ends_with("_over_time"),
            // `x unless x offset 1h`: a window written by hand.
            Expr::VectorSelector(v) => found |= v.offset.is_some(),
            _ => {}
        }
    });
    found
}

/// The condition compares a time span: with `and`/`unless` one such operand
/// gates the whole alert; with `or` every branch must be one.
fn measures_time(e: &Expr) -> bool {
    match promql::unparen(e) {
        Expr::Binary(b) => {
            let op = b.op.to_string().to_lowercase();
            match op.as_str() {
                "and" | "unless" => measures_time(&b.lhs) || measures_time(&b.rhs),
                "or" => measures_time(&b.lhs) && measures_time(&b.rhs),
                _ if promql::is_comparison(&op) && !b.return_bool() => timed(&b.lhs) || timed(&b.rhs),
                _ => false,
            }
        }
        Expr::Aggregate(a) => measures_time(&a.expr),
        _ => false,
    }
}

/// A value that is a duration: `time()` minus or less a timestamp, or an age-named metric.
fn timed(e: &Expr) -> bool {
    let mut found = false;
    promql::visit(e, &mut Vec::new(), &mut |n, _| match n {
        Expr::Binary(b) if b.op.to_string() == "-" => found |= is_time(&b.lhs) || is_time(&b.rhs),
        Expr::VectorSelector(v) => found |= v.name.as_deref().is_some_and(age_name),
        Expr::MatrixSelector(m) => found |= m.vs.name.as_deref().is_some_and(age_name),
        _ => {}
    });
    found
}

fn is_time(e: &Expr) -> bool {
    matches!(promql::unparen(e), Expr::Call(c) if c.func.name == "time")
}

/// `mysql_global_status_uptime`, `sysUpTime`, `aws_sqs_approximate_age_of_oldest_message_maximum`,
/// `envoy_server_days_until_first_cert_expiring`, `apiserver_client_certificate_expiration_seconds`.
fn age_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    let tokens: Vec<&str> = lower.split('_').collect();
    let unit = tokens.iter().any(|t| ["seconds", "days", "hours", "timestamp"].contains(t));
    lower.contains("uptime") || tokens.contains(&"age") || (lower.contains("expir") && unit)
}
