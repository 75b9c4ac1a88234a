//! ## What it does
//! Flags `if:` conditions that trust a bot by `github.actor` or
//! `github.triggering_actor` (`github.actor == 'dependabot[bot]'`,
//! `contains(github.actor, '[bot]')`).
//!
//! ## Why is this bad?
//! The actor is whoever caused the latest event, not who wrote the pull
//! request: an attacker can get a bot to act on their pull request (a
//! Dependabot rebase, a comment) and the condition lets their code through,
//! often with auto-merge or secrets.
//!
//! ## Example
//! ```yaml
//! if: github.actor == 'dependabot[bot]'
//! ```
//!
//! ## Use instead
//! ```yaml
//! if: github.event.pull_request.user.login == 'dependabot[bot]'
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a bot is recognised by the spoofable actor name",
    severity: Severity::Medium,
    tags: &["security"],
    aliases: &["bot-conditions"],
    ..Meta::DEFAULT
};

fn actor(e: &Expr) -> Option<&'static str> {
    match e.path()?.join(".").as_str() {
        "github.actor" => Some("github.actor"),
        "github.triggering_actor" => Some("github.triggering_actor"),
        _ => None,
    }
}

fn botty(e: &Expr) -> bool {
    matches!(e, Expr::Str(s) if s.to_ascii_lowercase().contains("[bot]") || s.to_ascii_lowercase().ends_with("-bot"))
}

pub fn ifs(repo: &Repo) -> Vec<(usize, &Node)> {
    let mut out = Vec::new();
    for wf in &repo.workflows {
        for job in wf.jobs() {
            out.extend(job.node.get("if").map(|n| (wf.doc, n)));
        }
    }
    out.extend(repo.steps().iter().filter_map(|s| Some((s.doc, s.node.get("if")?))));
    out
}

/// Parses an `if:` value: a bare condition, or `${{ … }}` parts.
pub fn conditions(t: &str, node: &Node) -> Vec<(std::ops::Range<usize>, Expr)> {
    let Some(s) = node.as_str() else { return Vec::new() };
    if s.contains("${{") {
        return expressions(t, node).into_iter().filter_map(|l| Some((l.span, l.expr?))).collect();
    }
    expr::parse(s).ok().map(|e| (node.span.clone(), e)).into_iter().collect()
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for (doc, node) in ifs(repo) {
        let t = text(cx, doc);
        for (span, e) in conditions(t, node) {
            let mut hit = None;
            e.walk(&mut |x| match x {
                Expr::Binary(Op::Eq | Op::Ne, a, b) => {
                    hit = hit.or(actor(a).filter(|_| botty(b))).or(actor(b).filter(|_| botty(a)));
                }
                Expr::Call(f, args)
                    if matches!(f.to_ascii_lowercase().as_str(), "contains" | "endswith" | "startswith")
                        && args.len() == 2
                        && botty(&args[1]) =>
                {
                    hit = hit.or(actor(&args[0]));
                }
                _ => {}
            });
            if let Some(who) = hit {
                let at = if node.as_str().is_some_and(|s| s.contains("${{")) { span } else { find_in(t, node, who) };
                cx.report_in(doc, at, format!("the condition trusts a bot by `{who}`, which is whoever triggered the latest event"))
                    .help("check the pull request's author instead: `github.event.pull_request.user.login == 'dependabot[bot]'`");
            }
        }
    }
}
