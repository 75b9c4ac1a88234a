//! Suppression comments and annotations: one grammar in Dockerfiles, YAML,
//! SQL and `#`-comment files of third-party plugins; reasons, expiry and
//! unused suppressions are findings; suppressed findings stay in JSON.
mod common;
use common::*;
use serde_json::Value;

fn check(dir: &std::path::Path, select: &str) -> Value {
    let run = opslint_env(dir, &["check", "--format", "json", "--fail-on", "info", "--select", select]);
    run.json()
}

/// opslint with a pinned date, so expiry is deterministic.
fn opslint_env(dir: &std::path::Path, args: &[&str]) -> Run {
    let out = std::process::Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("OPSLINT_CACHE_DIR", cache_dir())
        .env("NO_COLOR", "1")
        .env("OPSLINT_TODAY", "2026-06-15")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn rules(json: &Value, key: &str) -> Vec<String> {
    json[key].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect()
}

#[test]
fn dockerfile_next_line_trailing_and_alias() {
    let dir = tree(&[(
        "Dockerfile",
        b"# opslint: ignore[DL3007] reason=\"base image digest-pinned by the mirror\" until=2026-12-31\nFROM python:latest\nADD app.py /app/ # opslint: ignore[dockerfile/add-instead-of-copy] reason=\"kept for the old build\"\nADD x.py /x/\n",
    )]);
    let json = check(dir.path(), "dockerfile/latest-tag,dockerfile/add-instead-of-copy");
    assert_eq!(rules(&json, "findings"), ["dockerfile/add-instead-of-copy"], "line 4 is not covered");
    assert_eq!(rules(&json, "suppressed"), ["dockerfile/latest-tag", "dockerfile/add-instead-of-copy"]);
    let s = &json["suppressed"][0]["suppression"];
    assert_eq!(s["kind"], "comment");
    assert_eq!(s["reason"], "base image digest-pinned by the mirror");
    assert_eq!(s["until"], "2026-12-31");
    assert_eq!(s["line"], 1);
    assert_eq!(json["summary"]["suppressed"], 2);
    // Human output hides them and counts them.
    let human = opslint_env(dir.path(), &["check", "--select", "dockerfile/latest-tag,dockerfile/add-instead-of-copy"]);
    assert!(!human.stdout.contains("python:latest"), "{}", human.stdout);
    assert!(human.stdout.contains("Not shown: 2 suppressed."), "{}", human.stdout);
}

#[test]
fn sql_uses_double_dash_and_ignore_file() {
    let dir = tree(&[
        (
            "db/migrations/V2__orders.sql",
            b"-- opslint: ignore[sql/missing-where] reason=\"backfill on a table with three rows\"\nUPDATE orders SET archived = true;\nUPDATE users SET x = 1;\n",
        ),
        (
            "db/migrations/V3__legacy.sql",
            b"-- opslint: ignore-file[sql] reason=\"imported from the old system, frozen\"\nUPDATE a SET b = 1;\nDELETE FROM c;\n",
        ),
    ]);
    let json = check(dir.path(), "sql");
    let active: Vec<(String, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap_or(0)))
        .filter(|(_, l)| *l > 0)
        .collect();
    assert!(active.iter().all(|(p, l)| p.ends_with("V2__orders.sql") && *l == 3), "{active:?}");
    let suppressed = json["suppressed"].as_array().unwrap();
    assert!(suppressed.iter().any(|f| f["path"].as_str().unwrap().ends_with("V3__legacy.sql")));
    assert!(suppressed.iter().any(|f| f["line"] == 2 && f["rule"] == "sql/missing-where"));
}

#[test]
fn shell_scripts_use_hash_comments() {
    // The sql plugin reads SQL inside shell scripts; the script's own comments carry the suppression.
    let dir = tree(&[(
        "ops/reset.sh",
        b"#!/bin/sh\nset -e\npg_dump \"$DATABASE_URL\" -Fc -f before.dump\n# opslint: ignore[sql/missing-where] reason=\"staging reset, dump taken above\"\npsql \"$DATABASE_URL\" -1 -c \"DELETE FROM orders\"\npsql \"$DATABASE_URL\" -1 -c \"DELETE FROM carts\"\n",
    )]);
    let json = check(dir.path(), "sql/missing-where");
    let lines =
        |key: &str| -> Vec<u64> { json[key].as_array().unwrap().iter().map(|f| f["line"].as_u64().unwrap()).collect() };
    assert_eq!(lines("suppressed"), [5]);
    assert_eq!(lines("findings"), [6]);
}

const PODS: &str = "apiVersion: v1
kind: Pod
metadata:
  name: agent
  annotations:
    opslint.dev/ignore: 'k8s/privileged-container reason=\"node agent needs the host\" until=2027-03-31'
