//! ## What it does
//! Flags a named volume (`pgdata:/var/lib/postgresql/data`) that no
//! top-level `volumes:` of the project declares.
//!
//! ## Why is this bad?
//! `docker compose up` refuses the project ("service refers to undefined
//! volume"). Often the source was meant as a folder and lacks its `./`.
//!
//! ## Example
//! ```yaml
//! services:
//!   db:
//!     image: postgres:16
//!     volumes: [pgdata:/var/lib/postgresql/data]
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   db:
//!     image: postgres:16
//!     volumes: [pgdata:/var/lib/postgresql/data]
//! volumes:
//!   pgdata:
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a named volume the project does not declare",
    severity: Severity::High,
    tags: &["correctness"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        // Format 1 created named volumes on use.
        if view.files.iter().any(|&f| repo.files[f].v1) {
            continue;
        }
        let declared = view.declared.get("volumes");
        for s in view.judged() {
            for m in s.mounts(view) {
                if m.kind != MountKind::Named || m.source.contains('$') || declared.is_some_and(|d| d.contains(&m.source)) || view.folder_has("volumes", &m.source) {
                    continue;
                }
                if repo.first(cx, m.doc, &m.span) {
                    cx.report_in(m.doc, m.span.clone(), format!("service `{}` mounts volume `{}`, which no top-level `volumes:` declares", s.name, m.source))
                        .help(format!("declare it (`volumes:\\n  {}:`), or write `./{}` if a folder was meant", m.source, m.source));
                }
            }
        }
    }
}
