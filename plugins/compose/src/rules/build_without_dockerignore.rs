//! ## What it does
//! Flags a service that builds from a folder of the repository with no
//! `.dockerignore` there (nor a `<Dockerfile>.dockerignore` beside its
//! Dockerfile), when the folder holds sources (the host lists common source
//! and manifest files: `*.py`, `*.go`, `package.json`…).
//!
//! ## Why is this bad?
//! The whole folder is sent to the builder: `.git`, `node_modules`, local
//! `.env` files with secrets, build output. Builds are slow, caches break on
//! every change, and a `COPY . .` puts those files in the image.
//!
//! ## Example
//! ```yaml
//! services:
//!   api:
//!     build: ./api
//! ```
//!
//! ## Use instead
//! ```text
//! # api/.dockerignore
//! .git
//! node_modules
//! .env
//! ```
use crate::prelude::*;
use crate::files::{dir_of, join};

pub const META: Meta = Meta {
    summary: "a build context with no `.dockerignore`",
    severity: Severity::Low,
    // Off by default: on the corpora its contexts held little beyond a
    // Dockerfile and an entrypoint, where the missing file costs nothing.
    enabled: false,
    tags: &["build"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    let Some(listed) = &repo.context_files else { return };
    for view in &repo.views {
        for s in view.judged() {
            let Some(at) = s.get("build") else { continue };
            let b = at.value();
            let (context, dockerfile) = match b.as_str() {
                Some(c) => (c.to_string(), "Dockerfile".to_string()),
                None => (b.str("context").unwrap_or(".").to_string(), b.str("dockerfile").unwrap_or("Dockerfile").to_string()),
            };
            if b.get("dockerfile_inline").is_some() {
                continue;
            }
            let Some(context) = view.resolve(&context) else { continue };
            if context.contains("://") || context.starts_with("git@") || context.contains(':') {
                continue;
            }
            let Some(path) = repo.file_of(at.doc).map(|f| f.path.as_str()) else { continue };
            let Some(dir) = join(dir_of(path), &context) else { continue };
            let ignore = join(&dir, ".dockerignore");
            let beside = join(&dir, &format!("{dockerfile}.dockerignore"));
            if [ignore, beside].iter().flatten().any(|p| listed.contains(p)) {
                continue;
            }
            // A folder with no sources (its Dockerfile, an entrypoint) sends nothing worth leaving out.
            let prefix = if dir.is_empty() { String::new() } else { format!("{dir}/") };
            let holds_more = listed.iter().any(|p| {
                p.strip_prefix(&prefix).is_some_and(|rest| {
                    let name = rest.rsplit('/').next().unwrap_or(rest).to_ascii_lowercase();
                    !(name.starts_with("dockerfile") || name.ends_with(".dockerfile"))
                })
            });
            if !holds_more {
                continue;
            }
            let span = at.key_span();
            if repo.first(cx, at.doc, &span) {
                let shown = if dir.is_empty() { ".".to_string() } else { dir.clone() };
                cx.report_in(at.doc, span, format!("service `{}` builds from `{shown}`, which has no `.dockerignore`: the whole folder is sent to the builder", s.name))
                    .help(format!("add `{shown}/.dockerignore` leaving out `.git`, dependencies, build output and local `.env` files"));
            }
        }
    }
}
