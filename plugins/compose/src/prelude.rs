//! What every rule file imports.
#![allow(unused_imports)]
pub use crate::model::{At, Dep, EnvVar, Mount, MountKind, Port, Repo, Service, View};
pub use opslint_sdk::{Ctx, FindingExt, Meta, Severity};
pub use opslint_yaml::{Entry, Node};
