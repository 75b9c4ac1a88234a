//! ## What it does
//! Flags a `COPY` or `ADD` with more than one source whose destination does
//! not end with `/`. A single source with a wildcard (`COPY dist/* /app`) is
//! not flagged: BuildKit copies its matches into the destination directory;
//! nor is `.` (the working directory).
//! Variables in the destination (`$APP_HOME`) are not judged, nor are
//! instructions whose flags are already broken (a parse error).
//!
//! ## Why is this bad?
//! Docker refuses several sources to a destination it could take for a file
//! ("the destination must be a directory and end with a /"): the build stops
//! at this step.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20-slim
//! COPY package.json package-lock.json /app
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM node:20-slim
//! COPY package.json package-lock.json /app/
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "COPY or ADD of several sources to a destination without a trailing `/`",
    severity: Severity::High,
    fix: FixAvailability::Always,
    aliases: &["DL3021"],
    tags: &["correctness"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for ins in df.instructions.iter().filter(|i| i.is("COPY") || i.is("ADD")) {
        // `--from build`: the parse error says it; the words after it are not sources.
        if ins.flags.iter().any(|f| f.value.is_none() && !matches!(f.name.as_str(), "link" | "parents" | "keep-git-dir")) {
            continue;
        }
        let (sources, Some(dest)) = ins.sources_and_dest() else { continue };
        let d = dest.value.as_str();
        // `.`: the working directory, which Docker takes for a directory.
        if sources.len() < 2 || d.ends_with('/') || d == "." || d == ".." || d.contains('$') || ins.heredocs.iter().any(|h| h.marker == dest.span) {
            continue;
        }
        let end = dest.span.end;
        let insert = if dest.quoted && ins.exec.is_none() || ins.exec.is_some() { end - 1 } else { end };
        cx.report(dest.span.clone(), format!("`{}` copies {} sources to `{d}`, which does not end with `/`", ins.keyword, sources.len()))
            .help(format!("end the destination with `/`: `{d}/`"))
            .fix("add `/` to the destination", Applicability::Safe, vec![(insert..insert, "/".to_string())]);
    }
}
