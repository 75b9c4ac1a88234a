//! ## What it does
//! Flags container images of CI jobs that have no tag or use `latest`:
//! GitHub job `container:` and `services:`, GitLab `image:` and `services:`
//! (top level, `default:` and jobs). A variable registry or path is no
//! excuse (`$CI_REGISTRY_IMAGE/ci` has no tag); an image whose name or tag
//! is a variable (`$IMAGE`, `app:$VERSION`) is decided at run time and not judged.
//!
//! ## Why is this bad?
//! The job runs whatever the registry serves that day: a new major version
//! breaks the build without a change in the repository, and a compromised
//! or typo-squatted image runs with the job's secrets.
//!
//! ## Example
//! ```yaml
//! test:
//!   image: python
//! ```
//!
//! ## Use instead
//! ```yaml
//! test:
//!   image: python:3.12-slim@sha256:<digest>
//! ```
use crate::model::floating_image;
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a CI container image is untagged or latest",
    severity: Severity::Medium,
    tags: &["supply-chain", "reproducibility"],
    aliases: &["unpinned-images", "Pinned-Dependencies"],
    ..Meta::DEFAULT
};

fn image_node(n: &Node) -> Option<&Node> {
    if n.as_str().is_some() {
        Some(n)
    } else {
        n.get("image").or_else(|| n.get("name")).filter(|i| i.as_str().is_some())
    }
}

/// A GitLab `!reference [.job, key]` names another job's keys, not an image.
fn referenced(text: &str, node: &Node) -> bool {
    let before = text.get(..node.span.start).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or(before);
    line.contains("!reference")
}

fn report(cx: &mut Ctx, doc: usize, node: &Node, whose: &str) {
    let Some(image) = node.as_str() else { return };
    if cx.documents().get(doc).is_some_and(|d| referenced(d.1, node)) {
        return;
    }
    if let Some(why) = floating_image(image) {
        cx.report_in(doc, node.span.clone(), format!("image `{image}` of {whose} {why}"))
            .help("pin a version tag, ideally with its digest: `image:1.2.3@sha256:…`");
    }
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for wf in &repo.workflows {
        for job in wf.jobs() {
            if let Some(i) = job.node.get("container").and_then(image_node) {
                report(cx, wf.doc, i, &format!("job `{}`", job.id));
            }
            for e in job.node.get("services").map_or(&[][..], Node::entries) {
                if let Some(i) = image_node(&e.value) {
                    report(cx, wf.doc, i, &format!("service `{}` of job `{}`", e.key_str().unwrap_or("?"), job.id));
                }
            }
        }
    }
    for p in &repo.pipelines {
        let mut found: Vec<(usize, &Node, String)> = Vec::new();
        for (d, e) in p.top("image") {
            found.extend(image_node(&e.value).map(|i| (d, i, "the pipeline".to_string())));
        }
        for (d, e) in p.top("default") {
            found.extend(e.value.get("image").and_then(image_node).map(|i| (d, i, "the pipeline default".to_string())));
            for s in e.value.get("services").map_or(&[][..], Node::items) {
                found.extend(image_node(s).map(|i| (d, i, "a default service".to_string())));
            }
        }
        for (d, e) in p.top("services") {
            for s in e.value.items() {
                found.extend(image_node(s).map(|i| (d, i, "a pipeline service".to_string())));
            }
        }
        for j in &p.jobs {
            found.extend(j.node.get("image").and_then(image_node).map(|i| (j.doc, i, format!("job `{}`", j.name))));
            for s in j.node.get("services").map_or(&[][..], Node::items) {
                found.extend(image_node(s).map(|i| (j.doc, i, format!("a service of job `{}`", j.name))));
            }
        }
        for (d, n, whose) in found {
            report(cx, d, n, &whose);
        }
    }
}
