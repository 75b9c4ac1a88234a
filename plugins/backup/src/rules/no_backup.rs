//! ## What it does
//! Flags a database the repository deploys (a Kubernetes StatefulSet or
//! operator cluster, a compose service, a Helm subchart, a Terraform
//! database) that nothing in the repository backs up: no dump tool in a
//! script, CronJob or CI job, no Velero schedule, no operator backup
//! settings, no automated backups of the managed service. Compose files
//! that say they are for local development are not judged, nor Redis and
//! Elasticsearch unless something backs them up (they are usually caches
//! and search indexes rebuilt from a primary store).
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
//! A volume is not a backup. When the disk, the node or a bad migration
//! destroys the data, there is nothing to restore from.
//!
//! ## Example
//! ```yaml
//! kind: StatefulSet
//! metadata: {name: orders-db}
//! spec:
//!   template:
//!     spec:
//!       containers:
//!         - name: postgres
//!           image: postgres:16
//! ```
//!
//! ## Use instead
//! Back it up on a schedule, off the cluster, e.g. a CronJob running
//! `pg_dump` and copying the dump to object storage, or an operator with
//! WAL archiving (CloudNativePG `backup.barmanObjectStore` and a
//! `ScheduledBackup`).
use crate::prelude::*;
use crate::report::looked_for;

pub const META: Meta = Meta {
    summary: "a database has no backup",
    severity: Severity::High,
    tags: &["backup", "reliability"],
    aliases: &["CKV_AWS_133"],
    enabled: false,
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for db in repo.judged() {
        if repo.backups_of(db).next().is_some() {
            continue;
        }
        let why = match db.managed.as_ref().and_then(|m| m.retention.as_ref()) {
            Some((0, Some(at))) => format!(" (automated backups are off: retention 0 at {at})"),
            _ => String::new(),
        };
        at_db(cx, db, format!("{} has no backup{why}: {}; found none", db.describe(), looked_for(db)), &[])
            .help("back it up on a schedule to storage outside the cluster or host (a CronJob or CI schedule running a dump and copying it off-site, an operator's backup settings, or the managed service's automated backups)");
    }
}
