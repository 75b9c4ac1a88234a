//! ## What it does
//! Flags pipelines that cannot run as written. GitHub Actions: a workflow
//! without `on:` or `jobs:`, a job without `runs-on:` (that does not call a
//! reusable workflow) or without `steps:`, a step with both or neither of
//! `uses:` and `run:`. GitLab CI: a job without `script:` (or `trigger:`,
//! `run:`; templates reached through `extends:` count), a job in a stage
//! that `stages:` does not declare.
//!
//! Checks that depend on files the plugin cannot see (remote, project or
//! template includes, an `extends:` of an unknown template) are skipped.
//!
//! ## Why is this bad?
//! GitHub and GitLab reject the whole pipeline, often only when it is
//! triggered: the deploy that should have run did not.
//!
//! ## Example
//! ```yaml
//! stages: [build, test]
//! deploy:
//!   stage: deploy
//!   environment: production
//! ```
//!
//! ## Use instead
//! ```yaml
//! stages: [build, test, deploy]
//! deploy:
//!   stage: deploy
//!   environment: production
//!   script: ./deploy.sh
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a job or workflow is missing what it needs to run",
    severity: Severity::High,
    tags: &["correctness"],
    aliases: &["syntax-check"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        for key in ["on", "jobs"] {
            if wf.root.get(key).is_none() && !(key == "on" && wf.root.get("true").is_some()) {
                let at = wf.root.entries().first().map_or(0..0, |e| e.key.span.clone());
                cx.report_in(wf.doc, at, format!("the workflow has no `{key}:`")).help(if key == "on" {
                    "add the events that run it, e.g. `on: [push, pull_request]`"
                } else {
                    "add `jobs:` with at least one job"
                });
            }
        }
        for job in wf.jobs() {
            if !job.node.is_map() {
                cx.report_in(wf.doc, job.key.span.clone(), format!("job `{}` is not a mapping", job.id));
                continue;
            }
            if job.is_call() {
                continue;
            }
            if job.node.get("runs-on").is_none() {
                cx.report_in(wf.doc, job.key.span.clone(), format!("job `{}` has no `runs-on:`", job.id))
                    .help("add `runs-on: ubuntu-24.04` (or the runner labels it needs)");
            }
            if job.node.get("steps").is_none() {
                cx.report_in(wf.doc, job.key.span.clone(), format!("job `{}` has no `steps:`", job.id));
            }
            for s in job.steps() {
                let (uses, run) = (s.get("uses").is_some(), s.get("run").is_some());
                if uses == run {
                    let what = if uses { "both `uses:` and `run:`" } else { "neither `uses:` nor `run:`" };
                    let at = s.entries().first().map_or(s.span.clone(), |e| e.key.span.clone());
                    cx.report_in(wf.doc, at, format!("a step of job `{}` has {what}", job.id))
                        .help("a step either runs an action (`uses:`) or a script (`run:`)");
                }
            }
        }
    }
    for p in &repo.pipelines {
        let stages = p.stage_list();
        for job in p.visible_jobs() {
            let runs = ["script", "trigger", "run"].iter().map(|k| p.lookup(job, k)).collect::<Vec<_>>();
            let found = runs.iter().any(|l| matches!(l, Lookup::Found(..)));
            let unknown = runs.iter().any(|l| matches!(l, Lookup::Unknown));
            if !found && !unknown {
                cx.report_in(job.doc, job.key.clone(), format!("GitLab job `{}` has no `script:`", job.name))
                    .help("add `script:` (or `trigger:` for a child pipeline), or rename it with a leading `.` if it is a template");
            }
            if p.unresolved {
                continue;
            }
            if let Lookup::Found(j, e) = p.lookup(job, "stage") {
                if let Some(stage) = e.value.as_str() {
                    if !stages.iter().any(|s| s == stage) && !stage.contains('$') {
                        cx.report_in(j.doc, e.value.span.clone(), format!("job `{}` uses stage `{stage}`, which `stages:` does not declare", job.name))
                            .help(format!("declared stages: {}", stages.join(", ")));
                    }
                }
            }
        }
    }
}
