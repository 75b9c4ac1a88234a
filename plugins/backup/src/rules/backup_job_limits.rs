//! ## What it does
//! Flags a CronJob that runs a backup tool without the settings that keep
//! a backup job bounded: `startingDeadlineSeconds`, `concurrencyPolicy:
//! Forbid` (or `Replace`), the Job's `activeDeadlineSeconds` and
//! `backoffLimit`, and `failedJobsHistoryLimit`.
//!
//! ## Why is this bad?
//! A hung dump runs forever and holds locks; with the default `Allow` two
//! dumps overlap and write the same file; without a failed-jobs history
//! nobody can see why last night's backup failed.
//!
//! ## Example
//! ```yaml
//! kind: CronJob
//! spec:
//!   schedule: "0 3 * * *"
//!   jobTemplate:
//!     spec:
//!       template: {spec: {containers: [{name: dump, image: postgres:16, command: [pg_dump, -h, db]}]}}
//! ```
//!
//! ## Use instead
//! ```yaml
//! kind: CronJob
//! spec:
//!   schedule: "0 3 * * *"
//!   startingDeadlineSeconds: 600
//!   concurrencyPolicy: Forbid
//!   failedJobsHistoryLimit: 3
//!   jobTemplate:
//!     spec:
//!       activeDeadlineSeconds: 3600
//!       backoffLimit: 2
//!       template: {spec: {containers: [{name: dump, image: postgres:16, command: [pg_dump, -h, db]}]}}
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a backup CronJob has no deadline, concurrency or history limits",
    severity: Severity::Low,
    tags: &["backup", "reliability"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for job in &repo.cronjobs {
        cx.report_in(job.doc, job.anchor.clone(), format!("backup {} sets no {}", job.name, job.missing.join(", ")))
            .help("bound the backup job: `startingDeadlineSeconds`, `concurrencyPolicy: Forbid`, `failedJobsHistoryLimit`, and on the Job `activeDeadlineSeconds` and `backoffLimit`");
    }
}
