//! The split path (`extract` per file, then `join`) gives what one `check`
//! gives: on every fixture folder, and on the shared corpora (CI has them).
use std::path::Path;

use opslint_plugin_ci::CiPlugin;
use opslint_sdk::testing::{facts_fixture_problems, facts_shared_problems};

fn any(_: &str) -> Option<String> {
    Some("yaml".to_string())
}

/// CI files of the corpora: YAML, the scripts jobs run, Renovate configuration.
fn ci(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    let script = name.ends_with(".sh") || name == "Makefile";
    (yaml || script || name.starts_with("renovate") || name.starts_with(".renovaterc")).then(|| "yaml".to_string())
}

#[test]
fn extract_then_join_matches_check_on_every_fixture() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let problems = facts_fixture_problems::<CiPlugin>(&fixtures, any);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn extract_then_join_matches_check_on_the_shared_corpora() {
    let problems = facts_shared_problems::<CiPlugin>(ci);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
