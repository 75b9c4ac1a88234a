//! ## What it does
//! Flags `yum` and `dnf` `install`, `groupinstall`, `localinstall`,
//! `reinstall`, `remove`, `update` and `upgrade` without `-y`
//! (`--assumeyes`).
//!
//! ## Why is this bad?
//! Without `-y` the package manager asks for confirmation; a build has no
//! one to answer, so the step fails.
//!
//! ## Example
//! ```dockerfile
//! FROM rockylinux:9
//! RUN dnf install httpd && dnf clean all
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM rockylinux:9
//! RUN dnf install -y httpd && dnf clean all
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "yum/dnf without -y",
    severity: Severity::Low,
    fix: FixAvailability::Sometimes,
    aliases: &["DL3030", "DL3038"],
    tags: &["reliability"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for (_, ins) in runs(df) {
        for c in ins.commands.iter().filter(|c| matches!(c.name(), "yum" | "dnf")) {
            let Some(sub) = subcommand(c, &["--setopt", "--enablerepo", "--disablerepo", "--installroot", "--releasever", "-c", "--config"]) else {
                continue;
            };
            let needs = matches!(
                sub.value.as_str(),
                "install" | "groupinstall" | "localinstall" | "reinstall" | "remove" | "erase" | "update" | "upgrade" | "autoremove"
            );
            if !needs || c.has_option(&["-y", "--assumeyes"], Some('y')) {
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
