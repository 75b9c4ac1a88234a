//! A plugin that loops, one that eats memory and one that traps are each
//! stopped and reported, while a well-behaved plugin (and the same plugin on
//! other files) still reports.
mod common;
use common::*;

fn config(extra: &str) -> String {
    let (path, sha) = misbehave_plugin();
    format!(
        "[plugins.misbehave]\npath = {:?}\nsha256 = \"{sha}\"\ntimeout = 0.5\nmemory-mib = 64\n{extra}",
        path.display().to_string()
    )
}

#[test]
fn loop_memory_and_trap_are_stopped_and_the_rest_reports() {
    let cfg = config("");
    let dir = tree(&[
        ("opslint.toml", cfg.as_bytes()),
        ("a-loop.misbehave", b"loop\n"),
        ("b-grow.misbehave", b"grow\n"),
        ("c-trap.misbehave", b"trap\n"),
        ("d-fine.misbehave", b"hello\n"),
        ("Dockerfile", b"FROM ubuntu:latest\n"),
    ]);
    let run = opslint(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 3, "plugin failure exit code\n{}\n{}", run.stdout, run.stderr);
    let json = run.json();
    let findings = json["findings"].as_array().unwrap();
    let failed: Vec<(&str, &str)> = findings
        .iter()
        .filter(|f| f["rule"] == "opslint/plugin-failed")
        .map(|f| (f["path"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(failed.len(), 3, "{failed:?}");
    assert_eq!(failed[0].0, "a-loop.misbehave");
    assert!(failed[0].1.contains("time limit"), "{}", failed[0].1);
    assert!(failed[0].1.contains("`misbehave`"), "names the plugin: {}", failed[0].1);
    assert_eq!(failed[1].0, "b-grow.misbehave");
    assert!(failed[1].1.contains("memory limit of 64 MiB"), "{}", failed[1].1);
    assert_eq!(failed[2].0, "c-trap.misbehave");
    assert!(failed[2].1.contains("trapped"), "{}", failed[2].1);
    let rules = run.rules();
    assert!(rules.contains(&"misbehave/echo".to_string()), "the good file still reports: {rules:?}");
    assert!(rules.contains(&"dockerfile/latest-tag".to_string()), "the other plugin still reports: {rules:?}");
}

#[test]
fn a_failing_file_in_a_shared_batch_does_not_hide_the_others() {
    // 40 files go into batches of several; the one that traps is isolated by re-running its batch file by file.
    let cfg = config("");
    let mut files: Vec<(String, Vec<u8>)> =
        (0..40).map(|i| (format!("f{i:02}.misbehave"), format!("hello {i}\n").into_bytes())).collect();
    files[7].1 = b"trap\n".to_vec();
    files.push(("opslint.toml".into(), cfg.into_bytes()));
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
    let dir = tree(&refs);
    let run = opslint(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 3);
    let rules = run.rules();
    assert_eq!(rules.iter().filter(|r| *r == "misbehave/echo").count(), 39);
    assert_eq!(rules.iter().filter(|r| *r == "opslint/plugin-failed").count(), 1);
}

#[test]
fn hash_mismatch_is_refused_naming_both_hashes() {
    let (path, sha) = misbehave_plugin();
    let wrong = "0".repeat(64);
    let cfg = format!("[plugins.misbehave]\npath = {:?}\nsha256 = \"{wrong}\"\n", path.display().to_string());
    let dir = tree(&[("opslint.toml", cfg.as_bytes()), ("Dockerfile", b"FROM alpine:3.20\n")]);
    let run = opslint(dir.path(), &["check"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains(&wrong) && run.stderr.contains(&sha), "{}", run.stderr);
}

#[test]
fn plugins_lists_builtin_and_external() {
    let cfg = config("");
    let dir = tree(&[("opslint.toml", cfg.as_bytes())]);
    let run = opslint(dir.path(), &["plugins"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("dockerfile 0.1.0 (built-in), interface 0.1.1"), "{}", run.stdout);
    assert!(run.stdout.contains("misbehave 0.1.0 ("), "{}", run.stdout);
}

#[test]
fn selecting_rules_never_hides_a_plugin_failure() {
    let cfg = config("");
    let dir = tree(&[("opslint.toml", cfg.as_bytes()), ("x.misbehave", b"trap\n")]);
    let run = opslint(dir.path(), &["check", "--format", "json", "--select", "misbehave"]);
    assert_eq!(run.code, 3, "{}", run.stdout);
    assert_eq!(run.rules(), ["opslint/plugin-failed"]);
}

#[test]
fn a_disabled_external_plugin_is_not_loaded() {
    let (path, _) = misbehave_plugin();
    // No pin: loading it would be an error; disabled, it is never read.
    let cfg = format!("[plugins.misbehave]\npath = {:?}\nenabled = false\n", path.display().to_string());
    let dir = tree(&[("opslint.toml", cfg.as_bytes()), ("x.misbehave", b"trap\n")]);
    let run = opslint(dir.path(), &["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

/// A plugin may locate a finding by YAML path (`Ctx::report_path`); the host
/// resolves it to the line and column of the value, or of the deepest node
/// the path reaches.
#[test]
fn yaml_path_locations_are_resolved_by_the_host() {
    let cfg = config("");
    let doc = "\n---\nspec:\n  containers:\n  - name: web\n    image: nginx:latest\n";
    let value = format!("path 1 spec.containers[0].image{doc}");
    let deeper = format!("path 1 spec.containers[0].resources.limits{doc}");
    let dir = tree(&[
        ("opslint.toml", cfg.as_bytes()),
        ("a.misbehave", value.as_bytes()),
        ("b.misbehave", deeper.as_bytes()),
        ("c.misbehave", b"path 4 spec\n"),
    ]);
    let run = opslint(dir.path(), &["check", "--format", "json"]);
    let json = run.json();
    let at: Vec<(String, serde_json::Value, serde_json::Value)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["line"].clone(), f["column"].clone()))
        .collect();
    assert_eq!(
        at,
        [
            ("a.misbehave".to_string(), 6.into(), 12.into()),
            ("b.misbehave".to_string(), 5.into(), 5.into()),
            // No fifth document: the whole file.
            ("c.misbehave".to_string(), serde_json::Value::Null, serde_json::Value::Null),
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn an_evidence_phase_plugin_waits_only_for_the_plugins_it_reads() {
    // The backup plugin reads k8s, ci, dockerfile and compose evidence, not
    // misbehave's: it must not wait for a misbehave batch that spins to its limit.
    let (path, sha) = misbehave_plugin();
    let cfg =
        format!("[plugins.misbehave]\npath = {:?}\nsha256 = \"{sha}\"\ntimeout = 3\n", path.display().to_string());
    let dir = tree(&[
        ("opslint.toml", cfg.as_bytes()),
        ("a-loop.misbehave", b"loop\n"),
        ("k8s/web.yaml", WEB_DEPLOYMENT.as_bytes()),
    ]);
    // When the batches started and ended, from `-v`: "(from X ms to Y ms into the run)".
    let span = |stderr: &str, plugin: &str| -> (f64, f64) {
        let line = stderr
            .lines()
            .find(|l| l.starts_with(&format!("[{plugin}] batch of ")))
            .unwrap_or_else(|| panic!("no {plugin} batch in {stderr}"));
        let at = line.rfind("(from ").unwrap_or_else(|| panic!("{line}"));
        let nums: Vec<f64> = line[at..].split(' ').filter_map(|w| w.parse().ok()).collect();
        (nums[0], nums[1])
    };
    // The first run compiles the plugins; the second is the one judged.
    for _ in 0..2 {
        let run = opslint(dir.path(), &["check", "-v", "--format", "json"]);
        assert_eq!(run.code, 3, "the loop is stopped and reported: {}", run.stderr);
        assert!(run.rules().contains(&"k8s/missing-pdb".to_string()), "{}", run.stdout);
        let (backup_start, _) = span(&run.stderr, "backup");
        let (_, loop_end) = span(&run.stderr, "misbehave");
        assert!(loop_end >= 2900.0, "the loop ran to its limit: {}", run.stderr);
        assert!(backup_start < loop_end, "backup started at {backup_start} ms, after the loop ended at {loop_end} ms");
    }
}
