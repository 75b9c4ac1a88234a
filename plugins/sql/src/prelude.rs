//! What every rule file imports.
#![allow(unused_imports)]
pub use crate::common::*;
pub use crate::extract::Kind;
pub use crate::model::{Dialect, SqlFile, Stmt, Tool};
pub use opslint_sdk::{Applicability, Ctx, FindingExt, FixAvailability, Meta, Severity};
