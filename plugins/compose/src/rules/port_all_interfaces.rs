//! ## What it does
//! Flags any published port with no host address (`8080:80`), which Docker
//! binds on every interface of the host. Off by default: a web server is
//! meant to be reachable; `database-port-published` covers the ports that
//! never should be.
//!
//! ## Why is this bad?
//! Docker's own firewall rules make the port reachable from every network
//! the host is on, whatever the host firewall says. Admin consoles,
//! metrics and debug ports end up on the internet.
//!
//! ## Example
//! ```yaml
//! services:
//!   admin:
//!     image: example/admin:1.0
//!     ports: ["8000:8000"]
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   admin:
//!     image: example/admin:1.0
//!     ports: ["127.0.0.1:8000:8000"]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a port published on every interface of the host",
    severity: Severity::Low,
    enabled: false,
    tags: &["security", "network"],
    aliases: &["no-unbound-port-interfaces", "451d79dc-0588-476a-ad03-3c7f0320abb3"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for s in view.judged() {
            for p in s.ports(view) {
                if p.published.is_none() || !super::database_port_published::all_interfaces(p.host_ip.as_deref()) {
                    continue;
                }
                if repo.first(cx, p.doc, &p.span) {
                    cx.report_in(p.doc, p.span.clone(), format!("service `{}` publishes port {} on every interface of the host", s.name, p.published.as_deref().unwrap_or("")))
                        .help("bind it to the address it should serve: `127.0.0.1:HOST:CONTAINER` for local use");
                }
            }
        }
    }
}
