//! ## What it does
//! Flags a service whose `image:` has no tag, the tag `latest` or another tag
//! that moves (`main-latest`, `nightly`, `edge`, `stable-alpine`; not
//! `nightly-20240101`, which pins a build) (after
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
use opslint_knowledge::images::moving_tag;

use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an image with no tag or a tag that moves (`latest`, `nightly`…)",
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
                let what = match tag {
                    "" => "has no tag (it pulls `latest`)".to_string(),
                    "latest" => "is tagged `latest`".into(),
                    t => format!("is tagged `{t}`, a tag that moves"),
                };
                cx.report_in(at.doc, span, format!("service `{}`: image `{image}` {what}", s.name))
                    .help("pin a version tag (and a digest, `@sha256:…`, where it must never change)");
            }
        }
    }
}

/// `Some("")` for no tag, `Some(tag)` for a moving tag (`latest`, `nightly`…); `None` when pinned, digested or not an image name.
pub fn unpinned(image: &str) -> Option<&str> {
    let image = image.trim();
    if image.is_empty() || image.contains('@') || image.contains(char::is_whitespace) {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        None => Some(""),
        Some((_, tag)) => moving_tag(tag).map(|_| tag),
    }
}
