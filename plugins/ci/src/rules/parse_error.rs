//! ## What it does
//! Reports a workflow, action or GitLab CI file (or a file a GitLab pipeline
//! includes) that cannot be read: invalid YAML, nesting deeper than 200
//! levels, aliases expanding past 100,000 nodes, an empty workflow file or
//! one that is not a mapping.
//!
//! ## Why is this bad?
//! GitHub and GitLab refuse a pipeline they cannot parse, usually only when
//! it is supposed to run. A file the linter cannot read is a file nobody
//! checked.
//!
//! ## Example
//! ```yaml
//! on: push
//! jobs:
//!   test:
//!     runs-on: ubuntu-24.04
//!    steps: []
//! ```
//!
//! ## Use instead
//! ```yaml
//! on: push
//! jobs:
//!   test:
//!     runs-on: ubuntu-24.04
//!     steps: []
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "the CI file cannot be parsed",
    severity: Severity::High,
    aliases: &["syntax-check"],
    ..Meta::DEFAULT
};

/// Reported while the files are read; this rule only carries the metadata.
pub fn check(_: &mut Ctx, _: &Repo) {}
