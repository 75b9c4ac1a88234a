//! Repository-scope plugins that split their work (interface 0.1.1 `facts`):
//! each file's fact is extracted once and cached; an edit re-extracts the
//! edited file only, then the join runs over cached facts; a rescan runs
//! neither. The output is the one a run without the cache gives.
mod common;
use common::*;

const DEPLOY: &[u8] = b"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n";
const SERVICE: &[u8] =
    b"apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n";
const CONFIG: &[u8] = b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {level: info}\n";

fn check_v(dir: &std::path::Path, cache: &std::path::Path) -> (String, serde_json::Value) {
    let out = std::process::Command::new(BIN)
        .args(["check", "-v", "--format", "json", "."])
        .current_dir(dir)
        .env("OPSLINT_CACHE_DIR", cache)
        .output()
        .unwrap();
    let json =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (String::from_utf8_lossy(&out.stderr).into_owned(), json)
}

/// The `[plugin] extract of N file(s)` lines of a `check -v` run: N for each.
fn extracted(stderr: &str, plugin: &str) -> Vec<usize> {
    let prefix = format!("[{plugin}] extract of ");
    stderr.lines().filter_map(|l| l.strip_prefix(&prefix)?.split(' ').next()?.parse().ok()).collect()
}

#[test]
fn an_edit_re_extracts_the_edited_manifest_only_and_a_rescan_nothing() {
    let dir = tree(&[
        ("k8s/deploy.yaml", DEPLOY),
        ("k8s/service.yaml", SERVICE),
        ("k8s/config.yaml", CONFIG),
        ("k8s/other.yaml", CONFIG),
    ]);
    let cache = tempfile::tempdir().unwrap();
    let (first, _) = check_v(dir.path(), cache.path());
    assert_eq!(extracted(&first, "k8s").iter().sum::<usize>(), 4, "{first}");
    assert!(first.contains("[k8s] join of 4 fact(s)"), "{first}");

    // Unchanged: the batch's output comes from the cache; nothing is extracted or joined.
    let (again, _) = check_v(dir.path(), cache.path());
    assert!(!again.contains("extract of") && !again.contains("join of"), "{again}");

    // The Service now selects nothing: that file alone is extracted again,
    // and the join (over the cached facts of the others) finds it.
    std::fs::write(
        dir.path().join("k8s/service.yaml"),
        String::from_utf8_lossy(SERVICE).replace("app: web", "app: webb"),
    )
    .unwrap();
    let (edited, json) = check_v(dir.path(), cache.path());
    assert_eq!(extracted(&edited, "k8s"), vec![1], "{edited}");
    assert!(edited.contains("[k8s] join of 4 fact(s)"), "{edited}");
    let found = |json: &serde_json::Value, rule: &str, path: &str| {
        json["findings"].as_array().unwrap().iter().any(|f| f["rule"] == rule && f["path"] == path)
    };
    assert!(found(&json, "k8s/selects-nothing", "k8s/service.yaml"), "{json:#}");
    // The same findings as a run that uses no cache at all.
    let fresh = opslint(dir.path(), &["check", "--no-cache", "--format", "json", "."]);
    assert_eq!(json["findings"], fresh.json()["findings"]);
}

/// A run over named files (pre-commit) tells the join which files it
/// reports: the same findings in them as a whole run, and the whole run
/// afterwards is not answered with that narrower output.
#[test]
fn a_join_for_named_files_finds_in_them_what_a_whole_run_finds() {
    let lost = String::from_utf8_lossy(SERVICE).replace("app: web", "app: webb");
    let dir = tree(&[
        ("k8s/deploy.yaml", DEPLOY),
        ("k8s/service.yaml", lost.as_bytes()),
        ("k8s/other-service.yaml", lost.replace("name: web", "name: api").as_bytes()),
        ("k8s/config.yaml", CONFIG),
    ]);
    let whole = opslint(dir.path(), &["check", "--no-cache", "--format", "json", "."]).json();
    let in_service: Vec<&serde_json::Value> =
        whole["findings"].as_array().unwrap().iter().filter(|f| f["path"] == "k8s/service.yaml").collect();
    assert!(in_service.iter().any(|f| f["rule"] == "k8s/selects-nothing"), "{whole:#}");
    assert!(whole["findings"].as_array().unwrap().iter().any(|f| f["path"] == "k8s/other-service.yaml"));

    let cache = tempfile::tempdir().unwrap();
    let named = std::process::Command::new(BIN)
        .args(["check", "-v", "--format", "json", "k8s/service.yaml"])
        .current_dir(dir.path())
        .env("OPSLINT_CACHE_DIR", cache.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&named.stderr);
    assert!(stderr.contains("[k8s] join of 4 fact(s), findings of 1 reported file(s)"), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&named.stdout).unwrap();
    let found: Vec<&serde_json::Value> = json["findings"].as_array().unwrap().iter().collect();
    assert_eq!(found, in_service);

    // The whole run after it, with the same cache: every file's findings.
    let (_, again) = check_v(dir.path(), cache.path());
    assert_eq!(again["findings"], whole["findings"]);
}

