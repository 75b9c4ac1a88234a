//! ## What it does
//! Flags `rate()` or `increase()` over a range shorter than four scrape
//! intervals. The scrape interval is the smallest `global.scrape_interval`
//! of the repository's Prometheus configurations, else the option
//! `scrape-interval`. When neither says it, the interval is unknown and only
//! ranges under one minute are flagged (two scrapes at the 30s interval of
//! the Prometheus Operator and Helm charts).
//!
//! ## Why is this bad?
//! `rate()` needs two samples in the range; with fewer than four intervals a
//! single missed scrape leaves one sample and the series vanishes, so the
//! alert resolves and fires again, or never fires.
//!
//! ## Example
//! ```yaml
//! # global.scrape_interval: 30s
//! expr: rate(http_errors_total[1m]) > 1
//! ```
//!
//! ## Use instead
//! ```yaml
//! expr: rate(http_errors_total[2m]) > 1
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "rate()/increase() over a range shorter than four scrape intervals",
    severity: Severity::Medium,
    tags: &["promql", "correctness"],
    aliases: &["promql/rate"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    let configured = cx.option::<String>("scrape-interval").and_then(|s| crate::duration::seconds(&s));
    let (minimum, why) = match (repo.scrape_interval.as_ref(), configured) {
        (Some((s, doc, _)), _) => (4 * s, format!("4 x the scrape interval {} of {}", crate::duration::show(*s), repo.paths[*doc])),
        (None, Some(s)) => (4 * s, format!("4 x the configured scrape interval {}", crate::duration::show(s))),
        (None, None) => (60, "1m (2 scrapes at the usual 30s interval; no prometheus.yml says the interval)".to_string()),
    };
    for r in repo.rules() {
        let Some(e) = r.ast() else { continue };
        let mut short = Vec::new();
        promql::visit(e, &mut Vec::new(), &mut |node, inside| {
            if let Expr::MatrixSelector(m) = node {
                let f = inside.last().map(String::as_str);
                if matches!(f, Some("rate" | "increase")) && m.range.as_secs() < minimum {
                    short.push((f.unwrap_or("").to_string(), m.range.as_secs()));
                }
            }
        });
        if let Some((f, secs)) = short.first() {
            cx.report_in(r.doc, r.expr_span(), format!("rule `{}`: {f}() over [{}], shorter than {why}", r.name(), crate::duration::show(*secs)))
                .help(format!("use a range of at least {} so one missed scrape does not empty the result", crate::duration::show(minimum)));
        }
    }
}
