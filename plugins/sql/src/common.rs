//! Statement shapes several rules share.
use std::ops::Range;

use sqlparser::ast::Statement;

use crate::lex::TokKind;
use crate::model::{SqlFile, Stmt};

/// A data-destroying statement: (first token, last token of the clause, what it does).
pub struct Destructive {
    pub toks: (usize, usize),
    pub what: String,
}

/// DELETE/UPDATE without WHERE, TRUNCATE, DROP TABLE/DATABASE/SCHEMA of
/// statement `idx`, unless it only touches what the same file made: a table
/// it created (or creates again right after a DROP), columns it just added.
pub fn destructive(file: &SqlFile, idx: usize) -> Option<Destructive> {
    let s = &file.stmts[idx];
    if let Some((kw, name, table)) = unfiltered_write(s) {
        let cols = updated_columns(s);
        let backfill = s.is(kw, "UPDATE")
            && ((!cols.is_empty() && cols.iter().all(|c| file.column_is_new(&name, c, idx))) || recomputes_from_row(s));
        if file.table_is_new(&name, idx) || backfill {
            return None;
        }
        return Some(Destructive {
            toks: (kw, kw),
            what: format!("{} without WHERE on `{table}`", s.t(kw).to_ascii_uppercase()),
        });
    }
    if s.starts(&["TRUNCATE"]) {
        let i = if s.is(1, "TABLE") { 2 } else { 1 };
        let i = if s.is(i, "ONLY") { i + 1 } else { i };
        let (name, shown) = s.name_at(i).map_or_else(Default::default, |n| (n.0, n.1));
        if file.table_is_new(&name, idx) {
            return None;
        }
        return Some(Destructive { toks: (0, 0), what: format!("TRUNCATE of `{shown}`") });
    }
    if let Some((kw_end, object, name)) = drop_object(s) {
        let names = dropped_names(s);
        let made_here = !names.is_empty() && names.iter().all(|n| file.table_is_new(n, idx));
        if object == "TABLE" && (made_here || recreated(file, idx, &names)) {
            return None;
        }
        if matches!(object.as_str(), "TABLE" | "DATABASE" | "SCHEMA") && !name.is_empty() {
            return Some(Destructive { toks: (0, kw_end), what: format!("DROP {object} `{name}`") });
        }
    }
    None
}

/// `DROP <object> [IF EXISTS] name`: (index of the object keyword, object upper-case, shown name).
pub fn drop_object(s: &Stmt) -> Option<(usize, String, String)> {
    if !s.starts(&["DROP"]) {
        return None;
    }
    let mut i = 1;
    if s.is(i, "TEMPORARY") {
        i += 1;
    }
    let object = s.t(i).to_ascii_uppercase();
    let kw = i;
    i += 1;
    if s.is(i, "CONCURRENTLY") {
        i += 1;
    }
    if s.seq(i, &["IF", "EXISTS"]) {
        i += 2;
    }
    let name = s.name_at(i).map_or_else(String::new, |n| n.1);
    Some((kw, object, name))
}

/// All names dropped by `DROP <object> a, b, c` (normalized).
pub fn dropped_names(s: &Stmt) -> Vec<String> {
    let mut out = Vec::new();
    let Some((kw, _, _)) = drop_object(s) else { return out };
    let mut i = kw + 1;
    while s.is(i, "CONCURRENTLY") || s.is(i, "IF") || s.is(i, "EXISTS") {
        i += 1;
    }
    while let Some((n, _, next)) = s.name_at(i) {
        out.push(n);
        if s.t(next) != "," {
            break;
        }
        i = next + 1;
    }
    out
}

