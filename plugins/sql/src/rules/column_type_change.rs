//! ## What it does
//! Flags `ALTER TABLE ... ALTER COLUMN ... [SET DATA] TYPE` on a table that
//! existed before the file (PostgreSQL only). Changes to `text` or to an
//! unbounded `varchar` without `USING` are not flagged: from `varchar(n)`
//! they are metadata-only. When the earlier migrations of the same folder
//! show the column's type (its `CREATE TABLE`, `ADD COLUMN` or last type
//! change), restating that type (ory/pop writes `ALTER COLUMN c TYPE uuid,
//! ALTER COLUMN c DROP NOT NULL` to change only the nullability) and
//! lengthening a `varchar(n)` are not flagged either: neither rewrites the
//! table. A column added earlier in the same migration (or in an earlier
//! file of a migration split over several files) is new and not flagged.
//! When the previous type is not in the repository's migrations, the change
//! is flagged: the file alone cannot tell a rewrite from a no-op.
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
            let Some(ty) = crate::common::new_type_at(s, next) else { continue };
            if file.column_is_new(&table, &col, idx) {
                continue;
            }
            let using = s.find_in(ty, a.end, &["USING"]).is_some();
            let widening = (s.is(ty, "TEXT") || s.is(ty, "VARCHAR") || s.is(ty, "CITEXT")) && s.t(ty + 1) != "(" && ty + 1 >= a.end;
            if widening && !using {
                continue;
            }
            // The type it had, when the folder's earlier migrations show it:
            // restating it (ory/pop restates the type to change nullability)
            // or widening a varchar is metadata-only.
            let prior = file.unit.prior_types.iter().find(|(t, c, _)| *t == table && *c == col).map(|p| p.2.as_str());
            let wanted = crate::unit::type_changes(s).into_iter().find(|(t, c, _)| *t == table && *c == col).map(|c| c.2);
            if let (Some(prior), Some(wanted), false) = (prior, wanted.as_deref(), using) {
                if no_rewrite(prior, wanted) {
                    continue;
                }
            }
            let new_ty = s.text[s.toks[ty].range.start..s.toks[a.end - 1].range.end].to_string();
            cx.report(s.span_of(file, a.start, a.end - 1), format!("changing the type of `{shown}`.`{}` to `{new_ty}` can rewrite the table under an ACCESS EXCLUSIVE lock", s.shown_tok(col_tok)))
                .help("add a new column of the new type, backfill it in batches, switch the application over, then drop the old column");
        }
    }
}

/// A change from `prior` to `wanted` that rewrites nothing: the same type,
/// a longer (or unbounded) varchar, text from a varchar.
fn no_rewrite(prior: &str, wanted: &str) -> bool {
    let len = |t: &str, base: &str| -> Option<Option<u64>> {
        let rest = t.strip_prefix(base)?;
        if rest.is_empty() {
            return Some(None);
        }
        rest.strip_prefix('(')?.strip_suffix(')')?.parse().ok().map(Some)
    };
    if prior == wanted {
        return true;
    }
    match (len(prior, "varchar"), len(wanted, "varchar")) {
        (Some(Some(a)), Some(Some(b))) => b >= a,
        (Some(_), Some(None)) => true,
        _ => len(prior, "varchar").is_some() && wanted == "text",
    }
}
