//! What every rule file imports.
#![allow(unused_imports)]
pub use crate::parse::{Command, Dockerfile, Flag, ImageRef, Instruction, KeyValue, Sep, Stage, Word};
pub use crate::util::*;
pub use opslint_sdk::{Applicability, Ctx, FindingExt, FixAvailability, Meta, Severity};
