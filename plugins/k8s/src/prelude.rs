//! What every rule file imports.
#![allow(unused_imports)]
pub use crate::model::{
    first_pair, label_selector_matches, selects, templated, BySelector, Container, Object, Repo, Workload,
};
pub use opslint_sdk::{Ctx, FindingExt, FixAvailability, Meta, Severity};
pub use opslint_yaml::{Entry, Node};
