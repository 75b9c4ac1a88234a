//! ## What it does
//! Flags a final stage whose last `USER` is `root` (or `0`), or that never
//! sets a `USER` at all (also not in the stages it is built `FROM`).
//! Base images tagged `nonroot`/`rootless` and users given by a variable are
//! not flagged.
//!
//! ## Why is this bad?
//! A process running as root inside the container is one kernel or runtime
//! bug away from root on the host, and can rewrite everything in the image.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20-slim
//! COPY . /app
//! CMD ["node", "/app/server.js"]
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM node:20-slim
//! COPY --chown=node:node . /app
//! USER node
//! CMD ["node", "/app/server.js"]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "the container runs as root",
    severity: Severity::Medium,
    aliases: &["DL3002", "CKV_DOCKER_3", "CKV_DOCKER_8", "DS002"],
    tags: &["security"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    let Some(last) = df.final_stage() else { return };
    if dev_workspace(df) {
        return;
    }
    let lineage = df.lineage(last);
    let user = lineage.iter().find_map(|s| in_stage(df, s, "USER").last());
    match user {
        Some(ins) => {
            let name = ins.words.first().map_or("", |w| w.value.as_str());
            let who = name.split(':').next().unwrap_or("");
            if who == "root" || who == "0" {
                cx.report(ins.args_span(), format!("the final stage runs as `{name}`"))
                    .help("switch to an unprivileged user after the steps that need root, e.g. `USER 10001`");
            }
        }
        None => {
            let base = lineage.last().map_or(last, |s| *s);
            let tag = base.image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
            if base.image.is_scratch() && last.index != base.index
                || tag.contains("nonroot")
                || tag.contains("rootless")
                || !base.image.known
            {
                return;
            }
            cx.report(last.image_span.clone(), "the final stage never sets `USER`, so the container runs as root")
                .help("create an unprivileged user and add `USER <name>` before `CMD`/`ENTRYPOINT`");
        }
    }
}
