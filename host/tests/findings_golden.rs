//! Same findings before and after a speed change: every finding and evidence
//! record of `check --select all` over each repository of ../shared/corpus and
//! ../shared/repos, summed up per rule (per evidence key) as a count and a
//! digest of the records. Batching, caching and parallelism must not change
//! a byte of it; a rule change legitimately does: review the changed lines
//! and accept them (`cargo insta review`).
mod common;
use common::*;

use std::collections::BTreeMap;
use std::fmt::Write;

use sha2::{Digest, Sha256};

#[test]
fn findings_on_both_corpora_are_unchanged() {
    let (Some(corpus), Some(repos)) = (shared_input("corpus"), shared_input("repos")) else { return };
    // A fresh cache: compiled once by the first run, and every finding computed by a plugin now.
    let cache = tempfile::tempdir().unwrap();
    let mut records: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut summary = String::new();
    for (group, base) in [("corpus", &corpus), ("repos", &repos)] {
        let mut roots: Vec<_> =
            std::fs::read_dir(base).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
        roots.sort();
        let (mut files, mut findings) = (0, 0);
        for root in &roots {
            let out = std::process::Command::new(BIN)
                .args(["check", "--select", "all", "--format", "json", "--no-baseline", "."])
                .current_dir(root)
                .env("OPSLINT_CACHE_DIR", cache.path())
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            let code = out.status.code().unwrap_or(-1);
            assert!(
                code == 0 || code == 1,
                "{}: exit {code}: {}",
                root.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            files += json["summary"]["files_checked"].as_u64().unwrap();
            let name = root.file_name().unwrap().to_string_lossy();
            for f in json["findings"].as_array().unwrap() {
                findings += 1;
                let key = format!("rule {}", f["rule"].as_str().unwrap());
                records.entry(key).or_default().push(format!("{group}/{name} {f}"));
            }
            for e in json["evidence"].as_array().unwrap() {
                let key = format!("evidence {}", e["key"].as_str().unwrap());
                records.entry(key).or_default().push(format!("{group}/{name} {e}"));
            }
        }
        writeln!(summary, "{group}: {} repositories, {files} files checked, {findings} findings", roots.len()).unwrap();
    }
    summary.push('\n');
    for (key, mut lines) in records {
        // Output order is deterministic already; sorting keeps the digest about content only.
        lines.sort();
        let mut h = Sha256::new();
        for l in &lines {
            h.update(l.as_bytes());
            h.update([0]);
        }
        let digest: String = h.finalize()[..6].iter().map(|b| format!("{b:02x}")).collect();
        writeln!(summary, "{key:<60} {:>6} {digest}", lines.len()).unwrap();
    }
    insta::assert_snapshot!(summary);
}
