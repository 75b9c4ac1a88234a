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
            let run = command_text(s, view);
            // MinIO as a gateway keeps its objects in another store.
            if store.name == "MinIO" && run.trim_start().starts_with("gateway") {
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
            let flagged = flag_dirs(&run);
            let dirs: Vec<&str> = store
                .data_dirs
                .iter()
                .copied()
                .chain(moved.iter().map(String::as_str))
                .chain(flagged.iter().map(String::as_str))
                .collect();
            let kept = mounts.iter().any(|m| {
                matches!(m.kind, MountKind::Named | MountKind::Bind) && (m.target.contains('$') || dirs.iter().any(|d| covers(&m.target, d)))
            });
            if kept || mounts.iter().any(|m| m.target.contains('$')) {
                continue;
            }
            let span = at.key_span();
            if repo.first(cx, at.doc, &span) {
                let anonymous = mounts.iter().any(|m| m.kind == MountKind::Anonymous && dirs.iter().any(|d| covers(&m.target, d)));
                let place = if anonymous { "only on an anonymous volume" } else { "on no volume" };
                cx.report_in(at.doc, span, format!("service `{}` runs {} with its data {place}: after `docker compose down` it is gone", s.name, store.name))
                    .help(format!("mount a named volume at its data directory (`{}`) and declare it under top-level `volumes:`", store.data_dirs[0]));
            }
        }
    }
}

/// The service's command, as one line.
fn command_text(s: &Service, view: &View) -> String {
    let Some(cmd) = s.get("command") else { return String::new() };
    match cmd.value().as_str() {
        Some(t) => view.resolve(t).unwrap_or_else(|| t.to_string()),
        None => cmd.value().items().iter().filter_map(Node::as_str).collect::<Vec<_>>().join(" "),
    }
}

/// Data directories a command line sets (`--data-dir=/data`, `--dbpath /db`, `--storage.tsdb.path=/prom`).
fn flag_dirs(run: &str) -> Vec<String> {
    let words: Vec<&str> = run.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some(flag) = w.strip_prefix("--").or_else(|| w.strip_prefix('-')) else { continue };
        let (name, value) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v).filter(|v| !v.is_empty())),
            None => (flag, words.get(i + 1).copied()),
        };
        let name = name.to_ascii_lowercase();
        let about_data = ["data", "dbpath", "dir", "path", "storage"].iter().any(|k| name.contains(k));
        if let Some(v) = value.map(|v| v.trim_matches(['"', '\''])).filter(|v| about_data && v.starts_with('/')) {
            out.push(v.to_string());
        }
    }
    out
}

/// Redis told to write to disk (append-only file, RDB snapshots).
fn persists(s: &Service, view: &View) -> bool {
    let text = command_text(s, view);
    text.contains("--appendonly yes") || text.contains("--save ") && !text.contains("--save \"\"") && !text.contains("--save ''")
}
