//! Real-world files nobody here wrote (../shared/corpus): a scan completes
//! with no internal error and no plugin failure.
mod common;
use common::*;

#[test]
fn corpus_scan_has_no_internal_errors() {
    let Some(corpus) = shared_input("corpus") else { return };
    let run = opslint(&corpus, &["check", "--format", "json", "--no-cache", "."]);
    assert!(run.code == 0 || run.code == 1, "exit {}: {}", run.code, run.stderr);
    let json = run.json();
    let failures: Vec<_> =
        json["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "opslint/plugin-failed").collect();
    assert!(failures.is_empty(), "{failures:?}");
    assert!(json["summary"]["files_checked"].as_u64().unwrap() > 50, "the corpus has many Dockerfiles");
}
