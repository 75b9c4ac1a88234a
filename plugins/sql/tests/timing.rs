//! `SQL_BENCH_DIR=… cargo test --release -p opslint-plugin-sql --test timing -- --ignored --nocapture`:
//! where the plugin spends its time, natively, over a folder's SQL files and
//! Django, Alembic and Rails migrations (each with the kind the host gives it).
fn kind(path: &str) -> Option<&'static str> {
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    match path.rsplit_once('.').map(|(_, x)| x) {
        Some("sql" | "SQL") => Some("sql"),
        Some("rb") if dir.ends_with("db/migrate") => Some("ruby-migration"),
        Some("py") if dir.ends_with("migrations") || dir.ends_with("versions") => Some("python-migration"),
        Some("sh" | "bash") => Some("shell"),
        _ => None,
    }
}

#[test]
#[ignore]
fn time_a_directory() {
    let Ok(dir) = std::env::var("SQL_BENCH_DIR") else { return };
    let documents = opslint_sdk::testing::documents_under(std::path::Path::new(&dir), |p| kind(p).map(str::to_string));
    opslint_sdk::testing::time_documents::<opslint_plugin_sql::SqlPlugin>(documents);
}
