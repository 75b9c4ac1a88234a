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
    let (mut passed_over, mut outside_ci) = (0, 0);
    for name in ["corpus", "repos"] {
        let Some(dir) = opslint_sdk::testing::shared_input(name) else { return };
        for d in opslint_sdk::testing::documents_under(&dir, yaml) {
            if opslint_plugin_backup::model::surely_yields_nothing(&d.path, &d.text) {
                passed_over += 1;
                outside_ci += usize::from(opslint_knowledge::ci::system_of(&d.path).is_none());
                let stream = opslint_yaml::parse(&d.text);
                assert!(opslint_plugin_backup::model::yields_nothing(&d.path, &d.text, &stream), "{}", d.path);
            }
        }
    }
    assert!(passed_over >= 100, "only {passed_over} files passed over");
    // Manifests too, not only CI folders.
    assert!(outside_ci >= 1000, "only {outside_ci} files outside CI folders passed over");
}

/// Files the parse gives something for are parsed, whatever their kind:
/// a backup CronJob, an operator's backup settings, a rule file, a broken
/// manifest whose commands are then read line by line, a playbook's cron
/// task; a Deployment that runs no backup is passed over.
#[test]
fn a_file_the_parse_gives_something_for_is_parsed() {
    use opslint_plugin_backup::model::{surely_yields_nothing, yields_nothing};
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n";
    assert!(surely_yields_nothing("deploy/web.yaml", deployment));
    let yielding = [
        ("k8s/backup.yaml", "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: db-backup\nspec:\n  schedule: '0 3 * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - name: dump\n              image: postgres:16\n              command: [sh, -c, 'pg_dump -h db app | gzip > /backup/app.sql.gz']\n"),
        ("k8s/pg.yaml", "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n  backup:\n    barmanObjectStore:\n      destinationPath: s3://backups/pg\n"),
        ("k8s/broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata: [oops\nspec:\n  containers:\n    - command: ['pg_dump -h db app > /data/app.sql']\n"),
        ("ansible/db.yml", "- hosts: db\n  tasks:\n    - name: nightly dump\n      cron:\n        name: dump\n        job: /usr/local/bin/pg-nightly\n"),
        ("ansible/install.yml", "- hosts: db\n  tasks:\n    - apt:\n        name: postgresql-16\n"),
    ];
    for (path, text) in yielding {
        let stream = opslint_yaml::parse(text);
        assert!(!yields_nothing(path, text, &stream), "{path}: the parse gives nothing: a useless case");
        assert!(!surely_yields_nothing(path, text), "{path} is passed over unparsed");
    }
}
