//! ## What it does
//! Flags a relative `runbook_url` (a path in the repository) that names no
//! file of the repository.
//!
//! ## Why is this bad?
//! The link in the notification leads nowhere: the runbook was moved or
//! renamed, or never written.
//!
//! ## Example
//! ```yaml
//! annotations:
//!   runbook_url: docs/runbooks/disk-full.md   # no such file
//! ```
//!
//! ## Use instead
//! ```yaml
//! annotations:
//!   runbook_url: docs/runbooks/disk.md#disk-full
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a relative runbook_url names no file of the repository",
    severity: Severity::Medium,
    tags: &["alerting", "runbook"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    // The host lists the repository's documents (context matcher `context-docs`); without that list nothing is known.
    let Some(all) = cx.option::<Vec<String>>("context_files") else { return };
    for r in repo.alerts() {
        let Some(v) = r.annotation("runbook_url") else { continue };
        let Some(url) = v.as_str() else { continue };
        let Some(target) = relative_target(url) else { continue };
        let here = &repo.paths[r.doc];
        let dir = here.rsplit_once('/').map_or("", |(d, _)| d);
        let candidates = [join(dir, &target), target.trim_start_matches('/').to_string()];
        let exists = |p: &str| {
            repo.paths.iter().chain(all.iter()).any(|f| f == p || f.starts_with(&format!("{}/", p.trim_end_matches('/'))))
        };
        if !candidates.iter().any(|c| exists(c)) {
            cx.report_in(r.doc, v.span.clone(), format!("alert `{}`: runbook `{url}` is not a file of the repository", r.name()))
                .help("point `runbook_url` at the runbook's real path (or its published URL)");
        }
    }
}

/// The repository path a relative link names, or `None` for URLs, templates and anchors.
fn relative_target(url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() || url.contains("://") || url.starts_with('#') || url.starts_with("mailto:") || url.contains("{{") || url.contains('$') || url.starts_with("//") {
        return None;
    }
    // A host name without a scheme (`runbooks.example.com/x`) is not a path.
    let first = url.split('/').next().unwrap_or("");
    if first.contains('.') && first != "." && first != ".." {
        return None;
    }
    let path = url.split(['#', '?']).next().unwrap_or("");
    // Only links that look like files: documentation by extension.
    let ext_ok = [".md", ".adoc", ".rst", ".txt", ".html"].iter().any(|e| path.to_lowercase().ends_with(e));
    (!path.is_empty() && ext_ok).then(|| path.to_string())
}

fn join(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = if rel.starts_with('/') { Vec::new() } else { dir.split('/').filter(|s| !s.is_empty()).collect() };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}
