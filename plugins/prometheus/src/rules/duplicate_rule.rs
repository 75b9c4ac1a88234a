//! ## What it does
//! Flags two rules of one group with the same name and the same labels
//! (alerts) or the same recorded series (recording rules).
//!
//! ## Why is this bad?
//! Two alerts with one name and one label set are one alert in Alertmanager:
//! the second overwrites the first, and which threshold fired is lost. Two
//! recording rules writing the same series make Prometheus log
//! "duplicate sample" errors and drop one of them. (Same-name alerts with
//! different severities are fine and not flagged.)
//!
//! ## Example
//! ```yaml
//! - alert: HighLatency
//!   expr: latency:p99 > 1
//!   labels: {severity: warning}
//! - alert: HighLatency
//!   expr: latency:p99 > 2
//!   labels: {severity: warning}
//! ```
//!
//! ## Use instead
//! ```yaml
//! - alert: HighLatency
//!   expr: latency:p99 > 1
//!   labels: {severity: warning}
//! - alert: HighLatency
//!   expr: latency:p99 > 2
//!   labels: {severity: critical}
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "two rules of a group with the same name and labels",
    severity: Severity::Medium,
    tags: &["alerting", "correctness"],
    aliases: &["rule/duplicate"],
    ..Meta::DEFAULT
};

/// A rule's labels, sorted: (name, value).
type Labels = Vec<(String, String)>;

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for g in &repo.groups {
        let mut seen: Vec<(String, Labels, std::ops::Range<usize>)> = Vec::new();
        for r in &g.rules {
            if r.name().is_empty() || crate::model::templated(r.name()) {
                continue;
            }
            let mut labels: Vec<(String, String)> = r
                .labels()
                .iter()
                .map(|e| (e.key_str().unwrap_or("").to_string(), e.value.as_scalar().map(|s| s.text.clone()).unwrap_or_default()))
                .collect();
            labels.sort();
            let kind = if r.is_alert() { "alert" } else { "record" };
            let key = format!("{kind}:{}", r.name());
            // A recording rule's series also carries the expression's labels: same expr text = same series.
            let key = if r.is_alert() { key } else { format!("{key}\n{}", r.expr.as_ref().map_or("", |e| e.text.trim())) };
            if let Some((_, _, first)) = seen.iter().find(|(k, l, _)| *k == key && *l == labels) {
                let line = opslint_yaml::line_col(cx.documents()[r.doc].1, first.start).0;
                cx.report_in(r.doc, r.key_span(), format!("{kind} `{}` is defined twice in this group with the same labels (first at line {line})", r.name()))
                    .related(first.clone(), "first definition")
                    .help("remove the copy, or tell the two apart with a label (e.g. a different `severity`)");
            } else {
                seen.push((key, labels, r.key_span()));
            }
        }
    }
}
