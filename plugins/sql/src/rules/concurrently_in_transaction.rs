//! ## What it does
//! Flags `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY` and
//! `REINDEX ... CONCURRENTLY` that run inside a transaction: an explicit
//! `BEGIN`, or a migration tool that wraps each migration in one (Rails,
//! Django, Alembic; golang-migrate when the file has several statements;
//! Flyway switches to no transaction by itself). Override with the plugin
//! option `transaction`. PostgreSQL only.
//!
//! ## Why is this bad?
//! PostgreSQL refuses `CONCURRENTLY` inside a transaction block: the
//! migration fails when it is deployed.
//!
//! ## Example
//! ```sql
//! BEGIN;
//! CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);
//! COMMIT;
//! ```
//!
//! ## Use instead
//! ```sql
//! CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "CONCURRENTLY inside a transaction fails",
    severity: Severity::Medium,
    aliases: &["ban-concurrent-index-creation-in-transaction"],
    tags: &["locking", "correctness"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, file: &SqlFile) {
    for s in &file.stmts {
        if !pg(s) || !s.in_tx || !(s.starts(&["CREATE"]) || s.starts(&["DROP"]) || s.starts(&["REINDEX"])) {
            continue;
        }
        let Some(c) = s.find(&["CONCURRENTLY"]) else { continue };
        let why = if s.explicit_tx {
            "inside BEGIN ... COMMIT".to_string()
        } else {
            format!("inside the transaction {} wraps each migration in", file.tool.map_or("the migration tool", |t| t.name()))
        };
        cx.report(s.span_of(file, c, c), format!("CONCURRENTLY cannot run {why}; PostgreSQL will reject it"))
            .help("run it outside a transaction: remove BEGIN/COMMIT, or disable the migration transaction (Rails: disable_ddl_transaction!; Django: atomic = False; Alembic: op.get_context().autocommit_block(); golang-migrate: one statement per file)");
    }
}
