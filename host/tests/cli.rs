//! The command line as a user meets it: listing, explaining, walking,
//! output shape, exit codes and configuration errors.
mod common;
use common::*;

#[test]
fn rules_lists_dockerfile_rules_with_aliases() {
    let run = opslint(&repo(), &["rules"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("dockerfile/latest-tag"), "{}", run.stdout);
    assert!(run.stdout.contains("DL3007"), "{}", run.stdout);
    let json = opslint(&repo(), &["rules", "--format", "json"]).json();
    let rules = json.as_array().unwrap();
    assert!(rules.iter().all(|r| r["id"].is_string() && r["severity"].is_string() && r["aliases"].is_array()));
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "rules are listed in id order");
}

#[test]
fn explain_by_id_and_by_alias_prints_the_rule_docs() {
    let by_id = opslint(&repo(), &["explain", "dockerfile/latest-tag"]);
    assert_eq!(by_id.code, 0);
    for heading in ["## What it does", "## Why is this bad?", "## Example", "## Use instead"] {
        assert!(by_id.stdout.contains(heading), "{heading} missing:\n{}", by_id.stdout);
    }
    let by_alias = opslint(&repo(), &["explain", "DL3007"]);
    assert_eq!(by_alias.code, 0);
    assert!(by_alias.stdout.contains("# dockerfile/latest-tag"));
    let unknown = opslint(&repo(), &["explain", "dockerfile/latest-tga"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("did you mean `dockerfile/latest-tag`?"), "{}", unknown.stderr);
}

#[test]
fn every_rule_has_documented_sections() {
    let json = opslint(&repo(), &["rules", "--format", "json"]).json();
    for rule in json.as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        let doc = opslint(&repo(), &["explain", id]).stdout;
        for heading in ["## What it does", "## Why is this bad?", "## Example", "## Use instead"] {
            assert!(doc.contains(heading), "{id}: {heading} missing");
        }
        assert!(!rule["summary"].as_str().unwrap().is_empty(), "{id}: no summary");
    }
}

