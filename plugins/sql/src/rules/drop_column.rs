//! ## What it does
//! Flags `ALTER TABLE ... DROP COLUMN` on a table that existed before the file
//! (all dialects). Rollback code is not flagged, nor a column added earlier in
//! the same migration, nor a working column whose values the migration
//! first copied whole into another column of the table, when the dropped
//! name is a working name (`_c_tmp`, `c_old`) or the copy is renamed back to
//! it afterwards: the last steps of a type change by copy (ory/pop writes
//! `RENAME c TO _c_tmp; ADD c; UPDATE SET c = _c_tmp; DROP _c_tmp`), in the
//! same file or an earlier file of a migration split over several. A copy
//! under a new name (`SET data = content; DROP content`) is still flagged:
//! code still using the old name breaks.
//!
//! ## Why is this bad?
//! The column's data is gone, and application code still deployed that
//! selects or writes the column fails until the new version is everywhere
//! (ORMs often list every column explicitly).
//!
//! ## Example
//! ```sql
//! ALTER TABLE users DROP COLUMN legacy_name;
//! ```
//!
//! ## Use instead
//! ```sql
//! -- release 1: stop reading and writing the column (Rails: ignored_columns)
//! -- release 2, after a backup:
//! ALTER TABLE users DROP COLUMN legacy_name;
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "DROP COLUMN destroys the column's data and breaks code still using it",
    severity: Severity::High,
    aliases: &["ban-drop-column", "remove_column"],
    tags: &["data-loss"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for (idx, s) in file.stmts.iter().enumerate() {
        if s.rollback {
            continue;
        }
        for (table, shown, a) in existing_table_actions(file, idx) {
            if !s.is(a.start, "DROP") {
                continue;
            }
            let mut i = a.start + 1;
            let explicit = s.is(i, "COLUMN");
            if explicit {
                i += 1;
            } else if ["CONSTRAINT", "INDEX", "KEY", "PRIMARY", "FOREIGN", "CHECK", "DEFAULT", "PARTITION"].iter().any(|w| s.is(a.start + 1, w)) {
                continue;
            }
            if s.seq(i, &["IF", "EXISTS"]) {
                i += 2;
            }
            let Some((col, col_shown, _)) = s.name_at(i) else { continue };
            // New, or copied whole into another column first (ory/pop changes a
            // type by RENAME c TO _c_tmp, ADD c, UPDATE SET c = _c_tmp, DROP _c_tmp).
            let copied = file.column_copied(&table, &col, idx) && (transient(&col) || renamed_back(file, idx, &table, &col));
            if file.column_is_new(&table, &col, idx) || copied {
                continue;
            }
            cx.report(s.span_of(file, a.start, i), format!("dropping column `{col_shown}` of `{shown}` deletes its data"))
                .help("first deploy code that no longer reads or writes the column, take a backup, then drop it in a later migration");
        }
    }
}

/// A working column's name (`_nid_tmp`, `address_type_old`): no running code uses it.
fn transient(name: &str) -> bool {
    name.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| matches!(w, "tmp" | "temp" | "old"))
}

/// A later statement of the file renames a column of `table` to the dropped name:
/// the copy takes its place, so code using the name keeps working.
fn renamed_back(file: &SqlFile, idx: usize, table: &str, col: &str) -> bool {
    file.stmts.iter().skip(idx + 1).any(|s| {
        s.alter_table().is_some_and(|at| {
            at.table == table
                && at.actions.iter().any(|a| {
                    let i = if s.is(a.start + 1, "COLUMN") { a.start + 2 } else { a.start + 1 };
                    s.is(a.start, "RENAME")
                        && s.name_at(i).is_some_and(|(_, _, next)| s.is(next, "TO") && s.name_at(next + 1).is_some_and(|(n, _, _)| n == col))
                })
        })
    })
}
