//! ## What it does
//! Flags packages in `apt-get install` without a pinned version
//! (`curl=8.5.0-2ubuntu10.6`). Disabled by default: pinning exact Debian
//! package versions breaks builds whenever the mirror drops the old version,
//! which for most teams costs more than it saves. Enable it when you need
//! bit-for-bit reproducible images and maintain the pins.
//!
//! ## Why is this bad?
//! Without pins, the same Dockerfile installs different package versions on
//! different days.
//!
//! ## Example
//! ```dockerfile
//! FROM ubuntu:24.04
//! RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM ubuntu:24.04
//! RUN apt-get update && apt-get install -y --no-install-recommends curl=8.5.0-2ubuntu10.6 && rm -rf /var/lib/apt/lists/*
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "apt-get install without version pins",
    severity: Severity::Info,
    enabled: false,
    aliases: &["DL3008"],
    tags: &["reproducibility"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for (_, ins) in runs(df) {
        for (c, sub) in apt_commands(ins) {
            if sub.value != "install" {
                continue;
            }
            for p in packages(c, sub) {
                let v = &p.value;
                if v.contains('=') || v.ends_with(".deb") || v.contains('$') || v.contains('/') {
                    continue;
                }
                cx.report(p.span.clone(), format!("package `{v}` is not pinned to a version"))
                    .help(format!("install `{v}=<version>` (see `apt-cache policy {v}`)"));
            }
        }
    }
}
