//! The document every rule receives: the statements of one file with their
//! exact spans, what sqlparser made of them, and the file-level context
//! (migration tool, dialect, transaction, lock_timeout, objects created earlier).
use std::ops::Range;

use opslint_sdk::Ctx;
use sqlparser::ast::Statement;
use sqlparser::dialect::{Dialect as SqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;

use crate::extract::{self, Chunk, Kind};
use crate::lex::{self, Flavor, TokKind, Token};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Postgres,
    MySql,
    Sqlite,
    /// CockroachDB: PostgreSQL syntax, but online schema changes (no PostgreSQL lock rules).
    Cockroach,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Flyway,
    GolangMigrate,
    Prisma,
    Sqitch,
    Rails,
    Django,
    Alembic,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::Flyway => "flyway",
            Tool::GolangMigrate => "golang-migrate",
            Tool::Prisma => "prisma",
            Tool::Sqitch => "sqitch",
            Tool::Rails => "rails",
            Tool::Django => "django",
            Tool::Alembic => "alembic",
        }
    }
}

/// One SQL statement.
#[derive(Debug)]
pub struct Stmt {
    /// The statement's SQL (decoded if it came from a string literal).
    pub text: String,
    /// Tokens, ranges relative to `text`.
    pub toks: Vec<Token>,
    /// The whole statement in the file.
    pub span: Range<usize>,
    chunk: usize,
    /// Offset of `text` in its chunk.
    offset: usize,
    pub ast: Option<Statement>,
    pub parse_error: Option<String>,
    pub dialect: Dialect,
    /// In rollback code (down migration, `reverse_sql`, `downgrade()`).
    pub rollback: bool,
    /// Runs inside a transaction (explicit or the migration tool's).
    pub in_tx: bool,
    /// Inside an explicit `BEGIN ... COMMIT` (or `psql -1`).
    pub explicit_tx: bool,
    /// Index of the transaction (statements with the same id share one), if any.
    pub tx_id: Option<usize>,
    /// `lock_timeout` is set for this statement.
    pub lock_timeout: bool,
    /// SQL standing for a Django operation (its lock timeout and neighbours are Django's business).
    pub synthetic: bool,
    /// Interpolated variables in `text` (held as `_` runs): range, source as written.
    pub interpolations: Vec<(Range<usize>, String)>,
}

#[derive(Debug)]
pub struct SqlFile {
    pub kind: Kind,
    pub tool: Option<Tool>,
    /// Inside a migrations layout (a tool, or a `migrations`/`migrate` folder).
    pub migration: bool,
    pub dialect: Dialect,
    pub pg_version: u32,
    pub chunks: Vec<Chunk>,
    pub stmts: Vec<Stmt>,
    /// Backup steps in the file (pg_dump, mysqldump, snapshot...).
    pub backups: Vec<Range<usize>>,
    /// Tables created in the file: (name, statement index).
    pub created_tables: Vec<(String, usize)>,
    /// Indexes created in the file: (name, statement index).
    pub created_indexes: Vec<(String, usize)>,
    /// Columns added in the file: (table, column, statement index).
    pub added_columns: Vec<(String, String, usize)>,
    /// What the other files of the same migration do, when it is split over
    /// several files (see `unit.rs`).
    pub unit: Unit,
}

/// What the other steps of a migration split over several files do.
#[derive(Debug, Default)]
pub struct Unit {
    /// Tables created by earlier steps.
    pub tables: Vec<String>,
    /// Columns added by earlier steps: (table, column).
    pub columns: Vec<(String, String)>,
    /// Tables created by later steps.
    pub later_tables: Vec<String>,
    /// Tables renamed by later steps: (from, to).
    pub later_renames: Vec<(String, String)>,
    /// The types that columns whose type this file changes had before it,
    /// from the earlier migrations of its folder: (table, column, type).
    pub prior_types: Vec<(String, String, String)>,
    /// The tables of indexes this file drops, from the earlier migrations of its folder: (index, table).
    pub index_tables: Vec<(String, String)>,
    /// For each table this file truncates with CASCADE that an earlier
    /// migration of its folder created: the tables with a foreign key to it.
    pub cascade_reach: Vec<(String, Vec<String>)>,
    /// The file belongs to its folder's leading run of migrations that only
    /// create (tables, indexes, types, functions, seed rows): the initial
    /// schema, which runs on an empty database where nothing holds a lock.
    pub initial: bool,
    /// Columns whose values earlier steps copied into another column of
    /// their table (`UPDATE t SET b = a`): (table, a).
    pub copied_columns: Vec<(String, String)>,
}

