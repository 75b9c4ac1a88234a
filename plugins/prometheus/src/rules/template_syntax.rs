//! ## What it does
//! Flags an alert's annotation or label template that Prometheus cannot
//! expand: an unclosed `{{`, or a variable it does not define (`$label`
//! instead of `$labels`, `$values` instead of `$value`).
//!
//! ## Why is this bad?
//! Prometheus refuses the file (a template parse error), or the notification
//! carries an error text instead of the summary.
//!
//! ## Example
//! ```yaml
//! annotations:
//!   summary: "{{ $label.instance }} is down"
//! ```
//!
//! ## Use instead
//! ```yaml
//! annotations:
//!   summary: "{{ $labels.instance }} is down"
//! ```
use crate::prelude::*;
use crate::template;

pub const META: Meta = Meta {
    summary: "an alert template Prometheus cannot expand",
    severity: Severity::High,
    tags: &["alerting", "correctness"],
    aliases: &["alerts/template"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.alerts() {
        for e in r.annotations().iter().chain(r.labels()) {
            let Some(text) = e.value.as_str() else { continue };
            if crate::model::helm_templated(text) {
                continue;
            }
            let key = e.key_str().unwrap_or("");
            let problem = match template::actions(text) {
                Err(why) => why,
                Ok(_) => match template::undefined_variables(text).first() {
                    Some(v) => format!("`${v}` is not defined (Prometheus defines $labels, $value, $externalLabels, $externalURL)"),
                    None => continue,
                },
            };
            cx.report_in(r.doc, e.value.span.clone(), format!("alert `{}`: template `{key}`: {problem}", r.name()))
                .help("fix the Go template; `promtool check rules FILE` parses it");
        }
    }
}
