//! ## What it does
//! Flags `COPY --from=<name>` inside the stage called `<name>`.
//!
//! ## Why is this bad?
//! A stage cannot copy from itself: the build fails with a circular
//! dependency error. It is usually a copy-paste slip for the previous stage.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20 AS build
//! COPY --from=build /app/dist /srv
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM node:20 AS build
//! RUN npm run build
//! FROM nginx:1.27
//! COPY --from=build /app/dist /usr/share/nginx/html
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "COPY --from the stage it is in",
    severity: Severity::High,
    aliases: &["DL3023", "DS006"],
    tags: &["correctness"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for ins in df.instructions.iter().filter(|i| i.is("COPY") || i.is("ADD")) {
        let (Some(flag), Some(cur)) = (ins.flag("from"), ins.stage) else { continue };
        let Some(v) = flag.value.as_deref() else { continue };
        if df.stage_ref(v).is_some_and(|s| s.index == cur) {
            cx.report(flag.span.clone(), format!("`--from={v}` refers to the stage this instruction is in"))
                .help("copy from an earlier stage, or from the build context without `--from`");
        }
    }
}
