//! ## What it does
//! Flags a recording rule whose name does not follow Prometheus'
//! `level:metric:operations` convention (no `:` at all). Off by default
//! (a naming convention); `strict` turns it on.
//!
//! ## Why is this bad?
//! A recorded series named like a raw metric cannot be told apart from one:
//! people query it thinking it is scraped, and the aggregation level and
//! operations it carries are invisible.
//!
//! ## Example
//! ```yaml
//! - record: http_errors_rate
//!   expr: sum by (job) (rate(http_errors_total[5m]))
//! ```
//!
//! ## Use instead
//! ```yaml
//! - record: job:http_errors:rate5m
//!   expr: sum by (job) (rate(http_errors_total[5m]))
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a recording rule not named level:metric:operations",
    severity: Severity::Low,
    tags: &["style"],
    aliases: &["rule/name"],
    enabled: false,
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.rules() {
        let Some((name, span)) = &r.record else { continue };
        if r.alert.is_some() || name.contains(':') || crate::model::templated(name) || !super::invalid_rule::valid_metric_name(name) {
            continue;
        }
        cx.report_in(r.doc, span.clone(), format!("recording rule `{name}` is not named level:metric:operations"))
            .help("name it `level:metric:operations`, e.g. `job:http_requests:rate5m`");
    }
}
