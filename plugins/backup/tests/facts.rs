//! The split path (`extract` per file, then `join`) gives what one `check`
//! gives: on every fixture folder, and on the shared corpora (CI has them).
use std::path::Path;

use opslint_plugin_backup::BackupPlugin;
use opslint_sdk::testing::{facts_fixture_problems, facts_shared_problems};

/// The files the plugin's matchers take, roughly: every text file it reads by extension or name.
fn kind(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = [".yaml", ".yml", ".tf", ".sh", ".md", ".env", ".json", ".cron", ".nomad", ".j2", ".tpl", ".example"];
    let names = ["Makefile", "crontab", "Justfile", ".env"];
    (ext.iter().any(|e| name.ends_with(e)) || names.contains(&name)).then(|| "file".to_string())
}

fn any(_: &str) -> Option<String> {
    Some("file".to_string())
}

#[test]
fn extract_then_join_matches_check_on_every_fixture() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let problems = facts_fixture_problems::<BackupPlugin>(&fixtures, any);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn extract_then_join_matches_check_on_the_shared_corpora() {
    let problems = facts_shared_problems::<BackupPlugin>(kind);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `surely_yields_nothing`, the test before parsing, holds only of files
/// that `yields_nothing` says of once parsed: on every YAML file of the shared
/// corpora (CI has them), and it does pass over their CI folders.
#[test]
fn a_file_passed_over_unparsed_is_one_the_parse_gives_nothing_for() {
    let yaml = |p: &str| (p.ends_with(".yaml") || p.ends_with(".yml")).then(|| "yaml".to_string());
    let mut passed_over = 0;
    for name in ["corpus", "repos"] {
        let Some(dir) = opslint_sdk::testing::shared_input(name) else { return };
        for d in opslint_sdk::testing::documents_under(&dir, yaml) {
            if opslint_plugin_backup::model::surely_yields_nothing(&d.path, &d.text) {
                passed_over += 1;
                let stream = opslint_yaml::parse(&d.text);
                assert!(opslint_plugin_backup::model::yields_nothing(&d.path, &d.text, &stream), "{}", d.path);
            }
        }
    }
    assert!(passed_over >= 100, "only {passed_over} files passed over");
}
