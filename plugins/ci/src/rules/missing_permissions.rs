//! ## What it does
//! Flags a workflow with no top-level `permissions:` in which some job sets
//! none either.
//!
//! ## Why is this bad?
//! Without `permissions:`, the job's `GITHUB_TOKEN` gets the repository's
//! default scopes, which in many organisations (and every repository created
//! before 2023) means write access to contents, packages, pull requests and
//! more. Any step that is compromised can push code or publish releases.
//!
//! ## Example
//! ```yaml
//! on: push
//! jobs:
//!   test:
//!     runs-on: ubuntu-24.04
//!     steps:
//!       - run: make test
//! ```
//!
//! ## Use instead
//! ```yaml
//! on: push
//! permissions:
//!   contents: read
//! jobs:
//!   test:
//!     runs-on: ubuntu-24.04
//!     steps:
//!       - run: make test
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "the workflow does not restrict the token's permissions",
    severity: Severity::Medium,
    fix: FixAvailability::Sometimes,
    tags: &["security"],
    aliases: &["excessive-permissions", "Token-Permissions"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        if wf.root.get("permissions").is_some() {
            continue;
        }
        let open: Vec<&str> = wf.jobs().iter().filter(|j| j.node.get("permissions").is_none()).map(|j| j.id).collect();
        if open.is_empty() {
            continue;
        }
        let at = wf.root.entry("on").or_else(|| wf.root.entry("jobs")).map_or(0..0, |e| e.key.span.clone());
        let shown: Vec<String> = open.iter().take(4).map(|j| format!("`{j}`")).collect();
        let more = if open.len() > 4 { format!(" and {} more", open.len() - 4) } else { String::new() };
        let edit = insertion(text(cx, wf.doc), wf);
        let f = cx.report_in(
            wf.doc,
            at,
            format!("no `permissions:` for the workflow or for job(s) {}{more}: they get the repository's default token scopes", shown.join(", ")),
        )
        .help("add `permissions: { contents: read }` at the top and grant write scopes only to the jobs that need them");
        // Unsafe: a job that writes (releases, comments, pushes) with the
        // default token fails until it is granted its own `permissions:`.
        if let Some(edit) = edit {
            f.fix("add `permissions: { contents: read }` for the workflow", Applicability::Unsafe, vec![edit]);
        }
    }
}

/// Whole lines before the top-level `jobs:` key (and its comment lines), at its indentation
/// (`contents: read` keeps checkouts of private repositories working).
fn insertion(text: &str, wf: &Workflow) -> Option<(std::ops::Range<usize>, String)> {
    let jobs = wf.root.entry("jobs")?;
    let start = jobs.key.span.start;
    let indent = edit::indent_before(text, start)?;
    let mut line = edit::line_start(text, start);
    // Above the comment lines that belong to `jobs:`.
    while line > 0 {
        let above = edit::line_start(text, line - 1);
        if !text[above..line].trim_start().starts_with('#') {
            break;
        }
        line = above;
    }
    let nl = edit::newline(text);
    Some((line..line, format!("{indent}permissions:{nl}{indent}  contents: read{nl}")))
}
