//! ## What it does
//! Flags an alert label that uses `$value` (or `.Value`).
//!
//! ## Why is this bad?
//! Labels identify an alert: each new value makes a new alert, so the alert
//! resolves and fires again at every evaluation, notifications repeat and
//! `for:` never completes.
//!
//! ## Example
//! ```yaml
//! labels:
//!   severity: warning
//!   usage: "{{ $value }}"
//! ```
//!
//! ## Use instead
//! ```yaml
//! labels:
//!   severity: warning
//! annotations:
//!   summary: "usage is {{ $value }}"
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an alert label uses $value",
    severity: Severity::High,
    tags: &["alerting", "correctness"],
    aliases: &["alerts/template"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.alerts() {
        for e in r.labels() {
            let Some(text) = e.value.as_str() else { continue };
            let uses = crate::template::actions(text)
                .unwrap_or_default()
                .iter()
                .any(|a| a.contains("$value") || a.contains(".Value"));
            if uses {
                cx.report_in(r.doc, e.value.span.clone(), format!("alert `{}`: label `{}` uses the value: every change makes a new alert", r.name(), e.key_str().unwrap_or("")))
                    .help("move the value to an annotation; labels must stay the same while the alert fires");
            }
        }
    }
}
