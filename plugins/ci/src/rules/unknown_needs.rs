//! ## What it does
//! Flags `needs:` naming a job that does not exist (GitHub Actions, and
//! GitLab CI when every include could be read; `optional: true` needs and
//! needs on other pipelines or projects are not checked).
//!
//! ## Why is this bad?
//! The pipeline is rejected, or (GitLab) fails to be created, usually after
//! a job was renamed and one reference was forgotten.
//!
//! ## Example
//! ```yaml
//! jobs:
//!   test: …
//!   deploy:
//!     needs: tests
//! ```
//!
//! ## Use instead
//! ```yaml
//! jobs:
//!   test: …
//!   deploy:
//!     needs: test
//! ```
use crate::model::suggest;
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "`needs:` names a job that does not exist",
    severity: Severity::High,
    tags: &["correctness"],
    aliases: &["job-needs"],
    ..Meta::DEFAULT
};

/// GitLab needs of a job: (job name, node), skipping optional and cross-pipeline ones.
pub fn gitlab_needs(job: &GlJob) -> Vec<(&str, &Node)> {
    job.node
        .get("needs")
        .map(|n| {
            n.items()
                .iter()
                .filter_map(|i| match i.as_str() {
                    Some(s) => Some((s, i)),
                    None => {
                        if i.get("pipeline").is_some() || i.get("project").is_some() || i.get("optional").and_then(Node::as_bool) == Some(true) {
                            return None;
                        }
                        let j = i.get("job")?;
                        Some((j.as_str()?, j))
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        let jobs = wf.jobs();
        let ids: Vec<&str> = jobs.iter().map(|j| j.id).collect();
        let known: std::collections::HashSet<&str> = ids.iter().copied().collect();
        for job in &jobs {
            for n in job.needs() {
                let Some(name) = n.as_str() else { continue };
                if !known.contains(name) && !name.contains("${{") {
                    let hint = suggest(name, &ids).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
                    cx.report_in(wf.doc, n.span.clone(), format!("job `{}` needs `{name}`, which is not a job of this workflow{hint}", job.id));
                }
            }
        }
    }
    for p in &repo.pipelines {
        if p.unresolved {
            continue;
        }
        let names: Vec<&str> = p.jobs.iter().map(|j| j.name.as_str()).collect();
        let known: std::collections::HashSet<&str> = names.iter().copied().collect();
        for job in p.jobs.iter().filter(|j| !j.hidden()) {
            for (name, node) in gitlab_needs(job) {
                if !known.contains(name) && !name.contains('$') {
                    let hint = suggest(name, &names).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
                    cx.report_in(job.doc, node.span.clone(), format!("GitLab job `{}` needs `{name}`, which is not a job of this pipeline{hint}", job.name));
                }
            }
        }
    }
}
