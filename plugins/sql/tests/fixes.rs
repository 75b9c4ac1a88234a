//! When the CONCURRENTLY fixes are offered: the rest is in fixtures/<rule>/fix/.
use opslint_plugin_sql::SqlPlugin;
use opslint_sdk::testing::check_text;
use opslint_sdk::Applicability;

fn fixes(path: &str, sql: &str, rule: &str) -> Vec<Option<Applicability>> {
    check_text::<SqlPlugin>(path, sql)
        .into_iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.fix.map(|x| x.applicability))
        .collect()
}

#[test]
fn concurrently_only_outside_a_transaction_and_always_unsafe() {
    let create = "create-index-non-concurrently";
    assert_eq!(fixes("db/idx.sql", "CREATE INDEX i ON t (a);", create), [Some(Applicability::Unsafe)]);
    assert_eq!(fixes("db/idx.sql", "BEGIN;\nCREATE INDEX i ON t (a);\nCOMMIT;", create), [None]);
    // Flyway runs each migration in a transaction.
    assert_eq!(fixes("db/migration/V2__idx.sql", "CREATE INDEX i ON t (a);", create), [None]);
}

#[test]
fn drop_index_fix_needs_one_index_and_no_cascade() {
    let drop = "drop-index-non-concurrently";
    assert_eq!(fixes("db/drop.sql", "DROP INDEX a_idx;", drop), [Some(Applicability::Unsafe)]);
    assert_eq!(fixes("db/drop.sql", "DROP INDEX a_idx, b_idx;", drop), [None]);
    assert_eq!(fixes("db/drop.sql", "DROP INDEX a_idx CASCADE;", drop), [None]);
}
