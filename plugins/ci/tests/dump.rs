//! `cargo test --test dump -- --ignored --nocapture`: every fixture's findings, for review.
use std::fs;
use std::path::{Path, PathBuf};

use opslint_plugin_ci::CiPlugin;
use opslint_sdk::testing::check_repo_texts;
use opslint_sdk::Location;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
#[ignore]
fn dump_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let only = std::env::var("RULE").ok();
    let mut rules: Vec<_> =
        fs::read_dir(&root).unwrap().flatten().map(|e| e.file_name().into_string().unwrap()).collect();
    rules.sort();
    for rule in rules {
        if only.as_ref().is_some_and(|o| *o != rule) {
            continue;
        }
        for case in ["bad", "ok"] {
            let dir = root.join(&rule).join(case);
            let mut fs_ = Vec::new();
            files(&dir, &mut fs_);
            fs_.sort();
            let docs: Vec<(String, String)> = fs_
                .iter()
                .map(|f| (f.strip_prefix(&dir).unwrap().display().to_string(), fs::read_to_string(f).unwrap()))
                .collect();
            let refs: Vec<(&str, &str)> = docs.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
            let opts = fs::read_to_string(root.join(&rule).join("options.json")).unwrap_or("{}".into());
            for f in check_repo_texts::<CiPlugin>(&refs, &opts).iter().filter(|f| f.rule == rule) {
                let text = &docs.iter().find(|(p, _)| *p == f.path).unwrap().1;
                let Location::Span(s) = &f.primary.location else { continue };
                let (l, c) = opslint_yaml::line_col(text, s.start as usize);
                println!(
                    "{rule}/{case} {}:{l}:{c} [{}] {}",
                    f.path,
                    &text[s.start as usize..s.end as usize].replace('\n', "\\n"),
                    f.message
                );
            }
        }
    }
}
