//! Checking only some files: what pre-commit passes (`check FILE…`) and
//! `--changed-since REV`. Repository-scope plugins (k8s) still see every file
//! of the repository; only findings in the named files are reported and count.
mod common;
use common::*;
use std::path::Path;
use std::process::Command;

const OTHER: &str = "apiVersion: v1
kind: Pod
metadata:
  name: other
spec:
  containers:
    - name: other
      image: other:latest
";

fn repo_tree() -> tempfile::TempDir {
    tree(&[
        ("k8s/web.yaml", WEB_DEPLOYMENT.as_bytes()),
        ("k8s/pdb.yaml", WEB_PDB.as_bytes()),
        ("k8s/other.yaml", OTHER.as_bytes()),
        ("api/Dockerfile", b"FROM python:latest\n"),
        ("worker/Dockerfile", b"FROM node:latest\n"),
    ])
}

fn found(run: &Run) -> Vec<(String, String)> {
    run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["rule"].as_str().unwrap().to_string()))
        .collect()
}

const SELECT: &str = "k8s/missing-pdb,k8s/image-tag,dockerfile/latest-tag";

#[test]
fn named_files_only_but_cross_file_rules_see_the_repository() {
    let dir = repo_tree();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    // What pre-commit runs for two staged files.
    let run = opslint(dir.path(), &["check", "--format", "json", "--select", SELECT, "k8s/web.yaml", "api/Dockerfile"]);
    let got = found(&run);
    assert!(got.contains(&("k8s/web.yaml".into(), "k8s/image-tag".into())), "{got:?}");
    assert!(got.contains(&("api/Dockerfile".into(), "dockerfile/latest-tag".into())), "{got:?}");
    assert!(
        !got.iter().any(|(_, r)| r == "k8s/missing-pdb"),
        "the PDB in k8s/pdb.yaml (not named) still counts: {got:?}"
    );
    assert!(got.iter().all(|(p, _)| p == "k8s/web.yaml" || p == "api/Dockerfile"), "only named files: {got:?}");
    assert_eq!(run.json()["summary"]["files_checked"], 2);

    // Without the PDB in the repository, the cross-file rule fires on the named file.
    std::fs::remove_file(dir.path().join("k8s/pdb.yaml")).unwrap();
    let run = opslint(dir.path(), &["check", "--format", "json", "--select", SELECT, "k8s/web.yaml"]);
    assert!(found(&run).contains(&("k8s/web.yaml".into(), "k8s/missing-pdb".into())), "{:?}", found(&run));

    // The exit code counts only the named files: other.yaml is bad, but not named.
    std::fs::write(dir.path().join("k8s/pdb.yaml"), WEB_PDB).unwrap();
    let run = opslint(dir.path(), &["check", "--select", "k8s/image-tag", "k8s/pdb.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stdout);

    // From a subdirectory, with the repository root found by its .git.
    let run = opslint(&dir.path().join("k8s"), &["check", "--format", "json", "--select", SELECT, "web.yaml"]);
    assert_eq!(found(&run), [("web.yaml".to_string(), "k8s/image-tag".to_string())], "the PDB is seen from here too");
}

#[test]
fn named_dockerfile_still_sees_its_dockerignore() {
    let dir = tree(&[
        ("api/Dockerfile", b"FROM python:3.12-slim\nCOPY . .\n"),
        ("api/.dockerignore", b".git\n"),
        ("k8s/other.yaml", OTHER.as_bytes()),
    ]);
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let args = ["check", "--format", "json", "--select", "dockerfile/copy-all-without-dockerignore,k8s/image-tag"];
    let run = opslint(dir.path(), &[&args[..], &["api/Dockerfile"]].concat());
    assert_eq!(run.code, 0, "the .dockerignore beside it is context even when not named: {}", run.stdout);
    std::fs::remove_file(dir.path().join("api/.dockerignore")).unwrap();
    let run = opslint(dir.path(), &[&args[..], &["api/Dockerfile"]].concat());
    assert_eq!(found(&run), [("api/Dockerfile".to_string(), "dockerfile/copy-all-without-dockerignore".to_string())]);
}

/// Named files that no repository-scope plugin reads: their context comes
/// from their own directories and those above (walk::around), not a walk of
/// the repository.
#[test]
fn named_dockerfiles_see_dockerignores_above_them_not_beside() {
    let body: &[u8] = b"FROM python:3.12-slim\nCOPY . .\n";
    let dir = tree(&[("deep/a/b/Dockerfile", body), ("other/Dockerfile", body), (".dockerignore", b".git\n")]);
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let args = ["check", "--format", "json", "--select", "dockerfile/copy-all-without-dockerignore"];
    let named = ["deep/a/b/Dockerfile", "other/Dockerfile"];
    let run = opslint(dir.path(), &[&args[..], &named[..]].concat());
    assert_eq!(run.code, 0, "the .dockerignore at the root covers both: {}", run.stdout);
    std::fs::remove_file(dir.path().join(".dockerignore")).unwrap();
    // One in a sibling folder covers nothing; one named for the Dockerfile covers it.
    std::fs::create_dir_all(dir.path().join("deep/a/c")).unwrap();
    std::fs::write(dir.path().join("deep/a/c/.dockerignore"), ".git\n").unwrap();
    std::fs::write(dir.path().join("other/Dockerfile.dockerignore"), ".git\n").unwrap();
    let run = opslint(dir.path(), &[&args[..], &named[..]].concat());
    assert_eq!(
        found(&run),
        [("deep/a/b/Dockerfile".to_string(), "dockerfile/copy-all-without-dockerignore".to_string())]
    );
    std::fs::write(dir.path().join("deep/.dockerignore"), ".git\n").unwrap();
    let run = opslint(dir.path(), &[&args[..], &named[..]].concat());
    assert_eq!(run.code, 0, "a .dockerignore two folders up covers it: {}", run.stdout);
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

#[test]
fn changed_since_a_revision() {
    let dir = repo_tree();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "initial"]);
    let run = opslint(dir.path(), &["check", "--format", "json", "--select", SELECT, "--changed-since", "HEAD"]);
    assert_eq!(run.code, 0, "nothing changed: {}", run.stdout);
    assert_eq!(run.json()["summary"]["files_checked"], 0);

    // A modified file, a new untracked one, a deleted one and an ignored one.
    std::fs::write(dir.path().join("worker/Dockerfile"), "FROM node:latest\nUSER node\n").unwrap();
    std::fs::write(dir.path().join("new.Dockerfile"), "FROM ruby:latest\n").unwrap();
    std::fs::remove_file(dir.path().join("api/Dockerfile")).unwrap();
    std::fs::write(dir.path().join(".gitignore"), "ignored/\n").unwrap();
    std::fs::create_dir(dir.path().join("ignored")).unwrap();
    std::fs::write(dir.path().join("ignored/Dockerfile"), "FROM x:latest\n").unwrap();
    let run = opslint(dir.path(), &["check", "--format", "json", "--select", SELECT, "--changed-since", "HEAD"]);
    assert_eq!(run.code, 1);
    let got = found(&run);
    assert_eq!(
        got,
        [
            ("new.Dockerfile".to_string(), "dockerfile/latest-tag".to_string()),
            ("worker/Dockerfile".into(), "dockerfile/latest-tag".into())
        ]
    );

    // Limited to a path, and against an older revision after a commit.
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "second"]);
    let run =
        opslint(dir.path(), &["check", "--format", "json", "--select", SELECT, "--changed-since", "HEAD~1", "worker"]);
    assert_eq!(found(&run), [("worker/Dockerfile".to_string(), "dockerfile/latest-tag".to_string())]);
    let bad = opslint(dir.path(), &["check", "--changed-since", "no-such-rev"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}
