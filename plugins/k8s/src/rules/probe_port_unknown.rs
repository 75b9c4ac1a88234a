//! ## What it does
//! Flags an `httpGet` or `tcpSocket` probe (readiness, liveness, startup)
//! whose port is a name that no `ports[].name` of the container declares.
//! Numeric ports are not checked: a container may listen on ports it does
//! not declare (health ports often are). Points at the probe's `port:` value.
//!
//! ## Why is this bad?
//! A named port that does not exist makes the probe fail for ever: the pod
//! never becomes ready, or is restarted in a loop (usually a port renamed in
//! one place only).
//!
//! ## Example
//! ```yaml
//! ports: [{name: http, containerPort: 8080}]
//! readinessProbe:
//!   httpGet: {path: /ready, port: web}
//! ```
//!
//! ## Use instead
//! ```yaml
//! ports: [{name: http, containerPort: 8080}]
//! readinessProbe:
//!   httpGet: {path: /ready, port: http}
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a probe targets a named port the container does not declare",
    severity: Severity::Medium,
    tags: &["reliability"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for w in repo.workloads() {
        for c in w.containers() {
            let ports = c.ports();
            for probe in ["readinessProbe", "livenessProbe", "startupProbe"] {
                for handler in ["httpGet", "tcpSocket", "grpc"] {
                    let Some(port) = c.node.get(probe).and_then(|p| p.get(handler)).and_then(|h| h.get("port")) else {
                        continue;
                    };
                    let Some(text) = port.as_str() else { continue };
                    if templated(text) {
                        continue;
                    }
                    let problem = match port.as_i64() {
                        Some(_) => continue,
                        None if !ports.iter().any(|(_, name)| *name == Some(text)) => {
                            format!("{} probes the named port `{text}` ({probe}), which it does not declare", c.display(&w))
                        }
                        None => continue,
                    };
                    cx.report_in(w.obj.doc, port.span.clone(), problem)
                        .help("probe one of the container's `ports` (by its name or containerPort)");
                }
            }
        }
    }
}
