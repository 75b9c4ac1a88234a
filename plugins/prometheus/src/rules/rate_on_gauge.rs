//! ## What it does
//! Flags `rate()`, `irate()` or `increase()` on a metric whose name says it
//! is a gauge (`up`, `*_info`, `*_ratio`, `*_percent`, `*_celsius`,
//! `*_timestamp_seconds`, `node_memory_*`, `container_memory_*` without
//! `_total`).
//!
//! ## Why is this bad?
//! `rate()` treats every decrease as a counter reset: on a gauge it returns
//! made-up numbers. Use `deriv()` or `delta()` for a gauge's change.
//!
//! ## Example
//! ```yaml
//! expr: rate(node_memory_MemAvailable_bytes[5m]) < 0
//! ```
//!
//! ## Use instead
//! ```yaml
//! expr: deriv(node_memory_MemAvailable_bytes[5m]) < 0
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "rate() on a gauge",
    severity: Severity::Medium,
    tags: &["promql", "correctness"],
    aliases: &["promql/rate", "promql/counter"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.rules() {
        let Some(e) = r.ast() else { continue };
        let mut found = None;
        promql::visit(e, &mut Vec::new(), &mut |node, inside| {
            if let Expr::MatrixSelector(m) = node {
                let f = inside.last().map(String::as_str);
                if let (Some(f @ ("rate" | "irate" | "increase")), Some(name)) = (f, &m.vs.name) {
                    if found.is_none() && gauge_name(name) {
                        found = Some((f.to_string(), name.clone()));
                    }
                }
            }
        });
        if let Some((f, name)) = found {
            cx.report_in(r.doc, r.expr_span(), format!("rule `{}`: {f}() on `{name}`, which is a gauge by its name", r.name()))
                .help("use deriv() or delta() for a gauge's change; rate() is for counters (`_total`)");
        }
    }
}

pub fn gauge_name(name: &str) -> bool {
    if name.contains(':') || name.ends_with("_total") || name.ends_with("_count") || name.ends_with("_sum") || name.ends_with("_bucket") {
        return false;
    }
    name == "up"
        || ["_info", "_ratio", "_percent", "_percentage", "_celsius", "_timestamp_seconds", "_timestamp"].iter().any(|s| name.ends_with(s))
        || ((name.starts_with("node_memory_") || name.starts_with("container_memory_")) && name.ends_with("_bytes"))
}
