//! The split path (per-file `extract`, then `join`) gives what one `check`
//! gives: on every fixture folder, and on the real manifests of the shared
//! corpora (CI has them).
use std::path::Path;

use opslint_plugin_k8s::K8sPlugin;
use opslint_sdk::testing::{documents_under, facts_problems, shared_input};

fn yaml(path: &str) -> Option<String> {
    (path.ends_with(".yaml") || path.ends_with(".yml")).then(|| "yaml".to_string())
}

#[test]
fn extract_then_join_matches_check_on_every_fixture() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut problems = Vec::new();
    for rule in std::fs::read_dir(&fixtures).unwrap().flatten() {
        let options = std::fs::read_to_string(rule.path().join("options.json")).unwrap_or_else(|_| "{}".into());
        for case in ["bad", "ok"] {
            let docs = documents_under(&rule.path().join(case), yaml);
            problems.extend(
                facts_problems::<K8sPlugin>(&docs, &options)
                    .into_iter()
                    .map(|p| format!("{:?}/{case}: {p}", rule.file_name())),
            );
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn extract_then_join_matches_check_on_the_shared_corpora() {
    for name in ["corpus", "repos"] {
        let Some(dir) = shared_input(name) else { return };
        let docs = documents_under(&dir, yaml);
        assert!(docs.len() > 100, "{name}: {} YAML files", docs.len());
        let problems = facts_problems::<K8sPlugin>(&docs, "{}");
        assert!(problems.is_empty(), "{name}: {}", problems.join("\n"));
    }
}
