//! ## What it does
//! Flags a backed-up database with no written restore procedure: no document (Markdown,
//! reStructuredText or AsciiDoc anywhere in the repository) with a restore
//! command for its engine (`pg_restore`, `psql … < dump`, `mongorestore`,
//! `restic restore`, `velero restore create`, `pgbackrest restore`…) or a
//! "Restore"/"Recovery" section with a code block, and no restore script
//! (a scheduled restore drill proves restores work, but is not the steps a
//! person follows).
//! Lines saying TODO or TBD do not count.
//!
//! Off by default (turn it on with `extend-select`, or read the same judgement in
//! `opslint maturity`): whether and how a database is backed up is often settled outside
//! the repository (the application's own backup settings, a managed service, a platform
//! team's tooling, an operator's runbook), and many repositories that deploy a database are
//! samples or distributions others run. On the labelled sample of real repositories
//! (tests/precision/labels.toml) most findings of this rule could not be confirmed from
//! the files, so a gate would cry wolf.
//!
//! ## Why is this bad?
//! Restores happen under pressure, at night, by whoever is on call. Without
//! the steps written down, the backup is only half of a recovery.
//!
//! ## Example
//! ```markdown
//! ## Database
//! - Restore: TODO.
//! ```
//!
//! ## Use instead
//! ````markdown
//! ## Restore the shop database
//! ```sh
//! aws s3 cp s3://shop-backups/pg/2024-05-01.dump .
//! pg_restore -h postgres -d shop --clean 2024-05-01.dump
//! ```
//! ````
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a database has no documented restore procedure",
    severity: Severity::Medium,
    tags: &["backup", "documentation"],
    enabled: false,
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    // A database with no backup is `no-backup`'s; a procedure comes after a backup.
    for db in repo.judged().filter(|db| repo.backups_of(db).next().is_some()) {
        if repo.restores_of(db).any(|r| r.documented) {
            continue;
        }
        at_db(cx, db, format!("no restore procedure for the {}: looked for restore commands or a Restore section with commands in docs, and restore scripts, found none", db.describe()), &[])
            .help("write down how to restore it (where the backups are, the commands, how to check the result), e.g. in docs/ops-runbook/backup-and-recovery.md");
    }
}
