//! ## What it does
//! Flags a backed-up database when no alert rule in the repository watches
//! backups: no Prometheus alerting rule (in a PrometheusRule or a plain
//! rules file) whose name or expression mentions backups, Velero, restic,
//! WAL archiving (`pg_stat_archiver`), failed Jobs (`kube_job_failed`,
//! `kube_job_status_failed`) or a CronJob's last successful run
//! (`kube_cronjob_status_last_successful_time`).
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
//! Backup jobs fail quietly: an expired credential, a full disk, a renamed
//! database. Without an alert, the first person to notice is the one trying
//! to restore.
//!
//! ## Example
//! A backup CronJob and no alerting rule about it.
//!
//! ## Use instead
//! ```yaml
//! kind: PrometheusRule
//! spec:
//!   groups:
//!     - name: backups
//!       rules:
//!         - alert: BackupTooOld
//!           expr: time() - kube_cronjob_status_last_successful_time{cronjob="postgres-backup"} > 26 * 3600
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "no alert fires when a backup fails or goes stale",
    severity: Severity::Medium,
    tags: &["backup", "observability"],
    enabled: false,
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    if !repo.alerts.is_empty() {
        return;
    }
    for db in repo.judged() {
        // Managed backups are watched by the provider.
        let own: Vec<&Backup> = repo.backups_of(db).filter(|b| b.kind != BackupKind::Managed).collect();
        if own.is_empty() {
            continue;
        }
        let also: Vec<(&Loc, &str)> = own.iter().map(|b| (&b.at, "unwatched backup")).collect();
        at_db(cx, db, format!("nothing alerts when backups of the {} fail or stop: looked for alert rules about backups, Velero, restic, WAL archiving, failed Jobs or a CronJob's last success, found none", db.describe()), &also)
            .help("alert on backup staleness, e.g. `time() - kube_cronjob_status_last_successful_time{cronjob=\"…\"} > 26*3600`");
    }
}
