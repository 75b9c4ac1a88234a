//! ## What it does
//! Flags `logging:` that uses the `json-file` driver (named, or by default
//! when only `options:` are given) without a `max-size` option.
//!
//! ## Why is this bad?
//! `json-file` keeps every line the container ever wrote, in one growing
//! file per container under `/var/lib/docker`. A chatty service fills the
//! disk, and then the database on the same disk stops.
//!
//! ## Example
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!     logging:
//!       driver: json-file
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!     logging:
//!       driver: json-file
//!       options: {max-size: 10m, max-file: "3"}
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "`json-file` logging with no size limit",
    severity: Severity::Low,
    tags: &["resources", "logging"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for s in view.judged() {
            let Some(at) = s.get("logging") else { continue };
            let l = at.value();
            let driver = l.str("driver");
            let json_file = driver == Some("json-file") || (driver.is_none() && l.get("options").is_some());
            if !json_file {
                continue;
            }
            if l.get("options").is_some_and(|o| o.get("max-size").is_some()) {
                continue;
            }
            let span = at.key_span();
            if repo.first(cx, at.doc, &span) {
                cx.report_in(at.doc, span, format!("service `{}` logs to `json-file` with no `max-size`: the log grows until the disk is full", s.name))
                    .help("add `options: {max-size: 10m, max-file: \"3\"}` (or use the `local` driver, which rotates)");
            }
        }
    }
}
