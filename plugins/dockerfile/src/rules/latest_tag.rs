//! ## What it does
//! Flags `FROM` images with no tag or the `latest` tag.
//!
//! ## Why is this bad?
//! `latest` moves: the same Dockerfile builds a different image tomorrow, and
//! a rollback rebuilds something nobody tested.
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
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "image without a tag or with `latest`",
    severity: Severity::Medium,
    aliases: &["DL3006", "DL3007", "CKV_DOCKER_7"],
    tags: &["reproducibility"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for ins in df.instructions.iter().filter(|i| i.keyword == "FROM") {
        let image = ins.args.split_whitespace().next().unwrap_or("");
        if image.ends_with(":latest") || (!image.contains(':') && !image.contains('@') && image != "scratch") {
            cx.report(ins.args_span.clone(), format!("`{image}` is not pinned to a version"))
                .help("pin the image to a version tag or a digest");
        }
    }
}
