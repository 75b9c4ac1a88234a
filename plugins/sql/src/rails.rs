//! Rails migration methods (`remove_column :users, :name`, `add_index ...`,
//! `add_column ..., null: false`, `change_column`...) as the SQL they run, so
//! the SQL rules judge them with the same ids as hand-written SQL, located at
//! the call. `def down` is rollback code; `execute` is read as SQL by
//! `extract.rs`; `disable_ddl_transaction!` is the tool's transaction switch.
use std::ops::Range;

use crate::extract::{enclosing_def, Chunk};
use crate::pycall::Sql;

/// One argument: `:name`, `"name"`, `key: value` or `:key => value`.
struct Arg {
    key: Option<String>,
    /// A symbol's or string's name, and where it is written.
    name: Option<(String, Range<usize>)>,
    value: Range<usize>,
}

/// The arguments of a call from `from` to the end of its line (longer while a
/// line ends with `,` or brackets are open); stops at a `do` block.
fn args(text: &str, from: usize) -> Vec<Arg> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = from;
    let mut i = from;
    let mut quote: Option<u8> = None;
    while i <= b.len() {
        let c = b.get(i).copied().unwrap_or(b'\n');
        if let Some(q) = quote {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        let stop = i == b.len()
            // A line break ends the call unless the line ends with `,` or brackets are open.
            || (c == b'\n' && depth <= 0 && !text[start..i].trim_end().ends_with(','))
            || (c == b'#' && depth <= 0)
            || (depth <= 0 && b[i..].starts_with(b" do") && matches!(b.get(i + 3), Some(b' ' | b'\n' | b'|')));
        if stop || (c == b',' && depth <= 0) {
            push(text, start..i, &mut out);
            if stop {
                break;
            }
            start = i + 1;
        } else if matches!(c, b'(' | b'[' | b'{') {
            depth += 1;
        } else if matches!(c, b')' | b']' | b'}') {
            depth -= 1;
            if depth < 0 {
                push(text, start..i, &mut out);
                break;
            }
        } else if c == b'"' || c == b'\'' {
            quote = Some(c);
        }
        i += 1;
    }
    out
}

fn push(text: &str, r: Range<usize>, out: &mut Vec<Arg>) {
    let part = &text[r.clone()];
    let lead = r.start + (part.len() - part.trim_start().len());
    let t = part.trim();
    if t.is_empty() {
        return;
    }
    let value = lead..lead + t.len();
    // `key: value` / `:key => value`
    let key_len = t.bytes().take_while(|c| c.is_ascii_alphanumeric() || *c == b'_').count();
    if key_len > 0 && (t[key_len..].starts_with(": ") || t[key_len..].starts_with(":\t")) {
        let v = lead + key_len + 1 + (t[key_len + 1..].len() - t[key_len + 1..].trim_start().len());
        out.push(Arg { key: Some(t[..key_len].to_string()), name: None, value: v..lead + t.len() });
        return;
    }
    if let Some((k, v)) = t.split_once("=>") {
        let k = k.trim().trim_start_matches(':').trim_matches(['"', '\'']).to_string();
        let vs = lead + t.len() - v.trim_start().len();
        out.push(Arg { key: Some(k), name: None, value: vs..lead + t.len() });
        return;
    }
    out.push(Arg { key: None, name: name_of(text, &value), value });
}

/// `:users`, `"users"`, `'users'`.
fn name_of(text: &str, r: &Range<usize>) -> Option<(String, Range<usize>)> {
    let t = &text[r.clone()];
    let inner = if let Some(s) = t.strip_prefix(':') {
        (s, r.start + 1..r.end)
    } else if t.len() >= 2 && (t.starts_with('"') && t.ends_with('"') || t.starts_with('\'') && t.ends_with('\'')) {
        (&t[1..t.len() - 1], r.start + 1..r.end - 1)
    } else {
        return None;
    };
    let ok = !inner.0.is_empty() && inner.0.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.');
    ok.then(|| (inner.0.to_string(), inner.1))
}

fn positional(a: &[Arg], n: usize) -> Option<(String, Range<usize>)> {
    a.iter().filter(|a| a.key.is_none()).nth(n)?.name.clone()
}

fn opt<'a>(text: &'a str, a: &[Arg], key: &str) -> Option<&'a str> {
    a.iter().find(|a| a.key.as_deref() == Some(key)).map(|a| text[a.value.clone()].trim())
}

/// The SQL type of a Rails column type (`:string`, `:jsonb`...).
fn sql_type(ty: &str) -> &'static str {
    match ty {
        "integer" => "integer",
        "bigint" | "references" | "belongs_to" => "bigint",
        "boolean" => "boolean",
        "datetime" | "timestamp" => "timestamptz",
        "date" => "date",
        "decimal" | "numeric" => "numeric",
        "float" => "double precision",
        "uuid" => "uuid",
        "json" => "json",
        "jsonb" => "jsonb",
        "string" => "varchar",
        _ => "text",
    }
}

const METHODS: &[&str] = &[
    "create_table",
    "drop_table",
    "rename_table",
    "remove_column",
    "remove_columns",
    "rename_column",
    "add_column",
    "change_column",
    "change_column_null",
    "add_index",
    "remove_index",
    "add_foreign_key",
    "add_reference",
    "add_belongs_to",
    "add_check_constraint",
];

