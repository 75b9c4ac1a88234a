//! ## What it does
//! Flags an `if:` whose value holds `${{ … }}` with other text around it,
//! such as `${{ false }} || ${{ false }}`, text after the braces, or a
//! trailing newline from a `|` block.
//!
//! ## Why is this bad?
//! When the value is not exactly one expression, GitHub evaluates it as a
//! string template, and any non-empty string is true: the condition always
//! passes, whatever the expressions inside say.
//!
//! ## Example
//! ```yaml
//! if: ${{ github.ref == 'refs/heads/main' }} && ${{ github.event_name == 'push' }}
//! ```
//!
//! ## Use instead
//! ```yaml
//! if: github.ref == 'refs/heads/main' && github.event_name == 'push'
//! ```
use crate::prelude::*;
use crate::rules::spoofable_bot_condition::ifs;

pub const META: Meta = Meta {
    summary: "an `if:` condition is always true",
    severity: Severity::High,
    tags: &["correctness"],
    aliases: &["if-cond", "unsound-condition"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for (doc, node) in ifs(repo) {
        let Some(s) = node.as_str() else { continue };
        if !s.contains("${{") {
            continue;
        }
        let found = expr::find_all(s);
        let whole = found.len() == 1 && found[0].span == (0..s.len());
        if !whole {
            let t = text(cx, doc);
            let raw = t.get(node.span.clone()).unwrap_or("");
            let at = node.span.start..node.span.start + raw.trim_end().len();
            cx.report_in(doc, at, "text outside `${{ }}` makes this condition a non-empty string, which is always true")
                .help("write the whole condition as one expression, without `${{ }}`: `if: a && b`");
        }
    }
}