impl SqlFile {
    /// `table` was created by a statement before `stmt`.
    pub fn table_is_new(&self, table: &str, stmt: usize) -> bool {
        self.created_tables.iter().any(|(t, i)| t == table && *i < stmt) || self.unit.tables.iter().any(|t| t == table)
    }
    /// The table index `index` is on: from its CREATE INDEX in this file, or
    /// in an earlier migration of the folder.
    pub fn index_owner(&self, index: &str) -> Option<String> {
        let here = self.created_indexes.iter().find(|(n, _)| n == index);
        here.and_then(|(_, i)| self.stmts[*i].index_table().map(|t| t.0))
            .or_else(|| self.unit.index_tables.iter().find(|(n, _)| n == index).map(|(_, t)| t.clone()))
    }
    pub fn index_is_new(&self, index: &str, stmt: usize) -> bool {
        self.created_indexes.iter().any(|(t, i)| t == index && *i < stmt)
    }
    pub fn column_is_new(&self, table: &str, column: &str, stmt: usize) -> bool {
        self.table_is_new(table, stmt)
            || self.added_columns.iter().any(|(t, c, i)| t == table && c == column && *i < stmt)
            || self.unit.columns.iter().any(|(t, c)| t == table && c == column)
    }
    /// Column `column` of `table` was copied into another column of it
    /// (`UPDATE table SET other = column`) before `stmt`, in this file or an
    /// earlier step of its migration: its values live on there.
    pub fn column_copied(&self, table: &str, column: &str, stmt: usize) -> bool {
        self.unit.copied_columns.iter().any(|(t, c)| t == table && c == column)
            || self.stmts[..stmt.min(self.stmts.len())]
                .iter()
                .any(|s| crate::common::column_copies(s).iter().any(|(t, c)| t == table && c == column))
    }
    /// `table` was emptied (`TRUNCATE`, `DELETE` without `WHERE`) by a statement
    /// before `stmt`: what scales with its rows (a scan, an index build, NOT
    /// NULL without a default failing on existing rows) no longer applies.
    pub fn table_is_emptied(&self, table: &str, stmt: usize) -> bool {
        self.stmts[..stmt.min(self.stmts.len())].iter().any(|s| {
            if s.starts(&["TRUNCATE"]) {
                let mut i = if s.is(1, "TABLE") { 2 } else { 1 };
                while let Some((name, _, next)) = s.name_at(if s.is(i, "ONLY") { i + 1 } else { i }) {
                    if name == table {
                        return true;
                    }
                    if s.t(next) != "," {
                        break;
                    }
                    i = next + 1;
                }
                false
            } else {
                crate::common::unfiltered_write(s).is_some_and(|(kw, name, _)| s.is(kw, "DELETE") && name == table)
            }
        })
    }
    /// A backup step before file offset `at`.
    pub fn backup_before(&self, at: usize) -> bool {
        self.backups.iter().any(|b| b.start < at)
    }
}

