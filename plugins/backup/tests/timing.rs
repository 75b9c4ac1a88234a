//! `BACKUP_BENCH_DIR=… BACKUP_BENCH_EVIDENCE=evidence.json cargo test --release -p opslint-plugin-backup --test timing -- --ignored --nocapture`:
//! where the plugin spends its time, natively, over a directory's YAML files and
//! the evidence document the host would give it (a JSON array of records).
use opslint_sdk::Document;

/// The YAML files under `BACKUP_BENCH_DIR` and the evidence document, if set.
fn documents() -> Option<Vec<Document>> {
    let dir = std::env::var("BACKUP_BENCH_DIR").ok()?;
    let yaml = |p: &str| (p.ends_with(".yaml") || p.ends_with(".yml")).then(|| "yaml".to_string());
    let mut documents = opslint_sdk::testing::documents_under(std::path::Path::new(&dir), yaml);
    if let Ok(evidence) = std::env::var("BACKUP_BENCH_EVIDENCE") {
        let text = std::fs::read_to_string(evidence).unwrap();
        documents.push(Document { path: ".opslint/evidence.json".into(), kind: "evidence".into(), text });
    }
    Some(documents)
}

#[test]
#[ignore]
fn time_a_directory() {
    if let Some(documents) = documents() {
        opslint_sdk::testing::time_documents::<opslint_plugin_backup::BackupPlugin>(documents);
    }
}

/// Same inputs, the split path: extract, then join.
#[test]
#[ignore]
fn time_the_split() {
    if let Some(documents) = documents() {
        opslint_sdk::testing::time_split::<opslint_plugin_backup::BackupPlugin>(documents);
    }
}
