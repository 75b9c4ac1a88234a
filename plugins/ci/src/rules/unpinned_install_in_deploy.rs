//! ## What it does
//! Flags a package installed at run time without a pinned version in a
//! GitHub Actions job that deploys or publishes and holds secrets (it reads
//! `secrets.…` or may request an OIDC token, `id-token: write`):
//! `npm install -g tool`, `pnpm add -D tool@latest`, `yarn global add tool`,
//! `pip install tool`, `pnpm dlx tool`, `npx tool@latest`, `cargo install
//! tool` without `--version`, `go install module@latest`, `gem install tool`
//! without `-v`. A moving npm tag (`@latest`, `@next`, `@beta`…) is not a
//! pin. Lock-file installs (`npm ci`, `pnpm install`, `pip install -r …`),
//! local paths, URLs and variables are not judged, nor is upgrading pip
//! itself.
//!
//! ## Why is this bad?
//! Whatever version is published at the moment of the run executes with the
//! deploy token in reach: a hijacked or malicious release of the tool (or of
//! one of its dependencies, resolved without a lock file) can read the
//! secrets and ship something else. The same job also deploys differently
//! from one run to the next.
//!
//! ## Example
//! ```yaml
//! jobs:
//!   deploy:
//!     steps:
//!       - run: pnpm add -D -w wrangler@latest
//!       - uses: cloudflare/wrangler-action@v3
//!         with:
//!           apiToken: ${{ secrets.CLOUDFLARE_API_TOKEN }}
//! ```
//!
//! ## Use instead
//! ```yaml
//! jobs:
//!   deploy:
//!     steps:
//!       - run: pnpm install --frozen-lockfile   # wrangler pinned in package.json and the lock file
//!       - uses: cloudflare/wrangler-action@v3
//!         with:
//!           apiToken: ${{ secrets.CLOUDFLARE_API_TOKEN }}
//! ```
use super::cache_in_release::ships;
use crate::adhoc::unpinned_installs;
use crate::model::locate_cooked;
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a deploy or publish job with secrets installs a package at an unpinned version",
    severity: Severity::Medium,
    tags: &["security", "supply-chain"],
    aliases: &["adhoc-packages"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        let t = text(cx, wf.doc);
        let wf_env = wf.root.get("env").and_then(|e| t.get(e.span.clone())).unwrap_or("");
        for job in wf.jobs() {
            if !(ships(&job) || job.deploys_or_site().is_some()) {
                continue;
            }
            let job_text = t.get(job.node.span.clone()).unwrap_or("");
            let Some(holds) = secret(job_text).or_else(|| secret(wf_env)).or_else(|| {
                job_text.contains("id-token: write").then(|| "an OIDC token (`id-token: write`)".to_string())
            }) else {
                continue;
            };
            for s in job.steps() {
                let Some(node) = s.get("run").filter(|r| r.as_str().is_some()) else { continue };
                let script = node.as_str().unwrap_or("");
                for a in unpinned_installs(script) {
                    let span = locate_cooked(t, node, a.span.clone());
                    cx.report_in(wf.doc, span, format!("job `{}` holds {holds} and installs `{}` at run time with `{}` (no pinned version): whatever is published at that moment runs with them", job.id, a.package, a.command))
                        .help(format!("pin the version ({}), or add the tool to the lock file and install it with the lock file", a.pin));
                }
            }
        }
    }
}

/// The first secret a text reads (`${{ secrets.CF_TOKEN }}` → "secret `CF_TOKEN`").
fn secret(text: &str) -> Option<String> {
    let at = text.find("secrets.")? + "secrets.".len();
    let name: String = text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();
    (!name.is_empty()).then(|| format!("secret `{name}`"))
}
