//! ## What it does
//! Flags debug tracing switched on in the pipeline file:
//! `ACTIONS_STEP_DEBUG` or `ACTIONS_RUNNER_DEBUG` set to true in an `env:`
//! block, and GitLab's `CI_DEBUG_TRACE` or `CI_DEBUG_SERVICES` set to true in
//! `variables:`.
//!
//! ## Why is this bad?
//! Debug traces print every command with its expanded variables. GitLab
//! warns that `CI_DEBUG_TRACE` can reveal masked variables in job logs,
//! which everyone who can see the pipeline can read; left on, it also makes
//! every log large and slow to read. On GitHub, debug logging is meant to be
//! switched on per run (or by a repository secret or variable); the same
//! names committed in `env:` are debugging left in the file, and any tool
//! that reads them turns verbose for every run.
//!
//! ## Example
//! ```yaml
//! variables:
//!   CI_DEBUG_TRACE: "true"
//! ```
//!
//! ## Use instead
//! Turn tracing on for one run from the UI ("Run pipeline" variables, or
//! "re-run with debug logging" on GitHub), never in the committed file.
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "debug tracing is enabled in the pipeline",
    severity: Severity::Medium,
    tags: &["security"],
    aliases: &[],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for v in repo.vars() {
        let Some(name) = v.entry.key_str() else { continue };
        let known = if v.gitlab {
            matches!(name, "CI_DEBUG_TRACE" | "CI_DEBUG_SERVICES")
        } else {
            matches!(name, "ACTIONS_STEP_DEBUG" | "ACTIONS_RUNNER_DEBUG")
        };
        let on = v.value.as_bool() == Some(true) || v.value.as_str().is_some_and(|s| s.eq_ignore_ascii_case("true"));
        if known && on {
            cx.report_in(v.doc, v.entry.key.span.clone(), format!("`{name}` turns on debug tracing for every run; logs may show secrets"))
                .help("remove it and enable debug logging for a single run when needed");
        }
    }
}
