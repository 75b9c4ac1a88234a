//! ## What it does
//! Flags `sudo` in `RUN`.
//!
//! ## Why is this bad?
//! Build steps already run as the current `USER`; `sudo` adds a setuid
//! binary and unpredictable TTY and signal behaviour, and leaving it in the
//! image lets the runtime user become root again.
//!
//! ## Example
//! ```dockerfile
//! FROM ubuntu:24.04
//! USER app
//! RUN sudo apt-get install -y curl
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM ubuntu:24.04
//! RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
//! USER app
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "sudo used in RUN",
    severity: Severity::Medium,
    aliases: &["DL3004", "CKV2_DOCKER_1", "DS010"],
    tags: &["security"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for (_, ins) in runs(df) {
        for c in &ins.commands {
            let first = c.words.iter().find(|w| !w.value.contains('=') || w.value.starts_with('-'));
            if let Some(w) = first.filter(|w| w.value == "sudo" || w.value.ends_with("/sudo")) {
                cx.report(w.span.clone(), "`sudo` in a build step")
                    .help("run the step as root (`USER root`) and switch to the unprivileged `USER` afterwards");
            }
        }
    }
}
