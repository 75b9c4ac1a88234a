//! ## What it does
//! Reports a `.tf` file the plugin could not read to the end: a block opened
//! with `{` and never closed. The other rules then see only what came before.
//!
//! ## Why is this bad?
//! Terraform refuses the file too, and the buckets after the open block are
//! not checked at all.
//!
//! ## Example
//! ```hcl
//! resource "aws_s3_bucket" "logs" {
//!   bucket = "acme-logs"
//! ```
//!
//! ## Use instead
//! ```hcl
//! resource "aws_s3_bucket" "logs" {
//!   bucket = "acme-logs"
//! }
//! ```
use opslint_sdk::{Ctx, Meta, Severity};

use crate::model::Buckets;

pub const META: Meta = Meta { summary: "a Terraform file that could not be read", severity: Severity::Low, ..Meta::DEFAULT };

/// Parse errors are reported while parsing (`TfBuckets::parse`); nothing to do here.
pub fn check(_cx: &mut Ctx, _repo: &Buckets) {}
