//! ## What it does
//! Flags `secrets: inherit` on a job that calls a reusable workflow.
//!
//! ## Why is this bad?
//! Every secret of the calling repository is passed to the called workflow,
//! whatever it needs; a change there (or in a third-party workflow) can use
//! or leak all of them.
//!
//! ## Example
//! ```yaml
//! jobs:
//!   release:
//!     uses: org/workflows/.github/workflows/release.yml@<sha>
//!     secrets: inherit
//! ```
//!
//! ## Use instead
//! ```yaml
//! jobs:
//!   release:
//!     uses: org/workflows/.github/workflows/release.yml@<sha>
//!     secrets:
//!       npm-token: ${{ secrets.NPM_TOKEN }}
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a reusable workflow receives every secret",
    severity: Severity::Medium,
    tags: &["security", "secrets"],
    aliases: &["secrets-inherit"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        for job in wf.jobs() {
            if let Some(s) = job.node.get("secrets").filter(|s| s.as_str() == Some("inherit")) {
                cx.report_in(wf.doc, s.span.clone(), format!("job `{}` passes every secret of the repository to `{}`", job.id, job.node.str("uses").unwrap_or("the called workflow")))
                    .help("pass only the secrets the called workflow declares, by name");
            }
        }
    }
}
