//! ## What it does
//! Flags a database whose every backup stays where the database is: a dump
//! written to a local directory, a `hostPath` or a PersistentVolumeClaim of
//! the same cluster, with no copy to object storage or another machine
//! (`s3://`, `gs://`, `aws s3 cp`, `rclone`, a restic or borg repository on
//! another host, `barmanObjectStore`, Velero).
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
//! Whatever destroys the database (a lost node, a deleted namespace,
//! ransomware, a region outage) destroys the backup beside it.
//!
//! ## Example
//! ```sh
//! pg_dump -h db shop | gzip > /var/backups/shop.sql.gz
//! ```
//!
//! ## Use instead
//! ```sh
//! pg_dump -h db -Fc shop > /tmp/shop.dump
//! aws s3 cp /tmp/shop.dump "s3://shop-backups/$(date +%F).dump" --sse aws:kms
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a database's backups never leave its host or volume",
    severity: Severity::High,
    tags: &["backup", "reliability"],
    enabled: false,
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for db in repo.judged() {
        let backups: Vec<&Backup> = repo.backups_of(db).collect();
        if backups.is_empty() || backups.iter().any(|b| b.offsite.is_some()) {
            continue;
        }
        let places: Vec<String> = backups
            .iter()
            .map(|b| format!("{} writes to {}", b.name, b.local.as_deref().unwrap_or("a local path")))
            .collect();
        let also: Vec<(&Loc, &str)> = backups.iter().map(|b| (&b.at, "backup kept on the same host")).collect();
        at_db(
            cx,
            db,
            format!(
                "every backup of the {} stays on the same host or volume ({}); looked for s3://, gs://, az://, aws s3 cp, rclone, restic/borg repositories, barmanObjectStore and Velero, found none",
                db.describe(),
                places.join("; ")
            ),
            &also,
        )
        .help("copy each backup off the host: object storage in another account or region, or a restic/borg repository elsewhere");
    }
}
