//! ## What it does
//! Flags a compose file in format 1: services at the top level, with no
//! `services:` key.
//!
//! ## Why is this bad?
//! `docker compose` (v2) no longer reads format 1: the file fails with
//! "additional property … is not allowed". It only works with the
//! `docker-compose` v1 program, which is no longer maintained.
//!
//! ## Example
//! ```yaml
//! web:
//!   image: nginx:1.27
//!   links: [db]
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   web:
//!     image: nginx:1.27
//!     depends_on: [db]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a compose file in format 1 (no `services:`)",
    severity: Severity::Medium,
    tags: &["correctness"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for f in repo.files.iter().filter(|f| f.v1 && f.named) {
        let Some(first) = f.services().next() else { continue };
        cx.report_in(f.doc, first.key.span.clone(), "this file is in compose format 1 (services at the top level): `docker compose` no longer reads it")
            .help("move the services under a top-level `services:` key (and `links:` to `depends_on:`)");
    }
}
