//! ## What it does
//! Flags a job that runs on a `self-hosted` runner in a workflow triggered
//! by pull requests or comments (`pull_request`, `pull_request_target`,
//! `issue_comment`, …). A label given as `${{ matrix.X }}` is followed into
//! the job's matrix: its values and its `include:` entries.
//!
//! ## Why is this bad?
//! In a public repository anyone can open a pull request, and its code runs
//! on your machine. Self-hosted runners are not wiped between jobs: the
//! attacker can persist on the runner, read later jobs' secrets and reach
//! your internal network.
//!
//! ## Example
//! ```yaml
//! on: pull_request
//! jobs:
//!   test:
//!     runs-on: [self-hosted, linux]
//! ```
//!
//! ## Use instead
//! Run pull request jobs on GitHub-hosted runners, or on ephemeral
//! self-hosted runners in an isolated network, and require approval for
//! workflows from outside contributors.
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a self-hosted runner runs pull request jobs",
    severity: Severity::High,
    tags: &["security"],
    aliases: &["self-hosted-runner", "pr_runs_on_self_hosted"],
    ..Meta::DEFAULT
};

fn self_hosted(n: &Node) -> bool {
    n.as_str().is_some_and(|s| s.trim().eq_ignore_ascii_case("self-hosted"))
}

/// `${{ matrix.os }}` → `os`.
fn matrix_key(label: &str) -> Option<&str> {
    let inner = label.trim().strip_prefix("${{")?.strip_suffix("}}")?.trim();
    let key = inner.strip_prefix("matrix.")?;
    key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_').then_some(key)
}

/// The labels a runs-on entry stands for: itself, or the matrix values it names
/// (each a label or a list of labels, from the matrix and its `include:` entries).
fn labels<'a>(job: &GhJob<'a>, label: &'a Node) -> Vec<&'a Node> {
    let Some(key) = label.as_str().and_then(matrix_key) else { return vec![label] };
    let Some(matrix) = job.node.at("strategy.matrix") else { return Vec::new() };
    let mut values: Vec<&Node> = matrix.get(key).map_or(Vec::new(), |v| v.items().iter().collect());
    values.extend(matrix.get("include").map_or(&[][..], Node::items).iter().filter_map(|i| i.get(key)));
    values.into_iter().flat_map(|v| if v.as_str().is_some() { vec![v] } else { v.items().iter().collect() }).collect()
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        let Some((trigger, _)) = wf.pr_triggered() else { continue };
        for job in wf.jobs() {
            let found = job.runs_on().into_iter().flat_map(|l| labels(&job, l)).find(|n| self_hosted(n));
            if let Some(label) = found {
                cx.report_in(wf.doc, label.span.clone(), format!("job `{}` runs on a self-hosted runner for {trigger} events", job.id))
                    .help("run pull request jobs on GitHub-hosted or ephemeral, isolated runners");
            }
        }
    }
}
