//! ## What it does
//! Flags `container_name` on a service asked to run more than one replica
//! (`deploy.replicas` or `scale` above 1).
//!
//! ## Why is this bad?
//! Container names are unique on a host: the second replica cannot be
//! created and `docker compose up` fails (or scales to one without saying so).
//!
//! ## Example
//! ```yaml
//! services:
//!   worker:
//!     image: example/worker:1.0
//!     container_name: worker
//!     deploy: {replicas: 3}
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   worker:
//!     image: example/worker:1.0
//!     deploy: {replicas: 3}
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "`container_name` on a service with more than one replica",
    severity: Severity::High,
    tags: &["correctness"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for s in view.judged() {
            let (Some(name), Some((_, n))) = (s.get("container_name"), s.replicas()) else { continue };
            if n <= 1 {
                continue;
            }
            let span = name.key_span();
            if repo.first(cx, name.doc, &span) {
                cx.report_in(name.doc, span, format!("service `{}` has a fixed `container_name` but asks for {n} replicas: only one can exist", s.name))
                    .help("remove `container_name` (Compose names replicas `PROJECT-SERVICE-N`)");
            }
        }
    }
}
