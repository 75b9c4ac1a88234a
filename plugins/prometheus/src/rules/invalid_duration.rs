//! ## What it does
//! Flags a `for`, `keep_firing_for` or group `interval` that is not a
//! Prometheus duration (`5` with no unit, `5 m`, `1m30`).
//!
//! ## Why is this bad?
//! Prometheus refuses the rule file: none of its rules run.
//!
//! ## Example
//! ```yaml
//! - alert: InstanceDown
//!   expr: up == 0
//!   for: 5
//! ```
//!
//! ## Use instead
//! ```yaml
//! - alert: InstanceDown
//!   expr: up == 0
//!   for: 5m
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a duration Prometheus cannot read",
    severity: Severity::High,
    tags: &["correctness"],
    aliases: &["promtool"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.rules() {
        for key in ["for", "keep_firing_for"] {
            if let Some(v) = r.node.get(key) {
                bad(cx, r.doc, v, &format!("rule `{}`: `{key}`", r.name()));
            }
        }
    }
}

fn bad(cx: &mut Ctx, doc: usize, v: &Node, what: &str) {
    let Some(s) = v.as_scalar() else { return };
    if s.text.is_empty() || crate::model::templated(&s.text) || crate::duration::millis(&s.text).is_some() {
        return;
    }
    cx.report_in(doc, v.span.clone(), format!("{what} `{}` is not a duration", s.text))
        .help("write a number with a unit, largest first: `30s`, `5m`, `1h30m`");
}
