//! `check --fix`, `--unsafe-fixes` and `--diff` through the real binary, on
//! the sample repository and on the shared corpus of real files: every file
//! still parses, the fixed findings are gone, and a second run changes nothing.
mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_dir(&src, &dst);
        } else if kind.is_file() {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// Every file's bytes, by path below `dir`.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

fn findings(run: &Run) -> Vec<serde_json::Value> {
    run.json()["findings"].as_array().unwrap().clone()
}

fn parse_errors(fs: &[serde_json::Value]) -> usize {
    fs.iter().filter(|f| f["rule"].as_str().unwrap().ends_with("/parse-error")).count()
}

fn fixable(f: &serde_json::Value, unsafe_fixes: bool) -> bool {
    match f["fix"]["applicability"].as_str() {
        Some("safe") => true,
        Some("unsafe") => unsafe_fixes,
        _ => false,
    }
}

/// `--fix` (and `--unsafe-fixes`) over a copy of `source`: what the issue asks of every repository.
fn fixes_hold(source: &Path, unsafe_fixes: bool) -> usize {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("repo");
    copy_dir(source, &dir);
    let before = findings(&opslint(&dir, &["check", "--format", "json", "."]));
    let wanted = before.iter().filter(|f| fixable(f, unsafe_fixes)).count();
    let mut args = vec!["check", "--format", "json", "--fix", "."];
    if unsafe_fixes {
        args.push("--unsafe-fixes");
    }
    let first = opslint(&dir, &args);
    assert!(first.code == 0 || first.code == 1, "exit {}: {}", first.code, first.stderr);
    let after = findings(&first);
    assert!(
        parse_errors(&after) <= parse_errors(&before),
        "a fix broke a file:\n{:#?}",
        after.iter().filter(|f| f["rule"].as_str().unwrap().ends_with("/parse-error")).collect::<Vec<_>>()
    );
    let left: Vec<_> = after.iter().filter(|f| fixable(f, unsafe_fixes)).collect();
    assert!(left.is_empty(), "fixable findings left after --fix: {left:#?}");
    assert!(after.len() < before.len() || wanted == 0, "{} findings before, {} after", before.len(), after.len());
    assert!(first.stderr.contains("Fixed ") || wanted == 0, "{}", first.stderr);

    // Fixed files are fixed: a second run writes nothing and --diff has nothing to say.
    let fixed = snapshot(&dir);
    let second = opslint(&dir, &args);
    assert!(second.stderr.contains("No fixes applied."), "{}", second.stderr);
    assert_eq!(snapshot(&dir), fixed, "a second --fix changed files");
    let mut diff_args = vec!["check", "--diff", "."];
    if unsafe_fixes {
        diff_args.push("--unsafe-fixes");
    }
    let diff = opslint(&dir, &diff_args);
    assert_eq!((diff.code, diff.stdout.as_str()), (0, ""), "{}", diff.stderr);
    wanted
}

#[test]
fn fix_on_the_sample_repository() {
    let shop = repo().join("examples").join("shop");
    assert!(fixes_hold(&shop, false) > 0, "the sample repository has safe fixes");
    fixes_hold(&shop, true);
}

#[test]
fn fix_on_the_shared_corpus() {
    let corpus = repo().parent().unwrap().join("shared").join("corpus");
    if !corpus.is_dir() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "the shared corpus is expected at {}", corpus.display());
        eprintln!("skipped: no shared corpus at {}", corpus.display());
        return;
    }
    assert!(fixes_hold(&corpus, true) > 0, "the corpus has fixes");
}

const DOCKERFILE: &str = "FROM debian:12\nRUN apt update && apt install -y curl\nMAINTAINER Jane <j@example.com>\n";

#[test]
fn diff_prints_and_writes_nothing() {
    let dir = tree(&[("Dockerfile", DOCKERFILE.as_bytes())]);
    let run = opslint(dir.path(), &["check", "--diff"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!("diff", run.stdout);
    assert!(run.stderr.contains("Would fix 3 findings in 1 file."), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(), DOCKERFILE);
}

#[test]
fn fix_writes_in_place_keeping_permissions_and_links() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[("real/Dockerfile", DOCKERFILE.as_bytes())]);
    let real = dir.path().join("real/Dockerfile");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o751)).unwrap();
    std::os::unix::fs::symlink("real/Dockerfile", dir.path().join("Dockerfile")).unwrap();
    let run = opslint(dir.path(), &["check", "--fix", "--format", "json", "Dockerfile"]);
    assert!(run.stderr.contains("Fixed 3 findings in 1 file."), "{}", run.stderr);
    let text = std::fs::read_to_string(&real).unwrap();
    assert_eq!(
        text,
        "FROM debian:12\nRUN apt-get update && apt-get install -y curl\nLABEL org.opencontainers.image.authors=\"Jane <j@example.com>\"\n"
    );
    assert_eq!(std::fs::metadata(&real).unwrap().permissions().mode() & 0o777, 0o751);
    assert!(std::fs::symlink_metadata(dir.path().join("Dockerfile")).unwrap().file_type().is_symlink());
    // The findings printed are those left: the unsafe fix was not applied.
    assert!(run.rules().contains(&"dockerfile/apt-no-install-recommends".to_string()), "{:?}", run.rules());
    assert!(!run.rules().iter().any(|r| r == "dockerfile/apt-instead-of-apt-get"), "{:?}", run.rules());
    assert!(run.stderr.contains("1 more fixable with `--unsafe-fixes`"), "{}", run.stderr);
}

#[test]
fn suppressed_findings_are_not_fixed_and_stdin_is_not_written() {
    let text = "FROM debian:12\n# opslint: ignore[DL4000] reason=\"kept for an old tool\"\nMAINTAINER Jane\n";
    let dir = tree(&[("Dockerfile", text.as_bytes())]);
    let run = opslint(dir.path(), &["check", "--fix"]);
    assert!(run.stderr.contains("No fixes applied."), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(), text);

    let refused = opslint_stdin(dir.path(), &["check", "--fix", "--stdin-filename", "Dockerfile", "-"], b"FROM a\n");
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    let diff =
        opslint_stdin(dir.path(), &["check", "--diff", "--stdin-filename", "Dockerfile", "-"], DOCKERFILE.as_bytes());
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    assert!(diff.stdout.contains("+RUN apt-get update && apt-get install -y curl"), "{}", diff.stdout);
}

#[test]
fn bom_and_crlf_survive_a_fix() {
    let text = "\u{feff}FROM debian:12\r\nRUN apt install -y curl\r\n";
    let dir = tree(&[("Dockerfile", text.as_bytes())]);
    let run = opslint(dir.path(), &["check", "--fix", "--select", "dockerfile/apt-instead-of-apt-get"]);
    assert!(run.stderr.contains("Fixed 1 finding in 1 file."), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        "\u{feff}FROM debian:12\r\nRUN apt-get install -y curl\r\n"
    );
}
