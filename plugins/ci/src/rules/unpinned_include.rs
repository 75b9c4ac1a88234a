//! ## What it does
//! Flags GitLab CI includes that follow whatever is published upstream: a
//! `remote:` URL (or a bare `https://` include) without `integrity:`, a
//! `project:` include without `ref:` or with a branch as `ref:` (`main`,
//! `master`, `develop`, `HEAD`…), and a `component:` at `~latest` or at a
//! branch. Tags, commit SHAs and GitLab's own `template:` includes are not
//! flagged.
//!
//! ## Why is this bad?
//! Included configuration runs in your pipeline with your variables and
//! deploy credentials. Whoever can push to that branch or that URL changes
//! what your pipeline does on its next run, without a change in your
//! repository.
//!
//! ## Example
//! ```yaml
//! include:
//!   - project: platform/ci-templates
//!     file: /deploy.yml
//!   - remote: https://example.com/ci/lint.yml
//! ```
//!
//! ## Use instead
//! ```yaml
//! include:
//!   - project: platform/ci-templates
//!     ref: v3.2.0
//!     file: /deploy.yml
//!   - remote: https://example.com/ci/lint.yml
//!     integrity: sha256-<base64 digest>
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a GitLab include follows a branch or an unverified URL",
    severity: Severity::Medium,
    tags: &["security", "supply-chain"],
    aliases: &[],
    ..Meta::DEFAULT
};

const BRANCHES: &[&str] = &["main", "master", "develop", "dev", "trunk", "head", "latest", "~latest"];

fn branchy(r: &str) -> bool {
    BRANCHES.contains(&r.to_ascii_lowercase().as_str())
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for p in &repo.pipelines {
        for (doc, e) in p.top("include") {
            let items: Vec<&Node> = if e.value.is_seq() { e.value.items().iter().collect() } else { vec![&e.value] };
            for item in items {
                let problem = if let Some(url) = item.as_str() {
                    (url.starts_with("https://") || url.starts_with("http://"))
                        .then(|| (item.span.clone(), format!("the remote include `{url}` has no `integrity:` hash")))
                } else if let Some(remote) = item.get("remote") {
                    item.get("integrity").is_none().then(|| {
                        (remote.span.clone(), format!("the remote include `{}` has no `integrity:` hash", remote.as_str().unwrap_or("?")))
                    })
                } else if let Some(project) = item.get("project") {
                    let name = project.as_str().unwrap_or("?");
                    match item.get("ref") {
                        None => Some((project.span.clone(), format!("the include of project `{name}` has no `ref:`: it follows the default branch"))),
                        Some(r) => r.as_str().filter(|r| branchy(r)).map(|b| {
                            (r.span.clone(), format!("the include of project `{name}` follows the branch `{b}`"))
                        }),
                    }
                } else if let Some(c) = item.get("component") {
                    let s = c.as_str().unwrap_or("");
                    s.rsplit_once('@').filter(|(_, v)| branchy(v)).map(|(_, v)| {
                        (find_in(text(cx, doc), c, &format!("@{v}")), format!("the component `{s}` follows `{v}`"))
                    })
                } else {
                    None
                };
                if let Some((span, message)) = problem {
                    cx.report_in(doc, span, message)
                        .help("pin a tag or commit SHA with `ref:` (or `@version` for components), and `integrity:` for remote files");
                }
            }
        }
    }
}
