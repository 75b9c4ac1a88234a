//! ## What it does
//! Flags two rule groups with the same name in one file (or one
//! PrometheusRule).
//!
//! ## Why is this bad?
//! Prometheus refuses the file ("groupname must be unique"): none of its
//! rules run.
//!
//! ## Example
//! ```yaml
//! groups:
//!   - name: api
//!     rules: [...]
//!   - name: api
//!     rules: [...]
//! ```
//!
//! ## Use instead
//! ```yaml
//! groups:
//!   - name: api-availability
//!     rules: [...]
//!   - name: api-latency
//!     rules: [...]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "two rule groups of a file share a name",
    severity: Severity::High,
    tags: &["correctness"],
    aliases: &["promtool"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    let mut seen: Vec<(usize, &str, std::ops::Range<usize>, usize)> = Vec::new();
    for g in &repo.groups {
        let Some((name, span)) = &g.name else { continue };
        if crate::model::templated(name) {
            continue;
        }
        // Groups of one list (same `groups:` key) sit in the same document span region; compare per file
        // and per list, using the list's first group position.
        if let Some((_, _, first, _)) = seen.iter().find(|(d, n, _, list)| *d == g.doc && n == name && *list == g.list) {
            let line = opslint_yaml::line_col(cx.documents()[g.doc].1, first.start).0;
            cx.report_in(g.doc, span.clone(), format!("group `{name}` is defined twice (first at line {line}): Prometheus refuses the file"))
                .related(first.clone(), "first definition")
                .help("give each group a unique name, or merge their rules");
        } else {
            seen.push((g.doc, name, span.clone(), g.list));
        }
    }
}
