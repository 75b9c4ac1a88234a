//! ## What it does
//! Flags `ALTER TABLE ... ADD [CONSTRAINT ...] FOREIGN KEY` or `CHECK`
//! without `NOT VALID` on a table that existed before the file (PostgreSQL only).
//!
//! ## Why is this bad?
//! Adding a validated constraint scans the whole table while holding a lock
//! that blocks writes (SHARE ROW EXCLUSIVE on both tables for a foreign key,
//! ACCESS EXCLUSIVE for a CHECK).
//!
//! ## Example
//! ```sql
//! ALTER TABLE orders ADD CONSTRAINT orders_customer_fk
//!   FOREIGN KEY (customer_id) REFERENCES customers (id);
//! ```
//!
//! ## Use instead
//! ```sql
//! ALTER TABLE orders ADD CONSTRAINT orders_customer_fk
//!   FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
//! -- in a separate transaction; only takes a SHARE UPDATE EXCLUSIVE lock:
//! ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "FOREIGN KEY or CHECK added without NOT VALID",
    severity: Severity::Medium,
    aliases: &["adding-foreign-key-constraint", "constraint-missing-not-valid", "E1", "add_foreign_key", "add_check_constraint"],
    tags: &["locking"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for (idx, s) in file.stmts.iter().enumerate() {
        if !forward_pg(s) {
            continue;
        }
        for (_, shown, a) in existing_table_actions(file, idx) {
            let Some((start, kind, name)) = add_constraint(s, &a) else { continue };
            if !(s.is(kind, "FOREIGN") || s.is(kind, "CHECK")) || s.find_in(a.start, a.end, &["NOT", "VALID"]).is_some() {
                continue;
            }
            let what = if s.is(kind, "FOREIGN") { "foreign key" } else { "CHECK constraint" };
            let named = name.map(|n| format!(" `{n}`")).unwrap_or_default();
            let end = if s.is(kind, "FOREIGN") { kind + 1 } else { kind };
            cx.report(s.span_of(file, start, end), format!("adding {what}{named} to `{shown}` scans the table while blocking writes"))
                .help("add it with NOT VALID, then run ALTER TABLE ... VALIDATE CONSTRAINT in a separate transaction");
        }
    }
}
