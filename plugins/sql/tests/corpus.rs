//! No valid SQL file of ../shared/corpus and ../shared/repos is a parse error:
//! every file the plugin reads there (`.sql`, shell scripts, Django, Alembic
//! and Rails migrations) is checked, and only the files listed below (not SQL
//! as written: templates) may have `parse-error` findings. When this was
//! written, every statement sqlparser rejects there was also run against
//! PostgreSQL 15: each one was valid PostgreSQL, or in a file of another
//! dialect (MySQL, SQLite, CockroachDB, BigQuery).
use std::path::{Path, PathBuf};

use opslint_plugin_sql::SqlPlugin;

/// Files that are not SQL as written.
const NOT_SQL: &[&str] = &[
    // A Go template: `CREATE TABLE {{ identifier .TableName }}`.
    "corpus/ory+kratos/oryx/popx/stub/migrations/templating/0_sql_create_tablename_template.up.sql",
];

fn routed(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    lower.ends_with(".sql")
        || lower.ends_with(".sh")
        || lower.ends_with(".bash")
        || (lower.ends_with(".py") && (lower.contains("/migrations/") || lower.contains("/versions/")))
        || (lower.ends_with(".rb") && lower.contains("/db/migrate/"))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        if path.is_dir() && e.file_name() != ".git" {
            walk(&path, out);
        } else if path.is_file() {
            out.push(path);
        }
    }
}

#[test]
fn no_parse_error_on_the_shared_corpora() {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if !shared.join("corpus").is_dir() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "../shared is missing on CI");
        eprintln!("skipped: {} is absent", shared.display());
        return;
    }
    let mut files = Vec::new();
    walk(&shared.join("corpus"), &mut files);
    walk(&shared.join("repos"), &mut files);
    let mut checked = 0;
    let mut errors = Vec::new();
    for path in files {
        let rel = path.strip_prefix(&shared).unwrap().to_string_lossy().replace('\\', "/");
        if !routed(&rel) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        checked += 1;
        let findings = opslint_sdk::testing::check_text::<SqlPlugin>(&rel, &text);
        for f in findings.iter().filter(|f| f.rule == "parse-error") {
            if !NOT_SQL.contains(&rel.as_str()) {
                errors.push(format!("{rel}: {}", f.message));
            }
        }
    }
    assert!(checked > 1000, "only {checked} files");
    assert!(errors.is_empty(), "{} parse errors on valid files:\n{}", errors.len(), errors.join("\n"));
}
