//! ## What it does
//! Flags a service with `privileged: true`.
//!
//! ## Why is this bad?
//! A privileged container has every capability and every device of the
//! host, with no seccomp or AppArmor profile: whoever gets code running in
//! it owns the host.
//!
//! ## Example
//! ```yaml
//! services:
//!   agent:
//!     image: example/agent:1.4
//!     privileged: true
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   agent:
//!     image: example/agent:1.4
//!     cap_add: [NET_BIND_SERVICE]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a privileged container",
    severity: Severity::High,
    tags: &["security"],
    // KICS query ids.
    aliases: &["ae5b6871-7f45-42e0-bb4c-ab300c4d2026"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for s in view.judged() {
            let Some(at) = s.flag("privileged") else { continue };
            let span = at.key_span();
            if repo.first(cx, at.doc, &span) {
                cx.report_in(at.doc, span, format!("service `{}` runs privileged: it has every capability and device of the host", s.name))
                    .help("remove `privileged: true`; add only the capabilities (`cap_add`) or devices (`devices`) it needs");
            }
        }
    }
}
