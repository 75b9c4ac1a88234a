//! ## What it does
//! Flags the top-level `version:` key.
//!
//! ## Why is this bad?
//! The Compose Specification ignores it and `docker compose` warns that it is
//! obsolete on every run. It suggests features of an old format apply (or
//! do not) when the file is read by the current rules either way.
//!
//! ## Example
//! ```yaml
//! version: "3.8"
//! services:
//!   web:
//!     image: nginx:1.27
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   web:
//!     image: nginx:1.27
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "the obsolete top-level `version:` key",
    severity: Severity::Info,
    tags: &["style"],
    aliases: &["no-version-field"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for f in &repo.files {
        if let Some(e) = f.root.entry("version") {
            cx.report_in(f.doc, e.span(), "`version` is obsolete: the Compose Specification ignores it")
                .help("remove the line");
        }
    }
}
