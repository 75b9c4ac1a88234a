//! ## What it does
//! Flags `DELETE` and `UPDATE` statements with no `WHERE` clause (nor `LIMIT`),
//! in migrations, `.sql` files and SQL run from Ruby, Python and shell scripts.
//! Statements in rollback code (down migrations, `reverse_sql`) are not flagged,
//! nor an `UPDATE` that only backfills columns added earlier in the same
//! migration (the same file, or an earlier file of a migration split over
//! several files, as ory/pop writes them: `ADD COLUMN nid` in step 1,
//! `UPDATE t SET nid = ...` in step 2), nor writes to a table the migration
//! created, nor an `UPDATE` whose every value is computed from the row's own
//! columns (`SET search_vector = to_tsvector(name)`, `SET b = a`): a
//! recomputation or a copy between columns is meant for every row, while a
//! constant or a subquery written to an existing column is where a forgotten
//! condition overwrites data. `DELETE` without `WHERE` is always flagged,
//! in migrations too: even on purpose (`DELETE FROM sessions` logs every user
//! out) it is what a reviewer must see; suppress it with the reason.
//!
//! ## Why is this bad?
//! Without a `WHERE` every row of the table is deleted or overwritten. It is
//! usually a forgotten condition, and on production it destroys data that only
//! a backup can bring back.
//!
//! ## Example
//! ```sql
//! DELETE FROM sessions;
//! UPDATE users SET plan = 'free';
//! ```
//!
//! ## Use instead
//! ```sql
//! DELETE FROM sessions WHERE expires_at < now() - interval '30 days';
//! UPDATE users SET plan = 'free' WHERE plan IS NULL;
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "DELETE or UPDATE without WHERE",
    severity: Severity::High,
    tags: &["data-loss"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for (idx, s) in file.stmts.iter().enumerate() {
        if s.rollback {
            continue;
        }
        let Some((kw, name, table)) = unfiltered_write(s) else { continue };
        if file.table_is_new(&name, idx) {
            continue;
        }
        // Backfilling columns this file just added is what a migration does.
        let cols = updated_columns(s);
        if s.is(kw, "UPDATE") && !cols.is_empty() && cols.iter().all(|c| file.column_is_new(&name, c, idx)) {
            continue;
        }
        // Recomputing a column from the row's other columns is meant for every row.
        if s.is(kw, "UPDATE") && recomputes_from_row(s) {
            continue;
        }
        let verb = s.t(kw).to_ascii_uppercase();
        let effect = if verb == "DELETE" { "deletes every row of" } else { "overwrites every row of" };
        cx.report(s.span_of(file, kw, kw), format!("{verb} without WHERE {effect} `{table}`"))
            .help("add a WHERE clause naming the rows to change; if every row really is meant, say so with `WHERE true` after taking a backup and trying it in a transaction (BEGIN; ...; check the row count; COMMIT)");
    }
}
