//! ## What it does
//! Flags an `aws_s3_bucket` without an `aws_s3_bucket_public_access_block`
//! that sets all four of `block_public_acls`, `block_public_policy`,
//! `ignore_public_acls` and `restrict_public_buckets` to `true`. A flag that is
//! missing or not `true` is flagged where the block is. When the repository
//! declares an `aws_s3_account_public_access_block` with all four set, buckets
//! without their own block are covered by it and not flagged.
//!
//! ## Why is this bad?
//! One ACL or bucket policy granting `*` (a debugging shortcut, a copied
//! snippet) makes every object readable from the internet. The public access
//! block overrides such grants, so a mistake stays private.
//!
//! ## Example
//! ```hcl
//! resource "aws_s3_bucket" "uploads" {
//!   bucket = "acme-uploads"
//! }
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "aws_s3_bucket_public_access_block" "uploads" {
//!   bucket                  = aws_s3_bucket.uploads.id
//!   block_public_acls       = true
//!   block_public_policy     = true
//!   ignore_public_acls      = true
//!   restrict_public_buckets = true
//! }
//! ```
use opslint_sdk::{Ctx, FindingExt, Meta, Severity};

use crate::hcl::Body;
use crate::model::Buckets;

pub const META: Meta = Meta {
    summary: "S3 bucket without a full public access block",
    severity: Severity::High,
    tags: &["exposure", "terraform"],
    aliases: &["CKV2_AWS_6"],
    ..Meta::DEFAULT
};

const FLAGS: [&str; 4] = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

fn all_set(body: &Body) -> bool {
    FLAGS.iter().all(|f| body.attr(f).is_some_and(|a| a.is_true()))
}

pub fn check(cx: &mut Ctx, repo: &Buckets) {
    let account_wide = repo.of_type("aws_s3_account_public_access_block").any(|r| all_set(&r.body));
    for bucket in &repo.buckets {
        let mut blocks = repo.companions("aws_s3_bucket_public_access_block", bucket).peekable();
        if blocks.peek().is_none() {
            if !account_wide {
                cx.report_in(bucket.doc, bucket.header.clone(), format!("bucket `{}` has no public access block", bucket.name))
                    .help(format!(
                        "add an `aws_s3_bucket_public_access_block` with `bucket = aws_s3_bucket.{}.id` and all four flags `true`",
                        bucket.name
                    ));
            }
            continue;
        }
        for block in blocks {
            for flag in FLAGS {
                match block.body.attr(flag) {
                    Some(a) if a.is_true() || a.literal().is_none() => {}
                    Some(a) => {
                        cx.report_in(block.doc, a.value_span.clone(), format!("`{flag}` is {} for bucket `{}`", a.value, bucket.name))
                            .help(format!("set `{flag} = true`"));
                    }
                    None => {
                        cx.report_in(block.doc, block.header.clone(), format!("`{}` does not set `{flag}` for bucket `{}`", block.name, bucket.name))
                            .help(format!("add `{flag} = true` (it defaults to false)"));
                    }
                }
            }
        }
    }
}
