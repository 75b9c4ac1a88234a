//! Every rule has a `bad/` fixture that fires and an `ok/` one that stays
//! silent, run natively (no wasmtime): `cargo test`.
use std::path::Path;

use opslint_plugin_tf_buckets::TfBuckets;
use opslint_sdk::testing::{check_repo_texts, fixture_problems_repo};
use opslint_sdk::{Finding, Location};

#[test]
fn every_rule_has_firing_bad_and_silent_ok_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let problems = fixture_problems_repo::<TfBuckets>(&dir);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// (rule, the text the finding points at) for every finding.
fn located<'a>(docs: &[(&str, &'a str)], findings: &[Finding]) -> Vec<(String, &'a str)> {
    findings
        .iter()
        .map(|f| {
            let text = docs.iter().find(|d| d.0 == f.path).unwrap().1;
            let at = match &f.primary.location {
                Location::Span(s) => &text[s.start as usize..s.end as usize],
                other => panic!("{other:?}"),
            };
            (f.rule.clone(), at)
        })
        .collect()
}

#[test]
fn findings_point_at_the_bucket_or_the_setting() {
    let main =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/public-access-block/bad/main.tf"))
            .unwrap();
    let docs = [("main.tf", main.as_str())];
    let got = located(&docs, &check_repo_texts::<TfBuckets>(&docs, "{}"));
    let pab: Vec<_> = got.iter().filter(|(r, _)| r == "public-access-block").map(|(_, at)| *at).collect();
    assert_eq!(
        pab,
        ["resource \"aws_s3_bucket\" \"uploads\"", "false", "resource \"aws_s3_bucket_public_access_block\" \"site\""]
    );
}

#[test]
fn require_kms_flags_s3_managed_keys() {
    let main =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bucket-encryption/ok/main.tf"))
            .unwrap();
    let docs = [("main.tf", main.as_str())];
    let plain = check_repo_texts::<TfBuckets>(&docs, "{}");
    assert!(plain.iter().all(|f| f.rule != "bucket-encryption"));
    let kms = check_repo_texts::<TfBuckets>(&docs, r#"{"bucket-encryption": {"require-kms": true}}"#);
    let got = located(&docs, &kms);
    let enc: Vec<_> = got.iter().filter(|(r, _)| r == "bucket-encryption").map(|(_, at)| *at).collect();
    assert_eq!(enc, ["\"AES256\""]);
}

#[test]
fn every_bucket_is_evidence() {
    let docs = [("a.tf", "resource \"aws_s3_bucket\" \"a\" {\n}\n"), ("b.tf", "resource \"aws_s3_bucket\" \"b\" {}\n")];
    let request = opslint_sdk::CheckRequest {
        documents: docs
            .iter()
            .map(|(p, t)| opslint_sdk::Document { path: p.to_string(), kind: "terraform".into(), text: t.to_string() })
            .collect(),
        rules: vec![],
        options: "{}".into(),
    };
    let out = opslint_sdk::check_repo::<TfBuckets>(request).unwrap();
    let paths: Vec<_> = out.evidence.iter().map(|e| (e.key.as_str(), e.path.as_deref(), e.line)).collect();
    assert_eq!(
        paths,
        [("tf-buckets/s3-bucket", Some("a.tf"), Some(1)), ("tf-buckets/s3-bucket", Some("b.tf"), Some(1))]
    );
}

#[test]
fn any_prefix_of_any_fixture_is_read_without_panicking() {
    let mut texts = Vec::new();
    for entry in walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")) {
        texts.push(std::fs::read_to_string(entry).unwrap());
    }
    texts.push("resource \"a\" \"b\" {\n  x = \"\\\n  y = <<-EOT\n  é \"${a[\"}\"]}\"\n  /* {\n".to_string());
    for text in &texts {
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let prefix = &text[..end];
            check_repo_texts::<TfBuckets>(&[("main.tf", prefix)], "{}");
        }
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
