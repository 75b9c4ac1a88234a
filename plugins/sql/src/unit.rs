//! Migrations split over several files. Some tools write one migration as a
//! series of files, one statement each (ory/pop and popx:
//! `20210410175418000049_network.postgres.up.sql` is step 49 of migration
//! 20210410175418), with one file per dialect or one for all. A table created,
//! a column added or a copy renamed into place in another file of the same
//! migration is as much the migration's own work as if it were in the same
//! file: this module gives every file what the other files of its migration
//! do (earlier steps: tables created, columns added; later steps: tables
//! created again, copies renamed into place).
use std::collections::BTreeMap;

use crate::model::{SqlFile, Stmt};

/// Where a file sits in a split migration.
struct Step {
    /// (folder, migration version): the files of one migration.
    unit: (String, String),
    /// Orders the steps (the file name: the step number follows the version).
    order: String,
    /// The dialect the file is for (`postgres`, `mysql`, `sqlite3`...), or `None` for all.
    dialect: Option<String>,
}

/// A split-migration step: a file name starting with a 20-digit number
/// (14-digit timestamp, 6-digit step), an up migration.
fn step_of(path: &str) -> Option<Step> {
    let path = path.replace('\\', "/");
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", &path));
    let lower = name.to_ascii_lowercase();
    let digits = lower.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 20 || !lower.ends_with(".up.sql") {
        return None;
    }
    let dialect = lower
        .split('.')
        .find(|seg| matches!(*seg, "postgres" | "postgresql" | "mysql" | "sqlite" | "sqlite3" | "cockroach"))
        .map(|d| if d == "sqlite" { "sqlite3".to_string() } else { d.to_string() });
    Some(Step { unit: (dir.to_string(), lower[..14].to_string()), order: lower, dialect })
}

/// What one file does that its sibling steps care about.
#[derive(Default, Clone)]
struct Made {
    tables: Vec<String>,
    columns: Vec<(String, String)>,
    /// `ALTER TABLE from RENAME TO to`: (from, to).
    renames: Vec<(String, String)>,
    /// `UPDATE t SET b = a`: (t, a).
    copies: Vec<(String, String)>,
}

fn made(file: &SqlFile) -> Made {
    let mut m = Made {
        tables: file.created_tables.iter().map(|(t, _)| t.clone()).collect(),
        columns: file.added_columns.iter().map(|(t, c, _)| (t.clone(), c.clone())).collect(),
        renames: Vec::new(),
        copies: file.stmts.iter().flat_map(crate::common::column_copies).collect(),
    };
    for s in &file.stmts {
        let Some(alter) = s.alter_table() else { continue };
        for a in &alter.actions {
            if s.is(a.start, "RENAME") && s.is(a.start + 1, "TO") {
                if let Some((to, _, _)) = s.name_at(a.start + 2) {
                    m.renames.push((alter.table.clone(), to));
                }
            }
        }
    }
    m
}

/// Fills each file's `unit` context from the other steps of its migration:
/// earlier steps for the same dialect (or for all) and later ones likewise.
pub fn link(files: &mut [(usize, SqlFile)], paths: &[&str]) {
    // (folder, version) -> (order, dialect, index into `files`)
    type Steps = Vec<(String, Option<String>, usize)>;
    let mut units: BTreeMap<(String, String), Steps> = BTreeMap::new();
    for (k, (doc, _)) in files.iter().enumerate() {
        let Some(step) = paths.get(*doc).and_then(|p| step_of(p)) else { continue };
        units.entry(step.unit).or_default().push((step.order, step.dialect, k));
    }
    for steps in units.values_mut() {
        if steps.len() < 2 {
            continue;
        }
        steps.sort();
        let made: Vec<Made> = steps.iter().map(|(_, _, k)| made(&files[*k].1)).collect();
        // A step sees the steps for every dialect and those for its own.
        let sees = |mine: &Option<String>, other: &Option<String>| other.is_none() || other == mine;
        for (i, (_, dialect, k)) in steps.iter().enumerate() {
            let mut before = Made::default();
            let mut after = Made::default();
            for (j, (_, other, _)) in steps.iter().enumerate() {
                if j == i || !sees(dialect, other) {
                    continue;
                }
                let into = if j < i { &mut before } else { &mut after };
                into.tables.extend(made[j].tables.iter().cloned());
                into.columns.extend(made[j].columns.iter().cloned());
                into.renames.extend(made[j].renames.iter().cloned());
                into.copies.extend(made[j].copies.iter().cloned());
            }
            let u = &mut files[*k].1.unit;
            u.tables = before.tables;
            u.columns = before.columns;
            u.later_tables = after.tables;
            u.later_renames = after.renames;
            u.copied_columns = before.copies;
        }
    }
}

