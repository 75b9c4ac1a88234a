//! ## What it does
//! Flags a deploy job with no `concurrency:` (on the job or the workflow)
//! in GitHub Actions, and with no `resource_group:` in GitLab CI. A job
//! deploys when it has an `environment:`, runs a deploy command
//! (`kubectl apply`, `helm upgrade`, `terraform apply`, …) or a deploy
//! action, or is named `deploy…` (a job only named so, that a deploying job
//! needs, prepares that deploy and is not one itself). Deploys to
//! environments named as not production (`test`, `preview`, `staging`,
//! `load-test`, per pull request `testenvs`…) are not reported, as in
//! `deploy-without-tests`: two runs racing there overwrite a throwaway
//! environment, which no user sees.
//!
//! ## Why is this bad?
//! Two pushes in quick succession start two deploys at once: they race, and
//! the older commit can finish last and stay live. Infrastructure tools can
//! also corrupt shared state when run concurrently.
//!
//! ## Example
//! ```yaml
//! jobs:
//!   deploy:
//!     environment: production
//! ```
//!
//! ## Use instead
//! ```yaml
//! jobs:
//!   deploy:
//!     environment: production
//!     concurrency:
//!       group: deploy-production
//!       cancel-in-progress: false
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "deploys can run concurrently",
    severity: Severity::Low,
    tags: &["reliability", "deploy"],
    aliases: &[],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        if wf.root.get("concurrency").is_some() {
            continue;
        }
        for job in wf.jobs() {
            let Some(d) = job.deploys().filter(|d| !d.non_production(job.label())) else { continue };
            if job.node.get("concurrency").is_none() {
                cx.report_in(wf.doc, job.key.span.clone(), format!("job `{}` deploys ({}) with no `concurrency:`: two runs can deploy at once", job.id, d.reason))
                    .help("add `concurrency: { group: deploy-<environment>, cancel-in-progress: false }`");
            }
        }
    }
    for p in &repo.pipelines {
        for job in p.visible_jobs() {
            let Some(d) = p.deploys(job).filter(|d| !d.non_production(&job.name)) else { continue };
            if matches!(p.lookup(job, "resource_group"), Lookup::Missing) {
                cx.report_in(job.doc, job.key.clone(), format!("GitLab job `{}` deploys ({}) with no `resource_group:`: two pipelines can deploy at once", job.name, d.reason))
                    .help("add `resource_group: <environment>` so deploys run one at a time");
            }
        }
    }
}
