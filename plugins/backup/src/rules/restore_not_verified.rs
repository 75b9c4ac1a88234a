//! ## What it does
//! Flags a backed-up database whose backups are never restored
//! automatically: no scheduled CI job restoring a backup (the ci plugin's
//! `ci/restore-drill`), no CronJob running a restore tool for its engine.
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
//! A backup that was never restored is a hope, not a backup: dumps can be
//! empty, truncated, missing a schema or unreadable by the current version.
//! A regular drill finds out before the outage does.
//!
//! ## Example
//! A nightly `pg_dump` CronJob and nothing that ever reads the dump back.
//!
//! ## Use instead
//! A scheduled job that restores the latest backup into a scratch database
//! and checks it:
//! ```yaml
//! on:
//!   schedule: [{cron: "30 4 * * 1"}]
//! jobs:
//!   restore-drill:
//!     steps:
//!       - run: pg_restore -d drill latest.dump && psql -d drill -c 'select count(*) from orders'
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a database's backups are never restored automatically",
    severity: Severity::Medium,
    tags: &["backup", "reliability"],
    enabled: false,
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for db in repo.judged() {
        if repo.backups_of(db).next().is_none() || repo.restores_of(db).any(|r| r.automated) {
            continue;
        }
        at_db(cx, db, format!("backups of the {} are never restored automatically: looked for a scheduled CI job or CronJob running a restore for {}, found none", db.describe(), db.engine), &[])
            .help("add a scheduled restore drill: restore the latest backup into a scratch database and check it");
    }
}
