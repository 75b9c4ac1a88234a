//! `cargo test --release --test timing -- --ignored --nocapture`: how long the
//! plugin takes natively over a directory of CI files (CI_BENCH_DIR).
use std::time::Instant;

use opslint_plugin_ci::CiPlugin;
use opslint_sdk::testing::check_repo_texts;

fn walk(dir: &std::path::Path, root: &std::path::Path, out: &mut Vec<(String, String)>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, root, out);
        } else if let Ok(t) = std::fs::read_to_string(&p) {
            out.push((p.strip_prefix(root).unwrap().display().to_string(), t));
        }
    }
}

#[test]
#[ignore]
fn time_a_directory() {
    let Ok(dir) = std::env::var("CI_BENCH_DIR") else { return };
    let root = std::path::Path::new(&dir);
    let mut docs = Vec::new();
    walk(root, root, &mut docs);
    let refs: Vec<(&str, &str)> = docs.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    for _ in 0..3 {
        let t = Instant::now();
        let parsed: usize = refs.iter().map(|(_, t)| opslint_yaml::parse(t).docs.len()).sum();
        let yaml = t.elapsed();
        let t = Instant::now();
        let n = check_repo_texts::<CiPlugin>(&refs, "{}").len();
        eprintln!(
            "{} files: yaml parse only {yaml:?} ({parsed} docs); whole plugin {:?}, {n} findings",
            docs.len(),
            t.elapsed()
        );
    }
}

#[test]
#[ignore]
fn time_each_rule() {
    use opslint_sdk::{check_repo, CheckRequest, Document, RepoPlugin};
    let Ok(dir) = std::env::var("CI_BENCH_DIR") else { return };
    let root = std::path::Path::new(&dir);
    let mut docs = Vec::new();
    walk(root, root, &mut docs);
    let documents: Vec<Document> =
        docs.iter().map(|(p, t)| Document { path: p.clone(), kind: "yaml".into(), text: t.clone() }).collect();
    let run = |rules: Vec<String>| {
        (0..7)
            .map(|_| {
                let req = CheckRequest { documents: documents.clone(), rules: rules.clone(), options: "{}".into() };
                let t = Instant::now();
                let _ = check_repo::<CiPlugin>(req);
                t.elapsed()
            })
            .min()
            .unwrap()
    };
    let parse = (0..7)
        .map(|_| {
            let t = Instant::now();
            docs.iter().for_each(|(_, t)| drop(opslint_yaml::parse(t)));
            t.elapsed()
        })
        .min()
        .unwrap();
    eprintln!("yaml parse of every file: {parse:?}");
    let all = run(CiPlugin::rules().iter().map(|r| r.id.to_string()).collect());
    eprintln!("all rules: {all:?}");
    let base = run(vec![]);
    eprintln!("no rules (parse, build, evidence): {base:?}");
    let mut times: Vec<_> =
        CiPlugin::rules().iter().map(|r| (run(vec![r.id.to_string()]).saturating_sub(base), r.id)).collect();
    times.sort();
    for (t, id) in times.iter().rev().take(12) {
        eprintln!("{id}: {t:?}");
    }
}

/// Same folder, the split path: extract, then join (`CI_BENCH_DIR`).
#[test]
#[ignore]
fn time_the_split() {
    if let Ok(dir) = std::env::var("CI_BENCH_DIR") {
        let docs = opslint_sdk::testing::documents_under(std::path::Path::new(&dir), |_| Some("yaml".to_string()));
        opslint_sdk::testing::time_split::<CiPlugin>(docs);
    }
}
