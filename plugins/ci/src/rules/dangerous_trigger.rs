//! ## What it does
//! Flags workflows triggered by `pull_request_target` or `workflow_run` with
//! a job that checks out code (`actions/checkout`, `git clone/fetch/checkout`,
//! `gh pr checkout`) and then runs scripts (`run:`) or a local action (`uses:
//! ./…`). Workflows that only call published actions on the event (labelling,
//! commit-message checks, merge-conflict labels, a paths filter reading the
//! checkout: the documented uses of these triggers) are not flagged;
//! a checkout of the pull request's head is `ci/untrusted-checkout`, its text
//! in a script `ci/template-injection`. Off by default: those two rules (on by
//! default) flag the uses that are dangerous; this one is the advisory that
//! the trigger is privileged (on real repositories every remaining finding was
//! a reviewed, gated use).
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
    enabled: false,
    ..Meta::DEFAULT
};

/// Whether a job of the workflow fetches code and then runs scripts or a
/// local action: one `ref:` away from running the pull request's code with
/// the base repository's secrets. A checkout read only by published actions
/// (a paths filter, a config file) runs nothing from it.
fn checks_out_code(wf: &Workflow) -> bool {
    wf.jobs().iter().any(|job| {
        let steps = job.steps();
        let fetch = steps.iter().position(|s| {
            let uses = s.str("uses").unwrap_or("");
            let run = s.str("run").unwrap_or("");
            uses.split('@').next().is_some_and(|u| u.eq_ignore_ascii_case("actions/checkout"))
                || ["git clone", "git fetch", "git checkout", "gh pr checkout"].iter().any(|c| run.contains(c))
        });
        fetch.is_some_and(|i| steps[i..].iter().any(|s| s.get("run").is_some() || s.str("uses").is_some_and(|u| u.starts_with("./"))))
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
