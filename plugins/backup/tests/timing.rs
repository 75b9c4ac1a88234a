//! `BACKUP_BENCH_DIR=… BACKUP_BENCH_EVIDENCE=evidence.json cargo test --release -p opslint-plugin-backup --test timing -- --ignored --nocapture`:
//! where the plugin spends its time, natively, over a directory's YAML files and
//! the evidence document the host would give it (a JSON array of records).
use opslint_sdk::Document;

#[test]
#[ignore]
fn time_a_directory() {
    let Ok(dir) = std::env::var("BACKUP_BENCH_DIR") else { return };
    let dir = std::path::Path::new(&dir);
    let mut documents = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                let path = p.strip_prefix(dir).unwrap().display().to_string();
                documents.push(Document { path, kind: "yaml".into(), text });
            }
        }
    }
    documents.sort_by(|a, b| a.path.cmp(&b.path));
    if let Ok(evidence) = std::env::var("BACKUP_BENCH_EVIDENCE") {
        let text = std::fs::read_to_string(evidence).unwrap();
        documents.push(Document { path: ".opslint/evidence.json".into(), kind: "evidence".into(), text });
    }
    opslint_sdk::testing::time_documents::<opslint_plugin_backup::BackupPlugin>(documents);
}
