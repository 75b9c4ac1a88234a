//! ## What it does
//! Reports a statement the SQL parser cannot read (PostgreSQL dialect by
//! default; set the plugin option `dialect` to `mysql` or `sqlite`). The rest
//! of the file is still checked; the statement itself is only checked by the
//! token-level parts of the rules.
//!
//! ## Why is this bad?
//! Either the statement has a syntax error the database will reject, or it
//! uses syntax the linter does not know, so checks may have missed something.
//!
//! ## Example
//! ```sql
//! ALTER TABLE users ADD COLUMN;
//! ```
//!
//! ## Use instead
//! ```sql
//! ALTER TABLE users ADD COLUMN nickname text;
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a statement could not be parsed",
    severity: Severity::Info,
    tags: &["syntax"],
    ..Meta::DEFAULT
};

/// Parse errors are reported while parsing; this rule only carries the metadata.
pub fn check(_: &mut Ctx, _: &SqlFile) {}
