//! ## What it does
//! Flags a rule whose `expr` is not valid PromQL.
//!
//! ## Why is this bad?
//! Prometheus refuses to load the whole rule file: none of its alerts or
//! recording rules run until the expression is fixed, and nothing says so
//! unless someone reads the Prometheus log.
//!
//! ## Example
//! ```yaml
//! - alert: HighErrorRate
//!   expr: sum(rate(http_requests_total{code=~"5.."}[5m]) > 1
//! ```
//!
//! ## Use instead
//! ```yaml
//! - alert: HighErrorRate
//!   expr: sum(rate(http_requests_total{code=~"5.."}[5m])) > 1
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a rule's expression is not valid PromQL",
    severity: Severity::High,
    tags: &["correctness"],
    aliases: &["promql/syntax"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.rules() {
        let Some(e) = &r.expr else { continue };
        if let Some(Err(message)) = &e.parsed {
            let first = message.lines().next().unwrap_or("").trim();
            cx.report_in(r.doc, e.span.clone(), format!("rule `{}`: the expression does not parse: {first}", r.name()))
                .help("fix the PromQL (`promtool check rules FILE` shows the same error); Prometheus refuses the whole file until then");
        }
    }
}
