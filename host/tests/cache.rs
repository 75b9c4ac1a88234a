//! The incremental findings cache (plugin/results.rs): a repeated run gives
//! the same output from the cache, an edit re-checks only what it touches,
//! damaged entries are ignored and rewritten, `--no-cache` bypasses it, and
//! repository-scope plugins see cross-file changes.
mod common;
use common::*;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A cache directory of its own (so counts are this test's), sharing the
/// compiled plugins (and their checksums) of the common cache through symbolic links.
fn own_cache() -> tempfile::TempDir {
    let warm = tree(&[("Dockerfile", b"FROM alpine:3.20\n")]);
    opslint(warm.path(), &["check"]); // fills the common compiled-plugin cache
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(cache_dir()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "cwasm" || x == "mac") {
            std::os::unix::fs::symlink(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    dir
}

struct Out {
    code: i32,
    stdout: String,
    /// (documents reused, documents checked by plugins), from `-v`.
    counts: (usize, usize),
}

fn run(dir: &Path, cache: &Path, extra: &[&str]) -> Out {
    let out = Command::new(BIN)
        .args(["check", "-v"])
        .args(if extra.contains(&"--format") { &[][..] } else { &["--format", "json"][..] })
        .args(extra)
        .current_dir(dir)
        .env("OPSLINT_CACHE_DIR", cache)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let line = stderr.lines().find(|l| l.starts_with("findings cache: ")).unwrap_or_else(|| panic!("{stderr}"));
    let nums: Vec<usize> = line.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    Out { code: out.status.code().unwrap(), stdout: String::from_utf8(out.stdout).unwrap(), counts: (nums[0], nums[1]) }
}

fn rules_at(stdout: &str, path: &str) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(stdout).unwrap();
    let at = json["findings"].as_array().unwrap().iter().filter(|f| f["path"] == path);
    at.map(|f| f["rule"].as_str().unwrap().to_string()).collect()
}

fn entries(cache: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(cache.join("findings-v1")) else { return out };
    for d in dirs {
        out.extend(std::fs::read_dir(d.unwrap().path()).unwrap().map(|e| e.unwrap().path()));
    }
    out.sort();
    out
}

const SERVICE: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n";

fn sample() -> tempfile::TempDir {
    let mut files: Vec<(String, Vec<u8>)> = (0..40)
        .map(|i| (format!("svc{i:02}/Dockerfile"), format!("FROM ubuntu:latest\nRUN echo {i}\n").into_bytes()))
        .collect();
    files.push(("k8s/web.yaml".into(), WEB_DEPLOYMENT.as_bytes().to_vec()));
    files.push(("k8s/service.yaml".into(), SERVICE.as_bytes().to_vec()));
    files.push(("db/V1__idx.sql".into(), b"CREATE INDEX idx ON orders (id);\n".to_vec()));
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
    tree(&refs)
}

#[test]
fn a_second_run_is_answered_from_the_cache_with_identical_output() {
    let (repo, cache) = (sample(), own_cache());
    let first = run(repo.path(), cache.path(), &[]);
    assert_eq!(first.counts.0, 0, "nothing cached yet");
    assert!(first.counts.1 >= 43, "{:?}", first.counts);
    let second = run(repo.path(), cache.path(), &[]);
    assert_eq!(second.stdout, first.stdout);
    assert_eq!(second.code, first.code);
    assert_eq!(second.counts, (first.counts.1, 0), "every document reused");
    // The other formats render from the same cached findings.
    let sarif = |c: &Path| run(repo.path(), c, &["--format", "sarif"]).stdout;
    assert_eq!(sarif(cache.path()), sarif(own_cache().path()));
}

#[test]
fn editing_a_file_rechecks_that_file_only() {
    let (repo, cache) = (sample(), own_cache());
    let first = run(repo.path(), cache.path(), &[]);
    std::fs::write(repo.path().join("svc07/Dockerfile"), "FROM alpine:3.20\nUSER app\n").unwrap();
    let second = run(repo.path(), cache.path(), &[]);
    // One Dockerfile checked again (dockerfile is file scope: the other files of
    // its batch are not), plus the evidence phase's batch (the backup plugin:
    // the evidence document and the two manifests), as the Dockerfile's evidence changed.
    assert!(second.counts.1 <= 4, "{:?}", second.counts);
    assert!(rules_at(&first.stdout, "svc07/Dockerfile").contains(&"dockerfile/latest-tag".to_string()));
    assert!(rules_at(&second.stdout, "svc07/Dockerfile").is_empty(), "{}", second.stdout);
    // Everything else reported as before.
    for i in [0, 6, 8, 39] {
        let p = format!("svc{i:02}/Dockerfile");
        assert_eq!(rules_at(&first.stdout, &p), rules_at(&second.stdout, &p), "{p}");
    }
    assert_eq!(rules_at(&first.stdout, "k8s/web.yaml"), rules_at(&second.stdout, "k8s/web.yaml"));
    // And the same as a run that uses no cache at all.
    let fresh = run(repo.path(), cache.path(), &["--no-cache"]);
    assert_eq!(fresh.stdout, second.stdout);
}

#[test]
fn damaged_entries_are_ignored_and_rewritten() {
    let (repo, cache) = (sample(), own_cache());
    let first = run(repo.path(), cache.path(), &[]);
    let all = entries(cache.path());
    assert!(all.len() >= 43, "{}", all.len());
    // Flip a byte in one, truncate another, empty a third, replace a fourth with valid-looking JSON.
    let mut bytes = std::fs::read(&all[0]).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 0x20;
    std::fs::write(&all[0], bytes).unwrap();
    let len = std::fs::metadata(&all[1]).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&all[1]).unwrap().set_len(len / 2).unwrap();
    std::fs::write(&all[2], b"").unwrap();
    std::fs::write(&all[3], br#"{"output":{"findings":[],"evidence":[]},"logs":[]}"#).unwrap();
    let second = run(repo.path(), cache.path(), &[]);
    assert_eq!(second.stdout, first.stdout, "damaged entries change nothing");
    assert!(second.counts.1 >= 4, "the damaged ones were checked again: {:?}", second.counts);
    let third = run(repo.path(), cache.path(), &[]);
    assert_eq!(third.stdout, first.stdout);
    assert_eq!(third.counts.1, 0, "and rewritten: {:?}", third.counts);
}

#[test]
fn no_cache_neither_reads_nor_writes_it() {
    let (repo, cache) = (sample(), own_cache());
    let first = run(repo.path(), cache.path(), &["--no-cache"]);
    assert_eq!(first.counts.0, 0);
    assert!(entries(cache.path()).is_empty(), "nothing written");
    run(repo.path(), cache.path(), &[]);
    let bypass = run(repo.path(), cache.path(), &["--no-cache"]);
    assert_eq!(bypass.counts.0, 0, "nothing read");
    assert_eq!(bypass.stdout, first.stdout);
}

#[test]
fn cross_file_rules_see_a_change_in_another_file() {
    let (repo, cache) = (sample(), own_cache());
    let selects_nothing =
        |out: &Out| rules_at(&out.stdout, "k8s/service.yaml").contains(&"k8s/selects-nothing".to_string());
    let first = run(repo.path(), cache.path(), &[]);
    assert!(!selects_nothing(&first), "the Service selects the Deployment's pods: {}", first.stdout);
    // Only the Deployment's labels change; the Service's file is untouched.
    let relabelled = WEB_DEPLOYMENT.replace("app: web", "app: web-v2");
    assert_ne!(relabelled, WEB_DEPLOYMENT);
    std::fs::write(repo.path().join("k8s/web.yaml"), relabelled).unwrap();
    let second = run(repo.path(), cache.path(), &[]);
    assert!(selects_nothing(&second), "{}", second.stdout);
    // And back: the first run's entry answers again.
    std::fs::write(repo.path().join("k8s/web.yaml"), WEB_DEPLOYMENT).unwrap();
    let third = run(repo.path(), cache.path(), &[]);
    assert_eq!(third.stdout, first.stdout);
    assert_eq!(third.counts.1, 0, "{:?}", third.counts);
}

#[test]
fn concurrent_runs_share_the_cache_safely() {
    let (repo, cache) = (sample(), own_cache());
    let expected = run(repo.path(), cache.path(), &["--no-cache"]).stdout;
    let outs: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4).map(|_| s.spawn(|| run(repo.path(), cache.path(), &[]).stdout)).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for out in outs {
        assert_eq!(out, expected);
    }
    let after = run(repo.path(), cache.path(), &[]);
    assert_eq!(after.stdout, expected);
    assert_eq!(after.counts.1, 0);
    // No temporary files left behind.
    assert!(entries(cache.path()).iter().all(|p| p.file_name().unwrap().len() == 64), "{:?}", entries(cache.path()));
}
