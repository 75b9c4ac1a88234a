//! opslint's SQL plugin: finds SQL in `.sql` files, migrations (Flyway,
//! golang-migrate, Prisma, Sqitch, Rails, Django, Alembic) and shell scripts,
//! splits it into statements with exact spans, and checks for data
//! destruction and lock-heavy DDL. Django's, Alembic's and Rails' schema
//! operations (`AddField`, `op.create_index`, `remove_column`...) are read as
//! the SQL they run (`django.rs`, `alembic.rs`, `rails.rs`), so the same rules
//! judge them. One rule per file in `rules/`. Every file is parsed and judged
//! on its own, but in one batch (repository scope): a migration split over
//! several files (`unit.rs`) is judged with what its other files do.
#![forbid(unsafe_code)]

mod alembic;
pub mod common;
mod django;
pub mod extract;
pub mod lex;
pub mod model;
mod prelude;
mod pycall;
mod rails;
pub mod syntax;
pub mod unit;
pub mod rules {
    include!(concat!(env!("OUT_DIR"), "/rules.rs"));
}

use std::collections::BTreeSet;

use std::sync::OnceLock;

use opslint_sdk::{
    Ctx, EvidenceMeta, EvidenceValue, FileMatcher, FindingExt, Plugin, Registered, RepoPlugin, Severity,
};

/// The plugin. It runs with repository scope ([`RepoPlugin`]); the
/// file-scope [`Plugin`] view judges one file alone (tests, fuzzing).
pub struct SqlPlugin;

/// Every file of the batch, parsed, by document index.
pub struct Repo {
    pub files: Vec<(usize, model::SqlFile)>,
}

/// The rules as repository-scope rules: each runs its per-file check over
/// every file, with a context focused on that file.
fn repo_rules() -> &'static [Registered<Repo>] {
    static RULES: OnceLock<Vec<Registered<Repo>>> = OnceLock::new();
    RULES.get_or_init(|| {
        rules::RULES.iter().map(|r| Registered { id: r.id, docs: r.docs, meta: r.meta, check: each_file }).collect()
    })
}

fn each_file(cx: &mut Ctx, repo: &Repo) {
    let Some(rule) = rules::RULES.iter().find(|r| r.id == cx.rule()) else { return };
    for (doc, file) in &repo.files {
        let mut fcx = cx.for_document(*doc);
        (rule.check)(&mut fcx, file);
        cx.absorb(fcx);
    }
}

impl RepoPlugin for SqlPlugin {
    type File = model::SqlFile;
    type Repo = Repo;
    const NAME: &'static str = <Self as Plugin>::NAME;
    const VERSION: &'static str = <Self as Plugin>::VERSION;
    const DESCRIPTION: &'static str = <Self as Plugin>::DESCRIPTION;
    /// A migration's other files (`unit.rs`) and a Django app's history are
    /// in its folder (compared lowercased): nothing relates two folders.
    const FOLDER_SCOPE: bool = true;

    fn files() -> Vec<FileMatcher> {
        <Self as Plugin>::files()
    }
    fn rules() -> &'static [Registered<Repo>] {
        repo_rules()
    }
    fn evidence() -> Vec<EvidenceMeta> {
        <Self as Plugin>::evidence()
    }
    fn options_schema() -> Option<String> {
        <Self as Plugin>::options_schema()
    }
    fn parse(cx: &mut Ctx) -> Option<model::SqlFile> {
        <Self as Plugin>::parse(cx)
    }
    fn build(mut files: Vec<(usize, model::SqlFile)>, cx: &mut Ctx) -> Repo {
        django::history(&mut files, cx);
        let paths: Vec<&str> = cx.documents().iter().map(|d| d.0).collect();
        unit::link(&mut files, &paths);
        unit::history(&mut files, &paths);
        Repo { files }
    }
    fn collect_evidence(cx: &mut Ctx, repo: &Repo) {
        for (doc, file) in &repo.files {
            let mut fcx = cx.for_document(*doc);
            <Self as Plugin>::collect_evidence(&mut fcx, file);
            cx.absorb(fcx);
        }
    }
}

fn matcher(kind: &str, globs: &[&str]) -> FileMatcher {
    FileMatcher { kind: kind.into(), globs: globs.iter().map(|g| g.to_string()).collect() }
}

