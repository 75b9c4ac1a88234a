//! ## What it does
//! Flags `ALTER TABLE ... ADD [CONSTRAINT ...] FOREIGN KEY` or `CHECK`
//! without `NOT VALID` on a table that existed before the file (PostgreSQL
//! only), and a column added with its foreign key inline (`ADD COLUMN
//! owner_id bigint REFERENCES users (id)`), which is validated the same way.
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
            if let Some(col) = add_column(s, &a) {
                // Inline `REFERENCES` (there is no NOT VALID form of it).
                let depth = s.toks[a.start].depth;
                if let Some(r) = (col.ty.end..a.end).find(|&k| s.toks[k].depth == depth && s.is(k, "REFERENCES")) {
                    let target = s.name_at(r + 1).map(|(_, shown, _)| shown).unwrap_or_default();
                    cx.report(s.span_of(file, r, r), format!("adding column `{}` to `{shown}` with an inline foreign key to `{target}` validates it while blocking writes on both tables", s.shown_tok(col.name_tok)))
                        .help("add the column without REFERENCES, then ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, and VALIDATE CONSTRAINT in a separate transaction");
                }
                continue;
            }
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
