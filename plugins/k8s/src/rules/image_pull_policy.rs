//! ## What it does
//! Flags a container whose image tag is mutable (`latest` or none) while its
//! `imagePullPolicy` is `IfNotPresent` or `Never`. Points at the policy.
//!
//! ## Why is this bad?
//! Each node keeps whichever `latest` it pulled first: pods of one
//! Deployment run different code depending on the node they land on.
//! Off by default: the mutable tag is the cause, and `k8s/image-tag` (on by
//! default) already flags it; turn this on to see the pull policy too.
//!
//! ## Example
//! ```yaml
//! image: registry.example.com/api:latest
//! imagePullPolicy: IfNotPresent
//! ```
//!
//! ## Use instead
//! ```yaml
//! image: registry.example.com/api:2.4.1
//! imagePullPolicy: IfNotPresent
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a mutable image tag is not pulled again (imagePullPolicy)",
    severity: Severity::Low,
    tags: &["reliability"],
    aliases: &["CKV_K8S_15"],
    enabled: false,
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads() {
        for c in w.containers() {
            let (Some(image), Some(policy)) = (c.image(), c.node.get("imagePullPolicy")) else { continue };
            let mutable = !templated(image) && matches!(super::image_tag::tag(image), None | Some("latest"));
            let p = policy.as_str().unwrap_or("");
            if mutable && (p == "IfNotPresent" || p == "Never") {
                cx.report_in(w.obj.doc, policy.span.clone(), format!("{} pulls `{image}` with `imagePullPolicy: {p}`: nodes keep stale copies", c.display(&w)))
                    .help("pin the image to a version or digest (or use `imagePullPolicy: Always`)");
            }
        }
    }
}
