//! ## What it does
//! Flags a `RUN` in the final image that runs `apt-get update`/`install`
//! but does not remove `/var/lib/apt/lists/*` in the same instruction. Build
//! stages that are not part of the final image, and `RUN`s that keep the
//! lists in a cache mount (`--mount=type=cache,target=/var/lib/apt`), are
//! not flagged.
//!
//! ## Why is this bad?
//! The package lists are tens of megabytes that only matter during the
//! build. Removing them in a later `RUN` does not shrink the image: the
//! earlier layer still contains them.
//!
//! ## Example
//! ```dockerfile
//! FROM debian:12-slim
//! RUN apt-get update && apt-get install -y --no-install-recommends curl
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM debian:12-slim
//! RUN apt-get update \
//!  && apt-get install -y --no-install-recommends curl \
//!  && rm -rf /var/lib/apt/lists/*
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "apt lists not removed in the same RUN",
    severity: Severity::Low,
    aliases: &["DL3009"],
    tags: &["image-size"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    let final_stages = final_lineage(df);
    for (_, ins) in runs(df) {
        if !ins.stage.is_some_and(|s| final_stages.contains(&s)) {
            continue;
        }
        let Some((c, sub)) = apt_commands(ins).find(|(_, s)| s.value == "update").or_else(|| apt_commands(ins).find(|(_, s)| s.value == "install"))
        else {
            continue;
        };
        if removes(ins, &["/var/lib/apt/lists"]) || has_cache_mount(ins, &["/var/lib/apt"]) {
            continue;
        }
        cx.report(sub.span.clone(), format!("`{} {}` leaves the package lists in the layer", c.name(), sub.value))
            .help("end the same RUN with `&& rm -rf /var/lib/apt/lists/*`");
    }
}
