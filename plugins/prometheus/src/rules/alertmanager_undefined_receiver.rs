//! ## What it does
//! Flags an Alertmanager route whose `receiver` is not defined in
//! `receivers`.
//!
//! ## Why is this bad?
//! Alertmanager refuses the configuration ("undefined receiver"): it keeps
//! running the previous one, or does not start, and no new routing applies.
//!
//! ## Example
//! ```yaml
//! route:
//!   receiver: oncall
//! receivers:
//!   - name: on-call
//!     pagerduty_configs: [...]
//! ```
//!
//! ## Use instead
//! ```yaml
//! route:
//!   receiver: on-call
//! receivers:
//!   - name: on-call
//!     pagerduty_configs: [...]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "an Alertmanager route sends to an undefined receiver",
    severity: Severity::High,
    tags: &["alerting", "correctness"],
    aliases: &["amtool"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for am in &repo.alertmanagers {
        let names: Vec<&str> = am.node.get("receivers").map(Node::items).unwrap_or(&[]).iter().filter_map(|r| r.str("name")).collect();
        if names.iter().any(|n| crate::model::templated(n)) {
            continue;
        }
        if let Some(route) = am.node.get("route") {
            walk(cx, am.doc, route, &names, 0);
        }
    }
}

fn walk(cx: &mut Ctx, doc: usize, route: &Node, names: &[&str], depth: usize) {
    if depth > 20 {
        return;
    }
    if let Some(r) = route.get("receiver") {
        if let Some(name) = r.as_str().filter(|n| !n.is_empty() && !crate::model::templated(n)) {
            if !names.contains(&name) {
                cx.report_in(doc, r.span.clone(), format!("route sends to receiver `{name}`, which `receivers` does not define"))
                    .help("name a receiver defined under `receivers:` (`amtool check-config` checks it)");
            }
        }
    }
    for child in route.get("routes").map(Node::items).unwrap_or(&[]) {
        walk(cx, doc, child, names, depth + 1);
    }
}
