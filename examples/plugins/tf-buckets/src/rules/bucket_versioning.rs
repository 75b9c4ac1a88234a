//! ## What it does
//! Flags an `aws_s3_bucket` with no versioning enabled: neither an
//! `aws_s3_bucket_versioning` resource for it with `status = "Enabled"` nor
//! (AWS provider 3 style) an inline `versioning { enabled = true }` block. A
//! versioning resource whose status is `Suspended` or `Disabled` is flagged at
//! the status.
//!
//! ## Why is this bad?
//! Without versioning, an overwrite or a delete (a bad deploy, a wrong
//! `aws s3 sync --delete`, ransomware) destroys the only copy of the object.
//! Versioning is also what S3 replication and object lock require.
//!
//! ## Example
//! ```hcl
//! resource "aws_s3_bucket" "backups" {
//!   bucket = "acme-backups"
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "aws_s3_bucket" "backups" {
//!   bucket = "acme-backups"
//! }
//!
//! resource "aws_s3_bucket_versioning" "backups" {
//!   bucket = aws_s3_bucket.backups.id
//!   versioning_configuration {
//!     status = "Enabled"
//!   }
//! }
//! ```
use opslint_sdk::{Ctx, FindingExt, Meta, Severity};

use crate::model::Buckets;

pub const META: Meta = Meta {
    summary: "S3 bucket without versioning",
    severity: Severity::Medium,
    tags: &["data-loss", "terraform"],
    aliases: &["CKV_AWS_21"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Buckets) {
    for bucket in &repo.buckets {
        if let Some(inline) = bucket.body.block("versioning") {
            match inline.body.attr("enabled") {
                Some(a) if a.is_true() => {}
                Some(a) => {
                    cx.report_in(bucket.doc, a.value_span.clone(), format!("versioning of bucket `{}` is not enabled", bucket.name))
                        .help("set `enabled = true`");
                }
                None => {
                    cx.report_in(bucket.doc, inline.header.clone(), format!("versioning of bucket `{}` is not enabled", bucket.name))
                        .help("add `enabled = true` to the block");
                }
            }
            continue;
        }
        let mut configured = false;
        for v in repo.companions("aws_s3_bucket_versioning", bucket) {
            configured = true;
            let status = v.body.block("versioning_configuration").and_then(|c| c.body.attr("status"));
            match status {
                Some(s) if s.literal() == Some("Enabled") => {}
                Some(s) if s.literal().is_none() => {} // computed: not judged
                Some(s) => {
                    cx.report_in(v.doc, s.value_span.clone(), format!("versioning of bucket `{}` is {}", bucket.name, s.value))
                        .help("set `status = \"Enabled\"`");
                }
                None => {
                    cx.report_in(v.doc, v.header.clone(), format!("`{}` sets no versioning status for bucket `{}`", v.name, bucket.name))
                        .help("add `versioning_configuration { status = \"Enabled\" }`");
                }
            }
        }
        if !configured {
            cx.report_in(bucket.doc, bucket.header.clone(), format!("bucket `{}` has no versioning", bucket.name)).help(
                format!("add an `aws_s3_bucket_versioning` resource with `bucket = aws_s3_bucket.{}.id` and `status = \"Enabled\"`", bucket.name),
            );
        }
    }
}
