//! ## What it does
//! Flags `histogram_quantile()` over an aggregation that drops the `le`
//! label (`sum by (job) (rate(x_bucket[5m]))`).
//!
//! ## Why is this bad?
//! The quantile is computed from the buckets' `le` bounds: without them the
//! function returns nothing, so the latency alert can never fire.
//!
//! ## Example
//! ```yaml
//! expr: histogram_quantile(0.99, sum by (job) (rate(http_request_duration_seconds_bucket[5m]))) > 1
//! ```
//!
//! ## Use instead
//! ```yaml
//! expr: histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m]))) > 1
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "histogram_quantile() over an aggregation without `le`",
    severity: Severity::High,
    tags: &["promql", "correctness"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.rules() {
        let Some(e) = r.ast() else { continue };
        let mut bad = false;
        promql::visit(e, &mut Vec::new(), &mut |node, _| {
            if let Expr::Call(c) = node {
                if c.func.name == "histogram_quantile" {
                    if let Some(arg) = c.args.args.get(1) {
                        // Native histograms have no `le`: only classic `_bucket` series are judged.
                        let classic = promql::metric_names(arg).iter().any(|n| n.ends_with("_bucket"));
                        if let (true, Expr::Aggregate(_)) = (classic, promql::unparen(arg)) {
                            bad |= promql::kept_labels(arg).is_some_and(|k| !k.contains("le"));
                        }
                    }
                }
            }
        });
        if bad {
            cx.report_in(r.doc, r.expr_span(), format!("rule `{}`: histogram_quantile() over an aggregation that drops `le`: it returns nothing", r.name()))
                .help("keep `le` in the aggregation: `sum by (job, le) (rate(x_bucket[5m]))`");
        }
    }
}
