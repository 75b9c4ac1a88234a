//! The split path (`extract` per file, then `join`) gives what one `check`
//! gives: on every fixture folder, and on the shared corpora (CI has them).
use std::path::Path;

use opslint_plugin_backup::BackupPlugin;
use opslint_sdk::testing::{documents_under, facts_problems, shared_input};

/// The files the plugin's matchers take, roughly: every text file it reads by extension or name.
fn kind(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = [".yaml", ".yml", ".tf", ".sh", ".md", ".env", ".json", ".cron", ".nomad", ".j2", ".tpl", ".example"];
    let names = ["Makefile", "crontab", "Justfile", ".env"];
    (ext.iter().any(|e| name.ends_with(e)) || names.contains(&name)).then(|| "file".to_string())
}

#[test]
fn extract_then_join_matches_check_on_every_fixture() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut problems = Vec::new();
    for rule in std::fs::read_dir(&fixtures).unwrap().flatten() {
        let options = std::fs::read_to_string(rule.path().join("options.json")).unwrap_or_else(|_| "{}".into());
        for case in ["bad", "ok"] {
            let docs = documents_under(&rule.path().join(case), |_| Some("file".to_string()));
            let found = facts_problems::<BackupPlugin>(&docs, &options);
            problems.extend(found.into_iter().map(|p| format!("{:?}/{case}: {p}", rule.file_name())));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn extract_then_join_matches_check_on_the_shared_corpora() {
    for name in ["corpus", "repos"] {
        let Some(dir) = shared_input(name) else { return };
        let docs = documents_under(&dir, kind);
        assert!(docs.len() > 100, "{name}: {} files", docs.len());
        let problems = facts_problems::<BackupPlugin>(&docs, "{}");
        assert!(problems.is_empty(), "{name}: {}", problems.join("\n"));
    }
}
