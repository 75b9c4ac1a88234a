//! ## What it does
//! Flags `cap_add` of a capability that amounts to control of the host or of
//! other containers: `ALL`, `SYS_ADMIN`, `SYS_MODULE`, `SYS_PTRACE`,
//! `SYS_RAWIO`, `SYS_BOOT`, `DAC_READ_SEARCH`, `BPF`, `PERFMON`,
//! `MAC_ADMIN`, `MAC_OVERRIDE`. `NET_ADMIN` (firewalls, VPNs) is not flagged.
//!
//! ## Why is this bad?
//! `SYS_ADMIN` alone mounts file systems and escapes most confinement;
//! `SYS_MODULE` loads kernel code; `SYS_PTRACE` reads other processes'
//! memory; `DAC_READ_SEARCH` opens any file of the host by handle.
//!
//! ## Example
//! ```yaml
//! services:
//!   app:
//!     image: example/app:2.1
//!     cap_add: [SYS_ADMIN]
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   app:
//!     image: example/app:2.1
//!     cap_drop: [ALL]
//!     cap_add: [NET_BIND_SERVICE]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a capability added that gives control of the host",
    severity: Severity::High,
    tags: &["security"],
    ..Meta::DEFAULT
};

const DANGEROUS: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SYS_BOOT",
    "DAC_READ_SEARCH",
    "BPF",
    "PERFMON",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
];

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for s in view.judged() {
            for at in s.all("cap_add") {
                for item in at.value().items() {
                    let Some(cap) = item.as_str() else { continue };
                    let name = cap.trim().to_ascii_uppercase();
                    let name = name.strip_prefix("CAP_").unwrap_or(&name);
                    if !DANGEROUS.contains(&name) {
                        continue;
                    }
                    let span = item.span.clone();
                    if repo.first(cx, at.doc, &span) {
                        cx.report_in(at.doc, span, format!("service `{}` adds `{cap}`, which gives control of the host", s.name))
                            .help("add only the narrow capability the program needs, or run the task outside the container");
                    }
                }
            }
        }
    }
}
