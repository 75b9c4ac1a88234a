//! Every YAML file of ../shared/corpus and ../shared/repos that PyYAML reads
//! (listed by scripts/yaml-accepted in pyyaml-accepted.txt) must parse here
//! too: a valid file reported as unreadable is a false finding.
use std::path::PathBuf;

#[test]
fn every_file_pyyaml_reads_parses() {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = here.join("../../../shared");
    if !shared.join("corpus").is_dir() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "../shared is missing on CI");
        eprintln!("skipped: {} is absent", shared.display());
        return;
    }
    let list = std::fs::read_to_string(here.join("tests/pyyaml-accepted.txt")).unwrap();
    let mut failures = Vec::new();
    let mut read = 0;
    for rel in list.lines().filter(|l| !l.is_empty()) {
        let path = shared.join(rel);
        let Ok(text) = std::fs::read_to_string(&path) else {
            failures.push(format!("{rel}: listed but missing or not UTF-8 (re-run scripts/yaml-accepted)"));
            continue;
        };
        read += 1;
        if let Some(e) = opslint_yaml::parse(&text).error {
            let (line, col) = opslint_yaml::line_col(&text, e.span.start);
            failures.push(format!("{rel}:{line}:{col}: {}", e.message));
        }
    }
    assert!(read > 1000, "only {read} files read");
    assert!(
        failures.is_empty(),
        "{} of {read} files PyYAML reads are refused:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
