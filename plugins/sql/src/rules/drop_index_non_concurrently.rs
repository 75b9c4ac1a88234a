//! ## What it does
//! Flags `DROP INDEX` without `CONCURRENTLY` of an index that was not created
//! earlier in the same file (PostgreSQL only).
//!
//! ## Why is this bad?
//! A plain `DROP INDEX` takes an ACCESS EXCLUSIVE lock on the index's table:
//! while it waits for running queries, every new query on the table queues.
//!
//! ## Example
//! ```sql
//! DROP INDEX orders_customer_idx;
//! ```
//!
//! ## Use instead
//! ```sql
//! DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx;
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "DROP INDEX without CONCURRENTLY locks the table",
    severity: Severity::Medium,
    aliases: &["require-concurrent-index-deletion", "remove_index"],
    fix: FixAvailability::Sometimes,
    tags: &["locking"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for (idx, s) in file.stmts.iter().enumerate() {
        if !forward_pg(s) || !s.seq(0, &["DROP", "INDEX"]) || s.is(2, "CONCURRENTLY") {
            continue;
        }
        let names = dropped_names(s);
        if names.is_empty() || names.iter().all(|n| file.index_is_new(n, idx)) {
            continue;
        }
        let shown = drop_object(s).map(|d| d.2).unwrap_or_default();
        // CONCURRENTLY drops one index and takes no CASCADE. Outside a
        // transaction a half-run migration is re-run: IF EXISTS lets it.
        let one = names.len() == 1 && s.find(&["CASCADE"]).is_none();
        let guard = if s.seq(2, &["IF", "EXISTS"]) { "" } else { " IF EXISTS" };
        let fix = one.then(|| concurrently_after(cx, s, file, 1, &format!(" CONCURRENTLY{guard}"))).flatten();
        let f = cx
            .report(s.span_of(file, 0, 1), format!("DROP INDEX `{shown}` takes an ACCESS EXCLUSIVE lock on its table"))
            .help("use DROP INDEX CONCURRENTLY, outside a transaction");
        // Unsafe: IF EXISTS hides a misspelt name, and the drop no longer rolls back with the migration.
        if let Some(edit) = fix {
            f.fix(format!("use DROP INDEX CONCURRENTLY{guard}"), Applicability::Unsafe, vec![edit]);
        }
    }
}
