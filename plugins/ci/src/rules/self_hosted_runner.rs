//! ## What it does
//! Flags a job that runs on a `self-hosted` runner in a workflow triggered
//! by pull requests or comments (`pull_request`, `pull_request_target`,
//! `issue_comment`, …).
//!
//! ## Why is this bad?
//! In a public repository anyone can open a pull request, and its code runs
//! on your machine. Self-hosted runners are not wiped between jobs: the
//! attacker can persist on the runner, read later jobs' secrets and reach
//! your internal network.
//!
//! ## Example
//! ```yaml
//! on: pull_request
//! jobs:
//!   test:
//!     runs-on: [self-hosted, linux]
//! ```
//!
//! ## Use instead
//! Run pull request jobs on GitHub-hosted runners, or on ephemeral
//! self-hosted runners in an isolated network, and require approval for
//! workflows from outside contributors.
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a self-hosted runner runs pull request jobs",
    severity: Severity::High,
    tags: &["security"],
    aliases: &["self-hosted-runner", "pr_runs_on_self_hosted"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        let Some((trigger, _)) = wf.pr_triggered() else { continue };
        for job in wf.jobs() {
            if let Some(label) = job.runs_on().into_iter().find(|n| n.as_str().is_some_and(|s| s.eq_ignore_ascii_case("self-hosted"))) {
                cx.report_in(wf.doc, label.span.clone(), format!("job `{}` runs on a self-hosted runner for {trigger} events", job.id))
                    .help("run pull request jobs on GitHub-hosted or ephemeral, isolated runners");
            }
        }
    }
}
