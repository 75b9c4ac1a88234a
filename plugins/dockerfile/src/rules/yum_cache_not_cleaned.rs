//! ## What it does
//! Flags a `RUN` in the final image that installs with `yum` or `dnf` but
//! does not run `yum clean all` / `dnf clean all` (or remove
//! `/var/cache/yum` / `/var/cache/dnf`) in the same instruction. A cache
//! mount on those directories counts as cleaned.
//!
//! ## Why is this bad?
//! The metadata and package cache stay in the layer: often more than a
//! hundred megabytes. Cleaning in a later `RUN` does not shrink the image.
//!
//! ## Example
//! ```dockerfile
//! FROM rockylinux:9
//! RUN dnf install -y httpd
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM rockylinux:9
//! RUN dnf install -y httpd && dnf clean all
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "yum/dnf cache not cleaned in the same RUN",
    severity: Severity::Low,
    aliases: &["DL3032", "DL3040", "DS015", "DS019"],
    tags: &["image-size"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    let final_stages = final_lineage(df);
    for (_, ins) in runs(df) {
        if !ins.stage.is_some_and(|s| final_stages.contains(&s)) {
            continue;
        }
        let pm = ["yum", "dnf", "microdnf"];
        let install = ins.commands.iter().filter(|c| pm.contains(&c.name())).find_map(|c| {
            let sub = subcommand(c, &["--setopt", "--enablerepo", "--disablerepo", "--installroot", "--releasever"])?;
            matches!(sub.value.as_str(), "install" | "groupinstall" | "localinstall" | "update" | "upgrade").then_some((c, sub))
        });
        let Some((c, sub)) = install else { continue };
        let cleaned = ins.commands.iter().filter(|c| pm.contains(&c.name())).any(|c| {
            c.args().iter().any(|a| a.value == "clean") && c.args().iter().any(|a| a.value == "all" || a.value == "packages")
        }) || removes(ins, &["/var/cache/yum", "/var/cache/dnf", "/var/cache/microdnf"])
            || has_cache_mount(ins, &["/var/cache/yum", "/var/cache/dnf"]);
        if !cleaned {
            cx.report(sub.span.clone(), format!("`{} {}` leaves its cache in the layer", c.name(), sub.value))
                .help(format!("end the same RUN with `&& {} clean all`", c.name()));
        }
    }
}
