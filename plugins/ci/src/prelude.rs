//! What every rule file imports.
#![allow(unused_imports)]
pub use crate::detect;
pub use crate::edit;
pub use crate::expr::{self, Expr, Op};
pub use crate::model::{
    expressions, find_in, script_lines, GhJob, GlJob, Kind, Located, Lookup, Pipeline, Repo, Step, Workflow,
};
pub use opslint_sdk::{Applicability, Ctx, FindingExt, FixAvailability, Meta, Severity};
pub use opslint_yaml::{Entry, Node, Value};

/// The text of document `doc` of the batch.
pub fn text<'a>(cx: &Ctx<'a>, doc: usize) -> &'a str {
    cx.documents().get(doc).map_or("", |d| d.1)
}
