//! ## What it does
//! Flags a service that shares a namespace of the host: `network_mode: host`
//! (format 1: `net: host`), `pid: host`, `ipc: host`, `uts: host`,
//! `userns_mode: host`.
//!
//! ## Why is this bad?
//! The container sees and reaches what the host does: every port bound on
//! the host's interfaces (`network_mode: host`, and its own ports are exposed
//! with no `ports:` to review), every process (`pid: host`, which can signal
//! or trace them), the host's shared memory (`ipc`). Isolation is gone for
//! that part.
//!
//! ## Example
//! ```yaml
//! services:
//!   app:
//!     image: example/app:2.1
//!     network_mode: host
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   app:
//!     image: example/app:2.1
//!     ports: ["127.0.0.1:8080:8080"]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a container that shares the host's network, process, IPC or user namespace",
    severity: Severity::Medium,
    tags: &["security"],
    // KICS query ids.
    aliases: &["4f31dd9f-2cc3-4751-9b53-67e4af83dac0", "071a71ff-f868-47a4-ac0b-3c59e4ab5443", "baa3890f-bed7-46f5-ab8f-1da8fc91c729", "8af7162d-6c98-482f-868e-0d33fb675ca8"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for s in view.judged() {
            for key in ["network_mode", "net", "pid", "ipc", "uts", "userns_mode"] {
                let Some(at) = s.get(key) else { continue };
                if at.value().as_str() != Some("host") {
                    continue;
                }
                let span = at.entry.span();
                if repo.first(cx, at.doc, &span) {
                    cx.report_in(at.doc, span, format!("service `{}` shares the host's {} namespace (`{key}: host`)", s.name, what(key)))
                        .help("remove it; publish the ports it serves (`ports:`) or share only with another service (`service:NAME`)");
                }
            }
        }
    }
}

fn what(key: &str) -> &'static str {
    match key {
        "network_mode" | "net" => "network",
        "pid" => "process",
        "ipc" => "IPC",
        "uts" => "hostname (UTS)",
        _ => "user",
    }
}
