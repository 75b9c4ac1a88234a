//! ## What it does
//! Flags `permissions: write-all` (workflow or job), and write scopes granted
//! at the workflow level when the workflow has several jobs (every job gets
//! them, not only the one that needs them).
//!
//! ## Why is this bad?
//! The token is available to every step, including third-party actions and
//! the dependencies they install. Write scopes a job does not need turn a
//! compromised step into a pushed commit, a published package or a merged
//! pull request.
//!
//! ## Example
//! ```yaml
//! permissions: write-all
//! jobs:
//!   test: …
//!   release: …
//! ```
//!
//! ## Use instead
//! ```yaml
//! permissions:
//!   contents: read
//! jobs:
//!   test: …
//!   release:
//!     permissions:
//!       contents: write
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "token permissions wider than needed",
    severity: Severity::Medium,
    tags: &["security"],
    aliases: &["excessive-permissions", "CKV2_GHA_1", "Token-Permissions"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        let jobs = wf.jobs();
        let mut blocks: Vec<(Option<&str>, &Node)> = wf.root.get("permissions").map(|p| (None, p)).into_iter().collect();
        blocks.extend(jobs.iter().filter_map(|j| Some((Some(j.id), j.node.get("permissions")?))));
        for (job, p) in blocks {
            let whom = job.map_or("the workflow".to_string(), |j| format!("job `{j}`"));
            if p.as_str() == Some("write-all") {
                cx.report_in(wf.doc, p.span.clone(), format!("{whom} grants `write-all`: every scope of the token can write"))
                    .severity(Severity::High)
                    .help("list the scopes the job needs, e.g. `permissions: { contents: read }`");
                continue;
            }
            if job.is_some() || jobs.len() < 2 {
                continue;
            }
            for e in p.entries() {
                if e.value.as_str() == Some("write") && e.key_str() != Some("id-token") {
                    cx.report_in(
                        wf.doc,
                        e.value.span.clone(),
                        format!("`{}: write` is granted to all {} jobs of the workflow", e.key_str().unwrap_or("?"), jobs.len()),
                    )
                    .help("set read scopes at the top and grant this write scope in the job that needs it");
                }
            }
        }
    }
}
