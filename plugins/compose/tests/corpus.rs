//! The plugin over the shared real-world corpora (`../shared`): every compose
//! file PyYAML reads (plugins/yaml/tests/pyyaml-accepted.txt, written by
//! scripts/yaml-accepted) is read with no parse-error finding and no panic;
//! with COMPOSE_CORPUS_OUT=FILE every finding outside the folders opslint
//! leaves out by default is listed for labelling.
use std::fs;
use std::path::{Path, PathBuf};

use opslint_knowledge::paths::not_the_service;
use opslint_plugin_compose::files::{compose_name, sample_name};
use opslint_plugin_compose::ComposePlugin;
use opslint_sdk::testing::{check_repo_texts, shared_input};
use opslint_sdk::Location;

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
fn real_compose_files_are_read_and_findings_are_listed() {
    let accepted =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../yaml/tests/pyyaml-accepted.txt")).unwrap();
    let mut report = String::new();
    let mut unread = Vec::new();
    let (mut read, mut pyyaml) = (0, 0);
    let mut took_all = std::time::Duration::ZERO;
    for name in ["corpus", "repos"] {
        let Some(root) = shared_input(name) else { return };
        let mut repos: Vec<PathBuf> =
            fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
        repos.sort();
        for repo in repos {
            let mut all = Vec::new();
            files(&repo, &mut all);
            let rel = |p: &Path| p.strip_prefix(&repo).unwrap().display().to_string();
            let docs: Vec<(String, String)> = all
                .iter()
                .filter(|p| {
                    let n = p.file_name().unwrap().to_string_lossy();
                    n == ".env" || n.ends_with(".yml") || n.ends_with(".yaml") || sample_name(&n)
                })
                .filter_map(|p| Some((rel(p), fs::read_to_string(p).ok()?)))
                .collect();
            let context: Vec<String> = all.iter().map(|p| rel(p)).filter(|p| p.ends_with(".dockerignore")).collect();
            let options = serde_json::json!({ "context_files": context }).to_string();
            let refs: Vec<(&str, &str)> = docs.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
            let started = std::time::Instant::now();
            let found = check_repo_texts::<ComposePlugin>(&refs, &options);
            let took = started.elapsed();
            took_all += took;
            let shown = format!("{name}/{}", repo.file_name().unwrap().to_string_lossy());
            let composes: Vec<&(String, String)> = docs.iter().filter(|(p, _)| compose_name(p)).collect();
            for (p, _) in &composes {
                if accepted.lines().any(|l| l == format!("{shown}/{p}")) {
                    pyyaml += 1;
                    if !found.iter().any(|f| f.rule == "parse-error" && f.path == *p) {
                        read += 1;
                    }
                }
            }
            report.push_str(&format!(
                "## {shown} ({} compose files, {took:?}, {} findings)\n",
                composes.len(),
                found.len()
            ));
            for f in &found {
                let line = match &f.primary.location {
                    Location::Span(s) => {
                        let text = &docs.iter().find(|(p, _)| *p == f.path).unwrap().1;
                        text[..s.start as usize].matches('\n').count() + 1
                    }
                    _ => 0,
                };
                if f.rule == "parse-error" && accepted.lines().any(|l| l == format!("{shown}/{}", f.path)) {
                    unread.push(format!("{shown}/{}:{line} {}", f.path, f.message));
                }
                if !not_the_service(&f.path) {
                    report.push_str(&format!("{}\t{shown}/{}:{}\t{}\n", f.rule, f.path, line, f.message));
                }
            }
        }
    }
    eprintln!("compose files read: {read} of the {pyyaml} PyYAML reads; plugin time over the corpora: {took_all:?}");
    if let Ok(out) = std::env::var("COMPOSE_CORPUS_OUT") {
        fs::write(out, &report).unwrap();
    }
    assert!(unread.is_empty(), "{}", unread.join("\n"));
    assert_eq!(read, pyyaml);
}