impl Stmt {
    /// The text of token `i`.
    pub fn t(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| &self.text[t.range.clone()])
    }
    /// Token `i` is the keyword `w` (case-insensitive).
    pub fn is(&self, i: usize, w: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == TokKind::Word) && self.t(i).eq_ignore_ascii_case(w)
    }
    /// Tokens from `i` are the keywords `ws`.
    pub fn seq(&self, i: usize, ws: &[&str]) -> bool {
        ws.iter().enumerate().all(|(k, w)| self.is(i + k, w))
    }
    /// The statement starts with `ws`.
    pub fn starts(&self, ws: &[&str]) -> bool {
        self.seq(0, ws)
    }
    /// First index in `from..to` where `ws` occur at parenthesis depth `depth`.
    pub fn find_in(&self, from: usize, to: usize, ws: &[&str]) -> Option<usize> {
        let depth = self.toks.get(from).map_or(0, |t| t.depth);
        (from..to.min(self.toks.len())).find(|&i| self.toks[i].depth == depth && self.seq(i, ws))
    }
    pub fn find(&self, ws: &[&str]) -> Option<usize> {
        self.find_in(0, self.toks.len(), ws)
    }
    /// File span of tokens `a..=b`.
    pub fn span_of(&self, file: &SqlFile, a: usize, b: usize) -> Range<usize> {
        let (Some(ta), Some(tb)) = (self.toks.get(a), self.toks.get(b.max(a))) else { return self.span.clone() };
        let chunk = &file.chunks[self.chunk];
        chunk.to_file(self.offset + ta.range.start..self.offset + tb.range.end)
    }
    /// A (possibly dotted, possibly quoted) name at token `i`: (normalized last part, shown text, next index).
    pub fn name_at(&self, i: usize) -> Option<(String, String, usize)> {
        let mut j = i;
        let last: String;
        loop {
            let tok = self.toks.get(j)?;
            let part = match tok.kind {
                TokKind::Word => self.t(j).to_ascii_lowercase(),
                TokKind::Quoted => {
                    let s = self.t(j);
                    let inner = s.get(1..s.len().saturating_sub(1)).unwrap_or("");
                    // MySQL's backquoted names match unquoted ones whatever the case
                    // (`Config` and config); PostgreSQL's double-quoted ones keep it.
                    if s.starts_with('`') {
                        inner.to_ascii_lowercase()
                    } else {
                        inner.to_string()
                    }
                }
                _ => return None,
            };
            if self.t(j + 1) != "." {
                last = part;
                break;
            }
            j += 2;
        }
        let shown = self.shown(self.toks[i].range.start..self.toks[j].range.end);
        Some((last, shown, j + 1))
    }
    /// Token `i` as the file wrote it (see [`Stmt::shown`]).
    pub fn shown_tok(&self, i: usize) -> String {
        self.toks.get(i).map_or_else(String::new, |t| self.shown(t.range.clone()))
    }
    /// `text[r]` as the file wrote it: interpolated variables (`$DB`, `#{name}`)
    /// instead of the `_` runs the parser was given.
    pub fn shown(&self, r: Range<usize>) -> String {
        let mut out = String::new();
        let mut at = r.start;
        for (m, written) in &self.interpolations {
            if m.start < at || m.end > r.end {
                continue;
            }
            out.push_str(&self.text[at..m.start]);
            out.push_str(written);
            at = m.end;
        }
        out.push_str(&self.text[at..r.end]);
        out
    }
    pub fn is_postgres(&self) -> bool {
        self.dialect == Dialect::Postgres
    }
}

/// `ALTER TABLE name action, action...`
pub struct AlterTable {
    pub table: String,
    pub shown: String,
    /// Token ranges of the actions (split at top-level commas).
    pub actions: Vec<Range<usize>>,
}

impl Stmt {
    pub fn alter_table(&self) -> Option<AlterTable> {
        if !self.starts(&["ALTER", "TABLE"]) {
            return None;
        }
        let mut i = 2;
        if self.seq(i, &["IF", "EXISTS"]) {
            i += 2;
        }
        if self.is(i, "ONLY") {
            i += 1;
        }
        let (table, shown, mut next) = self.name_at(i)?;
        if self.t(next) == "*" {
            next += 1;
        }
        let mut actions = Vec::new();
        let mut s = next;
        for k in next..=self.toks.len() {
            if k == self.toks.len() || (self.t(k) == "," && self.toks[k].depth == 0) {
                if k > s {
                    actions.push(s..k);
                }
                s = k + 1;
            }
        }
        Some(AlterTable { table, shown, actions })
    }

    /// Table named by `CREATE [UNIQUE] INDEX ... ON [ONLY] table`.
    pub fn index_table(&self) -> Option<(String, String)> {
        let on = self.find(&["ON"])?;
        let i = if self.is(on + 1, "ONLY") { on + 2 } else { on + 1 };
        self.name_at(i).map(|(n, s, _)| (n, s))
    }
}

