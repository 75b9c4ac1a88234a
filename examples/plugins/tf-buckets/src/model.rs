//! What every rule sees: the S3 buckets of the whole repository and the
//! resources that configure them, which Terraform allows in any `.tf` file.
use std::ops::Range;

use crate::hcl::{Block, Body};

/// One `resource "TYPE" "NAME" { … }` block.
pub struct Resource {
    /// Index of its file in the request ([`opslint_sdk::Ctx::documents`]).
    pub doc: usize,
    pub rtype: String,
    pub name: String,
    pub header: Range<usize>,
    pub body: Body,
}

pub struct Buckets {
    /// `aws_s3_bucket` resources.
    pub buckets: Vec<Resource>,
    /// Every other resource, in file order (companions such as `aws_s3_bucket_versioning`).
    pub others: Vec<Resource>,
}

impl Buckets {
    pub fn new(files: Vec<(usize, Vec<Block>)>) -> Self {
        let mut model = Buckets { buckets: Vec::new(), others: Vec::new() };
        for (doc, blocks) in files {
            for block in blocks {
                let [rtype, name] = block.labels.as_slice() else { continue };
                if block.kind != "resource" {
                    continue;
                }
                let r =
                    Resource { doc, rtype: rtype.clone(), name: name.clone(), header: block.header, body: block.body };
                if r.rtype == "aws_s3_bucket" {
                    model.buckets.push(r);
                } else {
                    model.others.push(r);
                }
            }
        }
        model
    }

    /// Resources of `rtype` whose `bucket` argument names `bucket`.
    pub fn companions<'a>(&'a self, rtype: &'a str, bucket: &'a Resource) -> impl Iterator<Item = &'a Resource> {
        self.others
            .iter()
            .filter(move |r| r.rtype == rtype && r.body.attr("bucket").is_some_and(|a| refers_to(&a.value, bucket)))
    }

    /// Resources of `rtype` anywhere (account-wide settings).
    pub fn of_type<'a>(&'a self, rtype: &'a str) -> impl Iterator<Item = &'a Resource> {
        self.others.iter().filter(move |r| r.rtype == rtype)
    }
}

/// Whether a `bucket = …` expression points at `bucket`: a reference
/// (`aws_s3_bucket.NAME.id`, `.bucket`, `.arn`) or the same literal name.
fn refers_to(value: &str, bucket: &Resource) -> bool {
    let reference = format!("aws_s3_bucket.{}.", bucket.name);
    if value.contains(&reference) {
        return true;
    }
    let literal = |v: &str| v.strip_prefix('"').and_then(|s| s.strip_suffix('"')).map(str::to_string);
    match (literal(value), bucket.body.attr("bucket").and_then(|a| a.literal())) {
        (Some(a), Some(b)) => !a.contains("${") && a == b,
        _ => false,
    }
}
