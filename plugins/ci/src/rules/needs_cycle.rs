//! ## What it does
//! Flags jobs whose `needs:` form a cycle (GitHub Actions and GitLab CI).
//!
//! ## Why is this bad?
//! No job of the cycle can ever start; GitHub and GitLab reject the pipeline.
//!
//! ## Example
//! ```yaml
//! jobs:
//!   build: { needs: test, … }
//!   test: { needs: build, … }
//! ```
//!
//! ## Use instead
//! ```yaml
//! jobs:
//!   build: { … }
//!   test: { needs: build, … }
//! ```
use std::collections::BTreeMap;

use crate::prelude::*;
use crate::rules::unknown_needs::gitlab_needs;

/// Job → the jobs it needs, each with the document and span of the `needs:` item.
type Graph = BTreeMap<String, Vec<(String, usize, std::ops::Range<usize>)>>;

pub const META: Meta = Meta {
    summary: "jobs need each other in a cycle",
    severity: Severity::High,
    tags: &["correctness"],
    aliases: &["job-needs"],
    ..Meta::DEFAULT
};

/// Finds one cycle per strongly connected set, as (edges: job → [(needed, doc, span)]).
fn cycles(graph: &Graph) -> Vec<(Vec<String>, usize, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    // 0 = new, 1 = on the stack, 2 = done
    let mut state: BTreeMap<&str, u8> = BTreeMap::new();
    for start in graph.keys() {
        if state.get(start.as_str()).copied().unwrap_or(0) != 0 {
            continue;
        }
        let mut stack: Vec<(&str, usize)> = vec![(start.as_str(), 0)];
        state.insert(start, 1);
        while let Some((node, i)) = stack.pop() {
            let edges = graph.get(node).map(Vec::as_slice).unwrap_or(&[]);
            if let Some((next, doc, span)) = edges.get(i) {
                stack.push((node, i + 1));
                match state.get(next.as_str()).copied().unwrap_or(0) {
                    0 if graph.contains_key(next) => {
                        state.insert(next, 1);
                        stack.push((next, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|(n, _)| *n == next.as_str()).unwrap_or(0);
                        let mut path: Vec<String> = stack[from..].iter().map(|(n, _)| n.to_string()).collect();
                        path.push(next.clone());
                        out.push((path, *doc, span.clone()));
                    }
                    _ => {}
                }
            } else {
                state.insert(node, 2);
            }
        }
    }
    out
}

fn report(cx: &mut Ctx, graph: Graph) {
    for (path, doc, span) in cycles(&graph) {
        cx.report_in(doc, span, format!("`needs:` forms a cycle: {}", path.join(" → ")))
            .help("remove one of the `needs:` so the jobs can be ordered");
    }
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        let mut graph = BTreeMap::new();
        for job in wf.jobs() {
            let edges = job.needs().iter().filter_map(|n| Some((n.as_str()?.to_string(), wf.doc, n.span.clone()))).collect();
            graph.insert(job.id.to_string(), edges);
        }
        report(cx, graph);
    }
    for p in &repo.pipelines {
        let mut graph = BTreeMap::new();
        for job in p.visible_jobs() {
            let edges = gitlab_needs(job).into_iter().map(|(n, node)| (n.to_string(), job.doc, node.span.clone())).collect();
            graph.insert(job.name.clone(), edges);
        }
        report(cx, graph);
    }
}
