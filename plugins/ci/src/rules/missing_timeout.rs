//! ## What it does
//! Flags a GitHub Actions job without `timeout-minutes:` (jobs that call a
//! reusable workflow are skipped: the called jobs set their own).
//!
//! ## Why is this bad?
//! The default is 360 minutes. A hung test, a prompt waiting for input or a
//! deadlocked deploy holds a runner (and a concurrency group) for six hours
//! and burns paid minutes before anyone notices.
//!
//! ## Example
//! ```yaml
//! jobs:
//!   test:
//!     runs-on: ubuntu-24.04
//! ```
//!
//! ## Use instead
//! ```yaml
//! jobs:
//!   test:
//!     runs-on: ubuntu-24.04
//!     timeout-minutes: 15
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a job has no timeout",
    severity: Severity::Low,
    tags: &["reliability"],
    aliases: &[],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        for job in wf.jobs() {
            if job.is_call() || !job.node.is_map() || job.node.get("timeout-minutes").is_some() {
                continue;
            }
            cx.report_in(wf.doc, job.key.span.clone(), format!("job `{}` has no `timeout-minutes:` (the default is 6 hours)", job.id))
                .help("add `timeout-minutes:` a little above the job's usual duration");
        }
    }
}
