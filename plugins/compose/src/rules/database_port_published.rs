//! ## What it does
//! Flags a database or broker service (known by its image: Postgres, MySQL,
//! MariaDB, MongoDB, Redis, Elasticsearch, ClickHouse…) that publishes its
//! server port on every interface of the host: `5432:5432` with no host
//! address, or `0.0.0.0:`.
//!
//! ## Why is this bad?
//! Docker writes its own firewall rules: a published port is reachable from
//! any network the host is on, whatever `ufw` says. Databases on the
//! internet are found and tried within hours, and the one in a compose file
//! often has a default password.
//!
//! ## Example
//! ```yaml
//! services:
//!   db:
//!     image: postgres:16
//!     ports: ["5432:5432"]
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   db:
//!     image: postgres:16
//!     # other services reach it as db:5432; publish only for local tools
//!     ports: ["127.0.0.1:5432:5432"]
//! ```
use crate::prelude::*;
use opslint_knowledge::databases::image_engine;
use opslint_knowledge::stateful::engine_ports;

pub const META: Meta = Meta {
    summary: "a database port published on every interface of the host",
    severity: Severity::High,
    tags: &["security", "network"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for s in view.judged() {
            let Some(image) = s.image(view) else { continue };
            let Some(engine) = image_engine(&image) else { continue };
            let server = engine_ports(engine);
            for p in s.ports(view) {
                let Ok(target) = p.target.parse::<i64>() else { continue };
                if p.published.is_none() || !server.contains(&target) || !all_interfaces(p.host_ip.as_deref()) {
                    continue;
                }
                if repo.first(cx, p.doc, &p.span) {
                    cx.report_in(p.doc, p.span.clone(), format!("service `{}` ({engine}) publishes port {target} on every interface of the host", s.name))
                        .help("drop the port (other services reach it by service name) or bind it to loopback: `127.0.0.1:HOST:CONTAINER`");
                }
            }
        }
    }
}

pub fn all_interfaces(ip: Option<&str>) -> bool {
    matches!(ip.map(str::trim), None | Some("0.0.0.0" | "::" | "" | "*"))
}
