//! ## What it does
//! Flags `apt` in `RUN`; scripts should use `apt-get` (and `apt-cache`).
//!
//! ## Why is this bad?
//! `apt` is the interactive front end: its output and options are not
//! stable and it warns "apt does not have a stable CLI interface" when
//! piped. `apt-get` is the interface meant for scripts.
//!
//! ## Example
//! ```dockerfile
//! FROM ubuntu:24.04
//! RUN apt update && apt install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM ubuntu:24.04
//! RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "apt used instead of apt-get",
    severity: Severity::Low,
    fix: FixAvailability::Sometimes,
    aliases: &["DL3027", "CKV_DOCKER_9"],
    tags: &["reliability"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for (_, ins) in runs(df) {
        for c in ins.commands.iter().filter(|c| c.name() == "apt") {
            let Some(prog) = c.program() else { continue };
            let sub = subcommand(c, &["-o", "-t", "-c"]).map(|s| s.value.as_str()).unwrap_or("");
            let verbatim = cx.text.get(prog.span.clone()) == Some("apt");
            let shown = if sub.is_empty() { "apt".to_string() } else { format!("apt {sub}") };
            let f = cx
                .report(prog.span.clone(), format!("`{shown}` uses the interactive front end"))
                .help("use `apt-get` (or `apt-cache` for searching) in scripts");
            let mappable = matches!(sub, "install" | "update" | "upgrade" | "remove" | "purge" | "autoremove" | "dist-upgrade" | "clean");
            if mappable && verbatim {
                f.fix("replace `apt` with `apt-get`", Applicability::Safe, vec![(prog.span.clone(), "apt-get".into())]);
            }
        }
    }
}