/// DELETE or UPDATE with no WHERE (nor LIMIT): (keyword token, table, table shown).
pub fn unfiltered_write(s: &Stmt) -> Option<(usize, String, String)> {
    // WITH ... DELETE/UPDATE: the keyword after the CTEs, at depth 0.
    let kw = (0..s.toks.len())
        .find(|&i| s.toks[i].depth == 0 && (s.is(i, "DELETE") || s.is(i, "UPDATE")) && (i == 0 || s.is(0, "WITH")))?;
    if kw > 0 && s.is(kw - 1, "FOR") {
        return None;
    }
    let filtered = match &s.ast {
        Some(Statement::Delete(d)) => d.selection.is_some() || d.limit.is_some(),
        Some(Statement::Update { selection, limit, .. }) => selection.is_some() || limit.is_some(),
        // Token fallback: a WHERE, LIMIT or WHERE CURRENT OF at depth 0.
        _ => s.find_in(kw, s.toks.len(), &["WHERE"]).is_some() || s.find_in(kw, s.toks.len(), &["LIMIT"]).is_some(),
    };
    if filtered {
        return None;
    }
    let mut i = kw + 1;
    if s.is(i, "FROM") {
        i += 1;
    }
    if s.is(i, "ONLY") {
        i += 1;
    }
    let (name, shown) = s.name_at(i).map_or_else(Default::default, |n| (n.0, n.1));
    Some((kw, name, shown))
}

/// The actions of an `ALTER TABLE` on a table that existed before the file
/// (PostgreSQL only): (table, shown table, action token range).
pub fn existing_table_actions(file: &SqlFile, idx: usize) -> Vec<(String, String, Range<usize>)> {
    let s = &file.stmts[idx];
    let Some(at) = s.alter_table() else { return Vec::new() };
    if file.table_is_new(&at.table, idx) {
        return Vec::new();
    }
    at.actions.into_iter().map(|a| (at.table.clone(), at.shown.clone(), a)).collect()
}

/// A column definition inside `ADD [COLUMN]`.
pub struct ColumnDef {
    pub name: String,
    /// Token of the name.
    pub name_tok: usize,
    /// Type tokens.
    pub ty: Range<usize>,
    /// `NOT NULL` token.
    pub not_null: Option<usize>,
    /// DEFAULT keyword and its expression tokens.
    pub default: Option<(usize, Range<usize>)>,
    /// `GENERATED ALWAYS AS (...) STORED`: the GENERATED token.
    pub stored: Option<usize>,
    /// `GENERATED ... AS IDENTITY`: the GENERATED token.
    pub identity: Option<usize>,
}

/// Words that end a column's type: its constraints and MySQL's placement.
pub(crate) const CONSTRAINT_WORDS: &[&str] = &[
    "NOT",
    "NULL",
    "DEFAULT",
    "PRIMARY",
    "UNIQUE",
    "REFERENCES",
    "CHECK",
    "CONSTRAINT",
    "GENERATED",
    "COLLATE",
    "AUTO_INCREMENT",
    "COMMENT",
    "AFTER",
    "FIRST",
    "ON",
];

/// `ADD [COLUMN] [IF NOT EXISTS] name type ...` in an ALTER TABLE action.
pub fn add_column(s: &Stmt, a: &Range<usize>) -> Option<ColumnDef> {
    if !s.is(a.start, "ADD") {
        return None;
    }
    let mut i = a.start + 1;
    if s.is(i, "COLUMN") {
        i += 1;
    } else if [
        "CONSTRAINT",
        "PRIMARY",
        "UNIQUE",
        "FOREIGN",
        "CHECK",
        "INDEX",
        "KEY",
        "EXCLUDE",
        "FULLTEXT",
        "SPATIAL",
        "PARTITION",
    ]
    .iter()
    .any(|w| s.is(i, w))
        || s.t(i) == "("
    {
        return None;
    }
    if s.seq(i, &["IF", "NOT", "EXISTS"]) {
        i += 3;
    }
    let (name, _, next) = s.name_at(i)?;
    let name_tok = i;
    let depth = s.toks[a.start].depth;
    let at_depth = |k: usize| s.toks[k].depth == depth;
    let mut k = next;
    while k < a.end && !(at_depth(k) && CONSTRAINT_WORDS.iter().any(|w| s.is(k, w))) {
        k += 1;
    }
    let ty = next..k;
    let mut col = ColumnDef { name, name_tok, ty, not_null: None, default: None, stored: None, identity: None };
    while k < a.end {
        if at_depth(k) && s.seq(k, &["NOT", "NULL"]) {
            col.not_null = Some(k);
        } else if at_depth(k) && s.is(k, "DEFAULT") {
            let mut e = k + 1;
            while e < a.end && !(at_depth(e) && e > k + 1 && CONSTRAINT_WORDS.iter().any(|w| s.is(e, w))) {
                e += 1;
            }
            col.default = Some((k, k + 1..e));
            k = e;
            continue;
        } else if at_depth(k) && s.is(k, "GENERATED") {
            let end = (k..a.end).find(|&e| at_depth(e) && (s.is(e, "STORED") || s.is(e, "IDENTITY")));
            match end {
                Some(e) if s.is(e, "STORED") => col.stored = Some(k),
                Some(_) => col.identity = Some(k),
                None => {}
            }
        }
        k += 1;
    }
    Some(col)
}

