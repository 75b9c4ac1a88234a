//! ## What it does
//! Flags the first lock-taking statement on an existing table (ALTER TABLE,
//! DROP TABLE/INDEX, TRUNCATE, CLUSTER, VACUUM FULL, LOCK, plain CREATE
//! INDEX, DROP TRIGGER, CREATE TRIGGER, and a CREATE TABLE whose foreign key
//! references an existing table, which locks that table) when no `SET lock_timeout` (or `SET LOCAL lock_timeout`,
//! `set_config('lock_timeout', ...)`) ran earlier in the file. Once per file.
//! PostgreSQL only. A table created earlier in the same migration (the same
//! file, or an earlier file of a migration split over several files, as
//! ory/pop writes them) is new: nothing else can hold a lock on it.
//!
//! Nor is the initial schema: the leading migrations of a folder that only
//! create tables, indexes, types, functions and seed rows run on an empty
//! database (a table they reference was made by one of them).
//! Migrations of Django, Rails and Alembic are not judged: they run on the
//! application's database connection, and a team that sets lock_timeout
//! sets it there once (Django's `DATABASES` `OPTIONS`, strong_migrations'
//! `lock_timeout`, Alembic's `env.py`), where no migration file shows it.
//! SQL files and scripts are judged: with raw SQL migration tools the file
//! is the usual place.
//!
//! The file cannot see a lock_timeout set outside it: in the connection
//! string (`options=-c lock_timeout=5s`), as the migration role's default
//! (`ALTER ROLE migrator SET lock_timeout = '5s'`) or by the migration
//! runner. If yours sets it there, turn this rule off in the configuration
//! and say why; otherwise every file must set it (squawk's
//! `require-lock-timeout` asks the same, per file).
//!
//! ## Why is this bad?
//! A DDL statement waiting for its lock behind a long query makes every
//! later query on the table queue behind it: a few seconds of waiting become
//! an outage. With `lock_timeout` the migration fails fast and can be retried.
//!
//! ## Example
//! ```sql
//! ALTER TABLE users ADD COLUMN nickname text;
//! ```
//!
//! ## Use instead
//! ```sql
//! SET lock_timeout = '5s';
//! ALTER TABLE users ADD COLUMN nickname text;
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "lock-taking statement without lock_timeout set earlier",
    severity: Severity::Low,
    aliases: &["require-timeout-settings", "require-lock-timeout", "E9"],
    tags: &["locking"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    // Django, Rails and Alembic migrations run on the application's
    // connection: its lock_timeout is set where that connection is configured
    // (settings, strong_migrations, env.py), which the migration does not show.
    // The initial schema runs on an empty database: nothing else holds a lock.
    if matches!(file.tool, Some(Tool::Django | Tool::Rails | Tool::Alembic)) || file.unit.initial {
        return;
    }
    for (idx, s) in file.stmts.iter().enumerate() {
        if s.lock_timeout || s.rollback || s.synthetic {
            continue;
        }
        let hit = access_exclusive(file, idx).map(|(t, toks)| (t, toks, "an ACCESS EXCLUSIVE")).or_else(|| {
            let create = s.seq(0, &["CREATE", "INDEX"]) || s.seq(0, &["CREATE", "UNIQUE", "INDEX"]);
            let kw = if s.is(1, "UNIQUE") { 2 } else { 1 };
            let (table, _) = s.index_table()?;
            (pg(s) && create && !s.is(kw + 1, "CONCURRENTLY") && !file.table_is_new(&table, idx)).then_some((table, (0, kw), "a SHARE"))
        });
        let hit = hit.or_else(|| references_or_trigger(file, idx));
        let Some((table, (a, b), lock)) = hit else { continue };
        cx.report(s.span_of(file, a, b), format!("this takes {lock} lock on `{table}` with no lock_timeout set: if it has to wait, every query on the table queues behind it"))
            .help("SET lock_timeout = '5s'; (or SET LOCAL inside the transaction) at the top of the migration, and retry on timeout");
        return;
    }
}

/// `CREATE TABLE ... REFERENCES t` and `CREATE TRIGGER ... ON t` take a SHARE
/// ROW EXCLUSIVE lock on `t`, `DROP TRIGGER ... ON t` an ACCESS EXCLUSIVE one.
fn references_or_trigger(file: &SqlFile, idx: usize) -> Option<(String, (usize, usize), &'static str)> {
    let s = &file.stmts[idx];
    if !pg(s) {
        return None;
    }
    let existing = |t: &str| !file.table_is_new(t, idx);
    if let Some((own, _)) = file.created_tables.iter().find(|(_, i)| *i == idx) {
        let r = (1..s.toks.len()).find(|&k| {
            s.is(k, "REFERENCES") && s.name_at(k + 1).is_some_and(|(t, _, _)| t != *own && existing(&t))
        })?;
        let (t, _, _) = s.name_at(r + 1)?;
        return Some((t, (r, r), "a SHARE ROW EXCLUSIVE"));
    }
    let trigger = s.starts(&["CREATE"]) && (1..4).any(|k| s.is(k, "TRIGGER"));
    let drop = s.seq(0, &["DROP", "TRIGGER"]);
    if !(trigger || drop) {
        return None;
    }
    let on = (2..s.toks.len()).find(|&k| s.is(k, "ON") && s.toks[k].depth == 0)?;
    let (t, _, _) = s.name_at(on + 1)?;
    let kw = (1..4).find(|&k| s.is(k, "TRIGGER"))?;
    existing(&t).then_some((t, (0, kw), if drop { "an ACCESS EXCLUSIVE" } else { "a SHARE ROW EXCLUSIVE" }))
}
