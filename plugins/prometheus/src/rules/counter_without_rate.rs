//! ## What it does
//! Flags an alert that compares a counter of events (`*_total` naming
//! errors, failures, restarts, requests, drops, rejections, timeouts,
//! evictions) directly, without `rate()`, `increase()` or another function
//! over a range, and no other counter beside it. Other `_total` names are often gauges of a capacity
//! (`container_fs_inodes_total`) and are not judged; nor is a counter
//! divided by another value. Nor is a counter of uncorrectable hardware
//! errors (`node_edac_uncorrectable_errors_total > 0`): one such error means
//! the part is failing, and the count resets when the machine restarts,
//! usually for the repair, so "since boot" is what is meant. ClickHouse's
//! exporter names its counters without `_total` (`ClickHouseErrorMetric_*`,
//! `ClickHouseProfileEvents_*`): they are judged as counters. Each branch of
//! an `or` is judged on its own.
//!
//! ## Why is this bad?
//! A counter only grows (until the process restarts): `errors_total > 5`
//! fires once five errors happened since the last restart, days ago or not,
//! and keeps firing; a restart resolves it.
//!
//! ## Example
//! ```yaml
//! expr: kube_pod_container_status_restarts_total > 3
//! ```
//!
//! ## Use instead
//! ```yaml
//! expr: increase(kube_pod_container_status_restarts_total[1h]) > 3
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a counter compared without rate() or increase()",
    severity: Severity::Medium,
    tags: &["promql", "correctness"],
    aliases: &["promql/counter"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.alerts() {
        let Some(e) = r.ast() else { continue };
        if let Some(name) = raw_counter(e) {
            cx.report_in(r.doc, r.expr_span(), format!("alert `{}` compares the counter `{name}` as it is: it counts since the process started", r.name()))
                .help(format!("compare its rate or increase over a window: `increase({name}[15m]) > N`"));
        }
    }
}

/// The event counter an alert condition compares as it is, if any. Each
/// branch of an `or` is a condition of its own.
pub fn raw_counter(e: &Expr) -> Option<String> {
    if let Expr::Binary(b) = promql::unparen(e) {
        if b.op.to_string().eq_ignore_ascii_case("or") {
            return raw_counter(&b.lhs).or_else(|| raw_counter(&b.rhs));
        }
    }
    if !matches!(promql::condition(e), promql::Condition::Filters) {
        return None;
    }
    let mut raw: Option<String> = None;
    let mut counters = std::collections::BTreeSet::new();
    let mut offset = false;
    promql::visit(e, &mut Vec::new(), &mut |node, inside| {
        if let Expr::VectorSelector(v) = node {
            offset |= v.offset.is_some() || v.at.is_some();
            // A bare counter: no function or aggregation but plain sums around it.
            let plain = inside.iter().all(|f| ["sum", "max", "min", "avg", "topk", "bottomk"].contains(&f.as_str()));
            if let Some(name) = &v.name {
                if plain && cumulative(name) {
                    counters.insert(name.clone());
                }
                if plain && event_counter(name) && !crate::latched::latched(name) && raw.is_none() {
                    raw = Some(name.clone());
                }
            }
        }
    });
    // `x_total - x_total offset 1h` is a hand-written increase; a division is a ratio of totals.
    // Two counters compared together (`failed_total > 0 and completed_total == 0`) mean "since start" on purpose.
    if offset || divides(e) || counters.len() > 1 {
        return None;
    }
    raw
}

/// A counter by its name: `_total`, or ClickHouse's own exporter families,
/// which count since the server started without saying so
/// (`ClickHouseErrorMetric_*` from `system.errors`, `ClickHouseProfileEvents_*`).
fn cumulative(name: &str) -> bool {
    name.ends_with("_total") || name.starts_with("ClickHouseErrorMetric_") || name.starts_with("ClickHouseProfileEvents_")
}

/// A counter whose name says it counts events (every ClickHouse error metric does).
pub fn event_counter(name: &str) -> bool {
    const EVENTS: &[&str] =
        &["error", "fail", "restart", "request", "drop", "reject", "timeout", "evict", "panic", "crash", "oom_kill", "retries", "retry"];
    let lower = name.to_lowercase();
    name.starts_with("ClickHouseErrorMetric_")
        || (cumulative(name) && !name.contains(':') && EVENTS.iter().any(|w| lower.contains(w)))
}

fn divides(e: &Expr) -> bool {
    let mut found = false;
    promql::visit(e, &mut Vec::new(), &mut |n, _| {
        if let Expr::Binary(b) = n {
            found |= b.op.to_string() == "/";
        }
    });
    found
}
