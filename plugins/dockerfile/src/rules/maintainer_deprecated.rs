//! ## What it does
//! Flags the deprecated `MAINTAINER` instruction.
//!
//! ## Why is this bad?
//! `MAINTAINER` is deprecated; tools read the `org.opencontainers.image.authors`
//! (or `maintainer`) label instead.
//!
//! ## Example
//! ```dockerfile
//! FROM alpine:3.20
//! MAINTAINER Jane Doe <jane@example.com>
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM alpine:3.20
//! LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "deprecated MAINTAINER instruction",
    severity: Severity::Info,
    fix: FixAvailability::Always,
    aliases: &["DL4000", "CKV_DOCKER_6", "DS022"],
    tags: &["style"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for ins in df.instructions.iter().filter(|i| i.is("MAINTAINER")) {
        let who = ins.args_str().replace('\\', "\\\\").replace('"', "\\\"");
        cx.report(ins.keyword_span.clone(), "`MAINTAINER` is deprecated")
            .help("use `LABEL org.opencontainers.image.authors=\"…\"`")
            .fix(
                "replace with a LABEL",
                Applicability::Safe,
                vec![(ins.span.clone(), format!("LABEL org.opencontainers.image.authors=\"{who}\""))],
            );
    }
}
