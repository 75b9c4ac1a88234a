//! ## What it does
//! Flags `apt-get` (or `apt`) `install`, `remove`, `purge`, `upgrade`,
//! `dist-upgrade`, `full-upgrade` and `autoremove` without `-y`
//! (`--yes`, `--assume-yes`, or `-qq`, which implies it).
//!
//! ## Why is this bad?
//! Without `-y`, apt asks for confirmation; in a build there is nobody to
//! answer, so the step aborts (or hangs on some versions).
//!
//! ## Example
//! ```dockerfile
//! FROM debian:12-slim
//! RUN apt-get update && apt-get install --no-install-recommends curl
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM debian:12-slim
//! RUN apt-get update && apt-get install -y --no-install-recommends curl
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "apt-get without -y",
    severity: Severity::Low,
    fix: FixAvailability::Sometimes,
    aliases: &["DL3014", "DS021"],
    tags: &["reliability"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for (_, ins) in runs(df) {
        for (c, sub) in apt_commands(ins) {
            if !matches!(sub.value.as_str(), "install" | "remove" | "purge" | "upgrade" | "dist-upgrade" | "full-upgrade" | "autoremove") {
                continue;
            }
            let yes = c.has_option(&["-y", "--yes", "--assume-yes", "-qq", "-q=2", "--quiet=2"], Some('y'))
                || c.args().iter().any(|a| a.value == "APT::Get::Assume-Yes=true" || a.value == "APT::Get::Assume-Yes=1");
            if yes {
                continue;
            }
            let edit = insert_after(cx.text, sub, " -y");
            let f = cx
                .report(sub.span.clone(), format!("`{} {}` without `-y` waits for confirmation", c.name(), sub.value))
                .help(format!("use `{} {} -y`", c.name(), sub.value));
            if let Some(edit) = edit {
                f.fix("add `-y`", Applicability::Safe, vec![edit]);
            }
        }
    }
}
