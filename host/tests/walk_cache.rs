//! A whole tree's walk kept between runs (host/src/walk_cache.rs): taken
//! only while every directory and ignore file it read is unchanged, so a
//! kept walk finds what a fresh walk finds: the oracle here is the same run
//! with `--no-cache`.
#![cfg(unix)]
mod common;
use common::*;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

/// A walk is kept only for a tree unchanged in the two seconds before it.
const SETTLE: Duration = Duration::from_millis(2200);

struct Checked {
    files: BTreeSet<String>,
    kept: bool,
}

fn check(dir: &Path, cache: &Path, key: &Path, no_cache: bool) -> Checked {
    let mut args = vec!["check", "--format", "json", "-v", "--select", "dockerfile", "."];
    if no_cache {
        args.insert(0, "--no-cache");
    }
    let out = std::process::Command::new(BIN)
        .args(&args)
        .current_dir(dir)
        .env("OPSLINT_CACHE_DIR", cache)
        .env("OPSLINT_CACHE_KEY_FILE", key)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let files = json["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().to_string()).collect();
    let stages = stderr.lines().find(|l| l.starts_with("stages: ")).unwrap_or_else(|| panic!("{stderr}")).to_string();
    Checked { files, kept: stages.contains("plan (walk kept)") }
}

/// Checks `dir` with a kept walk where one holds, and asserts it finds what a fresh walk finds.
fn same_as_fresh(dir: &Path, cache: &Path, key: &Path) -> Checked {
    let kept = check(dir, cache, key, false);
    let fresh = check(dir, cache, key, true);
    assert!(!fresh.kept);
    assert_eq!(kept.files, fresh.files, "a kept walk must find what a fresh walk finds");
    kept
}

fn records(cache: &Path) -> usize {
    std::fs::read_dir(cache)
        .map(|d| d.flatten().filter(|e| e.file_name().to_string_lossy().starts_with("walk-")).count())
        .unwrap_or(0)
}

const DOCKERFILE: &[u8] = b"FROM alpine\nRUN apk add curl\n";

#[test]
fn a_kept_walk_sees_files_added_and_removed_and_ignore_files_edited() {
    let dir = tree(&[
        ("a/Dockerfile", DOCKERFILE),
        ("a/b/Dockerfile", DOCKERFILE),
        ("c/Dockerfile", DOCKERFILE),
        ("ignored/Dockerfile", DOCKERFILE),
        (".gitignore", b"ignored/\n"),
    ]);
    let (cache, keys) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let key = keys.path().join("k");
    let step = |change: &dyn Fn(&Path), expect: &[&str]| {
        std::thread::sleep(SETTLE);
        // Walked and kept, then taken.
        assert!(!same_as_fresh(dir.path(), cache.path(), &key).kept);
        assert!(same_as_fresh(dir.path(), cache.path(), &key).kept, "an unchanged tree's walk is kept");
        change(dir.path());
        let after = same_as_fresh(dir.path(), cache.path(), &key);
        assert!(!after.kept, "a changed tree is walked again");
        let want: BTreeSet<String> = expect.iter().map(|s| s.to_string()).collect();
        assert_eq!(after.files, want);
    };
    // A file in a new folder deep in the tree.
    step(
        &|d| {
            std::fs::create_dir_all(d.join("a/b/new")).unwrap();
            std::fs::write(d.join("a/b/new/Dockerfile"), DOCKERFILE).unwrap();
        },
        &["a/Dockerfile", "a/b/Dockerfile", "a/b/new/Dockerfile", "c/Dockerfile"],
    );
    // An ignore file edited in place (its folder's times do not change).
    step(
        &|d| std::fs::write(d.join(".gitignore"), b"ignored/\nc/\n").unwrap(),
        &["a/Dockerfile", "a/b/Dockerfile", "a/b/new/Dockerfile"],
    );
    // A file removed, and an ignore file made in a folder below.
    step(
        &|d| {
            std::fs::remove_file(d.join("a/Dockerfile")).unwrap();
            std::fs::write(d.join("a/b/.opslintignore"), b"new/\n").unwrap();
        },
        &["a/b/Dockerfile"],
    );
}

#[test]
fn a_tree_changed_just_before_its_walk_is_not_kept_nor_a_record_of_another_key_taken() {
    let (cache, keys) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (mine, theirs) = (keys.path().join("mine"), keys.path().join("theirs"));
    // The plugins compiled first: compiling takes seconds, and the tree must be new when walked.
    check(tree(&[]).path(), cache.path(), &mine, false);
    let dir = tree(&[("a/Dockerfile", DOCKERFILE)]);
    let before = records(cache.path());
    // Made just now: a change within the file system's timestamp granularity could go unseen.
    check(dir.path(), cache.path(), &mine, false);
    assert_eq!(records(cache.path()), before, "no record of a tree changed in the last seconds");
    std::thread::sleep(SETTLE);
    check(dir.path(), cache.path(), &theirs, false);
    assert_eq!(records(cache.path()), before + 1);
    assert!(check(dir.path(), cache.path(), &theirs, false).kept);
    // Another user's (or a restored cache's) record fails its MAC: walked again.
    assert!(!check(dir.path(), cache.path(), &mine, false).kept);
}
