//! ## What it does
//! Flags `ALTER TABLE ... ALTER COLUMN ... [SET DATA] TYPE` on a table that
//! existed before the file (PostgreSQL only). Changes to `text` or to an
//! unbounded `varchar` without `USING` are not flagged: from `varchar(n)`
//! they are metadata-only.
//!
//! ## Why is this bad?
//! Most type changes rewrite the whole table and rebuild its indexes under an
//! ACCESS EXCLUSIVE lock, and the column's readers break if the
//! application is not ready for the new type.
//!
//! ## Example
//! ```sql
//! ALTER TABLE events ALTER COLUMN id TYPE bigint;
//! ```
//!
//! ## Use instead
//! ```sql
//! ALTER TABLE events ADD COLUMN id_new bigint;
//! -- backfill in batches, keep both in sync with a trigger, then swap names in one short transaction
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "column type change that rewrites the table",
    severity: Severity::Medium,
    aliases: &["changing-column-type", "E5", "change_column"],
    tags: &["locking"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for (idx, s) in file.stmts.iter().enumerate() {
        if !forward_pg(s) {
            continue;
        }
        for (table, shown, a) in existing_table_actions(file, idx) {
            let Some((col, col_tok, next)) = alter_column(s, &a) else { continue };
            let ty = if s.is(next, "TYPE") {
                next + 1
            } else if s.seq(next, &["SET", "DATA", "TYPE"]) {
                next + 3
            } else {
                continue;
            };
            if file.column_is_new(&table, &col, idx) {
                continue;
            }
            let using = s.find_in(ty, a.end, &["USING"]).is_some();
            let widening = (s.is(ty, "TEXT") || s.is(ty, "VARCHAR") || s.is(ty, "CITEXT")) && s.t(ty + 1) != "(" && ty + 1 >= a.end;
            if widening && !using {
                continue;
            }
            let new_ty = s.text[s.toks[ty].range.start..s.toks[a.end - 1].range.end].to_string();
            cx.report(s.span_of(file, a.start, a.end - 1), format!("changing the type of `{shown}`.`{}` to `{new_ty}` can rewrite the table under an ACCESS EXCLUSIVE lock", s.shown_tok(col_tok)))
                .help("add a new column of the new type, backfill it in batches, switch the application over, then drop the old column");
        }
    }
}
