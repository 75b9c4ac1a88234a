//! ## What it does
//! Flags `ALTER TABLE ... ADD [CONSTRAINT ...] UNIQUE (...)` and
//! `PRIMARY KEY (...)` without `USING INDEX` on a table that existed before
//! the file (PostgreSQL only).
//!
//! ## Why is this bad?
//! The constraint builds its index while holding an ACCESS EXCLUSIVE lock:
//! the table is unreadable and unwritable for the whole build.
//!
//! ## Example
//! ```sql
//! ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
//! ```
//!
//! ## Use instead
//! ```sql
//! CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
//! ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "UNIQUE or PRIMARY KEY constraint added without an existing index",
    severity: Severity::Medium,
    aliases: &["disallowed-unique-constraint", "E7"],
    tags: &["locking"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for (idx, s) in file.stmts.iter().enumerate() {
        if !forward_pg(s) {
            continue;
        }
        for (_, shown, a) in existing_table_actions(file, idx) {
            let Some((start, kind, name)) = add_constraint(s, &a) else { continue };
            if !(s.is(kind, "UNIQUE") || s.is(kind, "PRIMARY")) || s.find_in(a.start, a.end, &["USING", "INDEX"]).is_some() {
                continue;
            }
            let what = if s.is(kind, "UNIQUE") { "UNIQUE" } else { "PRIMARY KEY" };
            let end = if s.is(kind, "PRIMARY") { kind + 1 } else { kind };
            let named = name.map(|n| format!(" `{n}`")).unwrap_or_default();
            cx.report(s.span_of(file, start, end), format!("adding {what} constraint{named} to `{shown}` builds an index under an ACCESS EXCLUSIVE lock"))
                .help("CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE USING INDEX (or PRIMARY KEY USING INDEX)");
        }
    }
}
