//! ## What it does
//! Flags renaming a column or a table (`ALTER TABLE ... RENAME [COLUMN] ...
//! TO`, `ALTER TABLE ... RENAME TO`, MySQL `RENAME TABLE`) that existed
//! before the file. PostgreSQL, MySQL and CockroachDB: not SQLite, which is
//! embedded in the one application process that migrates it at start, so
//! no older release keeps querying the old name (the risk this rule is
//! about is a rolling deploy). Renaming a transient copy into place
//! (`_users_tmp`, `users_new`: the working table of a rebuild, which SQLite
//! and CockroachDB migrations use to alter a table) is not flagged: no running
//! code uses that name.
//!
//! ## Why is this bad?
//! The running application still uses the old name: every query that names
//! it fails from the moment the migration commits until the new code is
//! deployed everywhere.
//!
//! ## Example
//! ```sql
//! ALTER TABLE users RENAME COLUMN name TO full_name;
//! ```
//!
//! ## Use instead
//! ```sql
//! ALTER TABLE users ADD COLUMN full_name text;
//! -- write both, backfill, switch reads, stop writing the old one, drop it later
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "renaming a column or table breaks the running application",
    severity: Severity::Medium,
    aliases: &["renaming-column", "renaming-table", "rename_column", "rename_table"],
    tags: &["compatibility"],
    ..Meta::DEFAULT
};

/// A transient name (`_users_tmp`, `users_new`, `tmp_users`): the working copy
/// of a table rebuild (SQLite and CockroachDB alter tables by copying them),
/// which no running code uses, so renaming it into place breaks nothing.
fn transient(name: &str) -> bool {
    words(name).any(|w| matches!(w.as_str(), "tmp" | "temp" | "new" | "copy" | "rebuild"))
}

/// A column's transient name (`_ui_tmp`); `new_price` is a real column.
fn transient_column(name: &str) -> bool {
    words(name).any(|w| matches!(w.as_str(), "tmp" | "temp"))
}

fn words(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split(|c: char| !c.is_ascii_alphanumeric()).map(str::to_ascii_lowercase)
}

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for (idx, s) in file.stmts.iter().enumerate() {
        // SQLite is embedded in the one process that migrates it: no older
        // release keeps running against the renamed schema.
        if s.rollback || s.dialect == Dialect::Sqlite {
            continue;
        }
        if s.seq(0, &["RENAME", "TABLE"]) {
            if let Some((name, shown, _)) = s.name_at(2) {
                if !file.table_is_new(&name, idx) && !transient(&name) {
                    cx.report(s.span_of(file, 0, 1), format!("renaming table `{shown}` breaks code that still uses the old name"))
                        .help("keep the old name working during the deploy (e.g. a view with the old name), or add the new table and migrate in steps");
                }
            }
            continue;
        }
        for (table, shown, a) in existing_table_actions(file, idx) {
            if !s.is(a.start, "RENAME") {
                continue;
            }
            if s.is(a.start + 1, "TO") && transient(&table) {
                continue;
            }
            if s.is(a.start + 1, "TO") {
                cx.report(s.span_of(file, a.start, a.start + 1), format!("renaming table `{shown}` breaks code that still uses the old name"))
                    .help("keep the old name working during the deploy (e.g. an updatable view with the old name), then drop it later");
                continue;
            }
            if s.is(a.start + 1, "CONSTRAINT") || s.is(a.start + 1, "INDEX") || s.is(a.start + 1, "KEY") {
                continue;
            }
            let i = if s.is(a.start + 1, "COLUMN") { a.start + 2 } else { a.start + 1 };
            let Some((col, col_shown, _)) = s.name_at(i) else { continue };
            if file.column_is_new(&table, &col, idx) || transient_column(&col) {
                continue;
            }
            cx.report(s.span_of(file, a.start, i), format!("renaming column `{col_shown}` of `{shown}` breaks code that still uses the old name"))
                .help("add the new column, write to both, backfill, switch reads, then drop the old column in a later release");
        }
    }
}
