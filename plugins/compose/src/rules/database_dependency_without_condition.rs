//! ## What it does
//! Flags a `depends_on` on a database service (known by its image; not
//! Redis, which is ready as it starts) with no condition, or with
//! `condition: service_started`.
//!
//! ## Why is this bad?
//! Compose then only waits for the database's container to start, not for
//! the server to accept connections: the application starts first, fails its
//! first connection or migration, and crashes or runs without its schema.
//!
//! ## Example
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!     depends_on: [db]
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
//! ```
use crate::prelude::*;
use opslint_knowledge::databases::image_engine;

pub const META: Meta = Meta {
    summary: "depends on a database without waiting for it to be ready",
    severity: Severity::Low,
    tags: &["reliability", "startup"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for s in view.judged() {
            for d in s.deps() {
                if d.link || !matches!(d.condition.as_deref(), None | Some("service_started")) {
                    continue;
                }
                let Some(target) = view.service(&d.name) else { continue };
                // Redis accepts connections within milliseconds of starting.
                let Some(engine) = target.image(view).and_then(|i| image_engine(&i)).filter(|e| *e != "redis") else { continue };
                if repo.first(cx, d.doc, &d.span) {
                    cx.report_in(d.doc, d.span.clone(), format!("service `{}` starts once `{}` ({engine}) has started, not once it accepts connections", s.name, d.name))
                        .help(format!("give `{}` a healthcheck and depend on it with `condition: service_healthy`", d.name));
                }
            }
        }
    }
}