/// A large batch's facts are read from one bundle once a run has found
/// them cached (a first scan, which extracts them all, writes none); the
/// bundle is written again only when it misses more than one fact in 32.
#[test]
fn a_large_batchs_facts_come_from_its_bundle() {
    let names: Vec<String> = (0..70).map(|i| format!("k8s/config{i:02}.yaml")).collect();
    let texts: Vec<String> =
        (0..70).map(|i| String::from_utf8_lossy(CONFIG).replace("settings", &format!("s{i}"))).collect();
    let mut files: Vec<(&str, &[u8])> = names.iter().zip(&texts).map(|(n, t)| (n.as_str(), t.as_bytes())).collect();
    files.push(("k8s/deploy.yaml", DEPLOY));
    files.push(("k8s/service.yaml", SERVICE));
    let dir = tree(&files);
    let cache = tempfile::tempdir().unwrap();
    let bundled = |stderr: &str| {
        let line = stderr.lines().find_map(|l| l.strip_prefix("[k8s] facts from the batch's bundle: "));
        line.map(str::to_string)
    };
    let edit = |n: usize, round: usize| {
        let text = format!("{}# edit {round}\n", texts[n]);
        std::fs::write(dir.path().join(&names[n]), text).unwrap();
    };
    let (first, _) = check_v(dir.path(), cache.path());
    assert_eq!(bundled(&first), None, "{first}");
    // The facts were found one by one; the bundle is written now.
    edit(0, 1);
    let (second, _) = check_v(dir.path(), cache.path());
    assert_eq!(bundled(&second), None, "{second}");
    assert_eq!(extracted(&second, "k8s"), vec![1], "{second}");
    // From the bundle, but for the file edited since: not written again.
    edit(0, 2);
    let (third, _) = check_v(dir.path(), cache.path());
    assert_eq!(bundled(&third).as_deref(), Some("71 of 72"), "{third}");
    // Four files it does not hold (more than one in 32): written again...
    for n in 1..4 {
        edit(n, 3);
    }
    let (fourth, _) = check_v(dir.path(), cache.path());
    assert_eq!(bundled(&fourth).as_deref(), Some("68 of 72"), "{fourth}");
    // ...so the next edit finds all the others in it.
    edit(5, 4);
    let (fifth, json) = check_v(dir.path(), cache.path());
    assert_eq!(bundled(&fifth).as_deref(), Some("71 of 72"), "{fifth}");
    assert_eq!(extracted(&fifth, "k8s"), vec![1], "{fifth}");
    let fresh = opslint(dir.path(), &["check", "--no-cache", "--format", "json", "."]).json();
    assert_eq!(json["findings"], fresh["findings"]);
    assert_eq!(json["evidence"], fresh["evidence"]);
}

#[test]
fn the_backup_plugin_joins_in_the_evidence_phase_what_it_extracted_before() {
    let values = b"postgresql:\n  enabled: true\n";
    let dir = tree(&[("k8s/deploy.yaml", DEPLOY), ("chart/values.yaml", values), ("chart/Chart.yaml", b"name: app\n")]);
    let cache = tempfile::tempdir().unwrap();
    let (first, json) = check_v(dir.path(), cache.path());
    // Its own files were extracted in the first phase; the evidence phase
    // extracts only the evidence document, then joins.
    assert_eq!(extracted(&first, "backup"), vec![1], "{first}");
    assert!(first.contains("[backup] join of 4 fact(s)"), "{first}");
    let fresh = opslint(dir.path(), &["check", "--no-cache", "--format", "json", "."]).json();
    assert_eq!(json["findings"], fresh["findings"]);
    assert_eq!(json["evidence"], fresh["evidence"]);
    // The database of the values file, read from its prefetched fact.
    let database = json["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["key"] == "backup/database" && e["path"] == "chart/values.yaml");
    assert!(database, "{json:#}");
}

/// A file the split path cannot take (here: over the plugin's memory limit
/// once parsed) sends the batch through `check`, and then file by file: the
/// other manifests are still judged, and that one is a visible failure.
#[test]
fn a_file_that_breaks_extract_is_a_failure_and_the_others_are_still_checked() {
    let mut big = String::new();
    for i in 0..40_000 {
        big.push_str(&format!(
            "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: settings-{i}}}\ndata: {{level: info, owner: team-{i}}}\n"
        ));
    }
    let dir = tree(&[
        ("opslint.toml", b"[plugins.k8s]\nmemory-mib = 16\n"),
        ("k8s/big.yaml", big.as_bytes()),
        ("k8s/deploy.yaml", DEPLOY),
    ]);
    let run = opslint(dir.path(), &["check", "--format", "json", "--select", "k8s", "."]);
    let json = run.json();
    let findings = json["findings"].as_array().unwrap();
    let failed = |path: &str| findings.iter().any(|f| f["rule"] == "opslint/plugin-failed" && f["path"] == path);
    assert!(failed("k8s/big.yaml"), "{json:#}");
    assert!(!failed("k8s/deploy.yaml"), "{json:#}");
    assert!(
        findings.iter().any(|f| f["rule"] == "k8s/missing-resources" && f["path"] == "k8s/deploy.yaml"),
        "{json:#}"
    );
}
