//! ## What it does
//! Flags credentials written into the pipeline: a literal
//! `credentials.password` of a job container or service, and literal values
//! of secret-looking variables (`*_PASSWORD`, `*_TOKEN`, `*_SECRET`,
//! `*_API_KEY`, …) or action inputs (`password:`, `token:`) that look like
//! real credentials (known token prefixes such as `ghp_`, `glpat-`, `AKIA`,
//! or eight characters or more that are not a placeholder: `$VAR`,
//! `<token>`, `changeme`, `__TOKEN__`, the list every secret rule shares).
//! Environment variables of service containers (a test database's
//! `POSTGRES_PASSWORD`) are not flagged, nor are variables named as test
//! credentials (`TEST` or `E2E` as a word: `AIO_TEST_PASSWORD`,
//! `E2E_ADMIN_TOKEN`) for the instance the pipeline starts to test, unless
//! the value is a real service's token format (`ghp_…`, `AKIA…`).
//!
//! ## Why is this bad?
//! Everything in the repository is readable by everyone with read access,
//! forks included, and stays in the history after it is removed.
//!
//! ## Example
//! ```yaml
//! container:
//!   image: registry.example.com/build:1.4
//!   credentials:
//!     username: ci
//!     password: hunter2hunter2
//! ```
//!
//! ## Use instead
//! ```yaml
//! container:
//!   image: registry.example.com/build:1.4
//!   credentials:
//!     username: ci
//!     password: ${{ secrets.REGISTRY_PASSWORD }}
//! ```
use crate::prelude::*;
use crate::model::{known_token, looks_like_credential, secret_name};

pub const META: Meta = Meta {
    summary: "a credential is written in the pipeline",
    severity: Severity::High,
    tags: &["security", "secrets"],
    aliases: &["hardcoded-container-credentials"],
    ..Meta::DEFAULT
};

/// A literal value: not an expression, not a placeholder (`$VAR`, `<token>`, `changeme`…).
fn literal(n: &Node) -> Option<&str> {
    n.as_str().filter(|s| !s.contains("${{") && !opslint_knowledge::secrets::placeholder("", s))
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        for job in wf.jobs() {
            let mut boxes: Vec<(String, &Node)> = job.node.get("container").map(|c| ("the job container".to_string(), c)).into_iter().collect();
            if let Some(s) = job.node.get("services") {
                boxes.extend(s.entries().iter().map(|e| (format!("service `{}`", e.key_str().unwrap_or("?")), &e.value)));
            }
            for (what, c) in boxes {
                if let Some(p) = c.at("credentials.password").filter(|p| literal(p).is_some()) {
                    cx.report_in(wf.doc, p.span.clone(), format!("the registry password of {what} in job `{}` is written in the workflow", job.id))
                        .help("use a secret: `password: ${{ secrets.REGISTRY_PASSWORD }}`");
                }
            }
        }
    }
    for v in repo.vars() {
        let Some(name) = v.entry.key_str() else { continue };
        let Some(value) = literal(v.value) else { continue };
        if secret_name(name)
            && looks_like_credential(value)
            && !opslint_knowledge::secrets::placeholder(name, value)
            && (!test_credential(name) || known_token(value))
        {
            let store = if v.gitlab { "a masked CI/CD variable in the project settings" } else { "a secret: `${{ secrets.NAME }}`" };
            cx.report_in(v.doc, v.value.span.clone(), format!("`{name}` holds a literal credential"))
                .help(format!("rotate it and move it to {store}"));
        }
    }
    for step in repo.steps() {
        let Some(with) = step.node.get("with") else { continue };
        for e in with.entries() {
            let (Some(name), Some(value)) = (e.key_str(), literal(&e.value)) else { continue };
            if (secret_name(name) || matches!(name, "password" | "token" | "api-key" | "api_key"))
                && looks_like_credential(value)
                && !opslint_knowledge::secrets::placeholder(name, value)
            {
                cx.report_in(step.doc, e.value.span.clone(), format!("the `{name}` input holds a literal credential"))
                    .help("rotate it and pass a secret: `${{ secrets.NAME }}`");
            }
        }
    }
}

/// A variable named as a test fixture's credential: `TEST` or `E2E` as a word of its name.
fn test_credential(name: &str) -> bool {
    name.to_ascii_uppercase().split(|c: char| !c.is_ascii_alphanumeric()).any(|w| matches!(w, "TEST" | "E2E"))
}
