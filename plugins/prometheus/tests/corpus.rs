//! The plugin over the shared real-world corpora (`../shared`): no panic, no
//! invalid-expression finding (the expressions there load in Prometheus),
//! and with PROM_CORPUS_OUT=FILE every finding listed for labelling.
use std::fs;
use std::path::{Path, PathBuf};

use opslint_plugin_prometheus::PrometheusPlugin;
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
fn real_rule_files_parse_and_findings_are_listed() {
    let mut report = String::new();
    let mut invalid = Vec::new();
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
                .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "rules"))
                .filter_map(|p| Some((rel(p), fs::read_to_string(p).ok()?)))
                .collect();
            let context: Vec<String> = all.iter().map(|p| rel(p)).collect();
            let options = serde_json::json!({ "context_files": context }).to_string();
            let refs: Vec<(&str, &str)> = docs.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
            let started = std::time::Instant::now();
            let found = check_repo_texts::<PrometheusPlugin>(&refs, &options);
            let took = started.elapsed();
            report.push_str(&format!(
                "## {name}/{} ({} files, {took:?}, {} findings)\n",
                repo.file_name().unwrap().to_string_lossy(),
                docs.len(),
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
                report.push_str(&format!("{}\t{}:{}\t{}\n", f.rule, f.path, line, f.message));
                if f.rule == "invalid-expression" {
                    invalid.push(format!("{}:{} {}", f.path, line, f.message));
                }
            }
        }
    }
    if let Ok(out) = std::env::var("PROM_CORPUS_OUT") {
        fs::write(out, &report).unwrap();
    }
    assert!(invalid.is_empty(), "{}", invalid.join("\n"));
}

/// The test before parsing skips only files the parse would find nothing
/// in: every YAML file of the corpora it skips, parsed anyway, holds no
/// rule, route, scrape interval or scraped service.
#[test]
fn files_skipped_unparsed_hold_nothing() {
    use opslint_plugin_prometheus::model::{parse_any, worth_parsing};
    let (mut skipped, mut parsed) = (0, 0);
    for name in ["corpus", "repos"] {
        let Some(root) = shared_input(name) else { return };
        let mut all = Vec::new();
        files(&root, &mut all);
        for p in all {
            let yaml = p.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "rules");
            let Some(text) = yaml.then(|| fs::read_to_string(&p).ok()).flatten() else { continue };
            if worth_parsing(&text) {
                parsed += 1;
                continue;
            }
            skipped += 1;
            assert!(parse_any(&text).is_empty(), "{} was skipped but holds what the plugin reads", p.display());
        }
    }
    assert!(skipped > 1000 && parsed > 10, "skipped {skipped}, parsed {parsed}");
}
