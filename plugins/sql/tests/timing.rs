//! `SQL_BENCH_DIR=… cargo test --release -p opslint-plugin-sql --test timing -- --ignored --nocapture`:
//! where the plugin spends its time, natively, over a folder's SQL files and
//! Django, Alembic and Rails migrations (each with the kind the host gives it).
mod common;

#[test]
#[ignore]
fn time_a_directory() {
    let Ok(dir) = std::env::var("SQL_BENCH_DIR") else { return };
    let documents =
        opslint_sdk::testing::documents_under(std::path::Path::new(&dir), |p| common::kind(p).map(str::to_string));
    opslint_sdk::testing::time_documents::<opslint_plugin_sql::SqlPlugin>(documents);
}
