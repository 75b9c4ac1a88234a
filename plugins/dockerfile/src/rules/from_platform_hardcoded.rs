//! ## What it does
//! Flags `FROM --platform=<literal>` (`linux/amd64`). Platforms from build
//! arguments (`--platform=$BUILDPLATFORM`, the usual cross-compilation
//! pattern) are not flagged.
//!
//! ## Why is this bad?
//! A hard-coded platform makes multi-platform builds produce the wrong
//! architecture silently (an amd64 image inside an arm64 manifest), and on
//! other machines the build runs under slow emulation.
//!
//! ## Example
//! ```dockerfile
//! FROM --platform=linux/amd64 python:3.12-slim
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM python:3.12-slim
//! # and choose the platform at build time: docker build --platform linux/amd64 .
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "FROM with a hard-coded --platform",
    severity: Severity::Info,
    aliases: &["DL3029"],
    tags: &["portability"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for ins in df.instructions.iter().filter(|i| i.is("FROM")) {
        let Some(f) = ins.flag("platform") else { continue };
        let v = f.value.as_deref().unwrap_or("");
        if v.is_empty() || v.contains('$') {
            continue;
        }
        cx.report(f.span.clone(), format!("`FROM --platform={v}` pins the platform in the Dockerfile"))
            .help("drop the flag and pass `--platform` to `docker build`, or use `--platform=$BUILDPLATFORM` for build stages");
    }
}
