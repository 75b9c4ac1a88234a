//! ## What it does
//! Flags `sudo` in `RUN`. `sudo -u <user>` while the build runs as root
//! (no `USER`, or `USER root`) drops privileges for one step and is not
//! flagged (`gosu`/`setpriv` do the same without a setuid binary).
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

/// Whether the build runs as root at instruction `idx`: the last `USER`
/// before it (in its stage, then the stages it is built from) is root, or none is set.
fn root_at(df: &Dockerfile, idx: usize) -> bool {
    let Some(stage) = df.instructions.get(idx).and_then(|i| i.stage).and_then(|s| df.stages.get(s)) else { return true };
    let mut upto = idx;
    for s in df.lineage(stage) {
        let range = s.instructions.start..upto.min(s.instructions.end);
        let user = df.instructions.get(range).and_then(|r| r.iter().rev().find(|i| i.is("USER")));
        if let Some(u) = user {
            let who = u.words.first().map_or("", |w| w.value.split(':').next().unwrap_or(""));
            return who == "root" || who == "0";
        }
        upto = usize::MAX;
    }
    true
}

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    if dev_workspace(df) {
        return;
    }
    for (idx, ins) in runs(df) {
        for c in &ins.commands {
            let first = c.words.iter().find(|w| !w.value.contains('=') || w.value.starts_with('-'));
            let Some(w) = first.filter(|w| w.value == "sudo" || w.value.ends_with("/sudo")) else { continue };
            // sudo's own options: the words after it that start with `-`.
            let at = c.words.iter().position(|x| std::ptr::eq(x, w)).unwrap_or(0);
            let mut options = c.words[at + 1..].iter().take_while(|x| x.value.starts_with('-'));
            let drops = options.any(|x| x.value == "-u" || x.value.starts_with("--user") || x.value.starts_with("-u"));
            if drops && root_at(df, idx) {
                continue;
            }
            {
                cx.report(w.span.clone(), "`sudo` in a build step")
                    .help("run the step as root (`USER root`) and switch to the unprivileged `USER` afterwards");
            }
        }
    }
}
