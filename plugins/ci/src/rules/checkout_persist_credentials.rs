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
    tags: &["security"],
    aliases: &["artipacked"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for step in repo.steps() {
        if !step.uses_action("actions/checkout") {
            continue;
        }
        if step.with("persist-credentials").is_some_and(|v| v.as_bool() == Some(false) || v.as_str() == Some("false")) {
            continue;
        }
        let at = step.node.value_span("uses").unwrap_or(step.node.span.clone());
        cx.report_in(step.doc, at, "actions/checkout persists the job's token in .git/config for every later step")
            .help("add `with: { persist-credentials: false }` unless a later step pushes with git");
    }
}
