//! ## What it does
//! Flags two services of a project with the same `container_name`.
//!
//! ## Why is this bad?
//! Container names are unique on a host: the second container cannot be
//! created and `docker compose up` fails.
//!
//! ## Example
//! ```yaml
//! services:
//!   web:
//!     image: nginx:1.27
//!     container_name: app
//!   api:
//!     image: example/api:3.2
//!     container_name: app
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   web:
//!     image: nginx:1.27
//!     container_name: app-web
//!   api:
//!     image: example/api:3.2
//!     container_name: app-api
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "two services with the same `container_name`",
    severity: Severity::High,
    tags: &["correctness"],
    aliases: &["no-duplicate-container-names"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        let mut seen: Vec<(String, String)> = Vec::new();
        for s in &view.services {
            let Some(at) = s.get("container_name") else { continue };
            let Some(name) = at.value().as_str().and_then(|n| view.resolve(n)) else { continue };
            if let Some((_, other)) = seen.iter().find(|(n, _)| *n == name) {
                let span = at.value().span.clone();
                if s.judged && repo.first(cx, at.doc, &span) {
                    cx.report_in(at.doc, span, format!("service `{}` has container name `{name}`, as `{other}` does: only one can exist", s.name))
                        .help("give each service its own name, or drop `container_name`");
                }
            } else {
                seen.push((name, s.name.clone()));
            }
        }
    }
}
