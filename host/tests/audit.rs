//! `opslint audit` over sample repositories, as local paths and as file://
//! git URLs: N shard processes merge to exactly the unsharded scorecard; a
//! second run keeps current results; a repository that cannot be cloned is a
//! result with its error. The HTML scorecard is rendered by headless Chromium
//! (skipped with a notice when it is not installed, except in CI).
mod common;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn git(args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A bare repository holding one commit of `src`'s files (its work tree is `src` itself: nothing is copied).
fn bare_repo_of(src: &Path, into: &Path) -> String {
    let name = src.file_name().unwrap().to_string_lossy().to_string();
    let bare = into.join(format!("{name}.git"));
    let (g, w) = (format!("--git-dir={}", bare.display()), format!("--work-tree={}", src.display()));
    git(&["init", "-q", "--bare", bare.to_str().unwrap()]);
    git(&[&g, &w, "add", "-A", "."]);
    git(&[&g, &w, "commit", "-q", "-m", "snapshot"]);
    format!("file://{}", bare.display())
}

fn sample_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for base in [Some(repo().join("tests/maturity/samples")), shared_input("repos")].into_iter().flatten() {
        let mut found: Vec<PathBuf> =
            std::fs::read_dir(&base).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
        found.sort();
        dirs.extend(found);
    }
    dirs
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn json_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    v.sort();
    v
}

#[test]
fn shards_merge_to_the_unsharded_scorecard() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path().canonicalize().unwrap();
    let git_dir = t.join("git");
    std::fs::create_dir_all(&git_dir).unwrap();
    let mut list = String::from("# local checkouts, then the same repositories as git URLs\n");
    let dirs = sample_dirs();
    for d in &dirs {
        list.push_str(&format!("{}\n", d.display()));
    }
    for d in &dirs {
        list.push_str(&format!("{}\n", bare_repo_of(d, &git_dir)));
    }
    list.push_str(&format!("file://{}/missing.git\n", t.display()));
    std::fs::write(t.join("repos.txt"), &list).unwrap();
    let expected = 2 * dirs.len() + 1;

    let all = opslint(&t, &["audit", "--from", "repos.txt", "-o", "all"]);
    assert_eq!(all.code, 0, "{}{}", all.stdout, all.stderr);
    assert_eq!(json_files(&t.join("all")).len(), expected, "one result per repository\n{}", all.stdout);
    assert!(all.stderr.contains("missing: error: cannot reach the repository"), "{}", all.stderr);

    // Four workers, as four processes at once, each writing its own folder.
    let children: Vec<_> = (1..=4)
        .map(|i| {
            Command::new(BIN)
                .args(["audit", "--from", "repos.txt", "--shard", &format!("{i}/4"), "-o", &format!("shard{i}")])
                .current_dir(&t)
                .env("OPSLINT_CACHE_DIR", cache_dir())
                .output()
                .unwrap()
        })
        .collect();
    let mut union: Vec<String> = Vec::new();
    for (i, c) in children.iter().enumerate() {
        assert!(c.status.success(), "shard {}: {}", i + 1, String::from_utf8_lossy(&c.stderr));
        union.extend(json_files(&t.join(format!("shard{}", i + 1))));
    }
    union.sort();
    assert_eq!(union, json_files(&t.join("all")), "the shards cover the list exactly once");
    for f in &union {
        let shard = (1..=4).map(|i| t.join(format!("shard{i}")).join(f)).find(|p| p.exists()).unwrap();
        assert_eq!(read(&shard), read(&t.join("all").join(f)), "{f}: same result sharded or not");
    }

    let one = opslint(&t, &["audit", "merge", "all", "-o", "one"]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    let four = opslint(&t, &["audit", "merge", "shard1", "shard2", "shard3", "shard4", "-o", "four"]);
    assert_eq!(four.code, 0, "{}", four.stderr);
    for f in ["scorecard.md", "scorecard.html", "scorecard.json"] {
        assert_eq!(read(&t.join("one").join(f)), read(&t.join("four").join(f)), "{f}: 1 shard and 4 shards differ");
    }
    let sc: serde_json::Value = serde_json::from_str(&read(&t.join("one/scorecard.json"))).unwrap();
    assert_eq!(sc["repositories-total"], expected);
    assert_eq!(sc["errors"], 1);
    // A repository judged from its folder and from its clone gets the same verdicts.
    let rows = sc["repositories"].as_array().unwrap();
    for d in &dirs {
        let local = rows.iter().find(|r| r["name"] == d.display().to_string()).unwrap();
        let url = format!("{}/{}", git_dir.display(), d.file_name().unwrap().to_string_lossy());
        let cloned = rows.iter().find(|r| r["name"] == url.trim_start_matches('/')).unwrap();
        assert_eq!(local["cells"], cloned["cells"], "{}", d.display());
        assert_eq!(local["level"], cloned["level"], "{}", d.display());
    }

    // Again: the clones' results are current (same commit and versions) and kept.
    let again = opslint(&t, &["audit", "--from", "repos.txt", "-o", "all"]);
    assert_eq!(again.stdout.matches("(kept: same commit and versions)").count(), dirs.len(), "{}", again.stdout);
    assert_eq!(read(&t.join("one/scorecard.json")), {
        opslint(&t, &["audit", "merge", "all", "-o", "one"]);
        read(&t.join("one/scorecard.json"))
    });
}