fn flavor(d: Dialect) -> Flavor {
    match d {
        Dialect::Postgres | Dialect::Cockroach => Flavor::Postgres,
        Dialect::MySql => Flavor::MySql,
        Dialect::Sqlite => Flavor::Sqlite,
    }
}

/// The migration tool a path belongs to.
pub fn tool_of(path: &str, kind: Kind) -> Option<Tool> {
    let p = path.replace('\\', "/");
    let lower = p.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or("");
    let dirs: Vec<&str> = lower.split('/').collect();
    let has_dir = |d: &str| dirs.iter().rev().skip(1).any(|x| *x == d);
    match kind {
        Kind::Ruby if lower.contains("db/migrate/") => Some(Tool::Rails),
        Kind::Python if has_dir("versions") && (lower.contains("alembic") || has_dir("migrations")) => {
            Some(Tool::Alembic)
        }
        Kind::Python if has_dir("versions") => Some(Tool::Alembic),
        Kind::Python if has_dir("migrations") => Some(Tool::Django),
        Kind::Sql => {
            let b = name.as_bytes();
            let flyway = (matches!(b.first(), Some(b'v' | b'u'))
                && b.get(1).is_some_and(u8::is_ascii_digit)
                && name.contains("__"))
                || name.starts_with("r__");
            if flyway {
                Some(Tool::Flyway)
            } else if name == "migration.sql" && has_dir("migrations") {
                Some(Tool::Prisma)
            } else if (name.ends_with(".up.sql") || name.ends_with(".down.sql"))
                && b.first().is_some_and(u8::is_ascii_digit)
            {
                Some(Tool::GolangMigrate)
            } else if has_dir("deploy") || has_dir("revert") {
                Some(Tool::Sqitch)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Rollback files: golang-migrate `*.down.sql`, `*_down.sql`, Diesel's bare
/// `down.sql`, Flyway undo `U1__`, Sqitch `revert/`.
fn rollback_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or("");
    name.ends_with("down.sql")
        || (name.starts_with('u') && name.as_bytes().get(1).is_some_and(u8::is_ascii_digit) && name.contains("__"))
        || lower.split('/').any(|d| d == "revert")
}

/// Byte ranges of the rollback sections of one SQL file: dbmate's
/// `-- migrate:down` and goose's `-- +goose Down`, up to the next up marker.
fn down_sections(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let marker = line.trim().to_ascii_lowercase().replace(' ', "");
        if marker == "--migrate:down" || marker == "--+goosedown" {
            start.get_or_insert(at);
        } else if let ("--migrate:up" | "--+gooseup", Some(s)) = (marker.as_str(), start) {
            out.push(s..at);
            start = None;
        }
        at += line.len();
    }
    out.extend(start.map(|s| s..text.len()));
    out
}

fn migration_layout(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.split('/').rev().skip(1).any(|d| {
        matches!(
            d,
            "migrations" | "migration" | "migrate" | "db_migrations" | "schema_migrations" | "changesets" | "changelog"
        )
    })
}

fn dialect_of(cx: &Ctx, path: &str) -> Dialect {
    if let Some(d) = cx.option::<String>("dialect") {
        return match d.to_ascii_lowercase().as_str() {
            "mysql" | "mariadb" => Dialect::MySql,
            "sqlite" | "sqlite3" => Dialect::Sqlite,
            "cockroach" | "cockroachdb" => Dialect::Cockroach,
            _ => Dialect::Postgres,
        };
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("mysql") || lower.contains("mariadb") {
        Dialect::MySql
    } else if lower.contains("sqlite") {
        Dialect::Sqlite
    } else if lower.contains("cockroach") {
        Dialect::Cockroach
    } else {
        Dialect::Postgres
    }
}

/// Whether the tool runs each migration in a transaction (PostgreSQL).
fn tool_wraps(tool: Option<Tool>, text: &str, stmts: usize) -> bool {
    match tool {
        Some(Tool::Flyway) => !text.to_ascii_uppercase().contains("CONCURRENTLY"),
        // One Exec of several statements is one implicit transaction.
        Some(Tool::GolangMigrate) => stmts > 1,
        Some(Tool::Rails) => !text.contains("disable_ddl_transaction!"),
        Some(Tool::Django) => !text.contains("atomic = False"),
        Some(Tool::Alembic) => true,
        _ => false,
    }
}

pub fn parse(cx: &mut Ctx) -> SqlFile {
    parse_with(cx, &mut crate::django::State::new())
}

/// [`parse`], with the Django fields the earlier migrations of the file's folder left.
pub fn parse_with(cx: &mut Ctx, django: &mut crate::django::State) -> SqlFile {
    let path = cx.path.replace('\\', "/");
    let kind = Kind::of(&path);
    let tool = tool_of(&path, kind);
    let base_dialect = dialect_of(cx, &path);
    let pg_version = cx.option::<u32>("postgres-version").unwrap_or(16);
    let chunks = extract::extract_with(kind, cx.text, django);
    let file_rollback = rollback_path(&path);
    let down = if kind == Kind::Sql { down_sections(cx.text) } else { Vec::new() };
    let mut file = SqlFile {
        kind,
        tool,
        migration: tool.is_some() || migration_layout(&path),
        dialect: base_dialect,
        pg_version,
        stmts: Vec::new(),
        backups: if kind == Kind::Sql { Vec::new() } else { extract::backup_steps(cx.text) },
        created_tables: Vec::new(),
        created_indexes: Vec::new(),
        added_columns: Vec::new(),
        unit: Unit::default(),
        chunks: Vec::new(),
    };
    for (ci, chunk) in chunks.iter().enumerate() {
        let dialect = if chunk.mysql { Dialect::MySql } else { base_dialect };
        let toks = lex::lex(&chunk.text, flavor(dialect));
        for piece in lex::split(&chunk.text, &toks) {
            if piece.meta {
                continue;
            }
            let text = chunk.text[piece.range.clone()].to_string();
            let local: Vec<Token> = toks[piece.tokens.clone()]
                .iter()
                .map(|t| Token {
                    kind: t.kind,
                    range: t.range.start - piece.range.start..t.range.end - piece.range.start,
                    depth: t.depth.saturating_sub(toks[piece.tokens.start].depth),
                    open: t.open,
                })
                .collect();
            let (ast, parse_error) = parse_one(&text, dialect);
            let span = chunk.to_file(piece.range.clone());
            let interpolations = chunk.interpolations(piece.range.clone(), cx.text);
            let in_down = down.iter().any(|d| d.contains(&span.start));
            file.stmts.push(Stmt {
                span,
                text,
                toks: local,
                chunk: ci,
                offset: piece.range.start,
                ast,
                parse_error,
                dialect,
                rollback: chunk.rollback || file_rollback || in_down,
                in_tx: false,
                explicit_tx: false,
                tx_id: None,
                lock_timeout: false,
                synthetic: chunk.synthetic,
                interpolations,
            });
        }
    }
    file.chunks = chunks;
    context(cx, &mut file);
    file
}

fn parse_one(text: &str, dialect: Dialect) -> (Option<Statement>, Option<String>) {
    let d: Box<dyn SqlDialect> = match dialect {
        Dialect::MySql => Box::new(MySqlDialect {}),
        Dialect::Sqlite => Box::new(SQLiteDialect {}),
        _ => Box::new(PostgreSqlDialect {}),
    };
    match Parser::parse_sql(d.as_ref(), text) {
        Ok(mut v) if v.len() == 1 => (v.pop(), None),
        Ok(_) => (None, None),
        Err(e) => (None, Some(e.to_string())),
    }
}

/// Transactions, lock_timeout and objects created, in statement order.
fn context(cx: &Ctx, file: &mut SqlFile) {
    let implicit = match cx.option::<bool>("transaction") {
        Some(v) => v,
        None => file.dialect == Dialect::Postgres && tool_wraps(file.tool, cx.text, file.stmts.len()),
    };
    let mut explicit = false;
    let mut tx_counter = 0usize;
    let mut tx_open: Option<usize> = None;
    let mut session_timeout = false;
    let mut local_timeout = false;
    let mut last_chunk = usize::MAX;
    let mut created_tables = Vec::new();
    let mut created_indexes = Vec::new();
    let mut added_columns = Vec::new();
    for (idx, s) in file.stmts.iter_mut().enumerate() {
        let chunk = &file.chunks[s.chunk];
        if s.chunk != last_chunk && file.kind == Kind::Shell {
            // Every client call is a new session.
            explicit = false;
            tx_open = None;
            session_timeout = false;
            local_timeout = false;
        }
        if s.chunk != last_chunk && chunk.single_tx {
            tx_counter += 1;
            tx_open = Some(tx_counter);
        }
        last_chunk = s.chunk;
        let begins = (s.starts(&["BEGIN"]) && s.toks.len() <= 3)
            || s.starts(&["START", "TRANSACTION"])
            || (s.starts(&["BEGIN"]) && (s.is(1, "TRANSACTION") || s.is(1, "WORK") || s.is(1, "ISOLATION")));
        let ends = (s.starts(&["COMMIT"]) || s.starts(&["END"]) || s.starts(&["ROLLBACK"]))
            && s.find(&["TO"]).is_none()
            && !s.starts(&["COMMIT", "PREPARED"]);
        if begins {
            explicit = true;
            tx_counter += 1;
            tx_open = Some(tx_counter);
        }
        let wrapped = implicit && !chunk.no_tx;
        if wrapped && tx_open.is_none() {
            tx_counter += 1;
            tx_open = Some(tx_counter);
        }
        s.explicit_tx = explicit || chunk.single_tx;
        s.in_tx = s.explicit_tx || wrapped;
        s.tx_id = if s.in_tx { tx_open } else { None };
        // lock_timeout
        let lower = s.text.to_ascii_lowercase();
        if lower.contains("lock_timeout") && (s.starts(&["SET"]) || lower.contains("set_config")) {
            let zero = timeout_is_off(&lower);
            if s.is(1, "LOCAL") {
                local_timeout = !zero;
            } else {
                session_timeout = !zero;
            }
        }
        s.lock_timeout = session_timeout || local_timeout;
        if ends {
            explicit = false;
            local_timeout = false;
            tx_open = if wrapped && !chunk.single_tx {
                Some({
                    tx_counter += 1;
                    tx_counter
                })
            } else {
                None
            };
        }
        if !s.in_tx && !wrapped {
            local_timeout = false;
        }
        // Objects created
        if s.starts(&["CREATE"]) {
            let mut i = 1;
            while ["OR", "REPLACE", "TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "UNIQUE"]
                .iter()
                .any(|w| s.is(i, w))
            {
                i += 1;
            }
            if s.is(i, "TABLE") {
                i += 1;
                if s.seq(i, &["IF", "NOT", "EXISTS"]) {
                    i += 3;
                }
                if let Some((n, _, _)) = s.name_at(i) {
                    created_tables.push((n, idx));
                }
            } else if s.is(i, "INDEX") {
                i += 1;
                if s.is(i, "CONCURRENTLY") {
                    i += 1;
                }
                if s.seq(i, &["IF", "NOT", "EXISTS"]) {
                    i += 3;
                }
                if !s.is(i, "ON") {
                    if let Some((n, _, _)) = s.name_at(i) {
                        created_indexes.push((n, idx));
                    }
                }
            }
        }
        if let Some(at) = s.alter_table() {
            for a in &at.actions {
                if s.is(a.start, "ADD") {
                    let mut i = a.start + 1;
                    if s.is(i, "COLUMN") {
                        i += 1;
                    }
                    if s.seq(i, &["IF", "NOT", "EXISTS"]) {
                        i += 3;
                    }
                    if let Some((c, _, _)) = s.name_at(i) {
                        added_columns.push((at.table.clone(), c, idx));
                    }
                }
            }
        }
    }
    file.created_tables = created_tables;
    file.created_indexes = created_indexes;
    file.added_columns = added_columns;
}

/// The value given to lock_timeout is 0 or DEFAULT (no timeout).
fn timeout_is_off(lower: &str) -> bool {
    let Some(p) = lower.find("lock_timeout") else { return true };
    let after = lower[p + 12..].trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    let v = match after.strip_prefix("to") {
        Some(r) if r.starts_with(|c: char| !c.is_ascii_alphanumeric()) => {
            r.trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        }
        _ => after,
    };
    v.starts_with("default") || (v.starts_with('0') && !v[1..].starts_with(|c: char| c.is_ascii_digit() || c == '.'))
}
