//! ## What it does
//! Flags expressions that hand over the whole `secrets` context:
//! `toJSON(secrets)`, or `secrets[…]` indexed by a computed name.
//!
//! ## Why is this bad?
//! The step receives every secret of the repository, not the one it needs;
//! GitHub can no longer tell which secrets a job uses, and a leak of that
//! one value leaks them all.
//!
//! ## Example
//! ```yaml
//! env:
//!   ALL: ${{ toJSON(secrets) }}
//! ```
//!
//! ## Use instead
//! ```yaml
//! env:
//!   API_TOKEN: ${{ secrets.API_TOKEN }}
//! ```
use crate::model::scalars;
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "the whole secrets context is exposed",
    severity: Severity::Medium,
    tags: &["security", "secrets"],
    aliases: &["overprovisioned-secrets"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    let roots = repo.workflows.iter().map(|w| (w.doc, &w.root)).chain(repo.actions.iter().map(|a| (a.doc, &a.root)));
    for (doc, root) in roots {
        let t = text(cx, doc);
        for node in scalars(root) {
            for found in expressions(t, node) {
                let Some(e) = &found.expr else { continue };
                let mut hit = false;
                e.walk(&mut |x| match x {
                    Expr::Call(name, args) if name.eq_ignore_ascii_case("tojson") => {
                        hit |= args.iter().any(|a| a.path().is_some_and(|p| p == ["secrets"]));
                    }
                    Expr::Index(base, index) => {
                        hit |= base.path().is_some_and(|p| p == ["secrets"]) && !matches!(**index, Expr::Str(_));
                    }
                    _ => {}
                });
                if hit {
                    cx.report_in(doc, found.span.clone(), format!("`${{{{ {} }}}}` exposes every secret of the repository", found.source))
                        .help("name each secret the step needs: `${{ secrets.NAME }}`");
                }
            }
        }
    }
}
