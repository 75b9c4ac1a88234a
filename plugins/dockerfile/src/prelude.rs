//! What every rule file imports.
#![allow(unused_imports)]
pub use crate::parse::{Dockerfile, Instruction};
pub use opslint_sdk::{Applicability, Ctx, FindingExt, FixAvailability, Meta, Severity};