/// Column types as the migrations of one folder leave them, step by step:
/// each file learns the type its columns had before it (`Unit::prior_types`,
/// only for the columns it changes the type of), so restating a column's type
/// or widening a `varchar` is told apart from a real type change.
pub fn history(files: &mut [(usize, SqlFile)], paths: &[&str]) {
    // folder -> (order, dialect, index into `files`)
    type Files = Vec<(String, Option<&'static str>, usize)>;
    let mut dirs: BTreeMap<String, Files> = BTreeMap::new();
    for (k, (doc, file)) in files.iter().enumerate() {
        let Some(path) = paths.get(*doc) else { continue };
        let lower = path.replace('\\', "/").to_ascii_lowercase();
        if file.kind != crate::extract::Kind::Sql || !file.migration || lower.ends_with("down.sql") {
            continue;
        }
        let (dir, name) = lower.rsplit_once('/').unwrap_or(("", &lower));
        dirs.entry(dir.to_string()).or_default().push((natural(name), file_dialect(name), k));
    }
    for steps in dirs.values_mut() {
        steps.sort();
        // Per dialect: a file for all dialects updates every map.
        let mut maps: BTreeMap<&'static str, Schema> = BTreeMap::new();
        let mut initial: BTreeMap<&'static str, bool> = BTreeMap::new();
        for &(_, dialect, k) in steps.iter() {
            let file = &mut files[k].1;
            let dialects: Vec<&'static str> = match dialect {
                Some(d) => vec![d],
                None => vec!["postgres", "mysql", "sqlite3", "cockroach"],
            };
            let creates = file.stmts.iter().filter(|s| !s.rollback).all(only_creates);
            file.unit.initial = creates && dialects.iter().all(|d| *initial.entry(d).or_insert(true));
            if !creates {
                dialects.iter().for_each(|d| _ = initial.insert(d, false));
            }
            let map = maps.entry(dialect.unwrap_or("postgres")).or_default();
            let mut prior = Vec::new();
            let mut owners = Vec::new();
            for s in &file.stmts {
                for (t, c, _) in type_changes(s) {
                    if let Some(ty) = map.types.get(&(t.clone(), c.clone())) {
                        prior.push((t, c, ty.clone()));
                    }
                }
                if crate::common::drop_object(s).is_some_and(|(_, o, _)| o == "INDEX") {
                    for n in crate::common::dropped_names(s) {
                        if let Some(t) = map.indexes.get(&n) {
                            owners.push((n, t.clone()));
                        }
                    }
                }
            }
            file.unit.prior_types = prior;
            file.unit.index_tables = owners;
            file.unit.cascade_reach = file
                .stmts
                .iter()
                .filter(|s| s.starts(&["TRUNCATE"]) && s.find(&["CASCADE"]).is_some())
                .flat_map(truncated)
                .filter(|t| map.tables.contains(t))
                .map(|t| {
                    let reach = map.refs.get(&t).map(|r| r.iter().cloned().collect()).unwrap_or_default();
                    (t, reach)
                })
                .collect();
            let targets: Vec<&'static str> = match dialect {
                Some(d) => vec![d],
                None => vec!["postgres", "mysql", "sqlite3", "cockroach"],
            };
            for s in &files[k].1.stmts {
                for d in &targets {
                    apply(maps.entry(d).or_default(), s);
                }
            }
        }
    }
}

