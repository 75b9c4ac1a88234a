//! ## What it does
//! Flags a deploy job that does not wait for a job that runs tests. GitHub
//! Actions: no job it `needs:` (directly or through other jobs) runs a test
//! command (`pytest`, `npm test`, `go test`, `cargo test`, `mvn verify`,
//! `make test`, …), and the workflow is not triggered by `workflow_run` (a
//! deploy after a CI workflow). GitLab CI: no job it depends on runs tests;
//! it depends on its `needs:` if it has them, otherwise on every job of the
//! earlier stages. Deploys to environments named as not production
//! (`test`, `preview`, `staging`, `dev`, `review`…) are not reported. Nor
//! are workflows started only by a merged pull request (`pull_request`
//! with `types: [closed]`: the merged commit passed the pull request's
//! checks) or only by hand (`workflow_dispatch`: a person chose the ref to
//! ship, as a gate would).
//!
//! ## Why is this bad?
//! The pipeline ships whatever was pushed, whether or not it works; tests
//! that run beside the deploy only say afterwards that production is broken.
//!
//! ## Example
//! ```yaml
//! jobs:
//!   test:
//!     steps: [{ run: make test }]
//!   deploy:
//!     environment: production
//! ```
//!
//! ## Use instead
//! ```yaml
//! jobs:
//!   test:
//!     steps: [{ run: make test }]
//!   deploy:
//!     needs: test
//!     environment: production
//! ```
use std::collections::BTreeSet;

use crate::prelude::*;
use crate::rules::unknown_needs::gitlab_needs;

pub const META: Meta = Meta {
    summary: "a deploy does not wait for tests",
    severity: Severity::Medium,
    tags: &["reliability", "deploy"],
    aliases: &[],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        if wf.on("workflow_run") || after_review(wf) {
            continue;
        }
        let jobs = wf.jobs();
        let by_id: std::collections::HashMap<&str, GhJob> = jobs.iter().map(|j| (j.id, *j)).collect();
        for job in &jobs {
            let Some(d) = job.deploys().filter(|d| !d.non_production(job.label())) else { continue };
            let mut seen = BTreeSet::new();
            let mut todo = vec![*job];
            let mut tested = false;
            while let Some(j) = todo.pop() {
                if !seen.insert(j.id) {
                    continue;
                }
                tested |= j.tests().is_some() || (j.id != job.id && j.is_call() && j.id.to_ascii_lowercase().contains("test"));
                for n in j.needs() {
                    if let Some(next) = n.as_str().and_then(|n| by_id.get(n)) {
                        todo.push(*next);
                    }
                }
            }
            if !tested {
                cx.report_in(wf.doc, job.key.span.clone(), format!("job `{}` deploys ({}) without needing a job that runs tests", job.id, d.reason))
                    .help("add `needs: [<test job>]`, or trigger the deploy with `workflow_run` after the CI workflow succeeds");
            }
        }
    }
    for p in &repo.pipelines {
        let stages = p.stage_list();
        let visible = p.visible_jobs();
        // Each job's stage position, once.
        let pos_of = |j: &GlJob| p.stage_of(j).and_then(|s| stages.iter().position(|y| *y == s));
        let positions: Vec<Option<usize>> = visible.iter().map(|j| pos_of(j)).collect();
        for job in &visible {
            let Some(d) = p.deploys(job).filter(|d| !d.non_production(&job.name)) else { continue };
            if p.unresolved && job.node.get("needs").is_none() {
                continue;
            }
            let mut seen = BTreeSet::new();
            let mut todo: Vec<&GlJob> = vec![job];
            let mut tested = false;
            let mut unknown = false;
            while let Some(j) = todo.pop() {
                if !seen.insert(j.name.as_str()) {
                    continue;
                }
                tested |= p.tests(j).is_some();
                if j.node.get("needs").is_some() {
                    for (n, _) in gitlab_needs(j) {
                        match p.job(n) {
                            Some(x) => todo.push(x),
                            None => unknown = true,
                        }
                    }
                } else if p.stage_of(j).is_some() {
                    let pos = pos_of(j).unwrap_or(0);
                    for (x, xp) in visible.iter().zip(&positions) {
                        if xp.is_some_and(|xp| xp < pos) {
                            todo.push(x);
                        }
                    }
                } else {
                    unknown = true;
                }
            }
            if !tested && !unknown {
                cx.report_in(job.doc, job.key.clone(), format!("GitLab job `{}` deploys ({}) without depending on a job that runs tests", job.name, d.reason))
                    .help("run the tests in an earlier stage, or add the test job to `needs:`");
            }
        }
    }
}

/// Started only by a merged pull request or by hand: the code was tested before it got here.
fn after_review(wf: &Workflow) -> bool {
    let Some(on) = wf.root.get("on") else { return false };
    let triggers: Vec<(&str, Option<&Node>)> = match on.as_str() {
        Some(t) => vec![(t, None)],
        None if !on.items().is_empty() => on.items().iter().filter_map(|i| Some((i.as_str()?, None))).collect(),
        None => on.entries().iter().filter_map(|e| Some((e.key_str()?, Some(&e.value)))).collect(),
    };
    !triggers.is_empty()
        && triggers.iter().all(|(t, v)| match *t {
            "workflow_dispatch" => true,
            "pull_request" | "pull_request_target" => v.and_then(|v| v.get("types")).is_some_and(|types| {
                let items: Vec<&str> = match types.as_str() {
                    Some(one) => vec![one],
                    None => types.items().iter().filter_map(Node::as_str).collect(),
                };
                items == ["closed"]
            }),
            _ => false,
        })
}
