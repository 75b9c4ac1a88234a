//! Alembic's schema operations (`op.drop_column`, `op.create_index`,
//! `op.add_column`, `op.alter_column`...) as the SQL they run, so the SQL rules
//! judge them with the same ids and messages, located at the call. What runs
//! in `downgrade()` is rollback code. `op.execute` is read as SQL by
//! `extract.rs`; batch operations (SQLite's table copies) are not translated.
use std::ops::Range;

use crate::extract::{enclosing_def, in_autocommit_block, skip_ws, Chunk};
use crate::pycall::{arg, call, call_args, has, is_true, string, strings, Arg, Sql};

/// The SQL type of an SQLAlchemy type (`sa.String(50)`, `postgresql.JSONB`).
fn sql_type(text: &str, value: &Range<usize>) -> &'static str {
    let v = &text[value.clone()];
    let name = v.split('(').next().unwrap_or(v).trim().rsplit('.').next().unwrap_or("");
    match name {
        "Integer" | "INTEGER" => "integer",
        "BigInteger" | "BIGINT" => "bigint",
        "SmallInteger" | "SMALLINT" => "smallint",
        "String" | "VARCHAR" | "Unicode" if v.contains('(') && !v.contains("()") => "varchar(255)",
        "String" | "VARCHAR" | "Unicode" => "varchar",
        "Boolean" | "BOOLEAN" => "boolean",
        "DateTime" | "TIMESTAMP" => "timestamptz",
        "Date" | "DATE" => "date",
        "Numeric" | "NUMERIC" | "DECIMAL" => "numeric",
        "Float" | "FLOAT" => "double precision",
        "JSON" => "json",
        "JSONB" => "jsonb",
        "UUID" | "Uuid" => "uuid",
        _ => "text",
    }
}

/// A name argument: a string, or `op.f("name")`.
fn name(text: &str, args: &[Arg], key: &str, position: usize) -> Option<(String, Range<usize>)> {
    let a = arg(args, key, position)?;
    string(text, &a.value).or_else(|| {
        let (f, inner) = call(text, &a.value)?;
        (f == "f").then(|| string(text, &inner.first()?.value)).flatten()
    })
}

/// The Alembic operations of a migration file, as chunks of SQL.
pub fn operations(text: &str) -> Vec<Chunk> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = text.get(from..).and_then(|t| t.find("op.")) {
        let start = from + p + "op.".len();
        from = start;
        if start > 3 && (b[start - 4].is_ascii_alphanumeric() || b[start - 4] == b'_' || b[start - 4] == b'.') {
            continue;
        }
        let name_len = b[start..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
        let open = skip_ws(b, start + name_len);
        if name_len == 0 || b.get(open) != Some(&b'(') {
            continue;
        }
        let op = start..start + name_len;
        let (args, _) = call_args(text, open);
        let mut sql = Sql::new(op.clone(), text);
        if translate(text, &text[op.clone()], &args, &mut sql) {
            let mut chunk = sql.done();
            chunk.rollback = matches!(enclosing_def(text, op.start), Some("downgrade"));
            chunk.no_tx = in_autocommit_block(text, op.start);
            out.push(chunk);
        }
    }
    out
}

