//! ## What it does
//! Flags a mount of the container engine's socket (`/var/run/docker.sock`,
//! `/run/docker.sock`, Podman's and containerd's), read-only or not.
//!
//! ## Why is this bad?
//! The socket is the engine's API: whoever can talk to it starts a
//! privileged container with the host's root file system mounted. `:ro`
//! does not help, a socket is not written as a file. A compromised web UI,
//! proxy or CI agent with the socket is root on the host.
//!
//! ## Example
//! ```yaml
//! services:
//!   proxy:
//!     image: traefik:v3.1
//!     volumes:
//!       - /var/run/docker.sock:/var/run/docker.sock:ro
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   socket-proxy:
//!     image: tecnativa/docker-socket-proxy:0.2
//!     environment: {CONTAINERS: 1}
//!   proxy:
//!     image: traefik:v3.1
//!     command: --providers.docker.endpoint=tcp://socket-proxy:2375
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "the Docker (or Podman, containerd) socket mounted into a container",
    severity: Severity::High,
    tags: &["security"],
    // KICS query ids.
    aliases: &["d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for s in view.judged() {
            for m in s.mounts(view) {
                if m.kind != MountKind::Bind || !engine_socket(&m.source) {
                    continue;
                }
                if repo.first(cx, m.doc, &m.span) {
                    cx.report_in(m.doc, m.span.clone(), format!("service `{}` mounts the container engine's socket `{}`: control of it is root on the host", s.name, m.source))
                        .help("give the service a socket proxy that allows only the API calls it needs, or run it without the socket");
                }
            }
        }
    }
}

pub fn engine_socket(source: &str) -> bool {
    let s = source.trim_end_matches('/');
    ["docker.sock", "podman.sock", "containerd.sock"].iter().any(|n| s.ends_with(n))
}
