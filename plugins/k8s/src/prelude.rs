//! What every rule file imports.
#![allow(unused_imports)]
pub use crate::model::{label_selector_matches, selects, templated, Container, Object, Repo, Workload};
pub use opslint_sdk::{Ctx, FindingExt, FixAvailability, Meta, Severity};
pub use opslint_yaml::{Entry, Node};
