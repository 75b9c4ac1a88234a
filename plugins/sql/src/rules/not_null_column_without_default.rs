//! ## What it does
//! Flags `ALTER TABLE ... ADD COLUMN ... NOT NULL` without a non-NULL
//! `DEFAULT` on a table that existed before the file (PostgreSQL only), unless
//! the file emptied it first (`TRUNCATE`, `DELETE` without `WHERE`).
//!
//! ## Why is this bad?
//! Existing rows would get NULL in a NOT NULL column: PostgreSQL refuses the
//! statement if the table has any row, so the migration fails on production
//! while it passed on an empty development database.
//!
//! ## Example
//! ```sql
//! ALTER TABLE users ADD COLUMN plan text NOT NULL;
//! ```
//!
//! ## Use instead
//! ```sql
//! ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "ADD COLUMN NOT NULL without a default fails on a non-empty table",
    severity: Severity::Medium,
    aliases: &["adding-required-field"],
    tags: &["correctness", "locking"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for (idx, s) in file.stmts.iter().enumerate() {
        if !forward_pg(s) {
            continue;
        }
        for (table, shown, a) in existing_table_actions(file, idx) {
            let Some(col) = add_column(s, &a) else { continue };
            if file.table_is_emptied(&table, idx) {
                continue;
            }
            let Some(nn) = col.not_null else { continue };
            if !col.default_is_null(s) || col.serial(s) || col.stored.is_some() || col.identity.is_some() {
                continue;
            }
            cx.report(s.span_of(file, col.name_tok, nn + 1), format!("NOT NULL column `{}` added to `{shown}` without a default", s.shown_tok(col.name_tok)))
                .help("give it a constant DEFAULT (cheap since PostgreSQL 11), or add it nullable, backfill in batches, then add the NOT NULL constraint safely");
        }
    }
}
