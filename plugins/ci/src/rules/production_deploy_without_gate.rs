//! ## What it does
//! GitHub Actions: flags a deploy job that starts automatically (on push, a
//! tag, a schedule…) and has no `environment:`, so no approval or branch
//! rule can be put in front of it. GitLab CI: flags a job deploying to a
//! production environment (a name containing `prod`, `live`, or
//! `deployment_tier: production`; configurable with the
//! `production-environments` option) that is not `when: manual`. Deploys
//! whose environment (or, without one, whose job) is named as not
//! production (`test`, `preview`, `staging`, `dev`, `review`, `qa`,
//! `sandbox`…) and GitHub deploys triggered only by pull requests (previews)
//! are not reported.
//!
//! ## Why is this bad?
//! Production changes with nobody deciding when they happen: a bad merge is
//! live within minutes, and there is no record of who approved it. An
//! environment also scopes the deploy credentials to the jobs allowed to use
//! them.
//!
//! If production is a protected GitLab environment with required approvals
//! (set in the project settings, invisible here), suppress this finding for
//! the job.
//!
//! ## Example
//! ```yaml
//! deploy-prod:
//!   stage: deploy
//!   environment: production
//!   script: ./deploy.sh
//! ```
//!
//! ## Use instead
//! ```yaml
//! deploy-prod:
//!   stage: deploy
//!   environment: production
//!   script: ./deploy.sh
//!   when: manual
//! ```
use crate::model::{is_production, production_names};
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a production deploy has no approval gate",
    severity: Severity::Medium,
    tags: &["reliability", "deploy"],
    aliases: &[],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    let names = production_names(cx);
    for wf in &repo.workflows {
        // Automatic, and not a pull request preview.
        let auto: Vec<&str> = wf
            .triggers
            .iter()
            .map(|(t, _)| t.as_str())
            .filter(|t| *t != "workflow_dispatch" && !crate::model::PR_TRIGGERS.contains(t))
            .collect();
        if auto.is_empty() {
            continue;
        }
        for job in wf.jobs() {
            let Some(d) = job.deploys() else { continue };
            if job.node.get("environment").is_none() && !d.non_production(job.label()) {
                cx.report_in(wf.doc, job.key.span.clone(), format!("job `{}` deploys ({}) automatically on {} with no `environment:`, so nothing can require an approval", job.id, d.reason, auto.join(", ")))
                    .help("add `environment: production` and set required reviewers for it in the repository settings");
            }
        }
    }
    for p in &repo.pipelines {
        for job in p.visible_jobs() {
            let Some((env, j, node)) = p.environment(job) else { continue };
            let tier = env.ends_with("(tier production)");
            if !(tier || is_production(&env, names.as_deref())) || p.manual(job) {
                continue;
            }
            cx.report_in(j.doc, node.span.clone(), format!("GitLab job `{}` deploys to `{env}` automatically, without `when: manual`", job.name))
                .help("add `when: manual` (or a rule with `when: manual`), or make the environment protected with required approvals");
        }
    }
}
