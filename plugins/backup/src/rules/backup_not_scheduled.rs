//! ## What it does
//! Flags a backup that nothing in the repository runs on a schedule: a
//! script calling `pg_dump`, `mysqldump`, `restic backup`… that no CronJob,
//! CI schedule, crontab or systemd timer in the repository runs, or
//! operator backup settings with no schedule (a CloudNativePG cluster with
//! `backup:` but no `ScheduledBackup`).
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
//! A backup someone has to remember to run is not taken on the night it is
//! needed. A schedule outside the repository (a crontab on one server) is
//! invisible to reviewers and lost with that server.
//!
//! ## Example
//! ```sh
//! # scripts/backup.sh, "run from cron on db-admin-01"
//! pg_dump -h db shop | gzip > /var/backups/shop.sql.gz
//! ```
//!
//! ## Use instead
//! Run it from a CronJob or a scheduled CI workflow kept in the repository:
//! ```yaml
//! kind: CronJob
//! spec:
//!   schedule: "15 2 * * *"
//!   jobTemplate: {spec: {template: {spec: {containers: [{name: backup, image: postgres:16, command: [/scripts/backup.sh]}]}}}}
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a backup script or backup setting is never scheduled",
    severity: Severity::Medium,
    tags: &["backup", "reliability"],
    enabled: false,
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for b in &repo.backups {
        if b.scheduled || !matches!(b.kind, BackupKind::Script | BackupKind::Operator) {
            continue;
        }
        if b.kind == BackupKind::Script && repo.scheduled_script(&b.name) {
            continue;
        }
        let dbs: Vec<String> =
            repo.covered_by(b).map(|db| db.describe()).collect();
        let of = if dbs.is_empty() { String::new() } else { format!(" of the {}", dbs.join(", the ")) };
        let (what, looked) = match b.kind {
            BackupKind::Operator => {
                (format!("{} define a backup{of}", b.name), "no ScheduledBackup or schedule refers to it")
            }
            _ => (
                format!("`{}` takes a backup ({}){of}", b.name, b.tools.join(", ")),
                "no CronJob, scheduled CI job, crontab or systemd timer in the repository runs it",
            ),
        };
        at(cx, &b.at, format!("{what}, but {looked}"))
            .help("schedule it in the repository: a CronJob, a scheduled CI workflow or a ScheduledBackup");
    }
}
