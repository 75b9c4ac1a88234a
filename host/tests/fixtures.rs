//! Every plugin rule's fixtures through the real binary: `bad/` fires (its
//! rendered output is snapshotted as a user sees it), `ok/` stays silent, and
//! no rule lacks either.
mod common;
use common::*;
use std::path::Path;

fn rule_ids(plugin: &str) -> Vec<String> {
    let json = opslint(&repo(), &["rules", "--format", "json"]).json();
    json.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["plugin"] == plugin)
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// A config passing the fixture's options.json (if any) as the plugin's options.
fn config_for(plugin: &str, rule_dir: &Path, tmp: &Path) -> Option<std::path::PathBuf> {
    let json = std::fs::read_to_string(rule_dir.join("options.json")).ok()?;
    let value: toml::Value = serde_json::from_str(&json).unwrap();
    let mut table = toml::Table::new();
    table.insert("options".into(), value);
    let mut plugins = toml::Table::new();
    plugins.insert(plugin.into(), table.into());
    let mut root = toml::Table::new();
    root.insert("plugins".into(), plugins.into());
    let path = tmp.join(format!("{}.toml", rule_dir.file_name().unwrap().to_string_lossy()));
    std::fs::write(&path, toml::to_string(&root).unwrap()).unwrap();
    Some(path)
}

fn run_case(id: &str, case_dir: &Path, config: Option<&Path>) -> common::Run {
    let mut args = vec!["check".to_string(), "--select".into(), id.into(), "--fail-on".into(), "info".into()];
    if let Some(c) = config {
        args.extend(["--config".into(), c.display().to_string()]);
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    opslint(case_dir, &refs)
}

#[test]
fn dockerfile_fixtures() {
    check_plugin("dockerfile");
}

#[test]
fn sql_fixtures() {
    check_plugin("sql");
}

#[test]
fn k8s_fixtures() {
    check_plugin("k8s");
}

#[test]
fn ci_fixtures() {
    check_plugin("ci");
}

#[test]
fn backup_fixtures() {
    check_plugin("backup");
}

#[test]
fn prometheus_fixtures() {
    check_plugin("prometheus");
}

#[test]
fn compose_fixtures() {
    check_plugin("compose");
}

fn check_plugin(plugin: &str) {
    let fixtures = repo().join("plugins").join(plugin).join("fixtures");
    let tmp = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for id in rule_ids(plugin) {
        let local = id.split_once('/').unwrap().1;
        let dir = fixtures.join(local);
        let config = config_for(plugin, &dir, tmp.path());
        for case in ["bad", "ok"] {
            if !dir.join(case).is_dir() {
                problems.push(format!("{id}: no fixtures/{local}/{case}/"));
                continue;
            }
            let run = run_case(&id, &dir.join(case), config.as_deref());
            let fired = run.stdout.contains(&format!(" {id} "));
            match case {
                "bad" if run.code != 1 || !fired => {
                    problems.push(format!("{id}: bad/ did not fire (exit {}):\n{}{}", run.code, run.stdout, run.stderr))
                }
                "bad" => {
                    insta::with_settings!({ snapshot_path => "snapshots/fixtures", prepend_module_to_snapshot => false }, {
                        insta::assert_snapshot!(id.replace('/', "__"), run.stdout);
                    })
                }
                _ if run.code != 0 || fired => {
                    problems.push(format!("{id}: ok/ fired (exit {}):\n{}{}", run.code, run.stdout, run.stderr))
                }
                _ => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
