//! ## What it does
//! Flags `DROP TABLE`, `DROP DATABASE` and `DROP SCHEMA` of objects that were
//! not created earlier in the same file. Rollback code (down migrations,
//! `reverse_sql`, `downgrade()`) is not flagged: undoing its own migration is
//! what it is for. Nor is `DROP TABLE t` in a file that creates `t` again
//! afterwards (a schema (re)creation script or dump), or that renames the
//! copy it filled to the dropped name (`CREATE TABLE t_tmp …; INSERT INTO
//! t_tmp SELECT … FROM t; DROP TABLE t; ALTER TABLE t_tmp RENAME TO t`: how
//! SQLite migrations alter a table).
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
        let replaced = !names.is_empty() && names.iter().all(|n| renamed_into_place(file, idx, n));
        if object == "TABLE" && (!names.is_empty() && names.iter().all(|n| file.table_is_new(n, idx)) || recreated(file, idx, &names) || replaced) {
            continue;
        }
        let cascade = if s.find(&["CASCADE"]).is_some() { " (CASCADE also drops everything that depends on it)" } else { "" };
        cx.report(s.span_of(file, 0, kw), format!("DROP {object} `{shown}` deletes its data for good{cascade}"))
            .help("take a backup first and drop in two steps: stop using it (or rename it) in one release, drop it in a later one");
    }
}

/// A table rebuild: after the drop, the file renames another table (the copy
/// it filled) to the dropped name, as SQLite migrations alter a table.
fn renamed_into_place(file: &SqlFile, idx: usize, name: &str) -> bool {
    file.stmts.iter().skip(idx + 1).any(|s| {
        let Some(alter) = s.alter_table() else { return false };
        alter.table != name
            && alter.actions.iter().any(|a| {
                s.is(a.start, "RENAME") && s.is(a.start + 1, "TO") && s.name_at(a.start + 2).is_some_and(|(n, _, _)| n == name)
            })
    })
}
