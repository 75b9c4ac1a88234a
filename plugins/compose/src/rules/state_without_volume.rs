//! ## What it does
//! Flags a database, broker or other store (Postgres, MySQL, MongoDB,
//! RabbitMQ, Kafka, MinIO, Prometheus, Grafana…, known by image) whose data
//! directory is on no volume: no named volume and no bind mount at it or
//! above it. Redis is flagged only when its command turns persistence on
//! (`--appendonly yes`, `--save`). Files for local development or tests are
//! not judged: their stores start empty on purpose.
//!
//! ## Why is this bad?
//! The data lives in the container's writable layer or an anonymous volume
//! tied to that container: `docker compose down`, a recreated container
//! after an image upgrade, or `docker system prune` and the data is gone.
//!
//! ## Example
//! ```yaml
//! services:
//!   db:
//!     image: postgres:16
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
use opslint_knowledge::stateful::{covers, image_service};

pub const META: Meta = Meta {
    summary: "a database or other store whose data is on no volume",
    severity: Severity::High,
    tags: &["data", "reliability"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for s in view.judged() {
            // Test and development stacks start from empty stores on purpose.
            if s.get("volumes_from").is_some() || s.dev(repo) {
                continue;
            }
            let (Some(at), Some(image)) = (s.get("image"), s.image(view)) else { continue };
            let Some(store) = image_service(&image) else { continue };
            if store.data_dirs.is_empty() {
                continue;
            }
            if store.opt_in && !persists(s, view) {
                continue;
            }
            let mounts = s.mounts(view);
            // A data directory moved by the environment (`PGDATA`, `MYSQL_DATADIR`…).
            let moved: Vec<String> = s
                .env()
                .into_iter()
                .filter(|e| e.name.ends_with("DATA") || e.name.ends_with("DATADIR") || e.name.ends_with("DATA_DIR"))
                .filter_map(|e| e.value.filter(|v| v.starts_with('/')))
                .collect();
            let dirs: Vec<&str> = store.data_dirs.iter().copied().chain(moved.iter().map(String::as_str)).collect();
            let kept = mounts.iter().any(|m| {
                matches!(m.kind, MountKind::Named | MountKind::Bind) && (m.target.contains('$') || dirs.iter().any(|d| covers(&m.target, d)))
            });
            if kept || mounts.iter().any(|m| m.target.contains('$')) {
                continue;
            }
            let span = at.key_span();
            if repo.first(cx, at.doc, &span) {
                cx.report_in(at.doc, span, format!("service `{}` runs {} with its data on no volume: `docker compose down` loses it", s.name, store.name))
                    .help(format!("mount a named volume at its data directory (`{}`) and declare it under top-level `volumes:`", store.data_dirs[0]));
            }
        }
    }
}

/// Redis told to write to disk (append-only file, RDB snapshots).
fn persists(s: &Service, view: &View) -> bool {
    let Some(cmd) = s.get("command") else { return false };
    let text = match cmd.value().as_str() {
        Some(t) => view.resolve(t).unwrap_or_else(|| t.to_string()),
        None => cmd.value().items().iter().filter_map(Node::as_str).collect::<Vec<_>>().join(" "),
    };
    text.contains("--appendonly yes") || text.contains("--save ") && !text.contains("--save \"\"") && !text.contains("--save ''")
}
