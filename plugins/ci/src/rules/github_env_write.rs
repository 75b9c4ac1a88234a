//! ## What it does
//! Flags a `run:` script that writes to `$GITHUB_ENV` or `$GITHUB_PATH` in a
//! workflow with a privileged trigger (`pull_request_target`,
//! `workflow_run`, `issue_comment`, …), or that writes attacker-controlled
//! expression text there in any workflow.
//!
//! ## Why is this bad?
//! Lines appended to `$GITHUB_ENV` become environment variables of every
//! later step: a value an attacker controls can set `LD_PRELOAD`,
//! `NODE_OPTIONS` or `BASH_ENV` and run code; `$GITHUB_PATH` can put their
//! binary first in `PATH`.
//!
//! ## Example
//! ```yaml
//! on: workflow_run
//! …
//!       - run: echo "BRANCH=$(cat branch.txt)" >> "$GITHUB_ENV"
//! ```
//!
//! ## Use instead
//! Pass values between steps as step outputs (`$GITHUB_OUTPUT`) and read
//! them into `env:` of the step that needs them; validate anything that
//! comes from an artifact or an event.
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "untrusted write to GITHUB_ENV or GITHUB_PATH",
    severity: Severity::High,
    tags: &["security"],
    aliases: &["github-env"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for step in repo.steps() {
        let Some(run) = step.run() else { continue };
        let script = run.as_str().unwrap_or("");
        let Some(var) = ["GITHUB_ENV", "GITHUB_PATH"].into_iter().find(|v| script.contains(v)) else { continue };
        let t = text(cx, step.doc);
        let tainted = expressions(t, run).iter().any(|f| f.expr.as_ref().is_some_and(|e| !e.tainted().is_empty()));
        let trigger = step.workflow.and_then(|w| w.privileged()).map(|(t, _)| t.clone());
        let why = match (&trigger, tainted) {
            (_, true) => "with attacker-controlled expression text".to_string(),
            (Some(t), false) => format!("in a workflow triggered by {t}"),
            (None, false) => continue,
        };
        cx.report_in(step.doc, find_in(t, run, var), format!("the script writes to ${var} {why}"))
            .help("pass values as step outputs into `env:` instead, and validate anything from an event or an artifact");
    }
}
