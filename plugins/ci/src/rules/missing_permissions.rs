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
        cx.report_in(
            wf.doc,
            at,
            format!("no `permissions:` for the workflow or for job(s) {}{more}: they get the repository's default token scopes", shown.join(", ")),
        )
        .help("add `permissions: { contents: read }` at the top and grant write scopes only to the jobs that need them");
    }
}
