//! Output that fits a terminal (grouped human report, concise lines) and the
//! small things a new user trips on: missing paths, ambiguous rule names,
//! option mistakes, file permissions, the man page.
mod common;
use common::*;

const DOCKERFILE: &str = "FROM python:latest\nRUN apt-get update && apt-get install -y curl\nMAINTAINER Jane\n";
const MANIFEST: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:latest\n";

fn sample() -> tempfile::TempDir {
    tree(&[("api/Dockerfile", DOCKERFILE.as_bytes()), ("k8s/pod.yaml", MANIFEST.as_bytes())])
}

#[test]
fn human_report_is_grouped_by_file_with_each_line_once() {
    let dir = sample();
    let run = opslint(dir.path(), &["check", "--fail-on", "high"]);
    insta::assert_snapshot!("grouped_human", run.stdout);
    // Two findings on `RUN apt-get …`, one source line.
    assert_eq!(run.stdout.matches("│ RUN apt-get update").count(), 1, "{}", run.stdout);
    let bare = opslint(dir.path(), &["check", "--no-show-source", "--fail-on", "high"]);
    assert!(!bare.stdout.contains('│'), "{}", bare.stdout);
    let without_source: Vec<&str> = run.stdout.lines().filter(|l| !l.contains('│')).collect();
    assert_eq!(bare.stdout.lines().collect::<Vec<_>>(), without_source);
}

#[test]
fn concise_is_one_line_per_finding() {
    let dir = sample();
    let run = opslint(dir.path(), &["check", "--format", "concise", "--fail-on", "high"]);
    insta::assert_snapshot!("concise", run.stdout);
    let json = opslint(dir.path(), &["check", "--format", "json"]).json();
    let n = json["findings"].as_array().unwrap().len();
    let quiet = opslint(dir.path(), &["check", "--format", "concise", "-q"]);
    assert_eq!(quiet.stdout.lines().count(), n);
    for line in quiet.stdout.lines() {
        let mut parts = line.splitn(4, ':');
        let (_path, l, c) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        assert!(l.parse::<u32>().is_ok() && c.parse::<u32>().is_ok(), "{line}");
    }
}

#[test]
fn piped_stderr_gets_no_progress_line() {
    let dir = sample();
    let run = opslint(dir.path(), &["check"]);
    assert!(!run.stderr.contains('\r'), "{:?}", run.stderr);
}

#[test]
fn a_path_that_does_not_exist_is_a_usage_error() {
    let dir = sample();
    let run = opslint(dir.path(), &["check", "api/Dockerfile", "no/such/file"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("`no/such/file`: no such file or directory"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn a_bare_rule_name_of_several_rules_asks_which() {
    let dir = sample();
    for args in [&["explain", "latest-tag"][..], &["check", "--select", "latest-tag"]] {
        let run = opslint(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        let flat = run.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("`dockerfile/latest-tag` or `k8s/image-tag`"), "{args:?}: {flat}");
    }
    // One rule of that name: explained.
    let one = opslint(dir.path(), &["explain", "maintainer-deprecated"]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert!(one.stdout.contains("dockerfile/maintainer-deprecated"), "{}", one.stdout);
}

#[test]
fn another_tools_code_is_not_a_typo() {
    let run = opslint(&repo(), &["explain", "DL3059"]);
    assert_eq!(run.code, 2);
    let flat = run.stderr.split_whitespace().filter(|w| *w != "│").collect::<Vec<_>>().join(" ");
    assert!(flat.contains("no opslint rule lists `DL3059` as an alias"), "{flat}");
    assert!(!flat.contains("did you mean"), "{flat}");
}

#[test]
fn plugin_and_rule_options_are_checked_like_the_config() {
    let cases = [
        ("[plugins.sql.options]\ndialekt = \"postgres\"\n", "did you mean `dialect`?"),
        ("[plugins.sql.options]\ndialect = \"postgre\"\n", "did you mean \"postgres\"?"),
        ("[plugins.sql.options]\npostgres-version = \"16\"\n", "expected an integer, found a string"),
        ("[rules.options.\"ci/unpinned-action\"]\nallowed-owners = \"acme\"\n", "expected an array, found a string"),
        ("[plugins.dockerfile.options]\nstrict = true\n", "plugin `dockerfile` takes no options"),
    ];
    for (config, want) in cases {
        let dir = tree(&[("opslint.toml", config.as_bytes()), ("Dockerfile", b"FROM a:1\n")]);
        let run = opslint(dir.path(), &["check"]);
        assert_eq!(run.code, 2, "{config}: {}", run.stderr);
        let flat = run.stderr.split_whitespace().filter(|w| *w != "│").collect::<Vec<_>>().join(" ");
        assert!(flat.contains(want), "{config}: {flat}");
        assert!(flat.contains("opslint.toml:2:"), "the TOML span: {flat}");
    }
    let ok = tree(&[("opslint.toml", b"[plugins.sql.options]\ndialect = \"mysql\"\n"), ("Dockerfile", b"FROM a:1\n")]);
    let run = opslint(ok.path(), &["check"]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
}

#[test]
fn report_and_baseline_files_get_the_usual_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = sample();
    let script = format!("umask 022 && {bin} check --format json --output report.json . ; {bin} baseline .", bin = BIN);
    let out = std::process::Command::new("sh")
        .args(["-c", &script])
        .current_dir(dir.path())
        .env("OPSLINT_CACHE_DIR", cache_dir())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for file in ["report.json", ".opslint-baseline.json"] {
        let mode = std::fs::metadata(dir.path().join(file)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "{file}");
    }
}

#[test]
fn man_pages_come_from_the_command_line() {
    let page = opslint(&repo(), &["man"]);
    assert_eq!(page.code, 0, "{}", page.stderr);
    assert!(page.stdout.contains(".TH opslint"), "{}", page.stdout);
    let check = opslint(&repo(), &["man", "check"]).stdout;
    assert!(check.contains(".TH opslint-check") && check.contains("unsafe\\-fixes"), "{check}");
    assert_eq!(opslint(&repo(), &["man", "nope"]).code, 2);
}
