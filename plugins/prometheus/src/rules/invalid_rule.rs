//! ## What it does
//! Flags a rule Prometheus' rule loader refuses: neither `alert` nor
//! `record`, both, no `expr`, `for`/`annotations` on a recording rule, or a
//! recorded name that is not a valid metric name.
//!
//! ## Why is this bad?
//! One invalid rule makes Prometheus refuse the whole rule file (or the
//! operator reject the PrometheusRule): every alert in it stops working.
//!
//! ## Example
//! ```yaml
//! - record: job:http_errors:rate5m
//!   expr: sum by (job) (rate(http_errors_total[5m]))
//!   for: 5m
//! ```
//!
//! ## Use instead
//! ```yaml
//! - record: job:http_errors:rate5m
//!   expr: sum by (job) (rate(http_errors_total[5m]))
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a rule Prometheus refuses to load",
    severity: Severity::High,
    tags: &["correctness"],
    aliases: &["promtool"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.rules() {
        let problem = match (&r.alert, &r.record) {
            (None, None) => Some("neither `alert` nor `record` is set".to_string()),
            (Some(_), Some(_)) => Some("both `alert` and `record` are set".to_string()),
            _ if r.expr.is_none() => Some("`expr` is missing".to_string()),
            (None, Some((name, _))) if !crate::model::templated(name) && !valid_metric_name(name) => {
                Some(format!("`{name}` is not a valid metric name"))
            }
            (None, Some(_)) => ["for", "keep_firing_for", "annotations"]
                .iter()
                .find(|k| r.node.get(k).is_some_and(|v| !v.is_null()))
                .map(|k| format!("a recording rule cannot have `{k}`")),
            _ => None,
        };
        if let Some(p) = problem {
            let shown = if r.name().is_empty() { String::new() } else { format!(" `{}`", r.name()) };
            cx.report_in(r.doc, r.key_span(), format!("rule{shown}: {p}"))
                .help("fix the rule as `promtool check rules FILE` asks; Prometheus refuses the whole file until then");
        }
    }
}

pub fn valid_metric_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}
