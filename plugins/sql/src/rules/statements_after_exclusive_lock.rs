//! ## What it does
//! Flags a statement that runs in the same transaction after an ACCESS
//! EXCLUSIVE lock was taken on an existing table (ALTER TABLE, DROP, TRUNCATE,
//! LOCK...). Transaction control, `SET` and `COMMENT ON` do not count, nor do
//! further statements on the same table (a `DROP INDEX` counts as its table's
//! when the file or an earlier migration of its folder created the index).
//! Rollback code (`reverse_sql`, down sections) takes no lock here: it never
//! runs with the forward statements. Reported once per transaction,
//! PostgreSQL only.
//!
//! ## Why is this bad?
//! The lock is held until COMMIT. Everything that runs after it — a backfill,
//! an index build, work on another table — keeps the table unreadable and
//! unwritable for longer.
//!
//! ## Example
//! ```sql
//! BEGIN;
//! ALTER TABLE users ADD COLUMN plan text;
//! UPDATE accounts SET plan = 'free' WHERE plan IS NULL;
//! COMMIT;
//! ```
//!
//! ## Use instead
//! ```sql
//! BEGIN;
//! ALTER TABLE users ADD COLUMN plan text;
//! COMMIT;
//! BEGIN;
//! UPDATE accounts SET plan = 'free' WHERE plan IS NULL;
//! COMMIT;
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "statements run while an ACCESS EXCLUSIVE lock is held",
    severity: Severity::Medium,
    aliases: &["E4"],
    tags: &["locking"],
    ..Meta::DEFAULT
};

fn neutral(s: &Stmt) -> bool {
    ["COMMIT", "END", "ROLLBACK", "BEGIN", "SET", "RESET", "COMMENT", "SHOW", "SAVEPOINT", "RELEASE"].iter().any(|w| s.starts(&[w]))
        || s.starts(&["START", "TRANSACTION"])
}

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    let mut held: Option<(usize, usize, String)> = None; // (tx, stmt, table)
    let mut reported_tx = None;
    for (idx, s) in file.stmts.iter().enumerate() {
        // Django operations run in the order Django chose; the advice (commit
        // after the locking statement) is for hand-written SQL.
        // Rollback code (`reverse_sql`, down sections) never runs with the
        // forward statements: it neither takes nor extends their locks.
        if s.synthetic || s.rollback {
            continue;
        }
        let Some(tx) = s.tx_id else {
            held = None;
            continue;
        };
        if held.as_ref().is_some_and(|h| h.0 != tx) {
            held = None;
        }
        if let Some((htx, hidx, table)) = &held {
            let same_table = s.alter_table().is_some_and(|t| &t.table == table)
                || s.index_table().is_some_and(|t| &t.0 == table)
                || (drop_object(s).is_some_and(|(_, o, _)| o == "INDEX")
                    && dropped_names(s).iter().all(|n| file.index_owner(n).as_ref() == Some(table)));
            if !neutral(s) && !same_table && reported_tx != Some(*htx) && forward_pg(s) {
                let first = s.span_of(file, 0, 0);
                let lock_at = file.stmts[*hidx].span.clone();
                cx.report(first, format!("this runs while the ACCESS EXCLUSIVE lock on `{table}` is still held"))
                    .related(lock_at, "lock taken here, held until COMMIT")
                    .help("commit right after the locking statement and run this in its own transaction, so the lock is held as briefly as possible");
                reported_tx = Some(*htx);
            }
        }
        if held.is_none() {
            if let Some((table, _)) = access_exclusive(file, idx) {
                if !s.starts(&["LOCK"]) {
                    held = Some((tx, idx, table));
                }
            }
        }
    }
}
