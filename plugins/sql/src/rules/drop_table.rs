//! ## What it does
//! Flags `DROP TABLE`, `DROP DATABASE` and `DROP SCHEMA` of objects that were
//! not created earlier in the same file. Rollback code (down migrations,
//! `reverse_sql`, `downgrade()`) is not flagged: undoing its own migration is
//! what it is for. Nor is `DROP TABLE t` in a file that creates `t` again
//! afterwards (a schema (re)creation script or dump).
//!
//! ## Why is this bad?
//! Dropping a table, schema or database deletes its data for good, and code
//! still deployed that reads the table starts failing at once.
//!
//! ## Example
//! ```sql
//! DROP TABLE legacy_invoices;
//! ```
//!
//! ## Use instead
//! ```sql
//! -- release 1: stop using the table, back it up (pg_dump -t legacy_invoices)
//! ALTER TABLE legacy_invoices RENAME TO legacy_invoices_deprecated;
//! -- a later release, once nothing broke:
//! DROP TABLE legacy_invoices_deprecated;
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "DROP TABLE, DATABASE or SCHEMA destroys data",
    severity: Severity::High,
    aliases: &["ban-drop-table", "ban-drop-database"],
    tags: &["data-loss"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for (idx, s) in file.stmts.iter().enumerate() {
        if s.rollback {
            continue;
        }
        let Some((kw, object, shown)) = drop_object(s) else { continue };
        if !matches!(object.as_str(), "TABLE" | "DATABASE" | "SCHEMA") {
            continue;
        }
        let names = dropped_names(s);
        if object == "TABLE" && (!names.is_empty() && names.iter().all(|n| file.table_is_new(n, idx)) || recreated(file, idx, &names)) {
            continue;
        }
        let cascade = if s.find(&["CASCADE"]).is_some() { " (CASCADE also drops everything that depends on it)" } else { "" };
        cx.report(s.span_of(file, 0, kw), format!("DROP {object} `{shown}` deletes its data for good{cascade}"))
            .help("take a backup first and drop in two steps: stop using it (or rename it) in one release, drop it in a later one");
    }
}
