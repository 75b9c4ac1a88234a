//! ## What it does
//! Flags a `depends_on` entry with `condition: service_healthy` on a service
//! that has no `healthcheck:` in the compose files (or has it disabled).
//!
//! ## Why is this bad?
//! Compose waits for the dependency to report healthy. With no healthcheck
//! in the compose file it relies on a `HEALTHCHECK` in the image; when the
//! image has none, `docker compose up` fails with "container is unhealthy"
//! or "has no healthcheck configured", and the stack never starts.
//!
//! ## Example
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!     depends_on:
//!       db: {condition: service_healthy}
//!   db:
//!     image: postgres:16
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!     depends_on:
//!       db: {condition: service_healthy}
//!   db:
//!     image: postgres:16
//!     healthcheck:
//!       test: ["CMD-SHELL", "pg_isready -U postgres"]
//!       interval: 5s
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "waits for `service_healthy` on a service with no healthcheck",
    severity: Severity::Medium,
    tags: &["reliability", "startup"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for s in view.judged() {
            for d in s.deps() {
                if d.condition.as_deref() != Some("service_healthy") {
                    continue;
                }
                let Some(target) = view.service(&d.name) else { continue };
                if target.healthcheck().is_some() {
                    continue;
                }
                if repo.first(cx, d.doc, &d.span) {
                    cx.report_in(d.doc, d.span.clone(), format!("service `{}` waits for `{}` to be healthy, but `{}` has no healthcheck in the compose file", s.name, d.name, d.name))
                        .help(format!("give `{}` a `healthcheck:` (unless its image defines a HEALTHCHECK), or wait with `condition: service_started`", d.name));
                }
            }
        }
    }
}
