//! ## What it does
//! Flags an alerting rule with no `runbook_url` annotation. Off by default
//! (the maturity report counts runbook coverage); `strict` turns it on.
//!
//! ## Why is this bad?
//! At 3 a.m. the person paged needs to know what to do, not only what broke:
//! a runbook link in the notification saves the search.
//!
//! ## Example
//! ```yaml
//! - alert: DiskFull
//!   annotations:
//!     summary: Disk almost full
//! ```
//!
//! ## Use instead
//! ```yaml
//! - alert: DiskFull
//!   annotations:
//!     summary: Disk almost full
//!     runbook_url: https://runbooks.example.com/disk-full
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an alert has no runbook_url",
    severity: Severity::Low,
    tags: &["alerting", "runbook"],
    aliases: &["rule/annotation"],
    enabled: false,
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for r in repo.alerts() {
        if r.annotation("runbook_url").is_none() && r.annotation("runbook").is_none() {
            cx.report_in(r.doc, r.key_span(), format!("alert `{}` has no `runbook_url` annotation", r.name()))
                .help("add `annotations: {runbook_url: ...}` pointing at the runbook section that says what to do");
        }
    }
}
