//! ## What it does
//! Flags a writable bind mount of a host folder that holds the host's
//! system or its containers: `/`, `/etc`, `/root`, `/boot`, `/usr`, `/lib`,
//! `/bin`, `/sbin`, `/proc`, `/sys`, `/dev`, `/var/lib/docker`. Read-only
//! mounts (`:ro`, as monitoring agents use them) are not flagged.
//!
//! ## Why is this bad?
//! The container can rewrite the host's configuration, binaries, kernel
//! settings or other containers' files: a compromise of the service is a
//! compromise of the host.
//!
//! ## Example
//! ```yaml
//! services:
//!   agent:
//!     image: example/agent:1.4
//!     volumes: ["/etc:/host/etc"]
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   agent:
//!     image: example/agent:1.4
//!     volumes: ["/etc/hostname:/host/etc/hostname:ro"]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a writable mount of a system folder of the host",
    severity: Severity::High,
    tags: &["security"],
    // KICS query ids.
    aliases: &["1c1325ff-831d-43a1-973e-839ae57dfcc0"],
    ..Meta::DEFAULT
};

const SYSTEM: &[&str] = &["/", "/etc", "/root", "/boot", "/usr", "/lib", "/lib64", "/bin", "/sbin", "/proc", "/sys", "/dev", "/var/lib/docker"];

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for s in view.judged() {
            for m in s.mounts(view) {
                if m.kind != MountKind::Bind || m.read_only {
                    continue;
                }
                let src = m.source.trim_end_matches('/');
                let src = if src.is_empty() { "/" } else { src };
                if !SYSTEM.contains(&src) {
                    continue;
                }
                if repo.first(cx, m.doc, &m.span) {
                    cx.report_in(m.doc, m.span.clone(), format!("service `{}` mounts the host's `{src}` writable", s.name))
                        .help("mount only the file it needs, read-only (`:ro`)");
                }
            }
        }
    }
}
