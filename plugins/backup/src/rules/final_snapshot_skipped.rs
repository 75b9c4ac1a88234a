//! ## What it does
//! Flags a Terraform RDS instance or cluster with `skip_final_snapshot =
//! true`.
//!
//! ## Why is this bad?
//! `terraform destroy`, or a change that replaces the resource, deletes the
//! database and its automated backups without a last snapshot.
//!
//! ## Example
//! ```hcl
//! resource "aws_db_instance" "orders" {
//!   skip_final_snapshot = true
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "aws_db_instance" "orders" {
//!   skip_final_snapshot       = false
//!   final_snapshot_identifier = "orders-final"
//! }
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a Terraform database skips its final snapshot",
    severity: Severity::Medium,
    tags: &["backup", "terraform"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for db in repo.judged() {
        let Some(at_loc) = db.managed.as_ref().and_then(|m| m.skip_final_snapshot.as_ref()) else { continue };
        at(
            cx,
            at_loc,
            format!("the {} is deleted without a final snapshot (`skip_final_snapshot = true`)", db.describe()),
        )
        .help("set `skip_final_snapshot = false` and a `final_snapshot_identifier`");
    }
}
