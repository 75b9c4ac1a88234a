//! ## What it does
//! Flags columns declared as `json` in `CREATE TABLE`, `ADD COLUMN` and
//! `ALTER COLUMN ... TYPE` (PostgreSQL only: MySQL and SQLite have no jsonb).
//!
//! Off by default (a matter of design, not a defect): `json` is the right type for a
//! document kept as written (key order, duplicate keys, write-mostly logs and payloads)
//! and the portable one in migration sets shared by several databases. On the labelled
//! sample of real repositories (tests/precision/labels.toml) no finding was a clear
//! mistake. Turn it on with `extend-select` where jsonb is the house rule.
//!
//! ## Why is this bad?
//! `json` stores the text as given: no equality operator (so no DISTINCT,
//! GROUP BY or UNIQUE), no GIN indexes, and every access re-parses it.
//! `jsonb` is what almost every application wants.
//!
//! ## Example
//! ```sql
//! CREATE TABLE events (id bigint PRIMARY KEY, payload json);
//! ```
//!
//! ## Use instead
//! ```sql
//! CREATE TABLE events (id bigint PRIMARY KEY, payload jsonb);
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "json column instead of jsonb",
    severity: Severity::Low,
    aliases: &["E3", "add_column_json"],
    tags: &["style"],
    enabled: false,
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for s in file.stmts.iter().filter(|s| forward_pg(s)) {
        for i in 1..s.toks.len() {
            if !s.is(i, "JSON") || s.t(i + 1) == "(" {
                continue;
            }
            let Some(col) = declared_type_of(s, i) else { continue };
            cx.report(s.span_of(file, i, i), format!("column `{col}` is declared as json; jsonb is almost always what you want"))
                .help("use jsonb: it has equality, GIN indexing and is faster to query");
        }
    }
}