impl Plugin for SqlPlugin {
    type Doc = model::SqlFile;
    const NAME: &'static str = "sql";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str = "SQL, migration and database script checks: data destruction and lock-heavy DDL";

    fn files() -> Vec<FileMatcher> {
        vec![
            matcher("sql", &["**/*.sql", "**/*.SQL"]),
            matcher("ruby-migration", &["**/db/migrate/*.rb", "db/migrate/*.rb"]),
            matcher(
                "python-migration",
                &["**/migrations/*.py", "migrations/*.py", "**/versions/*.py", "versions/*.py"],
            ),
            matcher("shell", &["**/*.sh", "**/*.bash"]),
        ]
    }

    fn rules() -> &'static [Registered<model::SqlFile>] {
        rules::RULES
    }

    fn evidence() -> Vec<EvidenceMeta> {
        let e = |k: &str, d: &str| EvidenceMeta { key: k.into(), description: d.into() };
        vec![
            e("sql/migration-tool", "migration tool whose layout the file follows (flyway, golang-migrate, prisma, sqitch, rails, django, alembic)"),
            e("sql/database-engines", "database engines the file's SQL is written for or whose clients it calls"),
            e("sql/destructive-script", "a script (not a migration) that deletes, truncates or drops data; located at the first such statement"),
        ]
    }

    fn options_schema() -> Option<String> {
        Some(
            r#"{"type":"object","properties":{
"dialect":{"enum":["postgres","postgresql","mysql","mariadb","sqlite","cockroach"],"description":"SQL dialect; default postgres, or guessed from the path (mysql, sqlite, cockroach)"},
"postgres-version":{"type":"integer","minimum":9,"description":"PostgreSQL major version the migrations run on (default 16)"},
"transaction":{"type":"boolean","description":"whether each migration runs in a transaction (default: the migration tool's behaviour)"}}}"#
                .to_string(),
        )
    }

    fn parse(cx: &mut Ctx) -> Option<model::SqlFile> {
        let file = model::parse(cx);
        for s in &file.stmts {
            let Some(err) = &s.parse_error else { continue };
            // CockroachDB has no sqlparser dialect; elsewhere only certain errors are findings.
            let Some(problem) = syntax::certain_problem(s).filter(|_| s.dialect != model::Dialect::Cockroach) else {
                continue;
            };
            cx.report(s.span.clone(), format!("this statement is not valid SQL ({problem}), so it was not checked; the parser says: {err}"))
                .severity(Severity::Info)
                .help("fix the syntax, or set the plugin option `dialect` (postgres, mysql, sqlite) to the database this file is written for");
        }
        Some(file)
    }

    fn collect_evidence(cx: &mut Ctx, file: &model::SqlFile) {
        if let Some(tool) = file.tool {
            cx.evidence("sql/migration-tool", EvidenceValue::Text(tool.name().into()), None);
        }
        let mut engines = BTreeSet::new();
        if !file.stmts.is_empty() {
            engines.insert(match file.dialect {
                model::Dialect::Postgres => "postgres",
                model::Dialect::MySql => "mysql",
                model::Dialect::Sqlite => "sqlite",
                model::Dialect::Cockroach => "cockroachdb",
            });
        }
        if file.stmts.iter().any(|s| s.dialect == model::Dialect::MySql) {
            engines.insert("mysql");
        }
        if file.kind == extract::Kind::Shell {
            engines.remove("postgres");
            if cx.text.contains("psql") || cx.text.contains("pg_dump") {
                engines.insert("postgres");
            }
        }
        if !engines.is_empty() {
            cx.evidence(
                "sql/database-engines",
                EvidenceValue::Items(engines.iter().map(|e| e.to_string()).collect()),
                None,
            );
        }
        if !file.migration {
            if let Some(s) =
                (0..file.stmts.len()).find(|&i| common::destructive(file, i).is_some()).map(|i| &file.stmts[i])
            {
                cx.evidence("sql/destructive-script", EvidenceValue::Flag(true), Some(s.span.clone()));
            }
        }
    }
}

opslint_sdk::export_repo_plugin!(SqlPlugin);
