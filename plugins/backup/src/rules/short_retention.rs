//! ## What it does
//! Flags a backup kept for fewer days than `min-retention-days` (default
//! 7): RDS `backup_retention_period` (unset means the provider default of
//! one day), Cloud SQL retained backups, Azure `backup_retention_days`,
//! Velero `ttl`, CloudNativePG `retentionPolicy`, and scripts that prune
//! with `find -mtime +N -delete` or `restic forget --keep-daily N`.
//!
//! ## Why is this bad?
//! Corruption and bad deploys are often noticed days later. With one or two
//! days of backups, every copy already holds the damage.
//!
//! ## Example
//! ```hcl
//! resource "aws_db_instance" "orders" {
//!   backup_retention_period = 1
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "aws_db_instance" "orders" {
//!   backup_retention_period = 14
//! }
//! ```
//! The minimum is an option:
//! `[rules.options."backup/short-retention"] min-retention-days = 30`.
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "backups are kept for too few days",
    severity: Severity::Medium,
    tags: &["backup"],
    aliases: &["aws-rds-specify-backup-retention"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    let min = repo.min_retention_days;
    for b in &repo.backups {
        let Some((days, at_loc)) = &b.retention else { continue };
        if *days >= min || *days <= 0.0 {
            continue;
        }
        let dbs: Vec<String> =
            repo.covered_by(b).map(|db| db.describe()).collect();
        if dbs.is_empty() {
            continue;
        }
        let unset = if b.kind == BackupKind::Managed && b.text == "retention unset" {
            " (unset: the provider default)"
        } else {
            ""
        };
        at(
            cx,
            at_loc,
            format!(
                "{} keeps backups for {} day(s){unset}, less than the {} required; it backs up the {}",
                b.name,
                trim(*days),
                trim(min),
                dbs.join(", the ")
            ),
        )
        .help(format!("keep at least {} days of backups (or set `min-retention-days`)", trim(min)));
    }
}

fn trim(d: f64) -> String {
    if d.fract() == 0.0 {
        format!("{d:.0}")
    } else {
        format!("{d:.1}")
    }
}