impl ColumnDef {
    /// The type is SERIAL/BIGSERIAL/SMALLSERIAL.
    pub fn serial(&self, s: &Stmt) -> bool {
        self.ty
            .clone()
            .any(|i| ["SERIAL", "BIGSERIAL", "SMALLSERIAL", "SERIAL4", "SERIAL8", "SERIAL2"].iter().any(|w| s.is(i, w)))
    }
    /// The default is `NULL` (or absent).
    pub fn default_is_null(&self, s: &Stmt) -> bool {
        match &self.default {
            None => true,
            Some((_, e)) => e.len() == 1 && s.is(e.start, "NULL"),
        }
    }
}

/// `ADD [CONSTRAINT name] <kind> ...`: (first token, kind token, constraint name shown).
pub fn add_constraint(s: &Stmt, a: &Range<usize>) -> Option<(usize, usize, Option<String>)> {
    if !s.is(a.start, "ADD") {
        return None;
    }
    let mut i = a.start + 1;
    let mut name = None;
    if s.is(i, "CONSTRAINT") {
        let (_, shown, next) = s.name_at(i + 1)?;
        name = Some(shown);
        i = next;
    }
    ["FOREIGN", "CHECK", "UNIQUE", "PRIMARY", "EXCLUDE"].iter().any(|w| s.is(i, w)).then_some((a.start, i, name))
}

/// `ALTER [COLUMN] name ...`: (column, column token, index after the name).
pub fn alter_column(s: &Stmt, a: &Range<usize>) -> Option<(String, usize, usize)> {
    if !s.is(a.start, "ALTER") {
        return None;
    }
    let i = if s.is(a.start + 1, "COLUMN") { a.start + 2 } else { a.start + 1 };
    let (c, _, next) = s.name_at(i)?;
    Some((c, i, next))
}

/// Only PostgreSQL: lock rules do not apply to MySQL, SQLite, CockroachDB.
pub fn pg(s: &Stmt) -> bool {
    s.is_postgres()
}

/// A forward PostgreSQL statement: the lock and rewrite rules judge what a
/// deploy runs, not rollback code (a down migration undoes a reviewed one and
/// runs when something already went wrong; strong_migrations skips it too).
pub fn forward_pg(s: &Stmt) -> bool {
    s.is_postgres() && !s.rollback
}

