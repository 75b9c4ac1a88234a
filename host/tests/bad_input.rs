//! Hostile and broken files: each gives a clear finding with its path, never
//! a crash, and the rest of the run completes.
mod common;
use common::*;

fn check_json(dir: &std::path::Path, args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let run = opslint(dir, &all);
    assert!(run.code == 0 || run.code == 1, "exit {}: {}\n{}", run.code, run.stdout, run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    (run.code, run.json()["findings"].as_array().unwrap().clone())
}

fn rules_at(findings: &[serde_json::Value], path: &str) -> Vec<String> {
    findings.iter().filter(|f| f["path"] == path).map(|f| f["rule"].as_str().unwrap().to_string()).collect()
}

#[test]
fn binary_file_named_dockerfile() {
    let mut blob = b"\x7fELF\x02\x01\x01\0\0\0".to_vec();
    blob.extend((0..4096u32).map(|i| (i * 7 % 251) as u8));
    let dir = tree(&[("bin/Dockerfile", &blob), ("ok/Dockerfile", b"FROM ubuntu:latest\n")]);
    let (_, findings) = check_json(dir.path(), &[]);
    assert_eq!(rules_at(&findings, "bin/Dockerfile"), ["opslint/binary-file"]);
    assert!(rules_at(&findings, "ok/Dockerfile").contains(&"dockerfile/latest-tag".to_string()), "the rest is checked");
}

#[test]
fn utf16_text_with_a_byte_order_mark_is_text() {
    let text = "# Windows editor\r\nFROM ubuntu:latest\r\n";
    let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
    let dir = tree(&[("le/Dockerfile", &le), ("be/Dockerfile", &be)]);
    let (_, findings) = check_json(dir.path(), &[]);
    for path in ["le/Dockerfile", "be/Dockerfile"] {
        let rules = rules_at(&findings, path);
        assert!(rules.contains(&"dockerfile/latest-tag".to_string()), "{path}: {rules:?}");
        assert!(!rules.iter().any(|r| r.starts_with("opslint/")), "{path}: {rules:?}");
        let tag = findings.iter().find(|f| f["path"] == path && f["rule"] == "dockerfile/latest-tag").unwrap();
        assert_eq!(tag["line"].as_u64(), Some(2), "{path}");
    }
}

#[test]
fn invalid_utf8_is_reported_at_its_byte_and_the_file_still_checked() {
    let dir = tree(&[("Dockerfile", b"# caf\xe9\nFROM ubuntu:latest\n")]);
    let (_, findings) = check_json(dir.path(), &[]);
    let bad = findings.iter().find(|f| f["rule"] == "opslint/invalid-utf8").expect("invalid-utf8 finding");
    assert_eq!((bad["line"].as_u64(), bad["column"].as_u64()), (Some(1), Some(6)));
    assert!(rules_at(&findings, "Dockerfile").contains(&"dockerfile/latest-tag".to_string()));
}

#[test]
fn file_over_the_size_limit_is_reported_not_read() {
    let big = format!("FROM ubuntu:latest\n{}", "# padding padding padding\n".repeat(2000));
    let dir = tree(&[
        ("opslint.toml", b"max-file-size = 10000\n"),
        ("Dockerfile", big.as_bytes()),
        ("small/Dockerfile", b"FROM ubuntu:latest\n"),
    ]);
    let (_, findings) = check_json(dir.path(), &[]);
    assert_eq!(rules_at(&findings, "Dockerfile"), ["opslint/file-too-large"]);
    assert!(rules_at(&findings, "small/Dockerfile").contains(&"dockerfile/latest-tag".to_string()));
}

#[test]
fn empty_dockerfile_is_a_parse_error_finding() {
    let dir = tree(&[("Dockerfile", b""), ("blank/Dockerfile", b"\n\n   \n# only a comment\n")]);
    let (_, findings) = check_json(dir.path(), &[]);
    assert_eq!(rules_at(&findings, "Dockerfile"), ["dockerfile/parse-error"]);
    assert_eq!(rules_at(&findings, "blank/Dockerfile"), ["dockerfile/parse-error"]);
}

#[test]
fn ten_thousand_line_run_is_checked() {
    let mut text = String::from("FROM debian:12\nRUN set -eux; \\\n");
    for i in 0..10_000 {
        text.push_str(&format!("    echo line {i} && \\\n"));
    }
    text.push_str("    true\nUSER app\n");
    let dir = tree(&[("Dockerfile", text.as_bytes())]);
    let (_, findings) = check_json(dir.path(), &[]);
    assert!(findings.iter().all(|f| f["rule"] != "opslint/plugin-failed"), "{findings:?}");
}

#[test]
fn unterminated_heredoc_and_quote_are_located_parse_errors() {
    let dir = tree(&[
        ("heredoc/Dockerfile", b"FROM alpine:3.20\nRUN <<EOF\necho never closed\n"),
        ("quote/Dockerfile", b"FROM alpine:3.20\nCMD [\"sh\", \"-c\n"),
    ]);
    let (_, findings) = check_json(dir.path(), &[]);
    for path in ["heredoc/Dockerfile", "quote/Dockerfile"] {
        let f = findings.iter().find(|f| f["path"] == path && f["rule"] == "dockerfile/parse-error");
        let f = f.unwrap_or_else(|| panic!("{path}: no parse-error in {findings:?}"));
        assert_eq!(f["line"], 2, "{path}: points at the line that opens it: {f}");
    }
}

/// A path that is not there is a mistake in the command (issue 17): a usage
/// error, exit 2, nothing checked; a dangling symbolic link is there and
/// unreadable, so it stays a finding.
#[test]
fn missing_path_is_a_usage_error_not_a_crash() {
    let dir = tree(&[("Dockerfile", b"FROM alpine:3.20\n")]);
    let run = opslint(dir.path(), &["check", "--format", "json", "nope/Dockerfile", "Dockerfile"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("`nope/Dockerfile`: no such file or directory"), "{}", run.stderr);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("gone", dir.path().join("Dockerfile.link")).unwrap();
        let run = opslint(dir.path(), &["check", "--format", "json", "Dockerfile.link"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let findings = run.json()["findings"].as_array().unwrap().clone();
        assert_eq!(rules_at(&findings, "Dockerfile.link"), ["opslint/unreadable-file"]);
    }
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree(&[("Dockerfile", b"FROM alpine:3.20\n")]);
    let path = dir.path().join("Dockerfile");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        return; // running as root: permissions do not stop reads, nothing to test
    }
    let (_, findings) = check_json(dir.path(), &[]);
    assert_eq!(rules_at(&findings, "Dockerfile"), ["opslint/unreadable-file"]);
}
