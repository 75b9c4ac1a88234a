//! The example third-party plugin (examples/plugins/tf-buckets) end to end, as
//! its author would ship it: `scripts/build-plugin` builds it for wasm32 and
//! packages it with `opslint plugins package`, a sample repository pins its
//! hash in opslint.toml, and its findings come out through every output
//! format and obey suppressions and the baseline like a built-in's.
//! The wasm build is cached in target/third-party-plugins (a cold machine
//! spends about a minute compiling std for wasm32 there).
mod common;
use std::path::PathBuf;
use std::sync::OnceLock;

use common::*;

/// The packaged component and its sha256, built once per test binary.
fn tf_buckets() -> &'static (PathBuf, String) {
    static BUILT: OnceLock<(PathBuf, String)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tf-buckets.wasm");
        let run = std::process::Command::new("bash")
            .arg(repo().join("scripts/build-plugin"))
            .arg(repo().join("examples/plugins/tf-buckets"))
            .arg("-o")
            .arg(&out)
            .env("OPSLINT", BIN)
            .env("OPSLINT_CACHE_DIR", cache_dir())
            .env("CARGO_TARGET_DIR", repo().join("target/third-party-plugins"))
            .output()
            .expect("run scripts/build-plugin");
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert!(run.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
        let sha = stdout.lines().find_map(|l| l.strip_prefix("sha256 = \"")).expect("a pin line").trim_end_matches('"');
        assert!(stdout.starts_with("tf-buckets 0.1.0: 4 rules, interface 0.1.1\n"), "{stdout}");
        (out.clone(), sha.to_string())
    })
}

const S3: &str = r#"resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

# opslint: ignore[tf-buckets/public-access-block] reason="scratch data, public on purpose for the demo"
resource "aws_s3_bucket" "scratch" {
  bucket = "acme-scratch"
}
"#;

const SCRATCH: &str = r#"resource "aws_s3_bucket_versioning" "scratch" {
  bucket = aws_s3_bucket.scratch.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "scratch" {
  bucket = aws_s3_bucket.scratch.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
"#;

/// A sample repository pinning the plugin (copied in, by relative path) with `extra` config.
fn sample(extra: &str) -> tempfile::TempDir {
    let (wasm, sha) = tf_buckets();
    let cfg = format!("[plugins.tf-buckets]\npath = \"tools/tf-buckets.wasm\"\nsha256 = \"{sha}\"\n{extra}");
    let bytes = std::fs::read(wasm).unwrap();
    tree(&[
        ("opslint.toml", cfg.as_bytes()),
        ("tools/tf-buckets.wasm", &bytes),
        ("infra/s3.tf", S3.as_bytes()),
        ("infra/scratch.tf", SCRATCH.as_bytes()),
    ])
}

/// (rule, path, line) of the reported findings.
fn found(run: &Run) -> Vec<(String, String, u64)> {
    run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (f["rule"].as_str().unwrap().into(), f["path"].as_str().unwrap().into(), f["line"].as_u64().unwrap_or(0))
        })
        .collect()
}

fn expected() -> Vec<(String, String, u64)> {
    ["bucket-encryption", "bucket-versioning", "public-access-block"]
        .iter()
        .map(|r| (format!("tf-buckets/{r}"), "infra/s3.tf".to_string(), 1))
        .collect()
}