spec:
  containers:
    - name: agent
      # opslint: ignore[k8s/image-tag] reason=\"tag pinned by the operator at deploy time\"
      image: vendor/agent:latest
      securityContext:
        privileged: true
---
apiVersion: v1
kind: Pod
metadata:
  name: other
spec:
  containers:
    - name: other
      image: vendor/other:latest
      securityContext:
        privileged: true
";

#[test]
fn yaml_comments_and_kubernetes_annotation() {
    let dir = tree(&[("k8s/pods.yaml", PODS.as_bytes())]);
    let json = check(dir.path(), "k8s/privileged-container,k8s/image-tag");
    let lines = |key: &str| -> Vec<(String, u64)> {
        json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["rule"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap()))
            .collect()
    };
    let suppressed = lines("suppressed");
    assert!(suppressed.contains(&("k8s/image-tag".into(), 11)), "{suppressed:?}");
    assert!(suppressed.iter().any(|(r, l)| r == "k8s/privileged-container" && *l < 14), "{suppressed:?}");
    let active = lines("findings");
    assert!(active.iter().any(|(r, l)| r == "k8s/privileged-container" && *l > 14), "second document: {active:?}");
    assert!(active.iter().any(|(r, l)| r == "k8s/image-tag" && *l > 14), "{active:?}");
    let ann = json["suppressed"].as_array().unwrap().iter().find(|f| f["rule"] == "k8s/privileged-container").unwrap();
    assert_eq!(ann["suppression"]["kind"], "annotation");
    assert_eq!(ann["suppression"]["reason"], "node agent needs the host");
}

#[test]
fn hash_comments_work_for_third_party_plugins() {
    // Any plugin, any `#`-comment file (a shell-like format here): the host applies the grammar.
    let (wasm, sha) = misbehave_plugin();
    let config = format!("[plugins.misbehave]\npath = \"{}\"\nsha256 = \"{sha}\"\n", wasm.display());
    let dir = tree(&[
        ("opslint.toml", config.as_bytes()),
        ("a.misbehave", b"hello # opslint: ignore[misbehave/echo] reason=\"just an echo\"\n"),
        ("b.misbehave", b"hello\n# opslint: ignore-file[misbehave] reason=\"generated\"\n"),
        ("c.misbehave", b"hello\n"),
    ]);
    let json = check(dir.path(), "misbehave");
    let paths = |key: &str| -> Vec<String> {
        json[key].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(paths("findings"), ["c.misbehave"]);
    assert_eq!(paths("suppressed"), ["a.misbehave", "b.misbehave"]);
}

#[test]
fn reasonless_expired_unused_and_invalid_are_findings() {
    let dir = tree(&[(
        "Dockerfile",
        b"# opslint: ignore[DL3007]\nFROM python:latest\n# opslint: ignore[dockerfile/latest-tag] reason=\"old\" until=2026-01-31\nFROM node:latest AS b\n# opslint: ignore[dockerfile/latest-tag] reason=\"nothing here\"\nFROM node:22 AS c\n# opslint: ignore[dockerfile/latest-tags] reason=\"typo\"\nFROM ruby:latest AS d\n# opslint: ignore[DL3020] reason=\"rule not selected: not judged\"\nFROM e:1 AS e\n",
    )]);
    let run = opslint_env(
        dir.path(),
        &["check", "--format", "json", "--fail-on", "info", "--select", "dockerfile/latest-tag"],
    );
    let json = run.json();
    let got: Vec<(String, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap()))
        .collect();
    let want: Vec<(String, u64)> = [
        ("opslint/suppression-without-reason", 1),
        ("opslint/suppression-expired", 3),
        ("dockerfile/latest-tag", 4),
        ("opslint/unused-suppression", 5),
        ("opslint/invalid-suppression", 7),
        ("dockerfile/latest-tag", 8),
    ]
    .iter()
    .map(|(r, l)| (r.to_string(), *l))
    .collect();
    assert_eq!(got, want, "{}", run.stdout);
    assert_eq!(rules(&json, "suppressed"), ["dockerfile/latest-tag"], "reasonless still suppresses");
    let invalid = json["findings"].as_array().unwrap().iter().find(|f| f["line"] == 7).unwrap();
    assert!(invalid["message"].as_str().unwrap().contains("did you mean `dockerfile/latest-tag`"), "{invalid}");
    // The suppression findings can be turned off like any rule.
    let quiet = opslint_env(
        dir.path(),
        &["check", "--format", "json", "--select", "dockerfile/latest-tag", "--ignore", "opslint/unused-suppression"],
    );
    assert!(!quiet.rules().contains(&"opslint/unused-suppression".to_string()));
    let human = opslint_env(dir.path(), &["check", "--select", "dockerfile/latest-tag"]);
    insta::assert_snapshot!("suppression_findings", human.stdout);
}