fn translate(text: &str, op: &str, args: &[Arg], sql: &mut Sql) -> bool {
    let n = |key: &str, position: usize| name(text, args, key, position);
    let concurrently = is_true(text, args, "postgresql_concurrently");
    match op {
        "create_table" => {
            let Some((t, at)) = n("table_name", 0) else { return false };
            sql.kw("CREATE TABLE ").name(&t, &at).kw(" (id bigint)");
        }
        "drop_table" => {
            let Some((t, at)) = n("table_name", 0) else { return false };
            sql.kw("DROP TABLE ").name(&t, &at);
        }
        "rename_table" => {
            let (Some((old, oat)), Some((new, nat))) = (n("old_table_name", 0), n("new_table_name", 1)) else {
                return false;
            };
            sql.kw("ALTER TABLE ").name(&old, &oat).kw(" RENAME TO ").name(&new, &nat);
        }
        "drop_column" => {
            let (Some((t, tat)), Some((c, cat))) = (n("table_name", 0), n("column_name", 1)) else { return false };
            sql.kw("ALTER TABLE ").name(&t, &tat).kw(" DROP COLUMN ").name(&c, &cat);
        }
        "add_column" => {
            let (Some((t, tat)), Some(column)) = (n("table_name", 0), arg(args, "column", 1)) else { return false };
            let Some((class, cargs)) = call(text, &column.value) else { return false };
            let (Some((c, cat)), Some(ty)) = (name(text, &cargs, "name", 0), arg(&cargs, "type_", 1)) else {
                return false;
            };
            if class != "Column" {
                return false;
            }
            sql.kw("ALTER TABLE ")
                .name(&t, &tat)
                .kw(" ADD COLUMN ")
                .name(&c, &cat)
                .kw(" ")
                .kw(sql_type(text, &ty.value));
            let not_null =
                cargs.iter().any(|a| a.key.as_deref() == Some("nullable") && text[a.value.clone()].trim() == "False")
                    || is_true(text, &cargs, "primary_key");
            if not_null {
                sql.kw(" NOT NULL");
            }
            if has(&cargs, "server_default") {
                sql.kw(" DEFAULT 0");
            }
        }
        "alter_column" => {
            let (Some((t, tat)), Some((c, cat))) = (n("table_name", 0), n("column_name", 1)) else { return false };
            let mut any = false;
            if let Some(ty) = arg(args, "type_", usize::MAX) {
                sql.kw("ALTER TABLE ").name(&t, &tat).kw(" ALTER COLUMN ").name(&c, &cat).kw(" TYPE ");
                sql.kw(sql_type(text, &ty.value));
                if has(args, "postgresql_using") {
                    sql.kw(" USING id");
                }
                any = true;
            }
            if args.iter().any(|a| a.key.as_deref() == Some("nullable") && text[a.value.clone()].trim() == "False") {
                sql.kw(if any { ";\nALTER TABLE " } else { "ALTER TABLE " });
                sql.name(&t, &tat).kw(" ALTER COLUMN ").name(&c, &cat).kw(" SET NOT NULL");
                any = true;
            }
            if let Some((new, nat)) = n("new_column_name", usize::MAX) {
                sql.kw(if any { ";\nALTER TABLE " } else { "ALTER TABLE " });
                sql.name(&t, &tat).kw(" RENAME COLUMN ").name(&c, &cat).kw(" TO ").name(&new, &nat);
                any = true;
            }
            return any;
        }
        "create_index" => {
            let (Some((i, iat)), Some((t, tat))) = (n("index_name", 0), n("table_name", 1)) else { return false };
            sql.kw(if is_true(text, args, "unique") { "CREATE UNIQUE INDEX " } else { "CREATE INDEX " });
            if concurrently {
                sql.kw("CONCURRENTLY ");
            }
            sql.name(&i, &iat).kw(" ON ").name(&t, &tat).kw(" (id)");
        }
        "drop_index" => {
            let Some((i, iat)) = n("index_name", 0) else { return false };
            sql.kw(if concurrently { "DROP INDEX CONCURRENTLY " } else { "DROP INDEX " }).name(&i, &iat);
        }
        "create_unique_constraint" | "create_primary_key" => {
            let (Some((c, cat)), Some((t, tat))) = (n("constraint_name", 0), n("table_name", 1)) else { return false };
            let cols = arg(args, "columns", 2).map(|a| strings(text, &a.value)).unwrap_or_default();
            if cols.is_empty() {
                return false;
            }
            let kind = if op == "create_primary_key" { " PRIMARY KEY (id)" } else { " UNIQUE (id)" };
            sql.kw("ALTER TABLE ").name(&t, &tat).kw(" ADD CONSTRAINT ").name(&c, &cat).kw(kind);
        }
        "create_foreign_key" | "create_check_constraint" => {
            let (Some((c, cat)), Some((t, tat))) =
                (n("constraint_name", 0), n("source_table", 1).or_else(|| n("table_name", 1)))
            else {
                return false;
            };
            let kind = if op == "create_foreign_key" {
                " FOREIGN KEY (id) REFERENCES other (id)"
            } else {
                " CHECK (id IS NOT NULL)"
            };
            sql.kw("ALTER TABLE ").name(&t, &tat).kw(" ADD CONSTRAINT ").name(&c, &cat).kw(kind);
            if is_true(text, args, "postgresql_not_valid") {
                sql.kw(" NOT VALID");
            }
        }
        _ => return false,
    }
    true
}
