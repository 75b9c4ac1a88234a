//! ## What it does
//! Flags a service `secrets:` or `configs:` entry that no top-level
//! `secrets:` / `configs:` of the project declares.
//!
//! ## Why is this bad?
//! `docker compose up` refuses the project ("refers to undefined secret"),
//! and the secret the service expects under `/run/secrets/` is not there.
//!
//! ## Example
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!     secrets: [db_password]
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!     secrets: [db_password]
//! secrets:
//!   db_password:
//!     file: ./db_password.txt
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a secret or config the project does not declare",
    severity: Severity::High,
    tags: &["correctness", "secrets"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for key in ["secrets", "configs"] {
            let declared = view.declared.get(key);
            for s in view.judged() {
                for at in s.all(key) {
                    for i in at.value().items() {
                        let Some(name) = i.as_str().or_else(|| i.str("source")) else { continue };
                        if name.contains('$') || declared.is_some_and(|d| d.contains(name)) || view.folder_has(key, name) {
                            continue;
                        }
                        if repo.first(cx, at.doc, &i.span) {
                            cx.report_in(at.doc, i.span.clone(), format!("service `{}` uses {} `{name}`, which no top-level `{key}:` declares", s.name, &key[..key.len() - 1]))
                                .help(format!("declare it under top-level `{key}:` (`file:`, `environment:` or `external: true`)"));
                        }
                    }
                }
            }
        }
    }
}
