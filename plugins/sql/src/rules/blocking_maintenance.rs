//! ## What it does
//! Flags `VACUUM FULL`, `CLUSTER` and `REINDEX` without `CONCURRENTLY`
//! (PostgreSQL only; `REINDEX ... CONCURRENTLY` needs PostgreSQL 12).
//! `REINDEX SYSTEM` is not flagged: it has no `CONCURRENTLY` form. Nor is
//! a shell script that upgrades the server (runs `pg_upgrade` or a
//! `postgres-upgrade` image): pg_upgrade needs the cluster stopped, so the
//! reindex after it (required when the collation library changed) runs in
//! downtime the upgrade already takes. Whether any other script runs in a
//! maintenance window is not in the file: suppress the finding there with
//! the reason.
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
    // A server upgrade (pg_upgrade needs the cluster stopped): the
    // maintenance after it runs in the downtime the upgrade already takes.
    let lower = cx.text.to_ascii_lowercase();
    if file.kind == Kind::Shell && (lower.contains("pg_upgrade") || lower.contains("postgres-upgrade")) {
        return;
    }
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
            // REINDEX SYSTEM has no CONCURRENTLY form: there is nothing better to advise.
            if s.find(&["CONCURRENTLY"]).is_some() || s.is(1, "SYSTEM") {
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
