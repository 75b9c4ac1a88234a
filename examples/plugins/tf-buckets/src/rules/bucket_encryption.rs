//! ## What it does
//! Flags an `aws_s3_bucket` whose default encryption is not declared: no
//! `aws_s3_bucket_server_side_encryption_configuration` for it and no inline
//! `server_side_encryption_configuration` block. With the option
//! `require-kms = true`, a bucket encrypted with `AES256` (S3-managed keys) is
//! flagged too: only `aws:kms` and `aws:kms:dsse` count.
//!
//! ## Why is this bad?
//! Since January 2023 S3 encrypts new objects with S3-managed keys even when
//! nothing is declared, so the data is not stored in the clear. But an
//! undeclared setting is one nobody reviewed: whether the bucket should use a
//! KMS key (with its own access policy and audit trail) is decided by default
//! instead of in code, and drift from a console change goes unnoticed.
//!
//! ## Example
//! ```hcl
//! resource "aws_s3_bucket" "exports" {
//!   bucket = "acme-exports"
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "aws_s3_bucket_server_side_encryption_configuration" "exports" {
//!   bucket = aws_s3_bucket.exports.id
//!   rule {
//!     apply_server_side_encryption_by_default {
//!       sse_algorithm     = "aws:kms"
//!       kms_master_key_id = aws_kms_key.exports.arn
//!     }
//!   }
//! }
//! ```
use opslint_sdk::{Ctx, FindingExt, Meta, Severity};

use crate::model::Buckets;

pub const META: Meta = Meta {
    summary: "S3 bucket without declared server-side encryption",
    severity: Severity::Low,
    tags: &["encryption", "terraform"],
    aliases: &["CKV_AWS_19", "CKV_AWS_145"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Buckets) {
    let require_kms = cx.option::<bool>("require-kms").unwrap_or(false);
    for bucket in &repo.buckets {
        let inline = bucket.body.block("server_side_encryption_configuration").map(|b| (bucket.doc, &b.body));
        let configs: Vec<_> = inline
            .into_iter()
            .chain(repo.companions("aws_s3_bucket_server_side_encryption_configuration", bucket).map(|r| (r.doc, &r.body)))
            .collect();
        if configs.is_empty() {
            cx.report_in(bucket.doc, bucket.header.clone(), format!("bucket `{}` declares no server-side encryption", bucket.name))
                .help(format!(
                    "add an `aws_s3_bucket_server_side_encryption_configuration` with `bucket = aws_s3_bucket.{}.id`",
                    bucket.name
                ));
            continue;
        }
        if !require_kms {
            continue;
        }
        for (doc, body) in configs {
            let Some(alg) = body.find_attr("sse_algorithm") else { continue };
            if matches!(alg.literal(), Some(a) if !a.starts_with("aws:kms")) {
                cx.report_in(doc, alg.value_span.clone(), format!("bucket `{}` is encrypted with {}, not a KMS key", bucket.name, alg.value))
                    .help("use `sse_algorithm = \"aws:kms\"` with a `kms_master_key_id` (the `require-kms` option is set)");
            }
        }
    }
}
