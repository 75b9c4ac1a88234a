//! ## What it does
//! Flags `ADD https://…` without `--checksum=sha256:…`. Git sources are not
//! flagged (pin them to a commit instead).
//!
//! ## Why is this bad?
//! The file behind a URL can change or be replaced by an attacker; without a
//! checksum the build silently ships whatever the server returned that day.
//!
//! ## Example
//! ```dockerfile
//! FROM debian:12-slim
//! ADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! # syntax=docker/dockerfile:1
//! FROM debian:12-slim
//! ADD --checksum=sha256:93dcc18adc78c65a028a84799ecf8ad40c936fdfc5f2a57b1acda5a8117fa82c \
//!     https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "ADD of a URL without --checksum",
    severity: Severity::Medium,
    tags: &["supply-chain"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for ins in df.instructions.iter().filter(|i| i.is("ADD")) {
        if ins.flag("checksum").is_some() {
            continue;
        }
        let (srcs, _) = ins.sources_and_dest();
        for s in srcs {
            let l = s.value.to_ascii_lowercase();
            let is_git = l.ends_with(".git") || l.contains(".git#") || l.starts_with("git@") || l.starts_with("git://");
            if (l.starts_with("http://") || l.starts_with("https://")) && !is_git {
                cx.report(s.span.clone(), format!("`ADD {}` downloads without verifying a checksum", s.value))
                    .help("add `--checksum=sha256:<digest>` (BuildKit), or download with curl and verify with `sha256sum -c`");
            }
        }
    }
}
