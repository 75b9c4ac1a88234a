//! ## What it does
//! Flags backups that are stored unencrypted:
//! - a Terraform RDS instance or cluster without `storage_encrypted = true`
//!   (its automated backups and snapshots are unencrypted too);
//! - a script, CronJob, CI job or compose service that copies a dump
//!   off-site (`aws s3 cp`, `gsutil`, `rclone`, `mc cp`…) with no sign of
//!   encryption.
//!
//! The heuristic for scripts and jobs: the backup counts as encrypted when
//! its text shows client-side encryption (`gpg`, `age`, `openssl enc`,
//! restic or borg, which always encrypt) or asks the store to encrypt
//! (`--sse`, `--server-side-encryption`, a KMS key). Bucket default
//! encryption configured elsewhere cannot be seen from the script:
//! suppress the finding with that reason. Backups that never leave the host
//! are left to `backup/backup-on-same-host`.
//!
//! ## Why is this bad?
//! A database dump holds every customer record. A leaked bucket or a stolen
//! snapshot should not be readable.
//!
//! ## Example
//! ```sh
//! pg_dump -Fc shop > shop.dump
//! aws s3 cp shop.dump s3://shop-backups/
//! ```
//!
//! ## Use instead
//! ```sh
//! pg_dump -Fc shop | age -r "$BACKUP_RECIPIENT" > shop.dump.age
//! aws s3 cp shop.dump.age s3://shop-backups/ --sse aws:kms
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "backups are stored unencrypted",
    severity: Severity::Medium,
    tags: &["backup", "security"],
    aliases: &[
        "CKV_AWS_16",
        "CKV_AWS_96",
        "aws-rds-encrypt-instance-storage-data",
        "aws-rds-encrypt-cluster-storage-data",
    ],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for db in repo.judged() {
        if let Some((false, at_loc)) = db.managed.as_ref().and_then(|m| m.encrypted.clone()) {
            let how = if at_loc == db.at { "`storage_encrypted` is not set" } else { "`storage_encrypted` is false" };
            at(cx, &at_loc, format!("the {} and its backups are not encrypted: {how}", db.describe()))
                .help("set `storage_encrypted = true` (with a `kms_key_id`); an existing instance needs a restore from an encrypted snapshot copy");
        }
    }
    for b in &repo.backups {
        if !matches!(b.kind, BackupKind::Script | BackupKind::CronJob | BackupKind::Compose | BackupKind::Ci)
            || b.encrypted
        {
            continue;
        }
        let Some(dest) = b.offsite else { continue };
        let dbs: Vec<String> =
            repo.covered_by(b).map(|db| db.describe()).collect();
        let of = if dbs.is_empty() { String::new() } else { format!(" of the {}", dbs.join(", the ")) };
        at(
            cx,
            &b.at,
            format!(
                "{} copies a backup{of} off-site (`{dest}`) unencrypted: looked for gpg, age, openssl enc, restic/borg, --sse or a KMS key, found none",
                b.name
            ),
        )
        .help("encrypt before upload (age, gpg) or ask the store to (`--sse aws:kms`); if the bucket enforces encryption, suppress this with that reason");
    }
}