/// A statement an initial schema is made of: it creates, seeds or sets, and
/// changes nothing that existed before.
fn only_creates(s: &crate::model::Stmt) -> bool {
    ["CREATE", "COMMENT", "SET", "INSERT", "BEGIN", "START", "COMMIT", "END", "GRANT", "SELECT"]
        .iter()
        .any(|w| s.starts(&[w]))
}

/// The file name with its digit runs padded, so `V10__` sorts after `V9__`.
pub(crate) fn natural(name: &str) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    for c in name.chars().chain(std::iter::once('\0')) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if !digits.is_empty() {
            out.push_str(&format!("{digits:0>24}"));
            digits.clear();
        }
        if c != '\0' {
            out.push(c);
        }
    }
    out
}

fn file_dialect(name: &str) -> Option<&'static str> {
    name.split('.').find_map(|seg| match seg {
        "postgres" | "postgresql" => Some("postgres"),
        "mysql" => Some("mysql"),
        "sqlite" | "sqlite3" => Some("sqlite3"),
        "cockroach" => Some("cockroach"),
        _ => None,
    })
}

/// A type as written, in one spelling: lower case, no spaces or quotes,
/// PostgreSQL's long names shortened.
pub fn norm_type(t: &str) -> String {
    let t: String = t.chars().filter(|c| !c.is_whitespace() && *c != '"').collect::<String>().to_ascii_lowercase();
    let t = t.replace("charactervarying", "varchar").replace("timestampwithtimezone", "timestamptz");
    let t = t.replace("timestampwithouttimezone", "timestamp");
    match t.as_str() {
        "integer" | "int4" => "int".into(),
        "int8" => "bigint".into(),
        "boolean" => "bool".into(),
        _ => t,
    }
}

fn type_text(s: &Stmt, from: usize, to: usize) -> Option<String> {
    (from < to && to <= s.toks.len()).then(|| norm_type(&s.text[s.toks[from].range.start..s.toks[to - 1].range.end]))
}

/// `ALTER TABLE t ALTER [COLUMN] c [SET DATA] TYPE ty`: (table, column, new type).
pub fn type_changes(s: &Stmt) -> Vec<(String, String, String)> {
    let Some(at) = s.alter_table() else { return Vec::new() };
    let mut out = Vec::new();
    for a in &at.actions {
        let Some((col, _, next)) = crate::common::alter_column(s, a) else { continue };
        let Some(ty) = crate::common::new_type_at(s, next) else { continue };
        let end = s.find_in(ty, a.end, &["USING"]).or_else(|| s.find_in(ty, a.end, &["COLLATE"])).unwrap_or(a.end);
        if let Some(t) = type_text(s, ty, end) {
            out.push((at.table.clone(), col, t));
        }
    }
    out
}

const NOT_A_COLUMN: &[&str] =
    &["CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "KEY", "INDEX", "EXCLUDE", "LIKE"];

/// What the earlier migrations of a folder left: column types, and the table of each index.
#[derive(Default)]
struct Schema {
    types: BTreeMap<(String, String), String>,
    indexes: BTreeMap<String, String>,
    /// Tables created so far.
    tables: std::collections::BTreeSet<String>,
    /// Referenced table -> tables with a foreign key to it.
    refs: BTreeMap<String, std::collections::BTreeSet<String>>,
}

/// The tables a `TRUNCATE [TABLE] [ONLY] a, b` names.
pub fn truncated(s: &Stmt) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = if s.is(1, "TABLE") { 2 } else { 1 };
    loop {
        if s.is(i, "ONLY") {
            i += 1;
        }
        let Some((name, _, next)) = s.name_at(i) else { break };
        out.push(name);
        if s.t(next) != "," {
            break;
        }
        i = next + 1;
    }
    out
}

