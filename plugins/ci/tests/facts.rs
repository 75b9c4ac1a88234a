//! The split path (`extract` per file, then `join`) gives what one `check`
//! gives: on every fixture folder, and on the shared corpora (CI has them).
use std::path::Path;

use opslint_plugin_ci::CiPlugin;
use opslint_sdk::testing::{documents_under, facts_problems, shared_input};

fn any(_: &str) -> Option<String> {
    Some("yaml".to_string())
}

#[test]
fn extract_then_join_matches_check_on_every_fixture() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut problems = Vec::new();
    for rule in std::fs::read_dir(&fixtures).unwrap().flatten() {
        let options = std::fs::read_to_string(rule.path().join("options.json")).unwrap_or_else(|_| "{}".into());
        for case in ["bad", "ok"] {
            let docs = documents_under(&rule.path().join(case), any);
            let found = facts_problems::<CiPlugin>(&docs, &options);
            problems.extend(found.into_iter().map(|p| format!("{:?}/{case}: {p}", rule.file_name())));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn extract_then_join_matches_check_on_the_shared_corpora() {
    let ci = |p: &str| {
        let name = p.rsplit('/').next().unwrap_or(p);
        let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
        let script = name.ends_with(".sh") || name == "Makefile";
        (yaml || script || name.starts_with("renovate") || name.starts_with(".renovaterc")).then(|| "yaml".to_string())
    };
    for name in ["corpus", "repos"] {
        let Some(dir) = shared_input(name) else { return };
        let docs = documents_under(&dir, ci);
        assert!(docs.len() > 100, "{name}: {} files", docs.len());
        let problems = facts_problems::<CiPlugin>(&docs, "{}");
        assert!(problems.is_empty(), "{name}: {}", problems.join("\n"));
    }
}
