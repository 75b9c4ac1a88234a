//! ## What it does
//! Flags caches restored in a workflow that publishes: one triggered by a
//! release or a tag push, or with a publishing step (`npm publish`,
//! `cargo publish`, `twine upload`, `gh release create`, `goreleaser`,
//! `docker push`, the PyPI publish action), or a deploy step (a deploy
//! action or command: what it deploys was built with the cache; a
//! documentation site counts too). Caches are every action that
//! restores one: `actions/cache` (and `/restore`), `Swatinem/rust-cache`,
//! `gradle/actions/setup-gradle` and `jdx/mise-action` (on unless turned
//! off), `actions/setup-go` from v4 (on unless `cache: false`), the `cache:`
//! input of `setup-node`, `setup-python`, `setup-java` and `setup-dotnet`,
//! `ruby/setup-ruby` with `bundler-cache: true`, `PyO3/maturin-action` with
//! `sccache: true`, `astral-sh/setup-uv` with `enable-cache: true`, and
//! `docker/build-push-action` reading `cache-from: type=gha`. An input given
//! by an expression is not judged. (Not seen: `setup-node` v5's automatic
//! npm cache, which depends on `package.json`.) Only jobs that can reach what
//! is shipped are judged: jobs that publish or deploy (or are named
//! `release`/`publish`/`deploy`) and jobs whose artifacts they download; a
//! test job of a tag-triggered workflow ships nothing. When no job is seen
//! to ship, every job is judged.
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
    // A deploy ships what the job built as much as a publish does; only a
    // deploy action or command counts here (not an environment's name).
    wf.jobs().iter().filter_map(|j| j.deploys_or_site()).find(|d| d.reason.starts_with("uses ") || d.reason.starts_with("runs ")).map(|d| format!("deploys: it {}", d.reason))
}

