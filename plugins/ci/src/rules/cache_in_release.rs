//! ## What it does
//! Flags caches restored in a workflow that publishes: one triggered by a
//! release or a tag push, or with a publishing step (`npm publish`,
//! `cargo publish`, `twine upload`, `gh release create`, `goreleaser`,
//! `docker push`, the PyPI publish action). Caches are `actions/cache` and
//! the `cache:` input of the `setup-*` actions.
//!
//! ## Why is this bad?
//! A cache entry written by any workflow that runs on the default branch
//! can be restored by the release job: one an outsider can trigger
//! (`pull_request_target`, `issue_comment`), or one whose dependencies were
//! compromised, can plant an entry that ends up inside the artifact you sign
//! and ship.
//!
//! ## Example
//! ```yaml
//! on:
//!   push:
//!     tags: ["v*"]
//! jobs:
//!   publish:
//!     steps:
//!       - uses: actions/setup-node@v4
//!         with: { node-version: 22, cache: npm }
//!       - run: npm publish
//! ```
//!
//! ## Use instead
//! Build releases from a clean state: drop the cache in publishing
//! workflows (or use a separate cache key that only trusted workflows write).
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a cache is restored in a release or publish workflow",
    severity: Severity::Medium,
    tags: &["security", "supply-chain"],
    aliases: &["cache-poisoning"],
    ..Meta::DEFAULT
};

const PUBLISH: &[&str] = &["npm publish", "yarn publish", "pnpm publish", "cargo publish", "twine upload", "gh release create", "goreleaser", "docker push", "gem push", "poetry publish", "uv publish", "dotnet nuget push", "mvn deploy"];

pub fn publishes(wf: &Workflow) -> Option<String> {
    if wf.on("release") {
        return Some("triggered by a release".into());
    }
    if wf.on_node().and_then(|on| on.value.get("push")).is_some_and(|p| p.get("tags").is_some()) {
        return Some("triggered by a tag push".into());
    }
    for job in wf.jobs() {
        for s in job.steps() {
            if s.str("uses").is_some_and(|u| u.to_ascii_lowercase().starts_with("pypa/gh-action-pypi-publish")) {
                return Some("publishes to PyPI".into());
            }
            if let Some(c) = s.str("run").and_then(|r| detect::find_words(&detect::normalise(r), PUBLISH)) {
                return Some(format!("runs `{c}`"));
            }
        }
    }
    None
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        let Some(why) = publishes(wf) else { continue };
        for job in wf.jobs() {
            for s in job.steps() {
                let Some(uses) = s.str("uses") else { continue };
                let name = uses.split('@').next().unwrap_or(uses).to_ascii_lowercase();
                let cache_input = s.get("with").and_then(|w| w.get("cache")).filter(|c| !matches!(c.as_str(), Some("false" | "")) && c.as_bool() != Some(false));
                let at = if name == "actions/cache" || name == "actions/cache/restore" {
                    s.value_span("uses")
                } else if name.starts_with("actions/setup-") {
                    cache_input.map(|c| c.span.clone())
                } else {
                    None
                };
                if let Some(at) = at {
                    cx.report_in(wf.doc, at, format!("job `{}` restores a cache in a workflow that publishes ({why})", job.id))
                        .help("build releases without caches, or with a cache only trusted workflows can write");
                }
            }
        }
    }
}
