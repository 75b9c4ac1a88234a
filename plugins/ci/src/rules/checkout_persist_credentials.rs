//! ## What it does
//! Flags `actions/checkout` without `persist-credentials: false`.
//!
//! ## Why is this bad?
//! By default the checkout writes the job's token into `.git/config`, where
//! every later step (and any artifact that uploads the working directory)
//! can read it. Few jobs push with git; those that do can opt in.
//!
//! ## Example
//! ```yaml
//! - uses: actions/checkout@v4
//! ```
//!
//! ## Use instead
//! ```yaml
//! - uses: actions/checkout@v4
//!   with:
//!     persist-credentials: false
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "actions/checkout leaves the token in .git/config",
    severity: Severity::Low,
    fix: FixAvailability::Sometimes,
    tags: &["security"],
    aliases: &["artipacked"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for step in repo.steps() {
        if !step.uses_action("actions/checkout") {
            continue;
        }
        let setting = step.with("persist-credentials");
        if setting.is_some_and(|v| v.as_bool() == Some(false) || v.as_str() == Some("false")) {
            continue;
        }
        let at = step.node.value_span("uses").unwrap_or(step.node.span.clone());
        let edit = if setting.is_none() { insertion(cx, &step) } else { None };
        let f = cx
            .report_in(step.doc, at, "actions/checkout persists the job's token in .git/config for every later step")
            .help("add `with: { persist-credentials: false }` unless a later step pushes with git");
        if let Some(edit) = edit {
            // Safe only when no later step of the job could use the token through git.
            let applicability = if later_steps_may_use_git(&step) { Applicability::Unsafe } else { Applicability::Safe };
            f.fix("add `persist-credentials: false`", applicability, vec![edit]);
        }
    }
}

/// Whole lines that add the setting: into a block `with:`, else a new `with:`
/// after the `uses:` line. `None` for flow-style steps or `with:` mappings.
fn insertion(cx: &Ctx, step: &Step) -> Option<(std::ops::Range<usize>, String)> {
    let text = text(cx, step.doc);
    let nl = edit::newline(text);
    match step.node.entry("with") {
        Some(with) => {
            let first = with.value.entries().first()?;
            let start = first.key.span.start;
            let indent = edit::indent_before(text, start)?;
            let line = edit::line_start(text, start);
            Some((line..line, format!("{indent}persist-credentials: false{nl}")))
        }
        None => {
            let uses = step.node.entry("uses")?;
            let indent = edit::indent_before(text, uses.key.span.start)?;
            let end = edit::line_end(text, uses.value.span.end);
            Some((end..end, format!("{nl}{indent}with:{nl}{indent}  persist-credentials: false")))
        }
    }
}

/// A later step of the same job runs `git`/`gh` or uses an action from
/// outside `actions/` (which may push, tag or open pull requests with the
/// persisted token). Composite actions: their callers' steps are unknown.
fn later_steps_may_use_git(step: &Step) -> bool {
    let Some(job) = step.job else { return true };
    let steps = job.steps();
    let Some(i) = steps.iter().position(|s| s.span == step.node.span) else { return true };
    steps[i + 1..].iter().any(|s| {
        let run = s.str("run").unwrap_or("");
        let git = run.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).any(|w| w == "git" || w == "gh");
        let foreign = s.str("uses").is_some_and(|u| !u.to_ascii_lowercase().starts_with("actions/"));
        git || foreign || s.get("uses").is_some_and(|u| u.as_str().is_none())
    })
}
