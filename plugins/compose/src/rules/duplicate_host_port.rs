//! ## What it does
//! Flags a host port published twice in one project (by two services, or
//! twice by one), on the same address and protocol.
//!
//! ## Why is this bad?
//! Only one container can bind the port: the second fails to start with
//! "port is already allocated", and `docker compose up` stops half-way.
//!
//! ## Example
//! ```yaml
//! services:
//!   web:
//!     image: nginx:1.27
//!     ports: ["8080:80"]
//!   admin:
//!     image: example/admin:1.0
//!     ports: ["8080:8000"]
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   web:
//!     image: nginx:1.27
//!     ports: ["8080:80"]
//!   admin:
//!     image: example/admin:1.0
//!     ports: ["8081:8000"]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a host port published twice in one project",
    severity: Severity::High,
    tags: &["correctness"],
    aliases: &["no-duplicate-exported-ports"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        // (address, protocol, port) → the first service and place that publishes it.
        let mut seen: Vec<(String, String, u32, String, usize, std::ops::Range<usize>)> = Vec::new();
        for s in &view.services {
            // Services of other profiles may never run together.
            if !s.profiles().is_empty() {
                continue;
            }
            for p in s.ports(view) {
                let Some(range) = p.published.as_deref().and_then(port_range) else { continue };
                let ip = p.host_ip.clone().unwrap_or_default();
                let ip = if ip == "0.0.0.0" { String::new() } else { ip };
                for port in range.0..=range.1 {
                    let clash = seen.iter().find(|(a, pr, n, ..)| *n == port && *pr == p.protocol && (a == &ip || a.is_empty() || ip.is_empty()));
                    // The same mapping twice in one service is merged into one by Compose.
                    if clash.is_some_and(|c| c.3 == s.name) {
                        break;
                    }
                    if let Some((_, _, _, other, odoc, ospan)) = clash {
                        if s.judged && repo.first(cx, p.doc, &p.span) {
                            let (other, odoc, ospan) = (other.clone(), *odoc, ospan.clone());
                            let f = cx.report_in(p.doc, p.span.clone(), format!("service `{}` publishes host port {port}, which `{other}` already publishes", s.name));
                            f.help("give one of them another host port");
                            if odoc == p.doc {
                                f.related(ospan, format!("`{other}` publishes it here"));
                            }
                        }
                        break;
                    }
                    seen.push((ip.clone(), p.protocol.clone(), port, s.name.clone(), p.doc, p.span.clone()));
                }
            }
        }
    }
}

fn port_range(p: &str) -> Option<(u32, u32)> {
    let (a, b) = p.split_once('-').unwrap_or((p, p));
    let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a <= b && b - a < 1000).then_some((a, b))
}
