//! tf-buckets: an opslint plugin, written as a third party would, that checks
//! Terraform S3 buckets for versioning, encryption and a public access block.
//! Repository scope: a bucket and the resources configuring it may live in
//! different `.tf` files.
#![forbid(unsafe_code)]

pub mod hcl;
pub mod model;
pub mod rules {
    include!(concat!(env!("OUT_DIR"), "/rules.rs"));
}

use opslint_sdk::{Ctx, EvidenceMeta, EvidenceValue, FileMatcher, FindingExt, Registered, RepoPlugin};

use crate::hcl::Block;
use crate::model::Buckets;

pub struct TfBuckets;

impl RepoPlugin for TfBuckets {
    type File = Vec<Block>;
    type Repo = Buckets;
    const NAME: &'static str = "tf-buckets";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str = "Terraform S3 buckets: versioning, encryption, public access block";

    fn files() -> Vec<FileMatcher> {
        vec![FileMatcher { kind: "terraform".into(), globs: vec!["**/*.tf".into()] }]
    }

    fn rules() -> &'static [Registered<Buckets>] {
        rules::RULES
    }

    fn options_schema() -> Option<String> {
        Some(
            r#"{
  "type": "object",
  "properties": {
    "require-kms": {
      "type": "boolean",
      "default": false,
      "description": "bucket-encryption: only aws:kms or aws:kms:dsse count as encrypted"
    }
  }
}"#
            .into(),
        )
    }

    fn evidence() -> Vec<EvidenceMeta> {
        vec![EvidenceMeta {
            key: "tf-buckets/s3-bucket".into(),
            description: "an S3 bucket declared in Terraform (its resource name)".into(),
        }]
    }

    fn parse(cx: &mut Ctx) -> Option<Vec<Block>> {
        let file = hcl::parse(cx.text);
        if let Some(open) = file.unclosed {
            cx.report(open..open + 1, "this block is never closed; the rest of the file was read as inside it")
                .help("add the missing `}`");
        }
        Some(file.body.blocks)
    }

    fn build(files: Vec<(usize, Vec<Block>)>, _cx: &mut Ctx) -> Buckets {
        Buckets::new(files)
    }

    fn collect_evidence(cx: &mut Ctx, repo: &Buckets) {
        for b in &repo.buckets {
            cx.evidence_in(b.doc, "tf-buckets/s3-bucket", EvidenceValue::Text(b.name.clone()), Some(b.header.clone()));
        }
    }
}

opslint_sdk::export_repo_plugin!(TfBuckets);
