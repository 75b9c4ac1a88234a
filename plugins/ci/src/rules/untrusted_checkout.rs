//! ## What it does
//! Flags a workflow triggered by `pull_request_target`, `workflow_run` or
//! `issue_comment` that checks out the pull request's code (`actions/checkout`
//! with the head ref or SHA, `gh pr checkout`, `git fetch … pull/…`). The
//! first later step that runs something is shown beside it. A
//! `pull_request_target` job that runs only for pull requests opened by
//! Dependabot or Renovate (`if: github.event.pull_request.user.login ==
//! 'dependabot[bot]'`, the author, which an outsider cannot spoof, unlike
//! `github.actor`) checks out a branch of the base repository that only the
//! bot and maintainers can push to: not flagged.
//!
//! ## Why is this bad?
//! These triggers run in the base repository with secrets and a token that
//! can write. Building, testing or installing dependencies of a fork's code
//! there runs the attacker's code with those secrets ("pwn request").
//!
//! ## Example
//! ```yaml
//! on: pull_request_target
//! jobs:
//!   test:
//!     runs-on: ubuntu-24.04
//!     steps:
//!       - uses: actions/checkout@v4
//!         with:
//!           ref: ${{ github.event.pull_request.head.sha }}
//!       - run: npm ci && npm test
//! ```
//!
//! ## Use instead
//! ```yaml
//! on: pull_request   # no secrets, read-only token for forks
//! jobs:
//!   test:
//!     runs-on: ubuntu-24.04
//!     steps:
//!       - uses: actions/checkout@v4
//!       - run: npm ci && npm test
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a privileged trigger checks out and runs pull request code",
    severity: Severity::High,
    tags: &["security"],
    aliases: &["dangerous-triggers", "untrusted_checkout_exec", "Dangerous-Workflow"],
    ..Meta::DEFAULT
};

const HEAD_REFS: &[&str] = &[
    "github.event.pull_request.head.sha",
    "github.event.pull_request.head.ref",
    "github.event.pull_request.merge_commit_sha",
    "github.event.pull_request.head.repo.full_name",
    "github.head_ref",
    "github.event.workflow_run.head_sha",
    "github.event.workflow_run.head_branch",
    "github.event.workflow_run.head_commit.id",
    "github.event.workflow_run.head_repository.full_name",
    "github.event.issue.number",
    "github.event.number",
];

fn names_head(t: &str, node: &Node) -> bool {
    let s = node.as_str().unwrap_or("");
    if s.contains("refs/pull/") || s.contains("pull/") && s.contains("/head") {
        return true;
    }
    expressions(t, node).iter().any(|f| {
        let mut hit = false;
        if let Some(e) = &f.expr {
            e.walk(&mut |x| {
                if let Some(p) = x.path() {
                    hit |= HEAD_REFS.contains(&p.join(".").as_str());
                }
            });
        }
        hit
    })
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        let Some((trigger, _)) = wf
            .triggers
            .iter()
            .find(|(t, _)| matches!(t.as_str(), "pull_request_target" | "workflow_run" | "issue_comment"))
        else {
            continue;
        };
        let t = text(cx, wf.doc);
        for job in wf.jobs() {
            if trigger == "pull_request_target" && authored_by_update_bot(job.node.str("if").unwrap_or("")) {
                continue;
            }
            let steps = job.steps();
            for (i, s) in steps.iter().enumerate() {
                let step = Step { doc: wf.doc, node: s, workflow: Some(wf), job: Some(job) };
                let at = if step.uses_action("actions/checkout") {
                    ["ref", "repository"].iter().filter_map(|k| step.with(k)).find(|n| names_head(t, n)).map(|n| n.span.clone())
                } else if let Some(run) = step.run() {
                    let script = run.as_str().unwrap_or("");
                    let norm = detect::normalise(script);
                    let cmd = detect::find_words(&norm, &["gh pr checkout", "git fetch origin pull", "git checkout"]);
                    match cmd {
                        Some("git checkout") if !names_head(t, run) => None,
                        Some(c) => Some(find_in(t, run, c.split(' ').next().unwrap_or(c))),
                        None if script.contains("pull/") && script.contains("git fetch") => Some(find_in(t, run, "git fetch")),
                        None => None,
                    }
                } else {
                    None
                };
                let Some(at) = at else { continue };
                let runs = steps[i + 1..].iter().find(|n| n.get("run").is_some() || n.get("uses").is_some_and(|u| u.as_str().is_some_and(|u| !u.starts_with("actions/upload"))));
                let f = cx.report_in(
                    wf.doc,
                    at,
                    format!("job `{}` checks out pull request code in a workflow triggered by {trigger}, which has secrets and a write token", job.id),
                );
                f.help("run untrusted code under `pull_request` instead, or split the workflow: build in `pull_request`, then use the artifacts (as data only) in the privileged one");
                if let Some(r) = runs {
                    f.related(r.span.clone(), "this step then runs with the checked-out code");
                }
            }
        }
    }
}

/// Whether a job condition requires the pull request's author to be a dependency-update bot
/// (and nothing lets another author through).
fn authored_by_update_bot(cond: &str) -> bool {
    let c: String = cond.chars().filter(|c| !c.is_whitespace()).collect::<String>().replace('"', "'");
    !c.contains("||")
        && ["dependabot[bot]", "renovate[bot]"]
            .iter()
            .any(|bot| c.contains(&format!("github.event.pull_request.user.login=='{bot}'")))
}
