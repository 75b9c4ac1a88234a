//! ## What it does
//! Flags a primary database (PostgreSQL, MySQL, MariaDB, MongoDB) that is
//! backed up only by periodic dumps, with no point-in-time recovery: no
//! WAL archiving (CloudNativePG `barmanObjectStore`, pgBackRest, WAL-G,
//! barman, `archive_command`), no managed-service backups with retention
//! above 0, no Cloud SQL `point_in_time_recovery_enabled`.
//!
//! ## Why is this bad?
//! A nightly dump loses up to a day of orders. Point-in-time recovery
//! restores to the minute before the bad migration.
//!
//! ## Example
//! A CronJob running `pg_dump` once a night, and nothing else.
//!
//! ## Use instead
//! Archive the write-ahead log continuously (pgBackRest, WAL-G, an operator
//! with `barmanObjectStore`), or use the managed service's automated backups.
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a primary database has no point-in-time recovery",
    severity: Severity::Medium,
    tags: &["backup"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for db in repo.judged().filter(|d| d.is_primary()) {
        let backups: Vec<&Backup> = repo.backups_of(db).collect();
        if backups.is_empty() || backups.iter().any(|b| b.pitr) {
            continue;
        }
        if db.managed.as_ref().is_some_and(|m| m.pitr) {
            continue;
        }
        let archiving = backups.iter().any(|b| b.text.contains("archive_command") || b.text.contains("archive_mode"));
        if archiving {
            continue;
        }
        let names: Vec<&str> = backups.iter().map(|b| b.name.as_str()).collect();
        at_db(
            cx,
            db,
            format!(
                "the {} is backed up only by snapshots or dumps ({}); looked for WAL/binlog archiving (pgBackRest, WAL-G, barman, barmanObjectStore, archive_command) or managed point-in-time recovery, found none",
                db.describe(),
                names.join(", ")
            ),
            &[],
        )
        .help("archive the write-ahead log continuously (pgBackRest, WAL-G, an operator's object-store backup) so a restore can stop at any minute");
    }
}