#[test]
fn json_output_has_version_aliases_and_positions() {
    let dir = tree(&[("Dockerfile", b"FROM python:latest\n")]);
    let run = opslint(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let mut json = run.json();
    assert_eq!(json["version"], 1);
    json["tool"]["version"] = "[version]".into();
    let f = &json["findings"][0];
    assert_eq!(f["rule"], "dockerfile/latest-tag");
    assert!(f["aliases"].as_array().unwrap().iter().any(|a| a == "DL3007"));
    insta::assert_json_snapshot!("json_shape", json);
}

#[test]
fn human_output_shows_location_snippet_help_and_summary() {
    let dir = tree(&[("svc/Dockerfile", b"FROM python:latest\nCMD [\"python\"]\n")]);
    let run = opslint(dir.path(), &["check", "--select", "dockerfile/latest-tag"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.starts_with("svc/Dockerfile\n  1:6 medium dockerfile/latest-tag "), "{}", run.stdout);
    insta::assert_snapshot!("human_output", run.stdout);
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = tree(&[("Dockerfile", b"FROM python:latest\n")]);
    assert_eq!(opslint(dir.path(), &["check", "--select", "dockerfile/latest-tag"]).code, 1);
    assert_eq!(opslint(dir.path(), &["check", "--select", "dockerfile/latest-tag", "--fail-on", "high"]).code, 0);
    let clean = tree(&[("Dockerfile", b"FROM python:3.12-slim\n")]);
    let run = opslint(clean.path(), &["check", "--select", "dockerfile/latest-tag"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("No findings in 1 file."), "{}", run.stdout);
    assert_eq!(opslint(dir.path(), &["check", "--fail-on", "extreme"]).code, 2);
    assert_eq!(opslint(dir.path(), &["check", "--select", "dockerfile/nope"]).code, 2);
}

#[test]
fn output_is_deterministic() {
    let files: Vec<(String, &[u8])> = (0..30)
        .map(|i| (format!("s{i}/Dockerfile"), b"FROM node\nMAINTAINER x\nRUN curl -s https://x.sh | sh\n" as &[u8]))
        .collect();
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
    let dir = tree(&refs);
    let a = opslint(dir.path(), &["check", "--format", "json"]).stdout;
    let b = opslint(dir.path(), &["check", "--format", "json"]).stdout;
    assert_eq!(a, b);
    let paths: Vec<String> = serde_json::from_str::<serde_json::Value>(&a).unwrap()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}

#[test]
fn walk_honours_gitignore_and_opslintignore_but_not_for_explicit_files() {
    let dir = tree(&[
        (".gitignore", b"build/\n"),
        (".opslintignore", b"vendor/\n"),
        ("build/Dockerfile", b"FROM ubuntu\n"),
        ("vendor/Dockerfile", b"FROM ubuntu\n"),
        ("app/Dockerfile", b"FROM ubuntu\n"),
        ("app/Containerfile", b"FROM ubuntu\n"),
        ("app/api.dockerfile", b"FROM ubuntu\n"),
        ("app/Dockerfile.dev", b"FROM ubuntu\n"),
    ]);
    let run = opslint(dir.path(), &["check", "--format", "json", "--select", "dockerfile/latest-tag"]);
    let paths: Vec<String> =
        run.json()["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().to_string()).collect();
    assert_eq!(paths, ["app/Containerfile", "app/Dockerfile", "app/Dockerfile.dev", "app/api.dockerfile"]);
    let explicit =
        opslint(dir.path(), &["check", "--format", "json", "--select", "dockerfile/latest-tag", "build/Dockerfile"]);
    assert_eq!(explicit.rules(), ["dockerfile/latest-tag"], "an ignored file named explicitly is checked");
}

#[test]
fn config_excludes_and_disables() {
    let dir = tree(&[
        ("opslint.toml", b"[files]\nexclude = [\"legacy\"]\n\n[rules]\nignore = [\"DL3007\"]\n"),
        ("legacy/Dockerfile", b"FROM ubuntu\n"),
        ("Dockerfile", b"FROM ubuntu:latest\nMAINTAINER x\n"),
    ]);
    let run = opslint(dir.path(), &["check", "--format", "json"]);
    let rules = run.rules();
    assert!(!rules.iter().any(|r| r == "dockerfile/latest-tag"), "ignored through its alias: {rules:?}");
    assert!(run.json()["findings"].as_array().unwrap().iter().all(|f| f["path"] == "Dockerfile"));
}

fn config_error(toml: &str) -> String {
    let dir = tree(&[("opslint.toml", toml.as_bytes()), ("Dockerfile", b"FROM alpine:3.20\n")]);
    let run = opslint(dir.path(), &["check"]);
    assert_eq!(run.code, 2, "config errors exit 2: {}", run.stderr);
    run.stderr
}

#[test]
fn config_errors_point_at_the_line_with_a_suggestion() {
    insta::assert_snapshot!("config_unknown_key", config_error("fail-on = \"high\"\n[rulez]\nselect = []\n"));
    insta::assert_snapshot!("config_unknown_rule", config_error("[rules]\nignore = [\"dockerfile/latest-tga\"]\n"));
    insta::assert_snapshot!("config_bad_severity", config_error("fail-on = \"hihg\"\n"));
    insta::assert_snapshot!("config_unknown_pack", config_error("extends = [\"recomended\"]\n"));
    insta::assert_snapshot!("config_unknown_plugin", config_error("[plugins.dockerfil]\nenabled = false\n"));
    insta::assert_snapshot!("config_bad_toml", config_error("[rules\nselect = 1\n"));
    insta::assert_snapshot!("config_timeout_range", config_error("[plugins.dockerfile]\ntimeout = 1e30\n"));
    insta::assert_snapshot!(
        "config_plugin_failed_ignored",
        config_error("[rules]\nignore = [\"opslint/plugin-failed\"]\n")
    );
    insta::assert_snapshot!("config_options_alias_many", config_error("[rules.options.nonexistent-rule]\nx = 1\n"));
}

#[test]
fn every_policy_pack_loads() {
    for (name, _) in opslint::config::PACKS {
        let cfg = format!("extends = [\"{name}\"]\n");
        let dir = tree(&[("opslint.toml", cfg.as_bytes()), ("Dockerfile", b"FROM alpine:3.20\n")]);
        let run = opslint(dir.path(), &["check"]);
        assert!(run.code == 0 || run.code == 1, "pack {name}: {}", run.stderr);
    }
}

#[test]
fn stdin_is_checked_under_its_given_name() {
    let dir = tree(&[]);
    let run = opslint_stdin(
        dir.path(),
        &["check", "--format", "json", "-", "--stdin-filename", "svc/Dockerfile"],
        b"FROM node:latest\n",
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["findings"][0]["path"], "svc/Dockerfile");
    assert_eq!(json["findings"][0]["rule"], "dockerfile/latest-tag");
    let unnamed = opslint_stdin(dir.path(), &["check", "-"], b"FROM node:latest\n");
    assert_eq!(unnamed.code, 2);
    assert!(unnamed.stderr.contains("--stdin-filename"), "{}", unnamed.stderr);
}

/// The standard error of `opslint ARGS` in `dir` with its own compiled-plugin cache.
fn stderr_with_cache(dir: &std::path::Path, cache: &std::path::Path, args: &[&str]) -> String {
    let out =
        std::process::Command::new(BIN).args(args).current_dir(dir).env("OPSLINT_CACHE_DIR", cache).output().unwrap();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn verbose_shows_where_the_time_went() {
    let dir = tree(&[("Dockerfile", b"FROM alpine:3.20\n")]);
    let cache = tempfile::tempdir().unwrap();
    let stderr = stderr_with_cache(dir.path(), cache.path(), &["check", "-v"]);
    // Each stage of the run, and each plugin batch with its size.
    let stages = stderr.lines().find(|l| l.starts_with("stages: ")).unwrap_or_else(|| panic!("{stderr}"));
    for stage in ["plan", "read", "batches", "run", "sort and fingerprint", "cache write"] {
        assert!(stages.contains(&format!("{stage} ")), "{stage}: {stages}");
    }
    assert!(stderr.contains("[dockerfile] batch of 1 file(s), 17 bytes: "), "{stderr}");
    // Not without -v.
    let quiet = stderr_with_cache(dir.path(), cache.path(), &["check"]);
    assert!(!quiet.contains("stages: ") && !quiet.contains("batch of"), "{quiet}");
}

#[test]
fn warm_start_compiles_nothing() {
    let dir = tree(&[("Dockerfile", b"FROM alpine:3.20\n")]);
    let cache = tempfile::tempdir().unwrap();
    let run = |_: ()| stderr_with_cache(dir.path(), cache.path(), &["check", "-v"]);
    let cold = run(());
    assert!(!cold.contains(" 0 compiled"), "the first start compiles: {cold}");
    let warm = run(());
    assert!(warm.contains(" 0 compiled with Cranelift"), "a warm start loads every plugin from the cache: {warm}");
    // The compiled plugins (the findings cache keeps its entries in one file
    // beside them), each damaged one way: its code or its checksum.
    let mut compiled: Vec<_> = std::fs::read_dir(cache.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "cwasm"))
        .collect();
    compiled.sort();
    assert!(compiled.len() >= 6, "one compiled file per built-in plugin: {compiled:?}");
    for (i, code) in compiled.iter().enumerate() {
        let sum = code.with_extension("mac");
        assert!(sum.is_file(), "its MAC beside it: {}", sum.display());
        match i % 4 {
            // One flipped byte deep in the code (written in place, as no run ever does).
            0 => {
                let mut bytes = std::fs::read(code).unwrap();
                let at = bytes.len() * 2 / 3;
                bytes[at] ^= 0x40;
                std::fs::write(code, bytes).unwrap();
            }
            1 => std::fs::write(code, b"short").unwrap(),
            2 => std::fs::write(&sum, b"1234567").unwrap(),
            _ => std::fs::remove_file(&sum).unwrap(),
        }
        // Without its metadata record the start must map the code (else an answered run never reads it).
        std::fs::remove_file(code.with_extension("meta")).unwrap();
    }
    let after = run(());
    let all = format!(" {} compiled with Cranelift", compiled.len());
    assert!(after.contains(&all), "every damaged cache entry is recompiled, not loaded: {after}");
    assert!(run(()).contains(" 0 compiled with Cranelift"), "and rewritten");
}

#[test]
fn dockerignore_presence_comes_from_the_walk() {
    let body: &[u8] = b"FROM node:20-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD [\"node\", \"index.js\"]\n";
    let args = ["check", "--format", "json", "--select", "dockerfile/copy-all-without-dockerignore"];
    let without = tree(&[("svc/Dockerfile", body)]);
    assert_eq!(opslint(without.path(), &args).rules(), ["dockerfile/copy-all-without-dockerignore"]);
    let with = tree(&[("svc/Dockerfile", body), ("svc/.dockerignore", b"node_modules\n.git\n")]);
    assert!(opslint(with.path(), &args).rules().is_empty(), "a .dockerignore beside it silences the rule");
}

#[test]
fn completions_are_printed_for_every_shell() {
    for (shell, marker) in [
        ("bash", "_opslint()"),
        ("zsh", "#compdef opslint"),
        ("fish", "complete -c opslint"),
        ("powershell", "opslint"),
    ] {
        let run = opslint(&repo(), &["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains(marker) && run.stdout.contains("maturity"), "{shell}:\n{}", run.stdout);
    }
    // The bash script parses.
    let dir = tree(&[("opslint.bash", opslint(&repo(), &["completions", "bash"]).stdout.as_bytes())]);
    let syntax = std::process::Command::new("bash").arg("-n").arg(dir.path().join("opslint.bash")).status();
    assert!(syntax.is_ok_and(|s| s.success()));
    assert_eq!(opslint(&repo(), &["completions", "tcsh"]).code, 2, "an unknown shell is a usage error");
}
