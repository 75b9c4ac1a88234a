//! ## What it does
//! Flags a service whose `image:` has no tag or the tag `latest` (after
//! `${VAR}` interpolation with the `.env` beside the file). A service that
//! also has `build:` is not flagged: there `image:` names what is built.
//!
//! ## Why is this bad?
//! `latest` is whatever was pushed last: two hosts pulling on different days
//! run different software, a `docker compose pull` upgrades a database across
//! a major version, and nothing says which version to roll back to.
//!
//! ## Example
//! ```yaml
//! services:
//!   db:
//!     image: postgres
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   db:
//!     image: postgres:16.4
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an image with no tag or the tag `latest`",
    severity: Severity::Medium,
    tags: &["supply-chain"],
    aliases: &["service-image-require-explicit-tag"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for s in view.judged() {
            if s.builds() {
                continue;
            }
            let (Some(at), Some(image)) = (s.get("image"), s.image(view)) else { continue };
            let Some(tag) = unpinned(&image) else { continue };
            let span = at.value().span.clone();
            if repo.first(cx, at.doc, &span) {
                let what = if tag.is_empty() { "has no tag (it pulls `latest`)".to_string() } else { "is tagged `latest`".into() };
                cx.report_in(at.doc, span, format!("service `{}`: image `{image}` {what}", s.name))
                    .help("pin a version tag (and a digest, `@sha256:…`, where it must never change)");
            }
        }
    }
}

/// `Some("")` for no tag, `Some("latest")`; `None` when pinned, digested or not an image name.
pub fn unpinned(image: &str) -> Option<&str> {
    let image = image.trim();
    if image.is_empty() || image.contains('@') || image.contains(char::is_whitespace) {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        None => Some(""),
        Some((_, "latest")) => Some("latest"),
        Some(_) => None,
    }
}
