//! ## What it does
//! Flags services that depend on each other in a cycle (`depends_on` and
//! `links`: `a` → `b` → `a`).
//!
//! ## Why is this bad?
//! Compose cannot order the start: `docker compose up` fails with
//! "dependency cycle detected".
//!
//! ## Example
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!     depends_on: [worker]
//!   worker:
//!     image: example/worker:1.0
//!     depends_on: [api]
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   api:
//!     image: example/api:3.2
//!   worker:
//!     image: example/worker:1.0
//!     depends_on: [api]
//! ```
use std::collections::BTreeMap;

use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "services that depend on each other in a cycle",
    severity: Severity::High,
    tags: &["correctness", "startup"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        let graph: BTreeMap<&str, Vec<String>> =
            view.services.iter().map(|s| (s.name.as_str(), s.deps().into_iter().map(|d| d.name).collect())).collect();
        for s in view.judged() {
            let Some(path) = cycle_from(&graph, &s.name) else { continue };
            // Report once per cycle: at its smallest member.
            if path.iter().min().map(String::as_str) != Some(s.name.as_str()) {
                continue;
            }
            let Some(dep) = s.deps().into_iter().find(|d| d.name == path[1]) else { continue };
            if repo.first(cx, dep.doc, &dep.span) {
                cx.report_in(dep.doc, dep.span.clone(), format!("dependency cycle: {}", path.join(" → ")))
                    .help("break the cycle: one of these services must start without the other");
            }
        }
    }
}

/// A path from `start` back to itself, if there is one.
fn cycle_from(graph: &BTreeMap<&str, Vec<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack: Vec<(String, Vec<String>)> = vec![(start.to_string(), vec![start.to_string()])];
    let mut seen = std::collections::BTreeSet::new();
    while let Some((node, path)) = stack.pop() {
        for next in graph.get(node.as_str()).into_iter().flatten() {
            if next == start {
                let mut p = path.clone();
                p.push(start.to_string());
                return Some(p);
            }
            if seen.insert(next.clone()) {
                let mut p = path.clone();
                p.push(next.clone());
                stack.push((next.clone(), p));
            }
        }
    }
    None
}
