//! ## What it does
//! Flags workflows triggered by `pull_request_target` or `workflow_run`.
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

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        for (t, span) in &wf.triggers {
            if t == "pull_request_target" || t == "workflow_run" {
                cx.report_in(wf.doc, span.clone(), format!("the workflow runs on `{t}`, with secrets and a write token, for events outsiders cause"))
                    .help("use `pull_request` if the job does not need secrets; otherwise never check out or interpolate the pull request's content");
            }
        }
    }
}
