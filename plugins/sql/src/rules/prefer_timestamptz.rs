//! ## What it does
//! Flags PostgreSQL columns declared as `timestamp` (`timestamp(6)`,
//! `timestamp without time zone`) in `CREATE TABLE`, `ADD COLUMN` and
//! `ALTER COLUMN ... TYPE`. Only SQL written by hand: the migrations opslint
//! reads from Django, Rails and Alembic are translated as the framework
//! declares them, which keeps time zones itself.
//!
//! ## Why is this bad?
//! A `timestamp` stores a wall-clock reading with no zone. Whatever zone the
//! writing session had is lost: a server or a client in another zone, or a
//! daylight-saving change, reads a different instant, and comparisons with
//! `now()` (a `timestamptz`) are converted with the session's zone. A
//! `timestamptz` stores the instant and shows it in the reader's zone, and
//! costs the same 8 bytes.
//!
//! ## Example
//! ```sql
//! CREATE TABLE orders (id bigint PRIMARY KEY, placed_at timestamp NOT NULL);
//! ```
//!
//! ## Use instead
//! ```sql
//! CREATE TABLE orders (id bigint PRIMARY KEY, placed_at timestamptz NOT NULL);
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "timestamp column without a time zone",
    severity: Severity::Low,
    aliases: &["prefer-timestamp-tz"],
    tags: &["correctness"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for s in file.stmts.iter().filter(|s| forward_pg(s)) {
        for i in 1..s.toks.len() {
            if !s.is(i, "TIMESTAMP") {
                continue;
            }
            let Some(col) = declared_type_of(s, i) else { continue };
            // `timestamp(6)`: the precision comes before the zone clause.
            let mut end = i;
            if s.t(i + 1) == "(" && s.t(i + 3) == ")" {
                end = i + 3;
            }
            if s.is(end + 1, "WITH") && s.is(end + 2, "TIME") && s.is(end + 3, "ZONE") {
                continue;
            }
            if s.is(end + 1, "WITHOUT") && s.is(end + 2, "TIME") && s.is(end + 3, "ZONE") {
                end += 3;
            }
            cx.report(s.span_of(file, i, end), format!("column `{col}` is a timestamp without time zone: the instant it means depends on the zone of whoever wrote it"))
                .help("declare it `timestamptz` (timestamp with time zone); to convert an existing column, `ALTER COLUMN ... TYPE timestamptz USING col AT TIME ZONE 'UTC'` rewrites the table, so do it in a quiet window or on a new column");
        }
    }
}
