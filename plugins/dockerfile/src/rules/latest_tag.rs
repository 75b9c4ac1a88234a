//! ## What it does
//! Flags `FROM` images with no tag or with the `latest` tag, or another tag
//! that moves: `latest` among its words (`main-latest`, `latest-gpu`) or a
//! release channel (`nightly`, `edge`, `main`, `stable`, `lts`…) not followed
//! by a date, commit or version (`nightly-20240101` is pinned). `scratch`, a
//! digest (`@sha256:…`), an earlier stage's name, and references whose tag
//! comes from a build argument without a default are not flagged. A tag from
//! a global `ARG` default is resolved (`ARG TAG=latest` + `FROM python:$TAG`
//! is `latest`).
//!
//! ## Why is this bad?
//! `latest` (and no tag, which means `latest`) moves: the same Dockerfile
//! builds a different image tomorrow, and a rollback rebuilds something
//! nobody tested.
//!
//! ## Example
//! ```dockerfile
//! FROM python:latest
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM python:3.12-slim
//! ```
use opslint_knowledge::images::moving_tag;

use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "base image without a tag or with a tag that moves (`latest`, `nightly`…)",
    severity: Severity::Medium,
    aliases: &["DL3006", "DL3007", "CKV_DOCKER_7", "DS001"],
    tags: &["reproducibility", "supply-chain"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for stage in &df.stages {
        let img = &stage.image;
        if !img.known || img.text.is_empty() || img.is_scratch() || stage.parent.is_some() || img.digest.is_some() {
            continue;
        }
        let raw = cx.text.get(stage.image_span.clone()).unwrap_or("");
        let via_arg = if raw != img.text { format!(" (`{raw}` resolves to `{}`)", img.text) } else { String::new() };
        match img.tag.as_deref() {
            None => {
                cx.report(stage.image_span.clone(), format!("image `{}` has no tag, so it means `latest`{via_arg}", img.text))
                    .help(format!("pin `{}` to a version tag (e.g. `{}:<version>`) or a digest", img.name, img.text));
            }
            Some(t) if t.eq_ignore_ascii_case("latest") => {
                cx.report(stage.image_span.clone(), format!("image `{}` uses the `latest` tag{via_arg}", img.text))
                    .help(format!("pin `{}` to a version tag or a digest instead of `latest`", img.name));
            }
            Some(t) => {
                if let Some(word) = moving_tag(t) {
                    cx.report(stage.image_span.clone(), format!("image `{}` uses `{t}`, a tag that moves (`{word}`){via_arg}", img.text))
                        .help(format!("pin `{}` to a version tag or a digest", img.name));
                }
            }
        }
    }
}
