//! What every rule file imports.
#![allow(unused_imports)]
pub use crate::model::{Backup, BackupKind, Database, Loc, Repo, Source};
pub use crate::report::{at, at_db};
pub use opslint_sdk::{Ctx, FindingExt, FixAvailability, Meta, Severity};
