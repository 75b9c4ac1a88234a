//! ## What it does
//! Flags `ALTER TABLE ... DROP COLUMN` on a table that existed before the file
//! (all dialects). Rollback code is not flagged.
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
            if file.column_is_new(&table, &col, idx) {
                continue;
            }
            cx.report(s.span_of(file, a.start, i), format!("dropping column `{col_shown}` of `{shown}` deletes its data"))
                .help("first deploy code that no longer reads or writes the column, take a backup, then drop it in a later migration");
        }
    }
}
