//! ## What it does
//! Flags `${{ … }}` expressions that do not parse (an unknown operator, a
//! missing parenthesis or quote, a `${{` never closed) in workflows and
//! actions.
//!
//! ## Why is this bad?
//! GitHub rejects the workflow when it loads it, or (for `${{` never
//! closed) passes the text through literally: a condition or a script that
//! does something other than intended.
//!
//! ## Example
//! ```yaml
//! if: ${{ github.ref = 'refs/heads/main' }}
//! ```
//!
//! ## Use instead
//! ```yaml
//! if: ${{ github.ref == 'refs/heads/main' }}
//! ```
use crate::model::scalars;
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an expression that does not parse",
    severity: Severity::High,
    tags: &["correctness"],
    aliases: &["expression", "syntax-check"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    let roots = repo.workflows.iter().map(|w| (w.doc, &w.root)).chain(repo.actions.iter().map(|a| (a.doc, &a.root)));
    for (doc, root) in roots {
        let t = text(cx, doc);
        for node in scalars(root) {
            let Some(s) = node.as_str() else { continue };
            if !s.contains("${{") {
                continue;
            }
            for f in expr::find_all(s) {
                let inner = &s[f.inner.clone()];
                let problem = if !f.terminated {
                    Some("`${{` is never closed with `}}`".to_string())
                } else {
                    expr::parse(inner).err().map(|e| format!("`${{{{{}}}}}` does not parse: {}", inner, e.message))
                };
                if let Some(p) = problem {
                    let at = model_locate(t, node, f.span.clone());
                    cx.report_in(doc, at, p).help("fix the expression syntax (`==` compares, strings use single quotes)");
                }
            }
        }
    }
}

fn model_locate(t: &str, node: &Node, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let at = crate::model::locate_cooked(t, node, r.start..r.start + 3);
    at.start..at.start + (r.end - r.start).min(t.len() - at.start)
}
