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

/// A workflow's job facts read back from its fact are those computed, on
/// every workflow of the corpora: every name the scans give is one the
/// join can look up (else it would compute that workflow's facts again).
#[test]
fn job_facts_read_back_whole_on_the_shared_corpora() {
    use opslint_plugin_ci::{fact, model};
    let workflow = |p: &str| p.contains(".github/workflows/").then(|| "yaml".to_string());
    let mut read = 0;
    for name in ["corpus", "repos"] {
        let Some(dir) = opslint_sdk::testing::shared_input(name) else { continue };
        for doc in opslint_sdk::testing::documents_under(&dir, workflow) {
            let Some(root) = opslint_yaml::parse(&doc.text).docs.into_iter().map(|d| d.root).next() else { continue };
            if !root.is_map() {
                continue;
            }
            let computed = model::Workflow::new(7, root, None);
            let mut bytes = Vec::new();
            fact::write(computed.job_facts(), &mut bytes);
            let back = fact::read(&mut &bytes[..], 7).expect("a fact reads back");
            let back = back.unwrap_or_else(|| panic!("{}: a name the join cannot look up", doc.path));
            assert_eq!(format!("{back:?}"), format!("{:?}", computed.job_facts()), "{}", doc.path);
            read += 1;
        }
    }
    assert!(read > 100 || opslint_sdk::testing::shared_input("corpus").is_none(), "{read} workflows");
}

/// The same for GitLab files that include nothing: their job facts are
/// computed in `extract` and read back whole.
#[test]
fn pipeline_job_facts_read_back_whole_on_the_shared_corpora() {
    use opslint_plugin_ci::{fact, model};
    let gitlab = |p: &str| p.ends_with(".gitlab-ci.yml").then(|| "yaml".to_string());
    let options = serde_json::Value::Null;
    let mut read = 0;
    for name in ["corpus", "repos"] {
        let Some(dir) = opslint_sdk::testing::shared_input(name) else { continue };
        for doc in opslint_sdk::testing::documents_under(&dir, gitlab) {
            let roots: Vec<_> = opslint_yaml::parse(&doc.text).docs.into_iter().map(|d| d.root).collect();
            let mut cx = opslint_sdk::Ctx::new(&doc.path, "yaml", &doc.text, &options);
            let file = model::File { kind: model::Kind::GitLab, roots, job_facts: None };
            let Some(repo) = model::alone(file, &mut cx) else { continue };
            let Some(computed) = repo.pipelines.first().map(model::Pipeline::job_facts) else { continue };
            let mut bytes = Vec::new();
            fact::write(computed, &mut bytes);
            let back = fact::read(&mut &bytes[..], 0).expect("a fact reads back");
            let back = back.unwrap_or_else(|| panic!("{}: a name the join cannot look up", doc.path));
            assert_eq!(format!("{back:?}"), format!("{computed:?}"), "{}", doc.path);
            read += 1;
        }
    }
    assert!(read > 100 || opslint_sdk::testing::shared_input("corpus").is_none(), "{read} pipelines");
}
