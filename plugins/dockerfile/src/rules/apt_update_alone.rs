//! ## What it does
//! Flags a `RUN` that runs `apt-get update` (or `apk update`) without
//! installing or upgrading anything in the same instruction.
//!
//! ## Why is this bad?
//! Docker caches each instruction. A later `RUN apt-get install …` reuses the
//! cached, possibly months-old, `update` layer, so it installs outdated
//! versions or fails on packages that are gone from the mirror.
//!
//! ## Example
//! ```dockerfile
//! FROM debian:12-slim
//! RUN apt-get update
//! RUN apt-get install -y --no-install-recommends curl
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM debian:12-slim
//! RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "package index update in its own RUN",
    severity: Severity::Low,
    aliases: &["CKV_DOCKER_5", "DS017"],
    tags: &["reliability"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for (_, ins) in runs(df) {
        if let Some((c, sub)) = apt_commands(ins).find(|(_, s)| s.value == "update") {
            let used = apt_commands(ins).any(|(_, s)| s.value != "update")
                || ins.commands.iter().any(|c| matches!(c.name(), "apt-cache" | "dpkg" | "apt-get-install" | "install_packages" | "add-apt-repository"));
            if !used {
                cx.report(sub.span.clone(), format!("`{} update` runs alone; a later install will use a stale cached index", c.name()))
                    .help("run `update` and `install` in the same RUN");
            }
        }
        let apk = ins.commands.iter().filter(|c| c.name() == "apk");
        let subs: Vec<_> = apk.filter_map(|c| subcommand(c, &["-X", "--repository", "-p", "--root"])).collect();
        if let Some(up) = subs.iter().find(|s| s.value == "update") {
            if !subs.iter().any(|s| s.value != "update") {
                cx.report(up.span.clone(), "`apk update` runs alone; a later `apk add` will use a stale cached index")
                    .help("use `apk add --no-cache …`, which fetches a fresh index itself");
            }
        }
    }
}
