//! `SQL_BENCH_DIR=… cargo test --release -p opslint-plugin-sql --test timing -- --ignored --nocapture`:
//! where the plugin spends its time, natively, over a folder's SQL files and
//! Django, Alembic and Rails migrations (each with the kind the host gives it).
use opslint_sdk::Document;

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
    let dir = std::path::Path::new(&dir);
    let mut documents = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let path = p.strip_prefix(dir).unwrap().display().to_string();
            if p.is_dir() {
                stack.push(p);
            } else if let Some(kind) = kind(&path) {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                documents.push(Document { path, kind: kind.into(), text });
            }
        }
    }
    documents.sort_by(|a, b| a.path.cmp(&b.path));
    opslint_sdk::testing::time_documents::<opslint_plugin_sql::SqlPlugin>(documents);
}
