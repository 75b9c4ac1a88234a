//! ## What it does
//! Flags `EXPOSE 22` (also `22/tcp` and port ranges that include 22).
//!
//! ## Why is this bad?
//! An SSH server in a container is a second, usually unmanaged, way in with
//! its own keys and passwords. Use `docker exec` / `kubectl exec` to get a
//! shell instead.
//!
//! ## Example
//! ```dockerfile
//! FROM ubuntu:24.04
//! EXPOSE 22 8080
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM ubuntu:24.04
//! EXPOSE 8080
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "SSH port 22 exposed",
    severity: Severity::Medium,
    aliases: &["CKV_DOCKER_1", "DS004"],
    tags: &["security"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for ins in df.instructions.iter().filter(|i| i.is("EXPOSE")) {
        for w in &ins.words {
            let port = w.value.split('/').next().unwrap_or("");
            let (a, b) = port.split_once('-').unwrap_or((port, port));
            if let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) {
                if a <= 22 && 22 <= b {
                    cx.report(w.span.clone(), format!("`EXPOSE {}` opens the SSH port", w.value))
                        .help("remove the SSH server and port; use `docker exec` or `kubectl exec` for a shell");
                }
            }
        }
    }
}
