//! Compose files are read once, by the compose plugin: the inventory built
//! from its `compose/service` evidence is the one the backup plugin built
//! reading the files itself (still its reading when no such evidence is
//! given), on every repository of ../shared and on a sample.
use std::fs;
use std::path::{Path, PathBuf};

use opslint_plugin_backup::BackupPlugin;
use opslint_plugin_compose::ComposePlugin;
use opslint_sdk::testing::shared_input;
use opslint_sdk::{check_repo, CheckOutput, CheckRequest, Document, EvidenceValue, RepoPlugin};

fn request<P: RepoPlugin>(docs: &[(String, String)]) -> CheckRequest {
    CheckRequest {
        documents: docs
            .iter()
            .map(|(p, t)| Document { path: p.clone(), kind: "yaml".into(), text: t.clone() })
            .collect(),
        rules: P::rules().iter().map(|r| r.id.to_string()).collect(),
        options: "{}".into(),
    }
}

/// The compose plugin's evidence as the host writes it for the evidence phase.
fn compose_evidence(docs: &[(String, String)]) -> String {
    let out = check_repo::<ComposePlugin>(request::<ComposePlugin>(docs)).expect("compose");
    let records: Vec<serde_json::Value> = out
        .evidence
        .iter()
        .map(|e| {
            let value = match &e.value {
                EvidenceValue::Items(v) => serde_json::json!(v),
                EvidenceValue::Text(t) => serde_json::json!(t),
                EvidenceValue::Count(n) => serde_json::json!(n),
                EvidenceValue::Flag(b) => serde_json::json!(b),
            };
            serde_json::json!({ "key": e.key, "value": value, "path": e.path, "line": e.line })
        })
        .collect();
    serde_json::to_string(&records).unwrap()
}

/// The backup plugin's output, in a comparable form.
fn backup(docs: &[(String, String)]) -> Vec<String> {
    let out: CheckOutput = check_repo::<BackupPlugin>(request::<BackupPlugin>(docs)).expect("backup");
    let mut v: Vec<String> =
        out.evidence.iter().map(|e| format!("{} {:?} {:?} {:?}", e.key, e.path, e.line, e.value)).collect();
    v.extend(out.findings.iter().map(|f| format!("{} {} {:?} {}", f.rule, f.path, f.primary.location, f.message)));
    v
}

fn same_through_evidence(docs: Vec<(String, String)>) -> Result<(), String> {
    let mut with = docs.clone();
    with.push((".opslint/evidence.json".into(), compose_evidence(&docs)));
    // The evidence document alone changes `has_evidence` (k8s databases known to be absent):
    // compare with an empty evidence document on the other side.
    let mut bare = docs;
    bare.push((".opslint/evidence.json".into(), "[]".into()));
    let (a, b) = (backup(&bare), backup(&with));
    if a == b {
        Ok(())
    } else {
        let only_a: Vec<&String> = a.iter().filter(|x| !b.contains(x)).collect();
        let only_b: Vec<&String> = b.iter().filter(|x| !a.contains(x)).collect();
        Err(format!("read here only: {only_a:#?}\nthrough evidence only: {only_b:#?}"))
    }
}

#[test]
fn a_sample_stack_is_inventoried_the_same() {
    let compose = "services:\n  db:\n    image: postgres:16\n    volumes: [pgdata:/var/lib/postgresql/data]\n  backup:\n    image: prodrigestivill/postgres-backup-local:16\n    environment:\n      SCHEDULE: \"@daily\"\n    depends_on: [db]\n  web:\n    build: ./web\n    ports: [\"8080:80\"]\nvolumes:\n  pgdata:\n";
    let docs = vec![("deploy/docker-compose.yml".to_string(), compose.to_string())];
    let evidence = compose_evidence(&docs);
    assert_eq!(evidence.matches("\"compose/service\"").count(), 3, "{evidence}");
    let mut with = docs.clone();
    with.push((".opslint/evidence.json".into(), evidence));
    let out = backup(&with);
    assert!(out.iter().any(|r| r.starts_with("backup/database") && r.contains("name=db")), "{out:#?}");
    assert!(out.iter().any(|r| r.starts_with("backup/compose-service") && r.contains("name=web")), "{out:#?}");
    same_through_evidence(docs).unwrap();
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != ".git") {
                files(&p, out);
            }
        } else {
            out.push(p);
        }
    }
}

#[test]
fn every_shared_repository_is_inventoried_the_same() {
    let mut problems = Vec::new();
    for name in ["corpus", "repos"] {
        let Some(root) = shared_input(name) else { return };
        let mut repos: Vec<PathBuf> =
            fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
        repos.sort();
        for repo in repos {
            let mut all = Vec::new();
            files(&repo, &mut all);
            let docs: Vec<(String, String)> = all
                .iter()
                .filter(|p| {
                    let n = p.file_name().unwrap().to_string_lossy();
                    n.ends_with(".yml") || n.ends_with(".yaml") || n == ".env"
                })
                .filter_map(|p| {
                    Some((p.strip_prefix(&repo).unwrap().display().to_string(), fs::read_to_string(p).ok()?))
                })
                .collect();
            if let Err(e) = same_through_evidence(docs) {
                problems.push(format!("{}: {e}", repo.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
