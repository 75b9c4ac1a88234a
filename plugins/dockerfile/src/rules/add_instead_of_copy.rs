//! ## What it does
//! Flags `ADD` used to copy local files or directories. Two uses of `ADD`
//! are legitimate and not flagged: remote sources (URLs and git
//! repositories) and local tar archives (`.tar`, `.tar.gz`, `.tgz`,
//! `.tar.bz2`, `.tar.xz`, `.tar.zst`), which `ADD` extracts on purpose.
//!
//! ## Why is this bad?
//! `ADD` does more than copy: it fetches URLs and unpacks archives. Using it
//! for plain files hides that behaviour from readers and surprises them when
//! a file that happens to be an archive gets extracted. `COPY` does exactly
//! one thing.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12-slim
//! ADD requirements.txt /app/
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM python:3.12-slim
//! COPY requirements.txt /app/
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "ADD used for local files",
    severity: Severity::Low,
    fix: FixAvailability::Sometimes,
    aliases: &["DL3020", "CKV_DOCKER_4", "DS005"],
    tags: &["best-practice"],
    ..Meta::DEFAULT
};

const ARCHIVES: &[&str] = &[".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst", ".tzst", ".tar.lz", ".tar.lzma"];

pub fn is_remote(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://") || l.starts_with("git@") || l.starts_with("git://") || l.starts_with("ssh://")
}

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for ins in df.instructions.iter().filter(|i| i.is("ADD")) {
        let (srcs, _) = ins.sources_and_dest();
        if srcs.is_empty() {
            continue;
        }
        let any_special = srcs.iter().any(|s| {
            let l = s.value.to_ascii_lowercase();
            is_remote(&l) || ARCHIVES.iter().any(|a| l.ends_with(a)) || l.contains('$')
        });
        if any_special {
            continue;
        }
        let names: Vec<&str> = srcs.iter().map(|s| s.value.as_str()).collect();
        cx.report(ins.keyword_span.clone(), format!("`ADD` copies local `{}`", names.join(" ")))
            .help("use `COPY`; keep `ADD` for URLs and archives you want extracted")
            .fix("replace `ADD` with `COPY`", Applicability::Safe, vec![(ins.keyword_span.clone(), "COPY".into())]);
    }
}
