//! The pre-commit framework itself runs the hook defined in the project's
//! `.pre-commit-hooks.yaml` on a sample repository, with the opslint binary
//! under test first on PATH (the hook is `language: system`). Skipped with a
//! message when pre-commit is not installed, except in CI (`CI=true`), where
//! scripts/setup installs it and this test must run.
mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// How to start pre-commit: the `pre-commit` command, or the Python module.
fn pre_commit() -> Option<Vec<String>> {
    let candidates: [&[&str]; 2] = [&["pre-commit"], &["python3", "-m", "pre_commit"]];
    candidates.iter().find_map(|c| {
        let ok = Command::new(c[0]).args(&c[1..]).arg("--version").output().is_ok_and(|o| o.status.success());
        ok.then(|| c.iter().map(|s| s.to_string()).collect())
    })
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=opslint", "-c", "user.email=opslint@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn head(dir: &Path) -> String {
    let out = Command::new("git").args(["rev-parse", "HEAD"]).current_dir(dir).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn run(cmd: &[String], args: &[&str], dir: &Path, home: &Path) -> Output {
    let bin_dir = PathBuf::from(BIN).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    Command::new(&cmd[0])
        .args(&cmd[1..])
        .args(args)
        .current_dir(dir)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home)
        .env("OPSLINT_CACHE_DIR", cache_dir())
        .env("NO_COLOR", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("run pre-commit")
}

#[test]
fn pre_commit_runs_the_hook_on_staged_files() {
    let Some(cmd) = pre_commit() else {
        let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
        assert!(!in_ci, "CI=true but pre-commit is not installed (scripts/setup installs it)");
        eprintln!("SKIPPED pre_commit_runs_the_hook_on_staged_files: pre-commit is not installed (python3 -m pip install --user pre-commit)");
        return;
    };
    // A hook repository holding the project's .pre-commit-hooks.yaml.
    let hooks = tree(&[]);
    std::fs::copy(repo().join(".pre-commit-hooks.yaml"), hooks.path().join(".pre-commit-hooks.yaml")).unwrap();
    git(hooks.path(), &["init", "-q", "-b", "main"]);
    git(hooks.path(), &["add", "."]);
    git(hooks.path(), &["commit", "-q", "-m", "hooks"]);
    let rev = head(hooks.path());

    // The sample repository: the PDB is committed, the Deployment and a Dockerfile are staged.
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: opslint\n        args: [--select, \"k8s/missing-pdb,k8s/image-tag,dockerfile/latest-tag\"]\n",
        hooks.path().display()
    );
    let sample = tree(&[
        (".pre-commit-config.yaml", config.as_bytes()),
        ("k8s/pdb.yaml", WEB_PDB.as_bytes()),
        ("k8s/web.yaml", WEB_DEPLOYMENT.as_bytes()),
        ("api/Dockerfile", b"FROM python:latest\n"),
        ("legacy/Dockerfile", b"FROM node:latest\n"),
    ]);
    let home = tree(&[]);
    git(sample.path(), &["init", "-q", "-b", "main"]);
    git(sample.path(), &["add", ".pre-commit-config.yaml", "k8s/pdb.yaml", "legacy/Dockerfile"]);
    git(sample.path(), &["commit", "-q", "-m", "base"]);
    git(sample.path(), &["add", "k8s/web.yaml", "api/Dockerfile"]);

    let out = run(&cmd, &["run"], sample.path(), home.path());
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "the hook fails on the staged findings:\n{text}");
    assert!(text.contains("opslint") && text.contains("Failed"), "{text}");
    assert!(text.contains("k8s/image-tag") && text.contains("dockerfile/latest-tag"), "{text}");
    assert!(!text.contains("k8s/missing-pdb"), "the committed PDB is seen by the cross-file rule:\n{text}");
    assert!(!text.contains("legacy/Dockerfile"), "only staged files are reported:\n{text}");
    assert!(text.contains("in 2 files"), "{text}");

    // Fixed and staged: the hook passes.
    std::fs::write(sample.path().join("api/Dockerfile"), "FROM python:3.12-slim\n").unwrap();
    std::fs::write(sample.path().join("k8s/web.yaml"), WEB_DEPLOYMENT.replace(":latest", ":1.4.2")).unwrap();
    git(sample.path(), &["add", "k8s/web.yaml", "api/Dockerfile"]);
    let out = run(&cmd, &["run"], sample.path(), home.path());
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("Passed"), "{text}");
}