/// How an action's cache is switched.
enum Switch {
    /// Always restores.
    Always,
    /// Restores when this input is set (to anything but `false` or empty).
    OptIn(&'static str),
    /// Restores unless this input is `true` (the input turns it off).
    OffWhen(&'static str),
    /// Restores unless this input is `false`, from this major version on (before it: opt-in).
    OnSince(&'static str, u32),
}

/// Actions that restore a cache, lowercase `owner/repo[/path]`.
const CACHING: &[(&str, Switch)] = &[
    ("actions/cache", Switch::Always),
    ("actions/cache/restore", Switch::Always),
    ("actions/setup-go", Switch::OnSince("cache", 4)),
    ("actions/setup-node", Switch::OptIn("cache")),
    ("actions/setup-python", Switch::OptIn("cache")),
    ("actions/setup-java", Switch::OptIn("cache")),
    ("actions/setup-dotnet", Switch::OptIn("cache")),
    ("swatinem/rust-cache", Switch::OffWhen("lookup-only")),
    ("gradle/actions/setup-gradle", Switch::OffWhen("cache-disabled")),
    ("gradle/gradle-build-action", Switch::OffWhen("cache-disabled")),
    ("jdx/mise-action", Switch::OnSince("cache", 0)),
    ("ruby/setup-ruby", Switch::OptIn("bundler-cache")),
    ("pyo3/maturin-action", Switch::OptIn("sccache")),
    ("astral-sh/setup-uv", Switch::OptIn("enable-cache")),
];

enum Input<'a> {
    Absent,
    On(&'a Node),
    Off,
    /// An expression: decided at run time, not judged.
    Unknown,
}

fn input<'a>(step: &'a Node, key: &str) -> Input<'a> {
    let Some(v) = step.get("with").and_then(|w| w.get(key)) else { return Input::Absent };
    match v.as_str() {
        Some(s) if s.contains("${{") => Input::Unknown,
        Some(s) if s.trim().is_empty() || s.trim().eq_ignore_ascii_case("false") => Input::Off,
        _ if v.as_bool() == Some(false) => Input::Off,
        _ => Input::On(v),
    }
}

/// The major version of `uses: owner/repo@v4.1.0` (or of a `# v4` comment after a SHA pin).
fn major(uses: &str, line_rest: &str) -> Option<u32> {
    let at = uses.split_once('@').map_or("", |(_, r)| r);
    let from = |v: &str| v.trim().trim_start_matches('v').split('.').next().and_then(|m| m.parse().ok());
    from(at).or_else(|| line_rest.trim_start().strip_prefix('#').and_then(|c| from(c.trim_start())))
}

/// Where a step restores a cache, and why, if it does.
fn restores(step: &Node, line_rest: &str) -> Option<(std::ops::Range<usize>, String)> {
    let uses = step.str("uses")?;
    let name = uses.split('@').next().unwrap_or(uses).to_ascii_lowercase();
    let uses_span = step.value_span("uses");
    if name == "docker/build-push-action" {
        let from = step.get("with")?.get("cache-from")?;
        let text = from.as_str()?;
        return text.contains("type=gha").then(|| (from.span.clone(), "reads the GitHub Actions build cache (`cache-from: type=gha`)".into()));
    }
    let (_, switch) = CACHING.iter().find(|(n, _)| *n == name)?;
    let short = uses.split('@').next().unwrap_or(uses);
    match switch {
        Switch::Always => Some((uses_span?, format!("`{short}` restores a cache"))),
        Switch::OptIn(key) => match input(step, key) {
            Input::On(v) => Some((v.span.clone(), format!("`{short}` restores a cache (`{key}`)"))),
            _ => None,
        },
        Switch::OffWhen(key) => match input(step, key) {
            Input::Absent | Input::Off => Some((uses_span?, format!("`{short}` restores a cache by default (`{key}: true` turns it off)"))),
            _ => None,
        },
        Switch::OnSince(key, since) => match input(step, key) {
            Input::On(v) => Some((v.span.clone(), format!("`{short}` restores a cache (`{key}`)"))),
            Input::Absent if major(uses, line_rest).is_none_or(|m| m >= *since) => {
                let from = if *since > 0 { format!(" from v{since}") } else { String::new() };
                Some((uses_span?, format!("`{short}` restores a cache by default{from} (`{key}: false` turns it off)")))
            }
            _ => None,
        },
    }
}

/// A job that ships: a publishing step, a deploy action or command, or a job
/// named for it (`release`, `publish`, `deploy`: the step may be a composite
/// action of the organisation).
pub fn ships(job: &GhJob) -> bool {
    let named = [job.id, job.node.str("name").unwrap_or("")].iter().any(|n| {
        let n = n.to_ascii_lowercase();
        ["release", "publish", "deploy"].iter().any(|w| n.contains(w))
    });
    named
        || job.deploys_or_site().is_some_and(|d| d.reason.starts_with("uses ") || d.reason.starts_with("runs "))
        || job.steps().iter().any(|s| {
            s.str("uses").is_some_and(|u| u.to_ascii_lowercase().starts_with("pypa/gh-action-pypi-publish"))
                || s.str("run").and_then(|r| detect::find_words(&detect::normalise(r), PUBLISH)).is_some()
        })
}

fn uses(job: &GhJob, action: &str) -> bool {
    job.steps().iter().any(|s| s.str("uses").is_some_and(|u| u.to_ascii_lowercase().starts_with(action)))
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        let Some(why) = publishes(wf) else { continue };
        let text = cx.documents().get(wf.doc).map_or("", |d| d.1);
        let jobs = wf.jobs();
        // What a cache can reach: the jobs that ship and the jobs whose
        // artifacts they download. A test job's cache ends in no artifact.
        // When no job is seen to ship (a trigger-only release), every job may.
        let shipping: Vec<&GhJob> = jobs.iter().filter(|j| ships(j)).collect();
        let downloads = shipping.iter().any(|j| uses(j, "actions/download-artifact"));
        for job in &jobs {
            let reaches = shipping.is_empty()
                || shipping.iter().any(|s| s.id == job.id)
                || (downloads && uses(job, "actions/upload-artifact"));
            if !reaches {
                continue;
            }
            for s in job.steps() {
                // The rest of the `uses:` line: a `# v4.1.0` comment after a SHA pin.
                let line_rest = s.value_span("uses").map_or("", |r| text.get(r.end..).unwrap_or("").lines().next().unwrap_or(""));
                if let Some((at, what)) = restores(s, line_rest) {
                    cx.report_in(wf.doc, at, format!("job `{}` restores a cache in a workflow that publishes ({why}): {what}", job.id))
                        .help("build releases without caches, or with a cache only trusted workflows can write");
                }
            }
        }
    }
}
