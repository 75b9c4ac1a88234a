//! ## What it does
//! Flags `TRUNCATE` (all dialects) in scripts and `.sql` files outside a
//! migrations layout, and `TRUNCATE ... CASCADE` everywhere, saying that
//! `CASCADE` also empties every table that references it. Rollback code is
//! not flagged, nor a table the same file created.
//!
//! A plain `TRUNCATE` in a migration is not flagged: it names the one table
//! it empties and has no condition to forget, so it is the migration's
//! reviewed intent (emptying a cache table, or a table the migration then
//! restructures so that old rows would not fit); whether those rows matter is
//! a judgement no file can make. squawk and strong_migrations do not flag it
//! either. `CASCADE` is flagged because it also empties tables the statement
//! never names (squawk's `ban-truncate-cascade`), unless the earlier
//! migrations of the same folder show every table with a foreign key to it
//! and the file empties each of those itself first (or names it in the same
//! statement): then `CASCADE` reaches nothing more. A `DELETE` without `WHERE`
//! is `missing-where`'s.
//!
//! ## Why is this bad?
//! `TRUNCATE` removes every row at once, cannot be filtered, fires no
//! `DELETE` triggers, and takes an ACCESS EXCLUSIVE lock. With `CASCADE` it
//! silently empties other tables too.
//!
//! ## Example
//! ```sql
//! TRUNCATE orders CASCADE;
//! ```
//!
//! ## Use instead
//! ```sql
//! -- after a backup (pg_dump -t orders), delete what must go:
//! DELETE FROM orders WHERE created_at < '2020-01-01';
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "TRUNCATE empties a table (CASCADE: every referencing table too)",
    severity: Severity::High,
    aliases: &["ban-truncate-cascade"],
    tags: &["data-loss"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for (idx, s) in file.stmts.iter().enumerate() {
        if s.rollback || !s.starts(&["TRUNCATE"]) {
            continue;
        }
        let i = if s.is(1, "TABLE") { 2 } else { 1 };
        let i = if s.is(i, "ONLY") { i + 1 } else { i };
        let Some((name, shown, _)) = s.name_at(i) else { continue };
        if file.table_is_new(&name, idx) {
            continue;
        }
        let cascade = s.find(&["CASCADE"]);
        // In a migration a plain TRUNCATE is the reviewed intent (it names its
        // one table and has no condition to forget); CASCADE reaches tables
        // the statement does not name.
        if file.migration && cascade.is_none() {
            continue;
        }
        // CASCADE that reaches only tables the file empties itself first (or
        // names here), as the folder's migrations show the foreign keys.
        let named = crate::unit::truncated(s);
        let reach_known = named.iter().all(|t| {
            file.unit.cascade_reach.iter().find(|(c, _)| c == t).is_some_and(|(_, reach)| {
                reach.iter().all(|r| named.contains(r) || file.table_is_emptied(r, idx))
            })
        });
        if cascade.is_some() && reach_known {
            continue;
        }
        let msg = match cascade {
            Some(_) => format!("TRUNCATE ... CASCADE empties `{shown}` and every table with a foreign key to it"),
            None => format!("TRUNCATE deletes every row of `{shown}`"),
        };
        let f = cx.report(s.span_of(file, 0, i), msg);
        if let Some(c) = cascade {
            f.related(s.span_of(file, c, c), "CASCADE reaches referencing tables");
        }
        f.help("take a backup first (pg_dump -t / mysqldump) and prefer a DELETE with a WHERE clause; never use CASCADE without listing the tables it reaches");
    }
}
