//! ## What it does
//! Flags `VACUUM FULL`, `CLUSTER` and `REINDEX` without `CONCURRENTLY`
//! (PostgreSQL only; `REINDEX ... CONCURRENTLY` needs PostgreSQL 12).
//!
//! ## Why is this bad?
//! `VACUUM FULL` and `CLUSTER` rewrite the table under an ACCESS EXCLUSIVE
//! lock; a plain `REINDEX` blocks writes (and reads that use the index) for
//! the whole rebuild. In a migration or a cron script they are outages.
//!
//! ## Example
//! ```sql
//! VACUUM FULL orders;
//! REINDEX TABLE orders;
//! ```
//!
//! ## Use instead
//! ```sql
//! REINDEX TABLE CONCURRENTLY orders;
//! -- to reclaim space online, use pg_repack or pg_squeeze instead of VACUUM FULL / CLUSTER
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "VACUUM FULL, CLUSTER or REINDEX without CONCURRENTLY locks the table",
    severity: Severity::Medium,
    tags: &["locking"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for s in &file.stmts {
        if !forward_pg(s) {
            continue;
        }
        let (end, what, help) = if s.starts(&["VACUUM"]) {
            let Some(f) = s.find(&["FULL"]).filter(|&f| f <= 2 || s.toks[f].depth == 1) else { continue };
            (f, "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock", "use pg_repack or pg_squeeze to reclaim space online; plain VACUUM does not block")
        } else if s.starts(&["CLUSTER"]) {
            (0, "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock", "use pg_repack (with --order-by) to reorder a table online")
        } else if s.starts(&["REINDEX"]) {
            if s.find(&["CONCURRENTLY"]).is_some() {
                continue;
            }
            (1.min(s.toks.len() - 1), "REINDEX without CONCURRENTLY blocks writes for the whole rebuild", "use REINDEX ... CONCURRENTLY (PostgreSQL 12+)")
        } else {
            continue;
        };
        let target = s.toks.iter().rposition(|t| t.depth == 0).map(|i| s.shown_tok(i)).unwrap_or_default();
        let on = if target.is_empty() || s.toks.len() <= end + 1 { String::new() } else { format!(" (`{target}`)") };
        cx.report(s.span_of(file, 0, end), format!("{what}{on}")).help(help);
    }
}
