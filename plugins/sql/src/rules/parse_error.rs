//! ## What it does
//! Reports a statement no database would accept: a string, quoted name or
//! dollar quote never closed, unbalanced parentheses, a statement that ends
//! after `ADD`, `FROM`, `SET`, `,`..., a word that is no SQL command
//! (`CRATE INDEX`), `CREATE`/`ALTER`/`DROP` of something PostgreSQL does not
//! have, or a template (`{{ }}`) that is not SQL until rendered. The SQL
//! parser (PostgreSQL dialect by default; set the plugin option `dialect` to
//! `mysql` or `sqlite`) is asked first; a statement it cannot read but that
//! is well-formed is valid syntax it does not know (PostgreSQL's grammar is
//! larger than any parser's: `ALTER CONSTRAINT`, `SET STORAGE`, `REINDEX`,
//! psql's `:'var'`), and is not reported. Every statement is still checked
//! by the token-level parts of the rules.
//!
//! ## Why is this bad?
//! The database rejects the statement, so the migration or script fails
//! halfway, and the linter could not check it either.
//!
//! ## Example
//! ```sql
//! ALTER TABLE users ADD COLUMN;
//! CREATE INDEX users_email ON users (email;
//! ```
//!
//! ## Use instead
//! ```sql
//! ALTER TABLE users ADD COLUMN nickname text;
//! CREATE INDEX users_email ON users (email);
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a statement is not valid SQL",
    severity: Severity::Info,
    tags: &["syntax"],
    ..Meta::DEFAULT
};

/// Parse errors are reported while parsing; this rule only carries the metadata.
pub fn check(_: &mut Ctx, _: &SqlFile) {}
