//! ## What it does
//! Flags `ALTER TABLE ... ALTER COLUMN ... SET NOT NULL` on a column that
//! existed before the file (PostgreSQL only), on a table the file did not
//! empty first (`TRUNCATE`, `DELETE` without `WHERE`: nothing to scan).
//!
//! ## Why is this bad?
//! PostgreSQL scans the whole table to check for NULLs while holding an
//! ACCESS EXCLUSIVE lock: no reads or writes until it is done.
//!
//! ## Example
//! ```sql
//! ALTER TABLE users ALTER COLUMN email SET NOT NULL;
//! ```
//!
//! ## Use instead
//! ```sql
//! ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
//! ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;
//! -- PostgreSQL 12+ uses the valid constraint and skips the scan:
//! ALTER TABLE users ALTER COLUMN email SET NOT NULL;
//! ALTER TABLE users DROP CONSTRAINT users_email_not_null;
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "SET NOT NULL on an existing column scans the table under an exclusive lock",
    severity: Severity::Medium,
    aliases: &["adding-not-nullable-field", "E2", "change_column_null"],
    tags: &["locking"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for (idx, s) in file.stmts.iter().enumerate() {
        if !forward_pg(s) {
            continue;
        }
        for (table, shown, a) in existing_table_actions(file, idx) {
            let Some((col, col_tok, next)) = alter_column(s, &a) else { continue };
            if !s.seq(next, &["SET", "NOT", "NULL"]) || file.column_is_new(&table, &col, idx) || file.table_is_emptied(&table, idx) {
                continue;
            }
            // A validated CHECK (col IS NOT NULL) earlier in the file lets PostgreSQL 12+ skip the scan.
            let checked = file.stmts[..idx].iter().any(|p| {
                p.find(&["VALIDATE", "CONSTRAINT"]).is_some()
                    && p.alter_table().is_some_and(|t| t.table == table)
            }) && file.pg_version >= 12;
            if checked {
                continue;
            }
            cx.report(s.span_of(file, col_tok, next + 2), format!("SET NOT NULL on `{shown}`.`{}` scans the table under an ACCESS EXCLUSIVE lock", s.shown_tok(col_tok)))
                .help("add CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in a separate transaction, then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop the CHECK");
        }
    }
}
