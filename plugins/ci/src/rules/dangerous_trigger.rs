//! ## What it does
//! Flags workflows triggered by `pull_request_target` or `workflow_run` that
//! check out code (`actions/checkout`, `git clone/fetch/checkout`, `gh pr
//! checkout`) or run a local action (`uses: ./…`). Workflows that only call
//! published actions on the event (labelling, commit-message checks, merge
//! conflict labels: the documented uses of these triggers) are not flagged;
//! a checkout of the pull request's head is `ci/untrusted-checkout`, its text
//! in a script `ci/template-injection`.
//!
//! ## Why is this bad?
//! Both run in the context of the base repository, with its secrets and a
//! token that can write, for events that outsiders cause (a pull request
//! from a fork, a run of another workflow on a fork's code). They are safe
//! only if nothing in them touches the pull request's code or text; most
//! workflows that use them do not need them.
//!
//! ## Example
//! ```yaml
//! on: pull_request_target
//! ```
//!
//! ## Use instead
//! ```yaml
//! on: pull_request
//! ```
//! If the privileged trigger is needed (labelling, commenting), keep that
//! workflow free of checkouts of the pull request and of its text in scripts.
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "pull_request_target or workflow_run trigger",
    severity: Severity::Low,
    tags: &["security"],
    aliases: &["dangerous-triggers"],
    ..Meta::DEFAULT
};

/// Whether a job of the workflow fetches code to run: one `ref:` away from
/// running the pull request's code with the base repository's secrets.
fn checks_out_code(wf: &Workflow) -> bool {
    wf.jobs().iter().any(|job| {
        job.steps().iter().any(|s| {
            let uses = s.str("uses").unwrap_or("");
            let run = s.str("run").unwrap_or("");
            uses.split('@').next().is_some_and(|u| u.eq_ignore_ascii_case("actions/checkout"))
                || uses.starts_with("./")
                || ["git clone", "git fetch", "git checkout", "gh pr checkout"].iter().any(|c| run.contains(c))
        })
    })
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        if !checks_out_code(wf) {
            continue;
        }
        for (t, span) in &wf.triggers {
            if t == "pull_request_target" || t == "workflow_run" {
                cx.report_in(wf.doc, span.clone(), format!("the workflow checks out code on `{t}`, with secrets and a write token, for events outsiders cause"))
                    .help("use `pull_request` if the job does not need secrets; otherwise never check out or interpolate the pull request's content");
            }
        }
    }
}
