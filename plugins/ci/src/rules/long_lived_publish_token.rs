//! ## What it does
//! Flags long-lived registry tokens used to publish where the registry
//! supports OIDC trusted publishing: secrets named like `NPM_TOKEN`,
//! `PYPI_API_TOKEN`, `PYPI_TOKEN`, `TWINE_PASSWORD`, `CARGO_REGISTRY_TOKEN`,
//! `RUBYGEMS_API_KEY`/`GEM_HOST_API_KEY`, and the `password:` input of the
//! PyPI publish action.
//!
//! ## Why is this bad?
//! A stored publish token is valid until someone revokes it; leaked from a
//! log, a compromised step or a cache, it lets anyone publish a malicious
//! version of your package. Trusted publishing issues a short-lived token to
//! this workflow only, at publish time.
//!
//! ## Example
//! ```yaml
//! - run: npm publish
//!   env:
//!     NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}
//! ```
//!
//! ## Use instead
//! ```yaml
//! permissions:
//!   id-token: write
//! steps:
//!   - run: npm publish --provenance   # trusted publisher configured on the registry
//! ```
use crate::model::scalars;
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a long-lived publish token where trusted publishing exists",
    severity: Severity::Low,
    tags: &["security", "supply-chain"],
    aliases: &["use-trusted-publishing"],
    ..Meta::DEFAULT
};

const TOKENS: &[(&str, &str)] = &[
    ("NPM_TOKEN", "npm"),
    ("NPM_AUTH_TOKEN", "npm"),
    ("NPM_PUBLISH_TOKEN", "npm"),
    ("PYPI_API_TOKEN", "PyPI"),
    ("PYPI_TOKEN", "PyPI"),
    ("PYPI_PASSWORD", "PyPI"),
    ("TWINE_PASSWORD", "PyPI"),
    ("TEST_PYPI_API_TOKEN", "PyPI"),
    ("CARGO_REGISTRY_TOKEN", "crates"),
    ("CRATES_IO_TOKEN", "crates"),
    ("RUBYGEMS_API_KEY", "RubyGems"),
    ("GEM_HOST_API_KEY", "RubyGems"),
];

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        let t = text(cx, wf.doc);
        for node in scalars(&wf.root) {
            for found in expressions(t, node) {
                let Some(e) = &found.expr else { continue };
                let mut hit = None;
                e.walk(&mut |x| {
                    if let Some(p) = x.path() {
                        if p.len() == 2 && p[0] == "secrets" {
                            hit = hit.or(TOKENS.iter().find(|(n, _)| n.eq_ignore_ascii_case(&p[1])).copied());
                        }
                    }
                });
                if let Some((name, registry)) = hit {
                    cx.report_in(wf.doc, found.span.clone(), format!("`{name}` is a long-lived {registry} publish token; {registry} supports trusted publishing (OIDC)"))
                        .help("configure a trusted publisher for this workflow on the registry, grant `id-token: write` and delete the stored token");
                }
            }
        }
        for job in wf.jobs() {
            for s in job.steps() {
                let step = Step { doc: wf.doc, node: s, workflow: Some(wf), job: Some(job) };
                if step.uses_action("pypa/gh-action-pypi-publish") || step.uses().is_some_and(|u| u.to_ascii_lowercase().starts_with("pypa/gh-action-pypi-publish@")) {
                    if let Some(p) = step.with("password").filter(|p| !p.as_str().is_some_and(|v| v.contains("${{"))) {
                        cx.report_in(wf.doc, p.span.clone(), "the PyPI publish action is given a password; PyPI supports trusted publishing (OIDC)")
                            .help("configure a trusted publisher on PyPI, grant `id-token: write` and remove `password:`");
                    }
                }
            }
        }
    }
}
