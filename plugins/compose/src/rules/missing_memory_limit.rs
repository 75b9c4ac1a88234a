//! ## What it does
//! Flags a service with no memory limit (`mem_limit`, or
//! `deploy.resources.limits.memory`). Services of files for local
//! development or tests (by name, folder or opening comment, or a service
//! built from the source it bind-mounts or watches with `develop:`) and
//! one-shot jobs (see `missing-restart`) are not flagged.
//!
//! Only projects written to be run for real are judged: some service of the
//! project has a restart policy or `deploy:` settings.
//!
//! ## Why is this bad?
//! One service with a leak or a burst takes the host's memory; the kernel's
//! out-of-memory killer then picks a victim, often the database. With a
//! limit only the offending container is killed and restarted.
//!
//! ## Example
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!     deploy:
//!       resources:
//!         limits: {memory: 512M}
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a service with no memory limit",
    severity: Severity::Low,
    tags: &["resources", "reliability"],
    // KICS query ids.
    aliases: &["bb9ac4f7-e13b-423d-a010-c74a1bfbe492"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in repo.views.iter().filter(|v| v.deployed()) {
        for s in view.judged() {
            if s.fragment() || s.dev(repo) || s.dev_setup(view) || super::missing_restart::one_shot(s) {
                continue;
            }
            let limited = s.get("mem_limit").is_some()
                || s.get("deploy").is_some_and(|d| d.value().at("resources.limits.memory").is_some());
            if limited {
                continue;
            }
            let home = s.home();
            if repo.first(cx, home.doc, &home.key) {
                cx.report_in(home.doc, home.key.clone(), format!("service `{}` has no memory limit", s.name))
                    .help("set `deploy.resources.limits.memory` (or `mem_limit`) a little above what it uses at peak");
            }
        }
    }
}
