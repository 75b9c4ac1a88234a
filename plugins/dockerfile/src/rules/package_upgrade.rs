//! ## What it does
//! Flags in-place upgrades of the base image's packages: `apt-get upgrade`,
//! `dist-upgrade`/`full-upgrade`, `apk upgrade`, `yum`/`dnf` `update` and
//! `upgrade`.
//!
//! ## Why is this bad?
//! The result depends on the day of the build, so two builds of the same
//! commit differ, and upgrading everything can pull in changes the base
//! image's maintainers did not ship. The reproducible way to get security
//! fixes is a newer base image tag (rebuilt regularly). Some teams prefer to
//! upgrade anyway (to get fixes before the base image is rebuilt), so it is
//! off by default: a team choice, not a fault.
//!
//! ## Example
//! ```dockerfile
//! FROM debian:12-slim
//! RUN apt-get update && apt-get -y dist-upgrade
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM debian:12.8-slim
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "packages of the base image upgraded in place",
    severity: Severity::Info,
    aliases: &["DS024"],
    tags: &["reproducibility"],
    enabled: false,
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for (_, ins) in runs(df) {
        for c in &ins.commands {
            let upgrades: &[&str] = match c.name() {
                "apt-get" | "apt" => &["upgrade", "dist-upgrade", "full-upgrade"],
                "apk" => &["upgrade"],
                "yum" | "dnf" | "microdnf" => &["update", "upgrade", "distro-sync"],
                _ => continue,
            };
            let Some(sub) = subcommand(c, &["-o", "-t", "-X", "--repository", "--setopt", "--enablerepo", "--disablerepo"]) else {
                continue;
            };
            // `yum update <pkg>` updates named packages only.
            if !upgrades.contains(&sub.value.as_str())
                || (matches!(c.name(), "yum" | "dnf" | "microdnf" | "apk") && !packages(c, sub).is_empty())
            {
                continue;
            }
            cx.report(sub.span.clone(), format!("`{} {}` upgrades the base image's packages in place", c.name(), sub.value))
                .help("use a newer (regularly rebuilt) base image tag instead of upgrading inside the build");
        }
    }
}