#[test]
fn findings_come_out_in_every_format() {
    let dir = sample("");
    let json = opslint(dir.path(), &["check", "--format", "json"]);
    assert_eq!(json.code, 1, "{}{}", json.stdout, json.stderr);
    assert_eq!(found(&json), expected());
    let v = json.json();
    assert_eq!(v["summary"]["suppressed"], 1, "{v:#}");
    let evidence: Vec<&str> = v["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["key"] == "tf-buckets/s3-bucket")
        .map(|e| e["value"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(evidence.len(), 2, "{:#}", v["evidence"]);

    let human = opslint(dir.path(), &["check"]);
    assert_eq!(human.code, 1);
    for id in ["tf-buckets/bucket-versioning", "tf-buckets/bucket-encryption", "tf-buckets/public-access-block"] {
        assert!(human.stdout.contains(id), "{id}\n{}", human.stdout);
    }
    assert!(human.stdout.contains("bucket `logs` has no public access block"), "{}", human.stdout);
    assert!(human.stdout.contains("resource \"aws_s3_bucket\" \"logs\""), "the snippet: {}", human.stdout);

    let sarif = opslint(dir.path(), &["check", "--format", "sarif"]);
    assert_eq!(sarif.code, 1);
    let log = sarif.json();
    let text = std::fs::read_to_string(repo().join("host/tests/schemas/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF invalid:\n{}", errors.join("\n"));
    let results = log["runs"][0]["results"].as_array().unwrap();
    let ids: Vec<&str> =
        results.iter().filter(|r| r["suppressions"].is_null()).map(|r| r["ruleId"].as_str().unwrap()).collect();
    assert_eq!(ids, ["tf-buckets/bucket-encryption", "tf-buckets/bucket-versioning", "tf-buckets/public-access-block"]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().any(|r| r["id"] == "tf-buckets/public-access-block"), "rule metadata in the driver");

    let github = opslint(dir.path(), &["check", "--format", "github"]);
    assert_eq!(github.code, 1);
    let lines: Vec<&str> = github.stdout.lines().filter(|l| l.contains("tf-buckets/")).collect();
    assert_eq!(lines.len(), 3, "{}", github.stdout);
    assert!(lines.iter().all(|l| l.starts_with("::") && l.contains("file=infra/s3.tf,line=1")), "{}", github.stdout);

    let gitlab = opslint(dir.path(), &["check", "--format", "gitlab"]);
    assert_eq!(gitlab.code, 1);
    let issues = gitlab.json();
    let names: Vec<&str> = issues.as_array().unwrap().iter().map(|i| i["check_name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["tf-buckets/bucket-encryption", "tf-buckets/bucket-versioning", "tf-buckets/public-access-block"]
    );
    assert!(issues.as_array().unwrap().iter().all(|i| i["location"]["path"] == "infra/s3.tf"));
}

#[test]
fn suppressions_apply_and_are_checked() {
    let dir = sample("");
    let run = opslint(dir.path(), &["check", "--format", "json"]);
    let suppressed = run.json()["suppressed"].clone();
    let rules: Vec<&str> = suppressed.as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["tf-buckets/public-access-block"], "{suppressed:#}");
    // Once the bucket has its block, the suppression is reported unused.
    let block = "resource \"aws_s3_bucket_public_access_block\" \"scratch\" {\n  bucket = aws_s3_bucket.scratch.id\n  block_public_acls = true\n  block_public_policy = true\n  ignore_public_acls = true\n  restrict_public_buckets = true\n}\n";
    std::fs::write(dir.path().join("infra/block.tf"), block).unwrap();
    let run = opslint(dir.path(), &["check", "--format", "json"]);
    let rules = run.rules();
    assert!(rules.contains(&"opslint/unused-suppression".to_string()), "{rules:?}");
}

#[test]
fn baseline_hides_what_it_accepted_and_not_what_is_new() {
    let dir = sample("");
    let write = opslint(dir.path(), &["baseline"]);
    assert_eq!(write.code, 0, "{}{}", write.stdout, write.stderr);
    let run = opslint(dir.path(), &["check", "--baseline", ".opslint-baseline.json", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(found(&run), []);
    assert_eq!(run.json()["summary"]["baselined"], 3);
    // A new bucket is new.
    let s3 = format!("{S3}\nresource \"aws_s3_bucket\" \"new\" {{\n  bucket = \"acme-new\"\n}}\n");
    std::fs::write(dir.path().join("infra/s3.tf"), s3).unwrap();
    let run = opslint(dir.path(), &["check", "--baseline", ".opslint-baseline.json", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert_eq!(found(&run).iter().map(|f| f.2).collect::<Vec<_>>(), [10, 10, 10]);
}

#[test]
fn listed_explained_and_configured_like_a_builtin() {
    let (_, sha) = tf_buckets();
    let dir = sample("[rules.options.\"tf-buckets/bucket-encryption\"]\nrequire-kms = true\n");
    let plugins = opslint(dir.path(), &["plugins"]);
    assert_eq!(plugins.code, 0, "{}", plugins.stderr);
    let line = plugins.stdout.lines().find(|l| l.starts_with("tf-buckets ")).unwrap();
    assert!(
        line.contains("tools/tf-buckets.wasm") && line.contains("4 rules") && line.contains(sha.as_str()),
        "{line}"
    );
    let json = opslint(dir.path(), &["plugins", "--format", "json"]);
    let list = json.json();
    let entry = list.as_array().unwrap().iter().find(|p| p["name"] == "tf-buckets").unwrap();
    assert_eq!(entry["rules"], 4);
    assert_eq!(entry["scope"], "repository");
    assert_eq!(entry["options-schema"]["properties"]["require-kms"]["type"], "boolean", "{entry:#}");
    let explain = opslint(dir.path(), &["explain", "tf-buckets/bucket-versioning"]);
    assert_eq!(explain.code, 0);
    assert!(
        explain.stdout.contains("## Why is this bad?") && explain.stdout.contains("CKV_AWS_21"),
        "{}",
        explain.stdout
    );
    // The option reaches the rule: S3-managed keys are now flagged too.
    std::fs::write(dir.path().join("infra/scratch.tf"), SCRATCH.replace("aws:kms", "AES256")).unwrap();
    let run = opslint(dir.path(), &["check", "--format", "json"]);
    let enc: Vec<_> =
        found(&run).into_iter().filter(|f| f.0 == "tf-buckets/bucket-encryption").map(|f| (f.1, f.2)).collect();
    assert_eq!(enc, [("infra/s3.tf".to_string(), 1), ("infra/scratch.tf".to_string(), 12)]);
}
