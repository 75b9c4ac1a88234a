//! ## What it does
//! Flags an alerting rule with no `for:`, and, at a lower severity, one that
//! sets `for: 0` (`0m`, `0s`): stated, but still a page on one evaluation.
//!
//! Not flagged, because a `for:` adds nothing or does harm there:
//! - events counted over a window (`increase(...[5m]) > 0`, `changes()`,
//!   `resets()`, `delta()`), `*_over_time()`, an `offset`: the window spans
//!   time already, and a `for:` longer than it would hide single events;
//! - a condition that measures time itself: an age against `time()`
//!   (`time() - last_success_timestamp > 3600`, `not_after - time() < 7 * 86400`)
//!   or a metric that is an age, an uptime or a time to expiry
//!   (`..._age_of_oldest_message > 3600`, `uptime < 60` after a restart,
//!   `days_until_cert_expiring < 7`). Once true it stays true until someone
//!   acts, or it is the event itself: `for: 1m` on `uptime < 60` never fires;
//! - an expression that reads only declared configuration
//!   (`kube_cronjob_spec_suspend != 0`): it changes when someone changes
//!   it, never for a moment;
//! - a value that, once bad, stays bad until someone acts: a drive's wear
//!   level (`smartctl_device_available_spare < ..._threshold`), an
//!   uncorrectable hardware error count, a degraded software RAID
//!   (`node_md_disks`), a finished Job's failure (`kube_job_status_failed`);
//! - a dead man's switch (`vector(1)`), which is meant to fire always;
//! - a counter compared as it is (`errors_total > 5`): `prometheus/counter-without-rate`
//!   reports the bigger problem, and no `for:` fixes it.
//!
//! Still flagged: a rate, `deriv()` or `predict_linear()` over a threshold
//! (a level that crosses it for a moment; the upstream mixins wait `1h` on
//! a disk predicted full), `absent()` (a rescheduled target vanishes for a
//! moment), a failed configuration reload (a reloader retries; the Prometheus
//! and Alertmanager mixins wait `10m`), and `info` alerts (still noise when
//! they flap).
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
        // A raw counter compared is the bigger problem, reported by counter-without-rate.
        let raw_counter = |e: &Expr| super::counter_without_rate::raw_counter(e).is_some();
        if r.ast().is_some_and(|e| windowed(e) || measures_time(e) || declared(e) || latched(e) || raw_counter(e)) {
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

/// The expression judges a window of samples (an event count or a `*_over_time`).
fn windowed(e: &Expr) -> bool {
    const WINDOW: &[&str] = &["increase", "changes", "resets", "delta"];
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

/// Every metric read is a spec (kube-state-metrics' `kube_*_spec_*`): configuration, not state.
fn declared(e: &Expr) -> bool {
    let names = promql::metric_names(e);
    !names.is_empty() && names.iter().all(|n| n.contains("_spec_"))
}

/// Every metric read is a latched value (a wear level, a hardware fault, a finished Job's failure).
fn latched(e: &Expr) -> bool {
    let names = promql::metric_names(e);
    !names.is_empty() && names.iter().all(|n| crate::latched::latched(n))
}