/// Statements that take an ACCESS EXCLUSIVE lock on an existing table: (table, token range to point at).
pub fn access_exclusive(file: &SqlFile, idx: usize) -> Option<(String, (usize, usize))> {
    let s = &file.stmts[idx];
    if !pg(s) {
        return None;
    }
    if let Some(at) = s.alter_table() {
        if file.table_is_new(&at.table, idx) {
            return None;
        }
        // VALIDATE CONSTRAINT and SET STATISTICS take weaker locks.
        let weak = at.actions.iter().all(|a| {
            s.is(a.start, "VALIDATE")
                || (s.is(a.start, "ALTER") && s.find_in(a.start, a.end, &["SET", "STATISTICS"]).is_some())
        });
        if weak || at.actions.is_empty() {
            return None;
        }
        return Some((at.table, (0, 1)));
    }
    if let Some((kw, object, _)) = drop_object(s) {
        if object == "TABLE" || (object == "INDEX" && !s.is(kw + 1, "CONCURRENTLY")) {
            let names = dropped_names(s);
            let new = names.iter().all(|n| file.table_is_new(n, idx) || file.index_is_new(n, idx));
            // A dropped index locks its table: name the table when the migrations show it.
            let first = names.first().cloned().unwrap_or_default();
            let table = if object == "INDEX" { file.index_owner(&first).unwrap_or(first) } else { first };
            return (!new).then_some((table, (0, kw)));
        }
    }
    if s.starts(&["TRUNCATE"]) || s.starts(&["CLUSTER"]) || s.seq(0, &["VACUUM", "FULL"]) || s.starts(&["LOCK"]) {
        let name = s.name_at(1).map(|n| n.0).unwrap_or_default();
        return Some((name, (0, 0)));
    }
    None
}

/// The help line shared by lock rules: set lock_timeout.
pub const LOCK_TIMEOUT_HINT: &str =
    "run it with `SET lock_timeout = '5s';` first, so it fails fast instead of queueing every query behind it";

/// `DROP TABLE t` where the same file (or a later step of the same split
/// migration) creates `t` again afterwards: a schema (re)creation script or a
/// table rebuild, not a removal.
pub fn recreated(file: &SqlFile, idx: usize, names: &[String]) -> bool {
    !names.is_empty()
        && names.iter().all(|n| {
            file.created_tables.iter().any(|(t, i)| t == n && *i > idx) || file.unit.later_tables.iter().any(|t| t == n)
        })
}

/// Columns assigned by `UPDATE t SET a = ..., b = ...` (normalized).
pub fn updated_columns(s: &Stmt) -> Vec<String> {
    let mut out = Vec::new();
    let Some(set) = s.find(&["SET"]) else { return out };
    let mut i = set + 1;
    while let Some((c, _, next)) = s.name_at(i) {
        out.push(c);
        if s.t(next) != "=" {
            break;
        }
        // Skip the expression to the next top-level comma.
        let Some(comma) = (next..s.toks.len())
            .find(|&k| s.toks[k].depth == 0 && (s.t(k) == "," || s.is(k, "FROM") || s.is(k, "RETURNING")))
        else {
            break;
        };
        if s.t(comma) != "," {
            break;
        }
        i = comma + 1;
    }
    out
}

/// An insertion right after keyword token `kw` of `s`, for a statement that
/// runs outside any transaction, when the file holds the keyword verbatim
/// there (not rebuilt from an escaped string): CONCURRENTLY is rejected
/// inside a transaction.
pub fn concurrently_after(
    cx: &opslint_sdk::Ctx,
    s: &Stmt,
    file: &SqlFile,
    kw: usize,
    insert: &str,
) -> Option<(Range<usize>, String)> {
    if s.in_tx {
        return None;
    }
    let at = s.span_of(file, kw, kw);
    let verbatim = cx.text.get(at.clone()).is_some_and(|t| t.eq_ignore_ascii_case(s.t(kw)));
    // In the case the statement is written in.
    let lower = s.t(kw).chars().all(|c| c.is_ascii_lowercase());
    verbatim.then(|| (at.end..at.end, if lower { insert.to_ascii_lowercase() } else { insert.to_string() }))
}

const EXPR_WORDS: &[&str] = &[
    "NULL",
    "TRUE",
    "FALSE",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "AND",
    "OR",
    "NOT",
    "IS",
    "IN",
    "AS",
    "CAST",
    "INTERVAL",
    "CURRENT_TIMESTAMP",
    "CURRENT_DATE",
    "CURRENT_TIME",
    "LOCALTIMESTAMP",
    "DEFAULT",
    "ARRAY",
    "DISTINCT",
    "BETWEEN",
    "LIKE",
    "ILIKE",
    "COLLATE",
    "AT",
    "TIME",
    "ZONE",
];

