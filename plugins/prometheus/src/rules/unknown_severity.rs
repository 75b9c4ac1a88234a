//! ## What it does
//! Flags an alert whose `severity` label is not one of the configured values
//! (option `severities`; by default `critical`, `high`, `error`, `major`,
//! `warning`, `medium`, `minor`, `low`, `info`, `page`, `ticket`, `none`, in
//! any case).
//!
//! ## Why is this bad?
//! Alertmanager routes match exact values: `severity: crit` or `Critical `
//! matches no route meant for `critical`, and the alert goes to the default
//! receiver, or nowhere.
//!
//! ## Example
//! ```yaml
//! labels:
//!   severity: crtical
//! ```
//!
//! ## Use instead
//! ```yaml
//! labels:
//!   severity: critical
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an alert's severity is not one of the configured values",
    severity: Severity::Medium,
    tags: &["alerting"],
    aliases: &["rule/label"],
    ..Meta::DEFAULT
};

const DEFAULT: &[&str] =
    &["critical", "high", "error", "major", "warning", "medium", "minor", "low", "info", "page", "ticket", "none"];

pub fn check(cx: &mut Ctx, repo: &Repo) {
    let configured: Option<Vec<String>> = cx.option("severities");
    for r in repo.alerts() {
        let Some(v) = r.label("severity") else { continue };
        let Some(s) = v.as_scalar().map(|s| s.text.as_str()) else { continue };
        if crate::model::templated(s) {
            continue;
        }
        let known = match &configured {
            Some(list) => list.iter().any(|k| k == s),
            None => DEFAULT.iter().any(|k| k.eq_ignore_ascii_case(s)),
        };
        if !known {
            let list = configured.clone().unwrap_or_else(|| DEFAULT.iter().map(|s| s.to_string()).collect()).join(", ");
            cx.report_in(r.doc, v.span.clone(), format!("alert `{}` has severity `{s}`, not one of: {list}", r.name()))
                .help("use one of the severities your Alertmanager routes match (option `severities` lists them)");
        }
    }
}
