//! ## What it does
//! Flags a Terraform database whose deletion protection is off: an RDS
//! instance or cluster without `deletion_protection = true`, a Cloud SQL
//! instance with `deletion_protection = false`.
//!
//! ## Why is this bad?
//! One mistaken `terraform destroy` or resource rename deletes the
//! production database.
//!
//! ## Example
//! ```hcl
//! resource "aws_rds_cluster" "orders" {
//!   engine = "aurora-postgresql"
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "aws_rds_cluster" "orders" {
//!   engine              = "aurora-postgresql"
//!   deletion_protection = true
//! }
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a Terraform database has deletion protection off",
    severity: Severity::Medium,
    tags: &["backup", "terraform"],
    aliases: &["CKV_AWS_293", "CKV_AWS_139"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for db in repo.judged() {
        let Some((false, at_loc)) = db.managed.as_ref().and_then(|m| m.deletion_protection.clone()) else { continue };
        let how = if at_loc == db.at { "is not set" } else { "is false" };
        at(cx, &at_loc, format!("the {} can be deleted: `deletion_protection` {how}", db.describe()))
            .help("set `deletion_protection = true`");
    }
}
