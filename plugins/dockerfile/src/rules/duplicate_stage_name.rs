//! ## What it does
//! Flags a `FROM … AS <name>` whose name (case-insensitive) is already used
//! by an earlier stage.
//!
//! ## Why is this bad?
//! `COPY --from=<name>` and `--target <name>` become ambiguous; BuildKit
//! rejects the Dockerfile.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20 AS build
//! FROM golang:1.22 AS build
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM node:20 AS web-build
//! FROM golang:1.22 AS api-build
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "two stages with the same name",
    severity: Severity::Medium,
    aliases: &["DL3024", "CKV_DOCKER_11", "DS012"],
    tags: &["correctness"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for (k, s) in df.stages.iter().enumerate() {
        let Some(name) = &s.name else { continue };
        if let Some(first) = df.stages[..k].iter().find(|e| e.name.as_ref().is_some_and(|n| n.value == name.value)) {
            let first_span = first.name.as_ref().map_or(first.image_span.clone(), |n| n.span.clone());
            cx.report(name.span.clone(), format!("stage name `{}` is already used", name.value))
                .related(first_span, "first defined here")
                .help("give every stage a unique name");
        }
    }
}
