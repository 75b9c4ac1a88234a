//! What every rule file imports.
#![allow(unused_imports)]
pub use crate::model::{Group, Repo, Rule};
pub use crate::promql;
pub use opslint_sdk::{Ctx, FindingExt, Meta, Severity};
pub use opslint_yaml::{Entry, Node};
pub use promql_parser::parser::Expr;
