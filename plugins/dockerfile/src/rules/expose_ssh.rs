//! ## What it does
//! Flags `EXPOSE 22` (also `22/tcp` and port ranges that include 22), unless
//! serving SSH is the image's purpose: its main process is `sshd` (or
//! dropbear), or it is a git forge or SSH/SFTP server by its base image or
//! folder (GitLab, Gitea, Forgejo, Gogs, Gerrit, sftp, sshd, bastion…).
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
use crate::util;

pub const META: Meta = Meta {
    summary: "SSH port 22 exposed",
    severity: Severity::Medium,
    aliases: &["CKV_DOCKER_1", "DS004"],
    tags: &["security"],
    ..Meta::DEFAULT
};

/// Names of images and folders whose service is SSH itself (git over SSH, SFTP, a bastion).
const SSH_SERVICES: &[&str] =
    &["gitlab", "gitea", "forgejo", "gogs", "gerrit", "soft-serve", "sftp", "sshd", "openssh", "dropbear", "bastion", "jumphost", "git-server", "gitserver"];

fn ssh_is_the_service(cx: &Ctx, df: &Dockerfile) -> bool {
    let named = |s: &str| {
        let s = s.to_ascii_lowercase();
        SSH_SERVICES.iter().any(|n| s.contains(n))
    };
    let dirs = cx.path.rsplit_once('/').map_or("", |(d, _)| d);
    let Some(last) = df.final_stage() else { return false };
    let base = df.lineage(last).iter().any(|s| named(&s.image.text));
    // The main process: the last CMD or ENTRYPOINT of the final image.
    let main = df.lineage(last).iter().find_map(|s| {
        util::in_stage(df, s, "ENTRYPOINT").last().or_else(|| util::in_stage(df, s, "CMD").last())
    });
    let runs_sshd = main.and_then(|i| i.exec.as_ref().and_then(|e| e.first()).or(i.words.first())).is_some_and(|w| {
        let exe = w.value.rsplit('/').next().unwrap_or("");
        exe == "sshd" || exe == "dropbear"
    });
    named(dirs) || base || runs_sshd
}

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    if ssh_is_the_service(cx, df) {
        return;
    }
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