/// `UPDATE t SET a = <expr>, ...` where every value is computed from the
/// row's own columns (`SET search_vector = to_tsvector(name)`, `SET
/// logout_token = token`, `SET "ui" = "_ui_tmp"`): a recomputation or a copy
/// between columns, meant for every row, not a forgotten WHERE. A constant
/// or a subquery is not.
pub fn recomputes_from_row(s: &Stmt) -> bool {
    let Some(set) = s.find(&["SET"]) else { return false };
    let mut i = set + 1;
    let mut any = false;
    while let Some((_, _, next)) = s.name_at(i) {
        if s.t(next) != "=" {
            return false;
        }
        let end = (next + 1..s.toks.len())
            .find(|&k| {
                s.toks[k].depth == 0 && (s.t(k) == "," || s.is(k, "FROM") || s.is(k, "RETURNING") || s.t(k) == ";")
            })
            .unwrap_or(s.toks.len());
        let reads_row = (next + 1..end).any(|k| {
            let word = matches!(s.toks[k].kind, TokKind::Word | TokKind::Quoted);
            word && s.t(k + 1) != "("
                && !s.t(k.saturating_sub(1)).ends_with(':')
                && !s.is(k.saturating_sub(1), "AS")
                && !EXPR_WORDS.iter().any(|w| s.is(k, w))
        });
        if !reads_row || (next + 1..end).any(|k| s.is(k, "SELECT")) {
            return false;
        }
        any = true;
        if s.t(end) != "," {
            break;
        }
        i = end + 1;
    }
    any
}

/// `UPDATE t SET b = a, ...` without WHERE: (t, a) for each value that is
/// just another column of the row, copied whole.
pub fn column_copies(s: &Stmt) -> Vec<(String, String)> {
    let Some((kw, table, _)) = unfiltered_write(s) else { return Vec::new() };
    if !s.is(kw, "UPDATE") {
        return Vec::new();
    }
    let Some(set) = s.find(&["SET"]) else { return Vec::new() };
    let mut out = Vec::new();
    let mut i = set + 1;
    while let Some((_, _, eq)) = s.name_at(i) {
        if s.t(eq) != "=" {
            break;
        }
        let Some((src, _, after)) = s.name_at(eq + 1) else { break };
        let end = s.t(after) == "," || after >= s.toks.len() || s.t(after) == ";";
        if end {
            out.push((table.clone(), src));
        }
        if s.t(after) != "," {
            break;
        }
        i = after + 1;
    }
    out
}

/// After `ALTER [COLUMN] c`: where the new type starts, for `TYPE ty` and
/// `SET DATA TYPE ty`.
pub fn new_type_at(s: &Stmt, next: usize) -> Option<usize> {
    if s.is(next, "TYPE") {
        Some(next + 1)
    } else if s.seq(next, &["SET", "DATA", "TYPE"]) {
        Some(next + 3)
    } else {
        None
    }
}

/// The column whose declared type token `i` is, in `CREATE TABLE`, `ADD
/// COLUMN` or `ALTER COLUMN ... TYPE` (not a cast, a default or a function).
pub fn declared_type_of(s: &Stmt, i: usize) -> Option<&str> {
    let table_def = s.starts(&["CREATE"]) && s.find(&["TABLE"]).is_some_and(|t| t <= 4);
    let alter = s.alter_table().is_some();
    if i == 0 || !(table_def || alter) || s.toks[i].depth > 1 || s.t(i - 1) == "::" || s.t(i - 1) == ":" {
        return None;
    }
    let prev = s.t(i - 1);
    if prev.eq_ignore_ascii_case("TYPE") {
        return Some(s.t(i.saturating_sub(2)));
    }
    let after_name = matches!(s.toks[i - 1].kind, TokKind::Word | TokKind::Quoted)
        && !["DEFAULT", "AS", "CAST", "RETURNS", "USING", "ON", "TABLE"].iter().any(|w| prev.eq_ignore_ascii_case(w))
        && (table_def && s.toks[i].depth == 1 || alter);
    after_name.then_some(prev)
}
