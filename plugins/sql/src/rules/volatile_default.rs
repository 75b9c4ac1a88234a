//! ## What it does
//! Flags `ALTER TABLE ... ADD COLUMN ... DEFAULT` that rewrites an existing
//! table (PostgreSQL only). Since PostgreSQL 11 a non-volatile default
//! (a constant, `now()`, `CURRENT_TIMESTAMP`) is stored once and costs
//! nothing; a volatile one (`random()`, `gen_random_uuid()`,
//! `uuid_generate_v4()`, `clock_timestamp()`, `timeofday()`, `nextval()`)
//! still fills every row. Before 11 every non-NULL default rewrites the
//! table. The version comes from the plugin option `postgres-version`
//! (default 16). Serial types are left to `serial-or-generated-column`.
//!
//! ## Why is this bad?
//! The rewrite holds an ACCESS EXCLUSIVE lock for as long as it takes to
//! write every row and rebuild every index.
//!
//! ## Example
//! ```sql
//! ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
//! ```
//!
//! ## Use instead
//! ```sql
//! ALTER TABLE orders ADD COLUMN public_id uuid;
//! ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
//! -- backfill existing rows in batches
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "ADD COLUMN with a default that rewrites the table (volatile, or any before PostgreSQL 11)",
    severity: Severity::Medium,
    aliases: &["adding-field-with-default"],
    tags: &["locking"],
    ..Meta::DEFAULT
};

const VOLATILE: &[&str] = &[
    "random",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "statement_timestamp",
    "txid_current",
    "uuidv7",
    "uuidv4",
];

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for (idx, s) in file.stmts.iter().enumerate() {
        if !forward_pg(s) {
            continue;
        }
        for (_, shown, a) in existing_table_actions(file, idx) {
            let Some(col) = add_column(s, &a) else { continue };
            let Some((kw, expr)) = col.default.clone() else { continue };
            if col.default_is_null(s) || col.serial(s) || expr.is_empty() {
                continue;
            }
            let volatile = expr.clone().find(|&i| {
                s.t(i + 1) == "(" && VOLATILE.iter().any(|f| s.t(i).eq_ignore_ascii_case(f) || s.t(i).to_ascii_lowercase().ends_with(&format!(".{f}")))
            });
            let name = s.shown_tok(col.name_tok);
            if let Some(f) = volatile {
                cx.report(s.span_of(file, kw, expr.end - 1), format!("column `{name}` is added to `{shown}` with the volatile default `{}()`: every row is rewritten under an ACCESS EXCLUSIVE lock", s.t(f)))
                    .help("add the column without a default, then SET DEFAULT for new rows and backfill existing rows in batches");
            } else if file.pg_version < 11 {
                cx.report(s.span_of(file, kw, expr.end - 1), format!("before PostgreSQL 11, adding column `{name}` to `{shown}` with a DEFAULT rewrites every row under an ACCESS EXCLUSIVE lock (postgres-version = {})", file.pg_version))
                    .help("add the column without a default, SET DEFAULT in a second statement, and backfill existing rows in batches");
            }
        }
    }
}
