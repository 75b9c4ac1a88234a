//! Every CI file of ../shared/corpus, natively: no panic, and findings only
//! at valid positions. (The host's tests run the same files through wasm.)
use std::fs;
use std::path::{Path, PathBuf};

use opslint_plugin_ci::model::{classify, Kind};
use opslint_plugin_ci::CiPlugin;
use opslint_sdk::testing::{check_repo_texts, shared_input};
use opslint_sdk::Location;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != ".git" && n != "node_modules") {
                walk(&p, out);
            }
        } else {
            out.push(p);
        }
    }
}

#[test]
fn corpus_ci_files_are_checked_without_panics() {
    let Some(corpus) = shared_input("corpus") else { return };
    let mut files = Vec::new();
    walk(&corpus, &mut files);
    let mut docs = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&corpus).unwrap().display().to_string();
        let ext_ok = rel.ends_with(".yml") || rel.ends_with(".yaml");
        let starter = rel.starts_with("actions+starter-workflows/") && ext_ok;
        if !ext_ok || (classify(&rel) == Kind::Yaml && !starter && !rel.contains("gitlab")) {
            continue;
        }
        let Ok(text) = fs::read_to_string(&f) else { continue };
        // Starter workflows live outside .github/workflows: lint them as workflows.
        let rel =
            if starter && classify(&rel) == Kind::Yaml { format!("{rel}.d/.github/workflows/w.yml") } else { rel };
        docs.push((rel, text));
    }
    assert!(docs.len() > 400, "{}", docs.len());
    let refs: Vec<(&str, &str)> = docs.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let findings = check_repo_texts::<CiPlugin>(&refs, "{}");
    let mut by_rule = std::collections::BTreeMap::new();
    for f in &findings {
        *by_rule.entry(f.rule.clone()).or_insert(0) += 1;
        let text = &docs.iter().find(|(p, _)| *p == f.path).expect("finding in a known file").1;
        if let Location::Span(s) = &f.primary.location {
            assert!(s.start <= s.end && s.end as usize <= text.len(), "{f:?}");
            assert!(text.is_char_boundary(s.start as usize) && text.is_char_boundary(s.end as usize), "{f:?}");
        }
    }
    eprintln!("{} files, {} findings: {by_rule:#?}", docs.len(), findings.len());
}

#[test]
#[ignore]
fn print_corpus_findings() {
    let Some(corpus) = shared_input("corpus") else { return };
    let rules: Vec<String> = std::env::var("RULES").unwrap_or_default().split(',').map(str::to_string).collect();
    let mut files = Vec::new();
    walk(&corpus, &mut files);
    let mut docs = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&corpus).unwrap().display().to_string();
        if !(rel.ends_with(".yml") || rel.ends_with(".yaml")) {
            continue;
        }
        let starter = rel.starts_with("actions+starter-workflows/");
        if classify(&rel) == Kind::Yaml && !starter && !rel.contains("gitlab") {
            continue;
        }
        let Ok(text) = fs::read_to_string(&f) else { continue };
        let rel =
            if starter && classify(&rel) == Kind::Yaml { format!("{rel}.d/.github/workflows/w.yml") } else { rel };
        docs.push((rel, text));
    }
    let refs: Vec<(&str, &str)> = docs.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    for f in check_repo_texts::<CiPlugin>(&refs, "{}") {
        if !rules.contains(&f.rule) {
            continue;
        }
        let text = &docs.iter().find(|(p, _)| *p == f.path).unwrap().1;
        let (line, snippet) = match &f.primary.location {
            Location::Span(s) => (
                text[..s.start as usize].matches('\n').count() + 1,
                text[s.start as usize..s.end as usize].chars().take(60).collect::<String>(),
            ),
            _ => (0, String::new()),
        };
        println!("{} {}:{line} [{snippet}] {}", f.rule, f.path, f.message);
    }
}

/// Truncated and mangled copies of every corpus CI file: findings, never a panic.
#[test]
fn mangled_corpus_files_never_panic() {
    let Some(corpus) = shared_input("corpus") else { return };
    let mut files = Vec::new();
    walk(&corpus, &mut files);
    let mut n = 0;
    for f in files {
        let rel = f.strip_prefix(&corpus).unwrap().display().to_string();
        if !(rel.ends_with(".yml") || rel.ends_with(".yaml")) || classify(&rel) == Kind::Yaml {
            continue;
        }
        let Ok(text) = fs::read_to_string(&f) else { continue };
        let path = if rel.contains("gitlab") { ".gitlab-ci.yml" } else { ".github/workflows/x.yml" };
        let cuts: Vec<usize> = (1..5).map(|k| text.len() * k / 5).filter(|c| text.is_char_boundary(*c)).collect();
        for cut in cuts {
            let variants = [
                text[..cut].to_string(),
                format!("{}é|${{{{ ('\n{}", &text[..cut], &text[cut..]),
                text[..cut].replace(": ", ": ${{ github.event.issue.title }} "),
            ];
            for v in &variants {
                check_repo_texts::<CiPlugin>(&[(path, v.as_str())], "{}");
                n += 1;
            }
        }
    }
    assert!(n > 1000, "{n}");
}
