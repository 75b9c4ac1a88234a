//! ## What it does
//! Flags `CREATE INDEX` without `CONCURRENTLY` on a table that was not
//! created (nor emptied by `TRUNCATE` or `DELETE` without `WHERE`) earlier in
//! the same file (PostgreSQL only; MySQL/InnoDB and SQLite
//! build indexes differently and are not checked).
//!
//! ## Why is this bad?
//! A plain `CREATE INDEX` holds a SHARE lock for the whole build: every
//! INSERT, UPDATE and DELETE on the table waits, for minutes on a big table.
//!
//! ## Example
//! ```sql
//! CREATE INDEX orders_customer_idx ON orders (customer_id);
//! ```
//!
//! ## Use instead
//! ```sql
//! -- outside a transaction (Rails: disable_ddl_transaction!, Django: atomic = False)
//! CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "CREATE INDEX without CONCURRENTLY blocks writes to an existing table",
    severity: Severity::Medium,
    aliases: &["require-concurrent-index-creation", "E6", "add_index"],
    fix: FixAvailability::Sometimes,
    tags: &["locking"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for (idx, s) in file.stmts.iter().enumerate() {
        if !forward_pg(s) {
            continue;
        }
        let kw = if s.seq(0, &["CREATE", "INDEX"]) {
            1
        } else if s.seq(0, &["CREATE", "UNIQUE", "INDEX"]) {
            2
        } else {
            continue;
        };
        if s.is(kw + 1, "CONCURRENTLY") {
            continue;
        }
        let Some((table, shown)) = s.index_table() else { continue };
        if file.table_is_new(&table, idx) || file.table_is_emptied(&table, idx) {
            continue;
        }
        let fix = concurrently_after(cx, s, file, kw, " CONCURRENTLY");
        let f = cx.report(s.span_of(file, 0, kw), format!("CREATE INDEX on `{shown}` blocks writes to it until the index is built"))
            .help("use CREATE INDEX CONCURRENTLY, outside a transaction (Rails: disable_ddl_transaction! + algorithm: :concurrently; Django: atomic = False / AddIndexConcurrently)");
        // Unsafe: a concurrent build that fails leaves an INVALID index to drop by hand.
        if let Some(edit) = fix {
            f.fix("add CONCURRENTLY", Applicability::Unsafe, vec![edit]);
        }
    }
}
