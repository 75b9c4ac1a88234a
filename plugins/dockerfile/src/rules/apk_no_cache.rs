//! ## What it does
//! Flags `apk add` without `--no-cache`, unless the same `RUN` removes
//! `/var/cache/apk` or keeps it in a cache mount. Build stages that are not
//! part of the final image are not flagged.
//!
//! ## Why is this bad?
//! Without `--no-cache`, apk stores the package index in the layer, adding
//! size that is useless at run time.
//!
//! ## Example
//! ```dockerfile
//! FROM alpine:3.20
//! RUN apk update && apk add curl
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM alpine:3.20
//! RUN apk add --no-cache curl
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "apk add without --no-cache",
    severity: Severity::Low,
    fix: FixAvailability::Sometimes,
    aliases: &["DL3019", "DS025"],
    tags: &["image-size"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    // Like the apt, pip and yum cache rules: a build stage's layers are not shipped.
    let final_stages = final_lineage(df);
    for (_, ins) in runs(df) {
        if !ins.stage.is_some_and(|s| final_stages.contains(&s)) {
            continue;
        }
        if removes(ins, &["/var/cache/apk"]) || has_cache_mount(ins, &["/var/cache/apk", "/etc/apk/cache"]) {
            continue;
        }
        for c in ins.commands.iter().filter(|c| c.name() == "apk") {
            let Some(sub) = subcommand(c, &["-X", "--repository", "-p", "--root", "-t", "--virtual"]) else { continue };
            if sub.value != "add" || c.has_option(&["--no-cache"], None) {
                continue;
            }
            let edit = insert_after(cx.text, sub, " --no-cache");
            let f = cx.report(sub.span.clone(), "`apk add` without `--no-cache` keeps the package index in the layer")
                .help("use `apk add --no-cache …`");
            if let Some(edit) = edit {
                f.fix("add `--no-cache`", Applicability::Safe, vec![edit]);
            }
        }
    }
}