/// Where a test keeps what it made for people to look at.
fn artifact(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()))
}

#[test]
fn the_scorecard_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but chromium is not installed");
        eprintln!("SKIPPED scorecard browser test: no chromium (apt-get install chromium; scripts/setup does)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let samples = repo().join("tests/maturity/samples");
    let run = opslint(t, &["audit", "--checkouts", samples.to_str().unwrap(), "-o", "results"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let merged = opslint(t, &["audit", "merge", "results", "-o", "card", "--generated-at", "2026-12-05"]);
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    let page = t.join("card/scorecard.html");
    let html = read(&page);
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"), "self-contained");
    let url = format!("file://{}", page.display());
    let shot = artifact("audit-scorecard.png");
    let _ = std::fs::remove_file(&shot);
    let browse = |extra: &[&str]| {
        let profile = tempfile::tempdir().unwrap();
        let out = Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,1800",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(&url)
            .output()
            .unwrap();
        assert!(out.status.success(), "{browser}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    browse(&[&format!("--screenshot={}", shot.display())]);
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "a real picture, {} bytes", png.len());
    eprintln!("screenshot: {}", shot.display());

    // What the browser built from the page (no script runs: it has none).
    let dom = browse(&["--dump-dom"]);
    for want in [
        "Operational maturity scorecard",
        "2026-12-05",
        "Repositories by level",
        "Heat map",
        "tests/maturity/samples/k8s-cnpg",
        "Databases with no verified backup",
        "<svg",
        "id=\"f-all\"",
        "no verified restore",
    ] {
        assert!(dom.contains(want), "the rendered page lacks {want:?}");
    }
    let sc: serde_json::Value = serde_json::from_str(&read(&t.join("card/scorecard.json"))).unwrap();
    for l in sc["levels"].as_array().unwrap() {
        let label = format!("L{} {} <b>{}</b>", l["level"], l["name"].as_str().unwrap(), l["repositories"]);
        assert!(dom.contains(&label), "the level filter shows {label}");
    }
    // Every repository has a heat-map row and a section its cells link to.
    for (i, r) in sc["repositories"].as_array().unwrap().iter().enumerate() {
        assert!(dom.contains(&format!("id=\"r{i}\"")) && dom.contains(r["name"].as_str().unwrap()));
    }
}

/// The GitHub Actions, Kubernetes and GitLab CI templates pass opslint's own
/// rules (default and the ci-gate pack) and, for the workflow, zizmor.
#[test]
fn the_fleet_templates_lint_clean() {
    let fleet = repo().join("examples/fleet");
    let gate = tree(&[("opslint.toml", b"extends = [\"ci-gate\"]\n")]);
    let gate_config = gate.path().join("opslint.toml");
    for args in [vec!["check", "--format", "json", "examples/fleet"], {
        vec!["check", "--format", "json", "--config", gate_config.to_str().unwrap(), "examples/fleet"]
    }] {
        let run = opslint(&repo(), &args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stdout);
        let json = run.json();
        assert_eq!(json["findings"].as_array().unwrap().len(), 0, "{json}");
    }
    // Each template is read as what it is (not skipped as an unknown file).
    let verbose = opslint(&repo(), &["check", "--format", "json", "-v", "examples/fleet"]);
    assert!(verbose.stderr.contains("checked 4 files"), "{}", verbose.stderr);
    for (file, shard) in [
        ("github/.github/workflows/opslint-audit.yml", "--shard \"${SHARD}/${SHARDS}\""),
        ("kubernetes/audit-job.yaml", "JOB_COMPLETION_INDEX + 1"),
        ("gitlab/.gitlab-ci.yml", "${CI_NODE_INDEX}/${CI_NODE_TOTAL}"),
    ] {
        assert!(read(&fleet.join(file)).contains(shard), "{file} takes its shard from the engine");
    }
    let zizmor = ["zizmor", "python3"].into_iter().find(|z| {
        let args: &[&str] = if *z == "zizmor" { &["--version"] } else { &["-m", "zizmor", "--version"] };
        Command::new(z).args(args).output().is_ok_and(|o| o.status.success())
    });
    let Some(z) = zizmor else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but zizmor is not installed");
        eprintln!("SKIPPED zizmor on the fleet workflow: zizmor is not installed");
        return;
    };
    let mut cmd = Command::new(z);
    if z == "python3" {
        cmd.args(["-m", "zizmor"]);
    }
    let out = cmd
        .args(["--offline", "--no-progress", "examples/fleet/github/.github/workflows/opslint-audit.yml"])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}
