//! ## What it does
//! Flags `DROP TABLE`, `DROP DATABASE` and `DROP SCHEMA` of objects that were
//! not created earlier in the same file. Rollback code (down migrations,
//! `reverse_sql`, `downgrade()`) is not flagged: undoing its own migration is
//! what it is for. Nor is `DROP TABLE t` in a file that creates `t` again
//! afterwards (a schema (re)creation script or dump), or that renames the
//! copy it filled to the dropped name (`CREATE TABLE t_tmp …; INSERT INTO
//! t_tmp SELECT … FROM t; DROP TABLE t; ALTER TABLE t_tmp RENAME TO t`: how
//! SQLite migrations alter a table), or that moved the original aside, put a
//! table in its place under the original name and copied the rows into it
//! before dropping the old copy (`ALTER TABLE t RENAME TO t_old; CREATE TABLE
//! t …; INSERT INTO t SELECT * FROM t_old; DROP TABLE t_old`). When a
//! migration is split over several files (one statement per file, as
//! ory/pop writes them), the other files of the same migration count: a
//! table created in an earlier step is new, and a copy renamed into place in
//! a later step makes the drop a rebuild.
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
        let replaced =
            !names.is_empty() && names.iter().all(|n| renamed_into_place(file, idx, n) || moved_aside(file, idx, n));
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
    file.unit.later_renames.iter().any(|(from, to)| to == name && from != name)
        || file.stmts.iter().skip(idx + 1).any(|s| {
        let Some(alter) = s.alter_table() else { return false };
        alter.table != name
            && alter.actions.iter().any(|a| {
                s.is(a.start, "RENAME") && s.is(a.start + 1, "TO") && s.name_at(a.start + 2).is_some_and(|(n, _, _)| n == name)
            })
    })
}

/// The other table rebuild: the original was renamed aside to `name`
/// (`ALTER TABLE t RENAME TO t_old`), a table takes its place under the
/// original name (created, or a copy renamed to it), and the rows were copied
/// out of it (`INSERT INTO ... SELECT ... FROM t_old`, or from `t` before the
/// rename) before `DROP TABLE t_old`.
fn moved_aside(file: &SqlFile, idx: usize, name: &str) -> bool {
    let before = &file.stmts[..idx];
    let renames: Vec<(String, String)> = before
        .iter()
        .filter_map(|s| {
            let alter = s.alter_table()?;
            let a = alter.actions.first()?;
            (s.is(a.start, "RENAME") && s.is(a.start + 1, "TO"))
                .then(|| s.name_at(a.start + 2).map(|(to, _, _)| (alter.table.clone(), to)))
                .flatten()
        })
        .collect();
    let originals: Vec<&String> = renames.iter().filter(|(_, to)| to == name).map(|(from, _)| from).collect();
    let copied_from = |src: &str| {
        before.iter().any(|s| {
            s.starts(&["INSERT"]) && (0..s.toks.len()).any(|i| s.is(i, "FROM") && s.name_at(i + 1).is_some_and(|(n, _, _)| n == src))
        })
    };
    originals.iter().any(|orig| {
        let replaced = renames.iter().any(|(from, to)| &to == orig && from != name)
            || file.created_tables.iter().any(|(t, i)| &t == orig && *i < idx);
        replaced && (copied_from(name) || copied_from(orig))
    })
}
