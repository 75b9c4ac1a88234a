//! `opslint baseline` and `check --baseline`: accepted findings are hidden by
//! fingerprint, which survives lines moving and unrelated edits.
mod common;
use common::*;

const DOCKERFILE: &str = "FROM python:latest\nWORKDIR /app\nRUN curl -s https://x.sh | sh\nCMD python app.py\n";

fn write(dir: &std::path::Path, path: &str, text: &str) {
    std::fs::write(dir.join(path), text).unwrap();
}

#[test]
fn baseline_hides_accepted_findings_across_shifts_and_edits() {
    let dir = tree(&[("svc/Dockerfile", DOCKERFILE.as_bytes())]);
    let before = opslint(dir.path(), &["check", "--format", "json"]);
    assert_eq!(before.code, 1);
    let n = before.json()["findings"].as_array().unwrap().len();
    assert!(n >= 3, "{}", before.stdout);

    let run = opslint(dir.path(), &["baseline"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{n} findings accepted")), "{}", run.stderr);
    let file = std::fs::read_to_string(dir.path().join(".opslint-baseline.json")).unwrap();
    opslint(dir.path(), &["baseline"]);
    assert_eq!(file, std::fs::read_to_string(dir.path().join(".opslint-baseline.json")).unwrap(), "deterministic");
    let json: serde_json::Value = serde_json::from_str(&file).unwrap();
    assert_eq!(json["version"], 1);
    let entries = json["findings"].as_array().unwrap();
    let keys: Vec<(String, String)> = entries
        .iter()
        .map(|e| (e["rule"].as_str().unwrap().to_string(), e["fingerprint"].as_str().unwrap().to_string()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "sorted by path, rule, fingerprint");
    assert_eq!(entries[0]["path"], "svc/Dockerfile");

    let run = opslint(dir.path(), &["check", "--baseline", ".opslint-baseline.json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains(&format!("No findings in 1 file. Not shown: {n} in the baseline.")), "{}", run.stdout);

    // Lines move (a comment and a blank line above) and an unrelated line changes.
    let shifted = format!("# syntax=docker/dockerfile:1\n\n{}", DOCKERFILE.replace("WORKDIR /app", "WORKDIR /srv"));
    write(dir.path(), "svc/Dockerfile", &shifted);
    let run = opslint(dir.path(), &["check", "--baseline", ".opslint-baseline.json", "--format", "json"]);
    assert_eq!(run.json()["findings"], serde_json::json!([]), "still accepted after the shift and the edit");
    assert_eq!(run.json()["summary"]["baselined"], n);

    // Working directory does not matter: fingerprints hash the project-relative path.
    write(dir.path(), "opslint.toml", "");
    let run = opslint(&dir.path().join("svc"), &["check", "--baseline", "../.opslint-baseline.json", "."]);
    assert_eq!(run.code, 0, "{}", run.stdout);

    // A new finding is reported; the accepted ones stay hidden.
    write(dir.path(), "svc/Dockerfile", &format!("{shifted}FROM node:latest AS extra\n"));
    let run = opslint(dir.path(), &["check", "--baseline", ".opslint-baseline.json", "--format", "json"]);
    assert_eq!(run.code, 1);
    let lines: Vec<u64> =
        run.json()["findings"].as_array().unwrap().iter().map(|f| f["line"].as_u64().unwrap()).collect();
    assert!(!lines.is_empty() && lines.iter().all(|l| *l == 7), "only the new FROM: {}", run.stdout);

    // Fixed findings drop out when the baseline is rewritten.
    write(dir.path(), "svc/Dockerfile", "FROM python:3.12-slim\nCMD [\"python\", \"main.py\"]\n");
    opslint(dir.path(), &["baseline"]);
    let file = std::fs::read_to_string(dir.path().join(".opslint-baseline.json")).unwrap();
    assert!(!file.contains("latest-tag"), "{file}");
}

#[test]
fn baseline_from_config_and_errors() {
    let dir = tree(&[
        ("opslint.toml", b"baseline = \"ci/opslint-baseline.json\"\n"),
        ("Dockerfile", DOCKERFILE.as_bytes()),
        ("ci/.keep", b""),
    ]);
    let run = opslint(dir.path(), &["check"]);
    assert_eq!(run.code, 2, "a configured baseline that does not exist is an error");
    assert!(run.stderr.contains("opslint baseline"), "{}", run.stderr);
    assert_eq!(opslint(dir.path(), &["baseline"]).code, 0);
    assert!(dir.path().join("ci/opslint-baseline.json").is_file());
    assert_eq!(opslint(dir.path(), &["check"]).code, 0);
    assert_eq!(opslint(dir.path(), &["check", "--no-baseline"]).code, 1);
    write(dir.path(), "ci/opslint-baseline.json", "{\"findings\": 3}");
    assert_eq!(opslint(dir.path(), &["check"]).code, 2, "a damaged baseline is an error, not an empty one");
}
