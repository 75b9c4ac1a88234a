//! ## What it does
//! Flags `ACTIONS_ALLOW_UNSECURE_COMMANDS: true` in an `env:` block.
//!
//! ## Why is this bad?
//! It re-enables the deprecated `::set-env` and `::add-path` workflow
//! commands, which any process printing to the log can issue: a test, a
//! dependency or a pull request's text echoed to stdout can then set
//! environment variables such as `LD_PRELOAD` for later steps.
//!
//! ## Example
//! ```yaml
//! env:
//!   ACTIONS_ALLOW_UNSECURE_COMMANDS: true
//! ```
//!
//! ## Use instead
//! Write to `$GITHUB_ENV` and `$GITHUB_PATH` files instead, and update the
//! action that still needs the old commands.
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "deprecated set-env/add-path commands re-enabled",
    severity: Severity::High,
    tags: &["security"],
    aliases: &["insecure-commands", "CKV_GHA_1"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for v in repo.vars() {
        if v.gitlab || v.entry.key_str() != Some("ACTIONS_ALLOW_UNSECURE_COMMANDS") {
            continue;
        }
        let on = v.value.as_bool() == Some(true) || v.value.as_str().is_some_and(|s| s.eq_ignore_ascii_case("true"));
        if on {
            cx.report_in(v.doc, v.entry.key.span.clone(), "ACTIONS_ALLOW_UNSECURE_COMMANDS re-enables `::set-env` and `::add-path`, which any log output can issue")
                .help("remove it; write to $GITHUB_ENV / $GITHUB_PATH instead");
        }
    }
}
