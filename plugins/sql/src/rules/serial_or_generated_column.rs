//! ## What it does
//! Flags `ALTER TABLE ... ADD COLUMN` of a `SERIAL`/`BIGSERIAL`/`SMALLSERIAL`
//! column, an identity column (`GENERATED ... AS IDENTITY`) or a stored
//! generated column (`GENERATED ALWAYS AS (...) STORED`) on a table that
//! existed before the file (PostgreSQL only).
//!
//! ## Why is this bad?
//! Every existing row needs its own value, so PostgreSQL rewrites the whole
//! table and its indexes while holding an ACCESS EXCLUSIVE lock.
//!
//! ## Example
//! ```sql
//! ALTER TABLE events ADD COLUMN seq bigserial;
//! ```
//!
//! ## Use instead
//! ```sql
//! ALTER TABLE events ADD COLUMN seq bigint;
//! CREATE SEQUENCE events_seq_seq OWNED BY events.seq;
//! ALTER TABLE events ALTER COLUMN seq SET DEFAULT nextval('events_seq_seq');
//! -- backfill existing rows in batches
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "adding a serial, identity or stored generated column rewrites the table",
    severity: Severity::Medium,
    aliases: &["E11"],
    tags: &["locking"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for (idx, s) in file.stmts.iter().enumerate() {
        if !forward_pg(s) {
            continue;
        }
        for (_, shown, a) in existing_table_actions(file, idx) {
            let Some(col) = add_column(s, &a) else { continue };
            let (what, at) = if col.serial(s) {
                ("serial", (col.ty.start, col.ty.start))
            } else if let Some(g) = col.stored {
                ("stored generated", (g, a.end - 1))
            } else if let Some(g) = col.identity {
                ("identity", (g, a.end - 1))
            } else {
                continue;
            };
            cx.report(s.span_of(file, at.0, at.1), format!("adding {what} column `{}` to `{shown}` rewrites the whole table under an ACCESS EXCLUSIVE lock", s.shown_tok(col.name_tok)))
                .help("add a plain nullable column, set its default for new rows, backfill existing rows in batches (for generated values: keep them up to date with a trigger)");
        }
    }
}
