//! ## What it does
//! Flags a `RUN` that starts with `cd <dir>`: the directory change should be
//! a `WORKDIR`. A `cd` later in a command chain (build in `/tmp/src`, then
//! clean up) is a legitimate pattern and is not flagged, nor is `cd /tmp`
//! (or below it, or `/var/tmp`): a scratch directory to download and unpack
//! in, which a `WORKDIR` would keep as the image's directory. A leading
//! `set -ex` (shell options) does not count as the first command:
//! `RUN set -ex && cd /app && make` starts with `cd` too.
//!
//! ## Why is this bad?
//! `cd` only lasts for one `RUN`. Starting every `RUN` with `cd /app &&`
//! repeats the path, hides where the image's files end up, and breaks
//! silently when one `RUN` forgets it.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20-slim
//! COPY . /app
//! RUN cd /app && npm ci
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM node:20-slim
//! WORKDIR /app
//! COPY . .
//! RUN npm ci
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "RUN starts with cd instead of using WORKDIR",
    severity: Severity::Info,
    aliases: &["DL3003", "DS013"],
    tags: &["style"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for (_, ins) in runs(df) {
        // `set -ex && cd /app && …`: shell options change nothing about where the commands run.
        let lead = ins.commands.iter().take_while(|c| c.name() == "set").count();
        let Some(first) = ins.commands.get(lead) else { continue };
        if first.name() != "cd" || first.sep == Sep::End && ins.commands.len() == lead + 1 {
            continue;
        }
        let Some(dir) = first.args().first() else { continue };
        // A scratch directory to download and unpack in: WORKDIR would keep it as the image's directory.
        let scratch = ["/tmp", "/var/tmp"].iter().any(|t| dir.value == *t || dir.value.starts_with(&format!("{t}/")));
        if dir.value.starts_with('-') || dir.value.contains('$') || scratch {
            continue;
        }
        cx.report(first.span.clone(), format!("`cd {}` at the start of RUN", dir.value))
            .help(format!("use `WORKDIR {}` before this RUN", dir.value));
    }
}
