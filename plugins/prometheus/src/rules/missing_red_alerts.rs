//! ## What it does
//! Flags a repository that has Prometheus scrape metrics from its services
//! (ServiceMonitor or PodMonitor objects, `scrape_configs` jobs,
//! `prometheus.io/scrape: "true"` annotations) while none of its alerting
//! rules watches errors or latency (the RED signals), or saturation (USE).
//! The signals are read from the alerts' names and expressions (`error`,
//! `5..`, `fail`; `latency`, `duration`, `_bucket`, `histogram_quantile`;
//! `cpu`, `memory`, `disk`, `queue`...). One finding per repository, at the
//! first scrape target. A repository with Grafana alerting provisioning
//! files is not judged (those alerts are not read).
//!
//! Off by default (turn it on with `extend-select`): where a service's
//! errors and latency are alerted on is usually settled outside the
//! repository (a central monitoring repository, a platform team's rules, a
//! vendor's alerting or SLO tooling), and many repositories that scrape
//! metrics are samples or distributions others run. On the labelled sample
//! of real repositories (tests/precision/prometheus-labels.toml) no finding
//! of this rule could be confirmed from the files. The signals each alert
//! watches are still recorded as evidence (`prometheus/signal`).
//!
//! ## Why is this bad?
//! Metrics that nobody alerts on only help after someone noticed the outage
//! another way: users see errors and slow pages before anyone is paged.
//!
//! ## Example
//! ```yaml
//! kind: ServiceMonitor   # metrics scraped...
//! ---
//! - alert: InstanceDown  # ...but only "is it up" is alerted on
//!   expr: up == 0
//! ```
//!
//! ## Use instead
//! ```yaml
//! - alert: HighErrorRate
//!   expr: sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.05
//!   for: 10m
//! - alert: HighLatency
//!   expr: histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m]))) > 1
//!   for: 10m
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "services are scraped but no alert watches errors, latency or saturation",
    severity: Severity::Low,
    tags: &["alerting", "observability"],
    enabled: false,
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    let Some(first) = repo.scraped.first() else { return };
    // Alerts of another system (Grafana alerting) may watch them: not known, not claimed.
    if repo.other_alerting {
        return;
    }
    let covered: std::collections::BTreeSet<&str> = repo.alerts().flat_map(crate::evidence::signals).collect();
    let missing: Vec<&str> = ["errors", "latency", "saturation"].into_iter().filter(|s| !covered.contains(s)).collect();
    if missing.is_empty() {
        return;
    }
    let alerts = repo.alerts().count();
    let what = if alerts == 0 { "no alerting rule in the repository".to_string() } else { format!("none of the repository's {alerts} alerting rule(s)") };
    let more = if repo.scraped.len() > 1 { format!(" and {} more", repo.scraped.len() - 1) } else { String::new() };
    cx.report_in(first.doc, first.span.clone(), format!("metrics are scraped ({}{more}), but {what} watches {}", first.name, missing.join(", ")))
        .help("alert on the symptoms users feel: the error ratio and the latency of each service, and the saturation of what it runs on");
}
