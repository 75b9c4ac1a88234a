//! ## What it does
//! Flags `WORKDIR` with a relative path. Paths starting with a variable
//! (`$HOME/app`) and Windows drive paths (`C:\app`) are not flagged, nor is
//! `WORKDIR .`, which changes nothing.
//!
//! ## Why is this bad?
//! A relative `WORKDIR` is resolved against the previous one, which may be
//! set in the base image you do not control; the same line means different
//! directories depending on what came before.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20-slim
//! WORKDIR app
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM node:20-slim
//! WORKDIR /app
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "WORKDIR with a relative path",
    severity: Severity::Low,
    aliases: &["DL3000", "CKV_DOCKER_10", "DS009"],
    tags: &["reliability"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for ins in df.instructions.iter().filter(|i| i.is("WORKDIR")) {
        let Some(w) = ins.words.first() else { continue };
        let v = w.value.as_str();
        let b = v.as_bytes();
        let windows = b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':';
        // `WORKDIR .` changes nothing.
        if v == "." || v == "./" || v.starts_with('/') || v.starts_with('$') || v.starts_with('\\') || windows {
            continue;
        }
        cx.report(w.span.clone(), format!("`WORKDIR {v}` is relative to whatever the previous WORKDIR was"))
            .help(format!("use an absolute path, e.g. `WORKDIR /{}`", v.trim_start_matches("./")));
    }
}
