//! Calibration aid, not a test: `OPSLINT_CALIBRATE=DIR cargo test -p opslint-plugin-backup
//! --test calibrate -- --ignored --nocapture` prints what the plugin finds in a real repository.
use opslint_plugin_backup::BackupPlugin;
use opslint_sdk::{check_repo, CheckRequest, Document, RepoPlugin};

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
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
#[ignore]
fn calibrate() {
    let Some(dir) = std::env::var_os("OPSLINT_CALIBRATE") else { return };
    let dir = std::path::PathBuf::from(dir);
    let mut all = Vec::new();
    files(&dir, &mut all);
    all.sort();
    let globs = [
        "yml", "yaml", "tf", "sh", "bash", "md", "rst", "adoc", "j2", "tpl", "tmpl", "template", "env", "timer",
        "service", "cron", "hcl", "nomad",
    ];
    let documents: Vec<Document> = all
        .iter()
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().to_string();
            globs.iter().any(|g| n.ends_with(&format!(".{g}")))
                || ["Makefile", "Justfile", "justfile", "crontab", ".env"].contains(&n.as_str())
        })
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            let path = p.strip_prefix(&dir).unwrap().display().to_string();
            (!opslint_knowledge::paths::not_the_service(&path)).then(|| Document { path, kind: "yaml".into(), text })
        })
        .collect();
    let request = CheckRequest {
        documents,
        rules: BackupPlugin::rules().iter().map(|r| r.id.to_string()).collect(),
        options: "{}".into(),
    };
    let out = check_repo::<BackupPlugin>(request).expect("check");
    for e in &out.evidence {
        println!("{} {:?} {:?}:{:?} {:?}", e.key, e.value, e.path, e.line, e.note);
    }
    for f in &out.findings {
        println!("finding {} {} {}", f.rule, f.path, f.message);
    }
}
