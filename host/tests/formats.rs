//! `--format sarif|github|gitlab`, `--output`, `--quiet`, `--silent`,
//! `--statistics`. SARIF is validated against the official 2.1.0 schema kept
//! in tests/schemas (see its README for the source).
mod common;
use common::*;

fn sample() -> tempfile::TempDir {
    tree(&[
        (
            "api/Dockerfile",
            b"FROM python:latest\n# opslint: ignore[DL3020] reason=\"vendored wheel, checked by hash\"\nADD wheel.whl /tmp/\nEXPOSE 8000\nCMD python old.py\nCMD python app.py\n",
        ),
        (
            "db/migrations/V1__users.sql",
            b"CREATE TABLE users (id bigint primary key, email text);\nCREATE INDEX users_email ON users (email);\nDELETE FROM users;\nUPDATE orders SET archived = true;\n",
        ),
        ("k8s/web.yaml", WEB_DEPLOYMENT.replace(":latest", ":1.4.2").as_bytes()),
    ])
}

fn sarif_schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo().join("host/tests/schemas/sarif-schema-2.1.0.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles")
}

pub fn assert_valid_sarif(log: &serde_json::Value) {
    let v = sarif_schema();
    let errors: Vec<String> = v.iter_errors(log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF invalid:\n{}", errors.join("\n"));
}

#[test]
fn sarif_is_valid_and_complete() {
    let dir = sample();
    let run = opslint(dir.path(), &["check", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let log = run.json();
    assert_valid_sarif(&log);
    let run0 = &log["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run0["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"], "ruleIndex points at the rule");
        assert!(r["partialFingerprints"]["opslint/v1"].as_str().unwrap().len() == 16);
        assert!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
    }
    let latest = rules.iter().find(|r| r["id"] == "dockerfile/latest-tag").unwrap();
    assert!(latest["helpUri"].as_str().unwrap().ends_with("docs/rules/dockerfile.md#dockerfilelatest-tag"));
    assert!(latest["help"]["text"].as_str().unwrap().contains("## What it does"));
    assert_eq!(latest["defaultConfiguration"]["level"], "warning");
    let region = &results.iter().find(|r| r["ruleId"] == "dockerfile/latest-tag").unwrap()["locations"][0]
        ["physicalLocation"]["region"];
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(1), Some(6)));
    let suppressed = results.iter().find(|r| r["ruleId"] == "dockerfile/add-instead-of-copy").unwrap();
    assert_eq!(suppressed["suppressions"][0]["kind"], "inSource");
    assert_eq!(suppressed["suppressions"][0]["justification"], "vendored wheel, checked by hash");
    assert!(results.iter().any(|r| r["relatedLocations"].is_array()), "some finding carries related locations");
}

#[test]
fn sarif_with_every_kind_of_finding_is_valid() {
    // Whole-file findings (no region), host findings, suppression findings, non-ASCII paths.
    let dir = tree(&[
        ("bin/Dockerfile", b"\0\x01binary"),
        ("café dir/Dockerfile", b"FROM ubuntu\n# opslint: ignore[nope]\nRUN x\n"),
        ("empty.sql", b""),
    ]);
    let run = opslint(dir.path(), &["check", "--format", "sarif", "--extend-select", "all"]);
    assert_valid_sarif(&run.json());
    let text = run.stdout;
    assert!(text.contains("caf%C3%A9%20dir/Dockerfile"), "paths are percent-encoded URIs");
}

#[test]
fn github_annotations() {
    let dir = sample();
    let run = opslint(dir.path(), &["check", "--format", "github", "--select", "dockerfile,sql"]);
    assert_eq!(run.code, 1);
    assert!(run
        .stdout
        .lines()
        .all(|l| l.starts_with("::error ") || l.starts_with("::warning ") || l.starts_with("::notice ")));
    assert!(!run.stdout.contains("add-instead-of-copy"), "suppressed findings are not annotated");
    insta::assert_snapshot!("github", run.stdout);
}

#[test]
fn gitlab_code_quality() {
    let dir = sample();
    let run = opslint(dir.path(), &["check", "--format", "gitlab", "--select", "dockerfile,sql"]);
    assert_eq!(run.code, 1);
    let issues = run.json();
    for i in issues.as_array().unwrap() {
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&i["severity"].as_str().unwrap()));
        assert!(i["fingerprint"].is_string() && i["location"]["path"].is_string() && i["check_name"].is_string());
    }
    insta::assert_json_snapshot!("gitlab", issues);
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let dir = sample();
    for (format, name) in [("sarif", "o.sarif"), ("json", "o.json"), ("gitlab", "o.gl.json"), ("human", "o.txt")] {
        let run = opslint(dir.path(), &["check", "--format", format, "--output", name]);
        assert_eq!(run.code, 1);
        assert_eq!(run.stdout, "", "{format}: nothing on stdout");
        let written = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(!written.is_empty());
        assert!(!written.contains('\u{1b}'), "no colour codes in files");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".opslint-"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
    assert_valid_sarif(&serde_json::from_str(&std::fs::read_to_string(dir.path().join("o.sarif")).unwrap()).unwrap());
}

#[test]
fn quiet_silent_and_statistics() {
    let dir = sample();
    let full = opslint(dir.path(), &["check", "--select", "dockerfile"]);
    let quiet = opslint(dir.path(), &["check", "--select", "dockerfile", "-q"]);
    assert!(full.stdout.contains("failing on medium"));
    assert!(!quiet.stdout.contains("failing on medium"), "-q: no summary");
    assert!(quiet.stdout.contains("dockerfile/latest-tag"), "-q: findings still shown");
    assert_eq!(quiet.code, 1);
    let silent = opslint(dir.path(), &["check", "--select", "dockerfile", "-s"]);
    assert_eq!((silent.code, silent.stdout.as_str()), (1, ""));
    let stats = opslint(dir.path(), &["check", "--statistics"]);
    assert_eq!(stats.code, 1);
    let counts: Vec<usize> = stats
        .stdout
        .lines()
        .filter(|l| l.contains('/'))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "most frequent first:\n{}", stats.stdout);
    assert!(stats.stdout.contains("Not shown: 1 suppressed."), "{}", stats.stdout);
    let json = opslint(dir.path(), &["check", "--statistics", "--format", "json"]).json();
    assert!(json.as_array().unwrap().iter().all(|r| r["count"].as_u64().unwrap() >= 1));
    assert_eq!(opslint(dir.path(), &["check", "--statistics", "--format", "sarif"]).code, 2);
}

#[test]
fn severity_overrides_decide_the_exit_code() {
    let dir = tree(&[
        ("Dockerfile", b"FROM python:latest\n"),
        ("opslint.toml", b"[rules]\nselect = [\"dockerfile/latest-tag\"]\n[rules.severity]\nDL3007 = \"low\"\n"),
    ]);
    assert_eq!(opslint(dir.path(), &["check"]).code, 0, "low is below the default fail-on (medium)");
    assert_eq!(opslint(dir.path(), &["check", "--fail-on", "low"]).code, 1);
    let gh = opslint(dir.path(), &["check", "--format", "github"]).stdout;
    assert!(gh.starts_with("::warning "), "below fail-on: a warning annotation: {gh}");
}
