//! What each fuzz target runs, shared by the libFuzzer targets (`fuzz_targets/`)
//! and the regression test that replays `fuzz/regressions/<target>/*`.
//!
//! Inputs are bytes; the host only ever hands plugins valid UTF-8 (bad bytes
//! replaced), so each target does the same. Where a target covers several
//! entry points, the first byte picks one, so the fuzzer can steer.
#![forbid(unsafe_code)]

use opslint_plugin_ci::CiPlugin;
use opslint_plugin_dockerfile::DockerfilePlugin;
use opslint_plugin_k8s::K8sPlugin;
use opslint_plugin_sql::SqlPlugin;
use opslint_sdk::testing::{check_repo_texts, check_text};

// The host's suppression grammar, compiled from the host's own source files
// (the host crate itself pulls in wasmtime, too heavy to instrument).
// `parse` refers to `super::date`, so both sit at the crate root.
#[path = "../../../host/src/suppress/date.rs"]
pub mod date;
#[path = "../../../host/src/suppress/parse.rs"]
pub mod parse;

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Splits off the first byte as a selector.
fn select(data: &[u8]) -> (u8, String) {
    match data.split_first() {
        Some((first, rest)) => (*first, text(rest)),
        None => (0, String::new()),
    }
}

/// The Dockerfile parser and every dockerfile rule over one file.
pub fn dockerfile(data: &[u8]) {
    let (sel, text) = select(data);
    let path = if sel % 2 == 0 { "Dockerfile" } else { "svc/app.Dockerfile" };
    check_text::<DockerfilePlugin>(path, &text);
}

/// The YAML layer (every node's path and span queried back), then the k8s
/// and ci plugins over the same text as a manifest and as a workflow.
pub fn yaml(data: &[u8]) {
    let (sel, text) = select(data);
    let stream = opslint_yaml::parse(&text);
    for doc in &stream.docs {
        walk(&doc.root, &text, 0);
    }
    if let Some(e) = &stream.error {
        let _ = format!("{e:?}");
    }
    match sel % 3 {
        0 => drop(check_repo_texts::<K8sPlugin>(&[("k8s/a.yaml", &text)], "{}")),
        1 => drop(check_repo_texts::<CiPlugin>(&[(".github/workflows/a.yml", &text)], "{}")),
        _ => drop(check_repo_texts::<CiPlugin>(&[(".gitlab-ci.yml", &text)], "{}")),
    }
}

fn walk(node: &opslint_yaml::Node, text: &str, depth: usize) {
    let span = node.span.clone();
    assert!(span.start <= span.end && span.end <= text.len(), "span {span:?} outside {} bytes", text.len());
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "span {span:?} splits a character");
    let _ = (node.as_str(), node.as_bool(), node.as_i64(), node.is_null());
    if depth > 300 {
        return;
    }
    for item in node.items() {
        walk(item, text, depth + 1);
    }
    for entry in node.entries() {
        walk(&entry.key, text, depth + 1);
        walk(&entry.value, text, depth + 1);
    }
}

/// The `${{ }}` expression parser: finding expressions in a text and parsing each.
pub fn ci_expr(data: &[u8]) {
    let text = text(data);
    let _ = opslint_plugin_ci::expr::parse(&text);
    for found in opslint_plugin_ci::expr::find_all(&text) {
        let _ = format!("{found:?}");
    }
}

/// SQL extraction from SQL, Ruby, Python and shell files, the lexer and
/// statement splitting, then the sql plugin over the text.
pub fn sql(data: &[u8]) {
    use opslint_plugin_sql::{extract, lex};
    let (sel, text) = select(data);
    let (kind, path) = match sel % 4 {
        0 => (extract::Kind::Sql, "db/migrations/V1__a.sql"),
        1 => (extract::Kind::Ruby, "db/migrate/20240101000000_a.rb"),
        2 => (extract::Kind::Python, "app/migrations/0001_a.py"),
        _ => (extract::Kind::Shell, "scripts/migrate.sh"),
    };
    for chunk in extract::extract(kind, &text) {
        let _ = format!("{chunk:?}");
    }
    for flavor in [lex::Flavor::Postgres, lex::Flavor::MySql, lex::Flavor::Sqlite] {
        let toks = lex::lex(&text, flavor);
        let _ = lex::split(&text, &toks);
    }
    check_text::<SqlPlugin>(path, &text);
}

/// The suppression grammar (comments and YAML annotations), in a SQL, YAML
/// or other file.
pub fn suppress(data: &[u8]) {
    let (sel, text) = select(data);
    let rel = ["db/a.sql", "k8s/a.yaml", "Dockerfile", "ci.yml"][(sel % 4) as usize];
    for d in parse::scan(&text, rel) {
        assert!(d.span.0 <= d.span.1 && d.span.1 <= text.len(), "{d:?}");
    }
    let _ = date::Date::parse(&text);
}

/// One fuzz target's body.
pub type Target = fn(&[u8]);

/// Every target by name, for the replay test.
pub const TARGETS: &[(&str, Target)] =
    &[("dockerfile", dockerfile), ("yaml", yaml), ("ci_expr", ci_expr), ("sql", sql), ("suppress", suppress)];