/// Foreign keys a CREATE TABLE or ALTER TABLE declares: (referencing, referenced).
fn foreign_keys(s: &Stmt) -> Vec<(String, String)> {
    let table = if let Some(at) = s.alter_table() {
        at.table
    } else if s.starts(&["CREATE"]) {
        let Some(t) = s.find(&["TABLE"]) else { return Vec::new() };
        let i = if s.seq(t + 1, &["IF", "NOT", "EXISTS"]) { t + 4 } else { t + 1 };
        let Some((name, _, _)) = s.name_at(i) else { return Vec::new() };
        name
    } else {
        return Vec::new();
    };
    (0..s.toks.len())
        .filter(|&i| s.is(i, "REFERENCES"))
        .filter_map(|i| s.name_at(i + 1).map(|(r, _, _)| (table.clone(), r)))
        .collect()
}

/// What statement `s` does to `schema`.
fn apply(schema: &mut Schema, s: &Stmt) {
    for (from, to) in foreign_keys(s) {
        schema.refs.entry(to).or_default().insert(from);
    }
    if s.starts(&["CREATE"]) && s.find(&["INDEX"]).is_some_and(|i| i <= 2) {
        let mut i = s.find(&["INDEX"]).unwrap_or(1) + 1;
        if s.is(i, "CONCURRENTLY") {
            i += 1;
        }
        if s.seq(i, &["IF", "NOT", "EXISTS"]) {
            i += 3;
        }
        if let (Some((index, _, _)), Some((table, _))) = (s.name_at(i).filter(|_| !s.is(i, "ON")), s.index_table()) {
            schema.indexes.insert(index, table);
        }
        return;
    }
    let map = &mut schema.types;
    if s.starts(&["CREATE"]) {
        let Some(t) = s.find(&["TABLE"]) else { return };
        let mut i = t + 1;
        if s.seq(i, &["IF", "NOT", "EXISTS"]) {
            i += 3;
        }
        let Some((table, _, open)) = s.name_at(i) else { return };
        schema.tables.insert(table.clone());
        if s.t(open) != "(" {
            return;
        }
        let depth = s.toks[open].depth + 1;
        let mut start = open + 1;
        for k in open + 1..s.toks.len() {
            let end = s.toks[k].depth < depth || (s.toks[k].depth == depth && s.t(k) == ",");
            if !end {
                continue;
            }
            if k > start && !NOT_A_COLUMN.iter().any(|w| s.is(start, w)) {
                if let Some((col, _, ty)) = s.name_at(start) {
                    let stop = (ty..k)
                        .find(|&e| {
                            s.toks[e].depth == depth && crate::common::CONSTRAINT_WORDS.iter().any(|w| s.is(e, w))
                        })
                        .unwrap_or(k);
                    if let Some(t) = type_text(s, ty, stop) {
                        map.insert((table.clone(), col), t);
                    }
                }
            }
            if s.toks[k].depth < depth {
                break;
            }
            start = k + 1;
        }
        return;
    }
    let Some(at) = s.alter_table() else { return };
    for a in &at.actions {
        if let Some(col) = crate::common::add_column(s, a) {
            if let Some(t) = type_text(s, col.ty.start, col.ty.end) {
                map.insert((at.table.clone(), col.name.clone()), t);
            }
        } else if s.is(a.start, "RENAME") && s.is(a.start + 1, "TO") {
            let Some((to, _, _)) = s.name_at(a.start + 2) else { continue };
            let moved: Vec<_> = map.keys().filter(|(t, _)| *t == at.table).cloned().collect();
            for key in moved {
                if let Some(ty) = map.remove(&key) {
                    map.insert((to.clone(), key.1), ty);
                }
            }
        } else if s.is(a.start, "RENAME") {
            let i = if s.is(a.start + 1, "COLUMN") { a.start + 2 } else { a.start + 1 };
            let Some((from, _, next)) = s.name_at(i) else { continue };
            let Some((to, _, _)) = s.name_at(next + 1).filter(|_| s.is(next, "TO")) else { continue };
            if let Some(ty) = map.remove(&(at.table.clone(), from)) {
                map.insert((at.table.clone(), to), ty);
            }
        }
    }
    for (t, c, ty) in type_changes(s) {
        map.insert((t, c), ty);
    }
}
