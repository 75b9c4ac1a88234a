//! ## What it does
//! Flags an environment variable whose name says it holds a secret
//! (`PASSWORD`, `PASSWD`, `SECRET`, `TOKEN`, `API_KEY`, `PRIVATE_KEY`,
//! `CREDENTIALS`, `ACCESS_KEY`…) with a literal `value`, and any variable
//! whose value is a URL with a password (`scheme://user:pass@host`).
//! `valueFrom`, empty values, numbers, placeholders (`<your-key>`, the
//! variable's own name, `changeme`, `__TOKEN__`, `xxxx`: the list every
//! secret rule shares) and `${VAR}` references are fine; so are names like `MAX_TOKENS` or
//! `PASSWORD_FILE`. A value whose comment (on its line or its name's) asks for the reader's own
//! (`# REQUIRED - replace with your access key`, `# change me`) is an example
//! to fill in, not a secret. Points at the value.
//!
//! ## Why is this bad?
//! The secret is in the repository, its history and every rendered
//! manifest, readable by anyone who can read the Deployment.
//!
//! ## Example
//! ```yaml
//! env:
//!   - name: DB_PASSWORD
//!     value: hunter2
//! ```
//!
//! ## Use instead
//! ```yaml
//! env:
//!   - name: DB_PASSWORD
//!     valueFrom:
//!       secretKeyRef: {name: db, key: password}
//! ```
use crate::prelude::*;
use opslint_knowledge::secrets;

pub const META: Meta = Meta {
    summary: "a secret is written literally in a container's environment",
    severity: Severity::High,
    tags: &["security"],
    aliases: &["env-var-secret"],
    ..Meta::DEFAULT
};

/// Whether a variable name says it holds a secret: `DB_PASSWORD`, `STRIPE_API_KEY`; not `MAX_TOKENS`, `TOKEN_TTL`.
pub use opslint_knowledge::secrets::secret_name;

/// Values that stand for a secret (`$VAR`, `<your-key>`, `changeme`, `__TOKEN__`: the
/// knowledge crate's list, shared by every secret rule), or plain numbers.
fn placeholder(name: &str, v: &str) -> bool {
    opslint_knowledge::secrets::placeholder(name, v) || v.parse::<f64>().is_ok()
}

/// `scheme://user:password@host` with a literal password.
pub fn url_password(v: &str) -> bool {
    let Some((_, rest)) = v.split_once("://") else { return false };
    let Some((auth, _)) = rest.split_once('@') else { return false };
    let Some((_, pass)) = auth.split_once(':') else { return false };
    !pass.is_empty() && !pass.contains('/') && !templated(pass) && !placeholder("", pass)
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads_and_patches() {
        for c in w.containers() {
            for var in c.node.get("env").map(Node::items).unwrap_or(&[]) {
                let (Some(name), Some(value)) = (var.str("name"), var.get("value")) else { continue };
                let Some(text) = value.as_str() else { continue };
                if text.is_empty() || templated(text) || text.starts_with('$') || placeholder(name, text) {
                    continue;
                }
                let source = cx.documents().get(w.obj.doc).map_or("", |d| d.1);
                let ends = [Some(value.span.end), var.get("name").map(|n| n.span.end)];
                if ends.into_iter().flatten().any(|at| secrets::comment_after(source, at).is_some_and(secrets::placeholder_comment)) {
                    continue;
                }
                if secret_name(name) || url_password(text) {
                    cx.report_in(w.obj.doc, value.span.clone(), format!("{}: `{name}` holds a literal secret", c.display(&w)))
                        .help("move the value to a Secret and use `valueFrom.secretKeyRef` (rotate the exposed secret)");
                }
            }
        }
    }
}
