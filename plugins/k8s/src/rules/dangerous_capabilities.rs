//! ## What it does
//! Flags a container that adds a dangerous capability: `ALL`, `SYS_ADMIN`,
//! `NET_ADMIN`, `SYS_PTRACE`, `SYS_MODULE`, `SYS_RAWIO`, `SYS_BOOT`,
//! `SYS_TIME`, `DAC_READ_SEARCH`, `BPF`, `PERFMON`, `MAC_ADMIN`, `NET_RAW`
//! (with or without the `CAP_` prefix). Points at the capability.
//!
//! ## Why is this bad?
//! Each of these is close to root on the node: `SYS_ADMIN` alone allows
//! mounting filesystems and most known container escapes.
//!
//! ## Example
//! ```yaml
//! securityContext:
//!   capabilities:
//!     add: [SYS_ADMIN]
//! ```
//!
//! ## Use instead
//! ```yaml
//! securityContext:
//!   capabilities:
//!     drop: [ALL]
//!     add: [NET_BIND_SERVICE]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a container adds a dangerous capability",
    severity: Severity::High,
    tags: &["security"],
    aliases: &["CKV_K8S_39", "dangerousCapabilities"],
    ..Meta::DEFAULT
};

const DANGEROUS: &[&str] = &[
    "ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO", "SYS_BOOT", "SYS_TIME", "DAC_READ_SEARCH",
    "BPF", "PERFMON", "MAC_ADMIN", "NET_RAW",
];

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads_and_patches() {
        for c in w.containers() {
            let add = c.security("capabilities").and_then(|n| n.get("add"));
            for cap in add.map(Node::items).unwrap_or(&[]) {
                let Some(name) = cap.as_str() else { continue };
                let bare = name.to_ascii_uppercase();
                let bare = bare.strip_prefix("CAP_").unwrap_or(&bare);
                if DANGEROUS.contains(&bare) {
                    cx.report_in(w.obj.doc, cap.span.clone(), format!("{} adds the capability `{name}`", c.display(&w)))
                        .help("drop this capability; if the workload really needs it, isolate it on dedicated nodes");
                }
            }
        }
    }
}
