//! ## What it does
//! Flags a container that does not drop all Linux capabilities
//! (`securityContext.capabilities.drop` without `ALL`). Points at the `drop`
//! list if there is one, else at the container's name.
//!
//! ## Why is this bad?
//! Container runtimes grant a default set of capabilities (`NET_RAW`,
//! `CHOWN`, `SETUID`, …) that most processes never need and that turn bugs
//! into exploits (ARP spoofing with `NET_RAW`, for one).
//!
//! ## Example
//! ```yaml
//! securityContext:
//!   capabilities:
//!     drop: [NET_RAW]
//! ```
//!
//! ## Use instead
//! ```yaml
//! securityContext:
//!   capabilities:
//!     drop: [ALL]
//!     add: [NET_BIND_SERVICE]   # only if needed
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a container does not drop all capabilities",
    severity: Severity::Low,
    // Checkov's NET_RAW check passes on `drop: [NET_RAW]`; dropping ALL covers it.
    aliases: &["CKV_K8S_37", "CKV_K8S_28", "drop-net-raw-capability"],
    tags: &["security"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads() {
        for c in w.containers() {
            let drop = c.security("capabilities").and_then(|n| n.get("drop"));
            if drop.is_some_and(|d| d.items().iter().any(|i| i.as_str().is_some_and(|s| s.eq_ignore_ascii_case("ALL")))) {
                continue;
            }
            let span = drop.map_or_else(|| c.anchor(), |d| d.span.clone());
            cx.report_in(w.obj.doc, span, format!("{} does not drop all capabilities", c.display(&w)))
                .help("add `securityContext.capabilities.drop: [ALL]` and add back only what the process needs");
        }
    }
}