/// The Rails migration methods of a migration file, as chunks of SQL.
pub fn operations(text: &str) -> Vec<Chunk> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut line_start = 0;
    while line_start < text.len() {
        let line_end = text[line_start..].find('\n').map_or(text.len(), |p| line_start + p);
        let lead = text[line_start..line_end].len() - text[line_start..line_end].trim_start().len();
        let at = line_start + lead;
        let word_len = b[at..line_end].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
        let method = &text[at..at + word_len];
        let after = b.get(at + word_len).copied();
        if METHODS.contains(&method) && matches!(after, Some(b' ' | b'(')) {
            let from = at + word_len + 1;
            let a = args(text, from);
            let mut sql = Sql::new(at..at + word_len, text);
            if translate(text, method, &a, &mut sql) {
                let mut chunk = sql.done();
                chunk.rollback = matches!(enclosing_def(text, at), Some("down"));
                out.push(chunk);
            }
        }
        line_start = line_end + 1;
    }
    out
}

fn translate(text: &str, method: &str, a: &[Arg], sql: &mut Sql) -> bool {
    let p = |n: usize| positional(a, n);
    let (Some((t, tat)), second) = (p(0), p(1)) else { return false };
    let is_false = |k: &str| opt(text, a, k) == Some("false");
    let is_true = |k: &str| opt(text, a, k) == Some("true");
    match method {
        "create_table" => {
            sql.kw("CREATE TABLE ").name(&t, &tat).kw(" (id bigint)");
        }
        "drop_table" => {
            sql.kw("DROP TABLE ").name(&t, &tat);
        }
        "rename_table" => {
            let Some((new, nat)) = second else { return false };
            sql.kw("ALTER TABLE ").name(&t, &tat).kw(" RENAME TO ").name(&new, &nat);
        }
        "remove_column" | "remove_columns" => {
            let Some((c, cat)) = second else { return false };
            sql.kw("ALTER TABLE ").name(&t, &tat).kw(" DROP COLUMN ").name(&c, &cat);
        }
        "rename_column" => {
            let (Some((c, cat)), Some((new, nat))) = (second, p(2)) else { return false };
            sql.kw("ALTER TABLE ").name(&t, &tat).kw(" RENAME COLUMN ").name(&c, &cat).kw(" TO ").name(&new, &nat);
        }
        "add_column" | "add_reference" | "add_belongs_to" => {
            let Some((c, cat)) = second else { return false };
            let reference = method != "add_column";
            let ty = if reference { "bigint" } else { p(2).map_or("text", |(ty, _)| sql_type(&ty)) };
            let column = if reference { format!("{c}_id") } else { c.clone() };
            sql.kw("ALTER TABLE ").name(&t, &tat).kw(" ADD COLUMN ").name(&column, &cat).kw(" ").kw(ty);
            if is_false("null") {
                sql.kw(" NOT NULL");
            }
            if opt(text, a, "default").is_some_and(|d| d != "nil") {
                sql.kw(" DEFAULT 0");
            }
            if reference && !is_false("index") {
                let concurrently = opt(text, a, "index").is_some_and(|i| i.contains("concurrently"));
                sql.kw(if concurrently { ";\nCREATE INDEX CONCURRENTLY " } else { ";\nCREATE INDEX " });
                sql.name(&format!("{t}_{column}"), &cat).kw(" ON ").name(&t, &tat).kw(" (id)");
            }
            if reference && opt(text, a, "foreign_key").is_some_and(|f| f != "false") {
                sql.kw(";\nALTER TABLE ").name(&t, &tat).kw(" ADD CONSTRAINT ").name(&c, &cat);
                sql.kw(" FOREIGN KEY (id) REFERENCES other (id)");
            }
        }
        "change_column" => {
            let (Some((c, cat)), Some((ty, _))) = (second, p(2)) else { return false };
            sql.kw("ALTER TABLE ").name(&t, &tat).kw(" ALTER COLUMN ").name(&c, &cat).kw(" TYPE ").kw(sql_type(&ty));
        }
        "change_column_null" => {
            let Some((c, cat)) = second else { return false };
            // `change_column_null :t, :c, false` forbids NULLs.
            let forbids =
                a.iter().filter(|x| x.key.is_none()).nth(2).is_some_and(|x| text[x.value.clone()].trim() == "false");
            if !forbids {
                return false;
            }
            sql.kw("ALTER TABLE ").name(&t, &tat).kw(" ALTER COLUMN ").name(&c, &cat).kw(" SET NOT NULL");
        }
        "add_index" => {
            let concurrently = opt(text, a, "algorithm").is_some_and(|v| v.contains("concurrently"));
            sql.kw(if is_true("unique") { "CREATE UNIQUE INDEX " } else { "CREATE INDEX " });
            if concurrently {
                sql.kw("CONCURRENTLY ");
            }
            sql.name(&format!("index_{t}"), &tat).kw(" ON ").name(&t, &tat).kw(" (id)");
        }
        "remove_index" => {
            let concurrently = opt(text, a, "algorithm").is_some_and(|v| v.contains("concurrently"));
            sql.kw(if concurrently { "DROP INDEX CONCURRENTLY " } else { "DROP INDEX " });
            sql.name(&format!("index_{t}"), &tat);
        }
        "add_foreign_key" | "add_check_constraint" => {
            let kind = if method == "add_foreign_key" {
                " FOREIGN KEY (id) REFERENCES other (id)"
            } else {
                " CHECK (id IS NOT NULL)"
            };
            let name = opt(text, a, "name").map(|n| n.trim_matches(['"', '\'', ':']).to_string());
            sql.kw("ALTER TABLE ").name(&t, &tat).kw(" ADD CONSTRAINT ");
            sql.name(name.as_deref().unwrap_or(&t), &tat).kw(kind);
            if is_false("validate") {
                sql.kw(" NOT VALID");
            }
        }
        _ => return false,
    }
    true
}
