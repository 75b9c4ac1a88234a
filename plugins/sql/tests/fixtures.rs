use std::path::Path;

#[test]
fn every_rule_has_firing_bad_and_silent_ok_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let problems = opslint_sdk::testing::fixture_problems_repo::<opslint_plugin_sql::SqlPlugin>(&dir);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_fix_turns_its_before_fixture_into_its_after_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let problems = opslint_sdk::testing::fix_problems_repo::<opslint_plugin_sql::SqlPlugin>(&dir);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
