//! ## What it does
//! Flags data-destroying statements (`DELETE`/`UPDATE` without `WHERE`,
//! `TRUNCATE`, `DROP TABLE/DATABASE/SCHEMA`) in a *script* — a shell script,
//! or a `.sql` file outside any migrations layout — when nothing in the
//! script before them takes a backup (`pg_dump`, `pg_dumpall`, `mysqldump`,
//! `pg_basebackup`, `pgbackrest`, `barman`, `wal-g`, a snapshot) and they
//! do not run inside a transaction (`BEGIN ... COMMIT`, `psql -1`). A
//! `DROP TABLE t` followed by `CREATE TABLE t` (a schema script or dump) is
//! left to `drop-table`'s judgement and not flagged here.
//!
//! ## Why is this bad?
//! Scripts are run by hand, against whatever database the environment points
//! at. Without a backup and without a transaction to check the result before
//! `COMMIT`, a mistake is permanent: never delete production data without a
//! backup and a dry run.
//!
//! ## Example
//! ```sh
//! psql "$DATABASE_URL" -c "TRUNCATE audit_log"
//! ```
//!
//! ## Use instead
//! ```sh
//! pg_dump "$DATABASE_URL" -t audit_log -Fc -f audit_log.dump
//! psql "$DATABASE_URL" -1 -c "DELETE FROM audit_log WHERE created_at < now() - interval '1 year'"
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "data-destroying statement in a script with no backup step and no transaction",
    severity: Severity::High,
    tags: &["data-loss", "backup"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    if file.migration {
        return;
    }
    for (idx, s) in file.stmts.iter().enumerate() {
        if s.explicit_tx || s.rollback || file.backup_before(s.span.start) {
            continue;
        }
        let Some(d) = destructive(file, idx) else { continue };
        let (a, b) = d.toks;
        cx.report(s.span_of(file, a, b), format!("{} in a script with no backup step before it and no transaction", d.what))
            .help("take a backup first in the same script (pg_dump / mysqldump / a snapshot) and run the change in a transaction you can check before COMMIT (BEGIN ... COMMIT, or psql -1)");
    }
}
