//! The split path (`extract` per file, then `join`) gives what one `check`
//! gives: on every fixture folder, and on the shared corpora (CI has them).
use std::path::Path;

use opslint_plugin_k8s::K8sPlugin;
use opslint_sdk::testing::{facts_fixture_problems, facts_shared_problems};

fn yaml(path: &str) -> Option<String> {
    (path.ends_with(".yaml") || path.ends_with(".yml")).then(|| "yaml".to_string())
}

#[test]
fn extract_then_join_matches_check_on_every_fixture() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let problems = facts_fixture_problems::<K8sPlugin>(&fixtures, yaml);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn extract_then_join_matches_check_on_the_shared_corpora() {
    let problems = facts_shared_problems::<K8sPlugin>(yaml);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
