//! Whether a statement sqlparser could not read is certainly invalid, or only
//! syntax the parser does not know. PostgreSQL's grammar is far larger than
//! any parser's (`ALTER ... ALTER CONSTRAINT`, `SET STORAGE`, `CREATE USER ...
//! PASSWORD`, `REINDEX`, psql's `:'var'`...), and a valid migration must never
//! be reported as unreadable: only what no database accepts is a finding. The
//! rules work on tokens, so a statement the parser skipped is still checked.
use crate::lex::TokKind;
use crate::model::{Dialect, Stmt};

/// Commands PostgreSQL (and CockroachDB) start a statement with.
const POSTGRES: &[&str] = &[
    "ABORT",
    "ALTER",
    "ANALYZE",
    "ANALYSE",
    "BEGIN",
    "CALL",
    "CHECKPOINT",
    "CLOSE",
    "CLUSTER",
    "COMMENT",
    "COMMIT",
    "COPY",
    "CREATE",
    "DEALLOCATE",
    "DECLARE",
    "DELETE",
    "DISCARD",
    "DO",
    "DROP",
    "END",
    "EXECUTE",
    "EXPLAIN",
    "FETCH",
    "GRANT",
    "IMPORT",
    "INSERT",
    "LISTEN",
    "LOAD",
    "LOCK",
    "MERGE",
    "MOVE",
    "NOTIFY",
    "PREPARE",
    "REASSIGN",
    "REFRESH",
    "REINDEX",
    "RELEASE",
    "RESET",
    "REVOKE",
    "ROLLBACK",
    "SAVEPOINT",
    "SECURITY",
    "SELECT",
    "SET",
    "SHOW",
    "START",
    "TABLE",
    "TRUNCATE",
    "UNLISTEN",
    "UPDATE",
    "VACUUM",
    "VALUES",
    "WITH",
];

/// Commands of MySQL/MariaDB beyond the common ones.
const MYSQL: &[&str] = &[
    "BINLOG",
    "CACHE",
    "CHANGE",
    "CHECK",
    "CHECKSUM",
    "DESC",
    "DESCRIBE",
    "FLUSH",
    "HANDLER",
    "HELP",
    "INSTALL",
    "KILL",
    "OPTIMIZE",
    "PURGE",
    "RENAME",
    "REPAIR",
    "REPLACE",
    "RESIGNAL",
    "SHUTDOWN",
    "SIGNAL",
    "SOURCE",
    "STOP",
    "UNINSTALL",
    "UNLOCK",
    "USE",
    "XA",
];

/// Commands of SQLite beyond the common ones.
const SQLITE: &[&str] = &["ATTACH", "DETACH", "PRAGMA", "REPLACE"];

/// What PostgreSQL creates, alters or drops (the word after CREATE/ALTER/DROP and its modifiers).
const PG_OBJECTS: &[&str] = &[
    "ACCESS",
    "AGGREGATE",
    "CAST",
    "COLLATION",
    "CONSTRAINT",
    "CONVERSION",
    "DATABASE",
    "DEFAULT",
    "DOMAIN",
    "EVENT",
    "EXTENSION",
    "FOREIGN",
    "FUNCTION",
    "GROUP",
    "INDEX",
    "LANGUAGE",
    "LARGE",
    "MATERIALIZED",
    "OPERATOR",
    "OWNED",
    "POLICY",
    "PROCEDURE",
    "PUBLICATION",
    "ROLE",
    "ROUTINE",
    "RULE",
    "SCHEMA",
    "SEQUENCE",
    "SERVER",
    "STATISTICS",
    "SUBSCRIPTION",
    "SYSTEM",
    "TABLE",
    "TABLESPACE",
    "TEXT",
    "TRANSFORM",
    "TRIGGER",
    "TYPE",
    "USER",
    "VIEW",
];

/// Words between CREATE and the object (`CREATE OR REPLACE TEMP VIEW`).
const PG_MODIFIERS: &[&str] = &[
    "OR",
    "REPLACE",
    "TEMP",
    "TEMPORARY",
    "UNLOGGED",
    "GLOBAL",
    "LOCAL",
    "UNIQUE",
    "RECURSIVE",
    "TRUSTED",
    "PROCEDURAL",
];

/// Words and signs no complete statement ends with (`ALTER TABLE t ADD COLUMN`, `DELETE FROM`).
const NEVER_LAST: &[&str] =
    &["ADD", "AND", "AS", "BY", "COLUMN", "FROM", "INTO", "OR", "SET", "TO", "VALUES", "WHERE", ",", "=", "."];

/// Why no database would accept `s`, when that is certain; `None` when the
/// statement is well-formed as far as tokens tell (a parser gap, not reported).
pub fn certain_problem(s: &Stmt) -> Option<String> {
    let first = s.toks.first()?;
    if let Some(t) = s.toks.iter().find(|t| t.open) {
        let what = match s.text[t.range.clone()].as_bytes()[0] {
            b'"' | b'`' => "a quoted name",
            b'$' => "a dollar-quoted string",
            _ => "a string",
        };
        return Some(format!("{what} is never closed"));
    }
    let opens = s.toks.iter().filter(|t| t.kind == TokKind::Punct && s.text[t.range.clone()] == *"(").count();
    let closes = s.toks.iter().filter(|t| t.kind == TokKind::Punct && s.text[t.range.clone()] == *")").count();
    if opens != closes {
        return Some(format!("{opens} `(` but {closes} `)`"));
    }
    let last = s.toks.len() - 1;
    if NEVER_LAST.iter().any(|w| s.t(last).eq_ignore_ascii_case(w)) && s.toks[last].kind != TokKind::Str && last > 0 {
        return Some(format!("it ends after `{}`", s.t(last)));
    }
    if s.text.contains("{{") || s.text.contains("{%") {
        return Some("a template (`{{ }}`), not SQL until it is rendered".into());
    }
    if first.kind != TokKind::Word {
        // `(SELECT ...) UNION ...`; anything else opening a statement is not SQL.
        return (s.t(0) != "(").then(|| format!("a statement cannot start with `{}`", s.t(0)));
    }
    let word = s.t(0).to_ascii_uppercase();
    // An interpolated shell variable (`psql -c "$SQL"`): the command is not known.
    if word.bytes().all(|b| b == b'_') {
        return None;
    }
    let extra: &[&str] = match s.dialect {
        Dialect::MySql => MYSQL,
        Dialect::Sqlite => SQLITE,
        Dialect::Postgres | Dialect::Cockroach => &[],
    };
    if !POSTGRES.contains(&word.as_str()) && !extra.contains(&word.as_str()) {
        return Some(format!("`{}` is not an SQL command", s.t(0)));
    }
    if s.dialect == Dialect::Postgres && matches!(word.as_str(), "CREATE" | "ALTER" | "DROP") {
        let mut i = 1;
        while PG_MODIFIERS.iter().any(|m| s.is(i, m)) {
            i += 1;
        }
        let object = s.t(i).to_ascii_uppercase();
        let known = s.toks.get(i).is_some_and(|t| t.kind == TokKind::Word) && PG_OBJECTS.contains(&object.as_str());
        if !known {
            return Some(format!("PostgreSQL has no `{word} {}`", s.t(i)));
        }
    }
    None
}
