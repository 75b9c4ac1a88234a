//! ## What it does
//! Flags keys GitHub Actions or GitLab CI do not know: at the top of a
//! workflow or action, in a job, in a step; and in a GitLab job (hidden
//! `.template` jobs are not checked), and a GitLab top-level key that is
//! neither a keyword nor a job (a job is a mapping: `stage: test` at the top
//! is a typo of `stages:`). A close known key is suggested.
//!
//! ## Why is this bad?
//! A misspelt key is either rejected when the pipeline runs or, worse,
//! silently ignored: `timeout-minute: 10` leaves the six-hour default,
//! `enviroment: production` skips the approval.
//!
//! ## Example
//! ```yaml
//! jobs:
//!   deploy:
//!     runs-on: ubuntu-24.04
//!     enviroment: production
//! ```
//!
//! ## Use instead
//! ```yaml
//! jobs:
//!   deploy:
//!     runs-on: ubuntu-24.04
//!     environment: production
//! ```
use crate::model::suggest;
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a key the CI system does not know",
    severity: Severity::Medium,
    tags: &["correctness"],
    aliases: &["syntax-check"],
    ..Meta::DEFAULT
};

const WORKFLOW: &[&str] = &["name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"];
const JOB: &[&str] = &[
    "name", "permissions", "needs", "if", "runs-on", "environment", "concurrency", "outputs", "env", "defaults", "steps",
    "timeout-minutes", "strategy", "continue-on-error", "container", "services", "uses", "with", "secrets", "snapshot",
];
const STEP: &[&str] =
    &["id", "if", "name", "uses", "run", "working-directory", "shell", "with", "env", "continue-on-error", "timeout-minutes"];
const ACTION: &[&str] = &["name", "author", "description", "inputs", "outputs", "runs", "branding"];
const GITLAB_JOB: &[&str] = &[
    "after_script", "allow_failure", "artifacts", "before_script", "cache", "coverage", "dast_configuration", "dependencies",
    "environment", "except", "extends", "hooks", "id_tokens", "identity", "image", "inherit", "interruptible",
    "manual_confirmation", "needs", "only", "pages", "parallel", "release", "resource_group", "retry", "rules", "run",
    "script", "secrets", "services", "stage", "start_in", "tags", "timeout", "trigger", "variables", "when",
];

const GITLAB_TOP: &[&str] = &[
    "default", "include", "stages", "variables", "workflow", "spec", "image", "services", "cache", "before_script",
    "after_script", "types",
];

fn keys(cx: &mut Ctx, doc: usize, node: &Node, known: &[&str], what: &str) {
    for e in node.entries() {
        let Some(k) = e.key_str() else { continue };
        if known.contains(&k) || (k == "true" && what == "the workflow") {
            continue;
        }
        let hint = suggest(k, known).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
        cx.report_in(doc, e.key.span.clone(), format!("`{k}` is not a key of {what}{hint}"))
            .help(format!("known keys: {}", known.join(", ")));
    }
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        keys(cx, wf.doc, &wf.root, WORKFLOW, "the workflow");
        for job in wf.jobs() {
            keys(cx, wf.doc, job.node, JOB, "a job");
            for s in job.steps() {
                keys(cx, wf.doc, s, STEP, "a step");
            }
        }
    }
    for a in &repo.actions {
        keys(cx, a.doc, &a.root, ACTION, "an action");
        for s in a.steps() {
            keys(cx, a.doc, s, STEP, "a step");
        }
    }
    for p in &repo.pipelines {
        for j in p.jobs.iter().filter(|j| !j.hidden()) {
            keys(cx, j.doc, &j.node, GITLAB_JOB, "a GitLab job");
        }
        // A top-level key is a keyword or a job, and a job is a mapping.
        for (doc, root) in &p.files {
            for e in root.entries() {
                let Some(k) = e.key_str() else { continue };
                if k.starts_with('.') || GITLAB_TOP.contains(&k) || e.value.is_map() {
                    continue;
                }
                let hint = suggest(k, GITLAB_TOP).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
                cx.report_in(*doc, e.key.span.clone(), format!("`{k}` is not a GitLab CI keyword, and not a job (a job is a mapping){hint}"))
                    .help(format!("top-level keywords: {}", GITLAB_TOP.join(", ")));
            }
        }
    }
}
