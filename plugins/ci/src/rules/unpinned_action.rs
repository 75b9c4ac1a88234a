//! ## What it does
//! Flags `uses:` references (steps, composite actions, reusable workflows)
//! that are not pinned to a full 40-character commit SHA, and `docker://`
//! images without a digest. By default, tags of first-party actions
//! (`actions/*`, `github/*`) are accepted; a branch name never is.
//!
//! Options: `allowed-owners` (owners or `owner/repo` whose tags are
//! trusted), `allow-first-party-tags` (default `true`).
//!
//! ## Why is this bad?
//! A tag or branch can be moved to any commit by whoever controls the
//! action's repository (or steals its credentials). The next run executes
//! that code with your job's token and secrets, as in the tj-actions
//! incident of 2025.
//!
//! ## Example
//! ```yaml
//! - uses: docker/login-action@v3
//! - uses: some-org/deploy@main
//! ```
//!
//! ## Use instead
//! ```yaml
//! - uses: docker/login-action@74a5d142397b4f367a81961eba4e8cd7edddf772 # v3.4.0
//! ```
//! Dependabot or Renovate keep pinned SHAs (and their version comments) up to date.
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an action is not pinned to a commit SHA",
    severity: Severity::Medium,
    tags: &["security", "supply-chain"],
    aliases: &["unpinned-uses", "Pinned-Dependencies"],
    ..Meta::DEFAULT
};

const BRANCHES: &[&str] = &["main", "master", "develop", "dev", "trunk", "latest", "head", "stable", "release", "nightly"];

fn is_sha(r: &str) -> bool {
    r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit())
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    let allowed: Vec<String> = cx.option::<Vec<String>>("allowed-owners").unwrap_or_default();
    let first_party = cx.option::<bool>("allow-first-party-tags").unwrap_or(true);
    let mut refs: Vec<(usize, &Node)> = repo.steps().iter().filter_map(|s| Some((s.doc, s.node.get("uses")?))).collect();
    for wf in &repo.workflows {
        refs.extend(wf.jobs().iter().filter_map(|j| Some((wf.doc, j.node.get("uses")?))));
    }
    for (doc, node) in refs {
        let Some(uses) = node.as_str() else { continue };
        let t = text(cx, doc);
        if uses.starts_with("./") || uses.contains("${{") {
            continue;
        }
        if let Some(image) = uses.strip_prefix("docker://") {
            if !image.contains("@sha256:") {
                cx.report_in(doc, node.span.clone(), format!("`{uses}` is not pinned to an image digest"))
                    .help("pin the image by digest: `docker://image@sha256:…`");
            }
            continue;
        }
        let (name, reference) = match uses.rsplit_once('@') {
            Some((n, r)) => (n, Some(r)),
            None => (uses, None),
        };
        let owner = name.split('/').next().unwrap_or("").to_ascii_lowercase();
        let repo_name = name.split('/').take(2).collect::<Vec<_>>().join("/").to_ascii_lowercase();
        let Some(reference) = reference else {
            cx.report_in(doc, node.span.clone(), format!("`{uses}` has no version at all"))
                .help("add `@<full commit SHA>`; a reference without a version is invalid");
            continue;
        };
        if is_sha(reference) {
            continue;
        }
        let branch = BRANCHES.contains(&reference.to_ascii_lowercase().as_str());
        let trusted = allowed.iter().any(|a| a.eq_ignore_ascii_case(&owner) || a.eq_ignore_ascii_case(&repo_name))
            || (first_party && matches!(owner.as_str(), "actions" | "github"));
        if trusted && !branch {
            continue;
        }
        let at = find_in(t, node, &format!("@{reference}"));
        let f = cx.report_in(
            doc,
            at,
            if branch {
                format!("`{name}` follows the branch `{reference}`: every run takes whatever is pushed there")
            } else {
                format!("`{name}` is pinned to the tag `{reference}`, which its owner can move")
            },
        );
        if branch {
            f.help("pin the full commit SHA of a release instead of a branch: `@<sha> # v1.2.3`");
        } else {
            f.help(format!("pin the full commit SHA and keep the tag as a comment: `@<sha> # {reference}`"));
        }
        if branch {
            f.severity(Severity::High);
        }
    }
}
