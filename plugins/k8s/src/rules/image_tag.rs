//! ## What it does
//! Flags a container image without a tag or digest, or with a tag that
//! moves: `latest` or a tag with `latest` among its words (`main-latest`,
//! `latest-gpu`), or a release channel (`nightly`, `edge`, `main`, `master`,
//! `stable`, `lts`…, also `master-cpu`) not followed by a date, commit or
//! version (`nightly-20240101` is pinned).
//! Images given by a template or variable (`{{ }}`, `${}`) are skipped, and
//! so are untagged names with capitals (`image: CONTAINER_IMAGE`): image names
//! are lowercase, so that is a placeholder to substitute. Nor are untagged
//! images the repository's own tooling builds and tags at deploy time: a
//! Skaffold `build.artifacts[].image` or a kustomization `images:` entry
//! with `newTag`, `digest` or `newName` (`image: contacts` in a base that
//! `skaffold run` fills in).
//! Points at the `image:` value.
//!
//! ## Why is this bad?
//! A mutable tag means the cluster may run different code on every node and
//! every restart; a rollback cannot return to what ran before.
//!
//! ## Example
//! ```yaml
//! image: nginx:latest
//! ```
//!
//! ## Use instead
//! ```yaml
//! image: nginx:1.27.3   # or nginx@sha256:…
//! ```
use opslint_knowledge::images::moving_tag;

use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a container image is untagged or has a moving tag (`latest`, `nightly`…)",
    severity: Severity::Medium,
    tags: &["reliability"],
    aliases: &["CKV_K8S_14", "latest-tag", "tagNotSpecified", "container-image-tag"],
    ..Meta::DEFAULT
};

/// The tag of an image reference: None when untagged, Some("") for a digest.
pub fn tag(image: &str) -> Option<&str> {
    if image.contains('@') {
        return Some("");
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':').map(|(_, t)| t)
}

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.reported_workloads_and_patches(cx) {
        for c in w.containers() {
            let Some(node) = c.node.get("image") else { continue };
            let Some(image) = node.as_str() else { continue };
            if templated(image) || image.starts_with('$') {
                continue;
            }
            // Image names are lowercase: `CONTAINER_IMAGE` or `REGISTRY/APP` without a tag is a
            // placeholder a tutorial or script substitutes, not an image that would be pulled.
            let name = image.rsplit_once('/').map_or(image, |(_, n)| n);
            if tag(image).is_none() && name.bytes().any(|b| b.is_ascii_uppercase()) {
                continue;
            }
            // Built and tagged at deploy time by the repository's Skaffold or kustomize config.
            if tag(image).is_none() && repo.built_images.contains(image) {
                continue;
            }
            let message = match tag(image) {
                None => format!("{} uses the untagged image `{image}` (`latest`)", c.display(&w)),
                Some("latest") => format!("{} uses the `latest` tag (`{image}`)", c.display(&w)),
                Some(t) => match moving_tag(t) {
                    Some(word) => format!("{} uses `{t}`, a tag that moves (`{word}`): `{image}`", c.display(&w)),
                    None => continue,
                },
            };
            cx.report_in(w.obj.doc, node.span.clone(), message).help("pin the image to a version tag or a digest");
        }
    }
}
