//! ## What it does
//! Flags a final stage whose last `USER` is `root` (or `0`), or that never
//! sets a `USER` at all (also not in the stages it is built `FROM`).
//! Base images tagged `nonroot`/`rootless` and users given by a variable are
//! not flagged. Nor is a missing `USER` in a configuration-only layer over
//! an application image: a single stage that only adds files and settings
//! (`COPY`, `ENV`, `LABEL`, `HEALTHCHECK`…: no `RUN`, no `COPY --from`, no
//! `CMD` or `ENTRYPOINT`) runs its base image's own start command as the
//! user that image chose (database images start as root and step down to
//! their own user; a document server's supervisor needs root), which this
//! file cannot see or change without replacing that command. The base must
//! be an application image: over an operating system or a language runtime
//! (`alpine`, `debian`, `ubuntu`, `python`, `node`…) the inherited command is
//! a shell or an interpreter started as root, which is flagged. A layer that
//! installs software, assembles a build's output (`COPY --from`) or sets its
//! own command is judged as usual, and an explicit `USER root` always is.
//! Nor is a start command that steps down to its own user after the steps
//! that need root (binding port 53, reading keys): `gosu`, `su-exec`,
//! `setpriv`, `runuser`, `chpst -u` or a daemon's own `--user=` option in
//! the final `CMD`/`ENTRYPOINT` (`dnsmasq --user=dnsmasq`). Nor is an image
//! that installs a file or login server (NFS, Samba, an SSH or FTP server):
//! it acts as each connecting user, which needs root.
//!
//! ## Why is this bad?
//! A process running as root inside the container is one kernel or runtime
//! bug away from root on the host, and can rewrite everything in the image.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20-slim
//! COPY . /app
//! CMD ["node", "/app/server.js"]
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM node:20-slim
//! COPY --chown=node:node . /app
//! USER node
//! CMD ["node", "/app/server.js"]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "the container runs as root",
    severity: Severity::Medium,
    aliases: &["DL3002", "CKV_DOCKER_3", "CKV_DOCKER_8", "DS002"],
    tags: &["security"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    let Some(last) = df.final_stage() else { return };
    if dev_workspace(df) {
        return;
    }
    let lineage = df.lineage(last);
    let user = lineage.iter().find_map(|s| in_stage(df, s, "USER").last());
    match user {
        Some(ins) => {
            let name = ins.words.first().map_or("", |w| w.value.as_str());
            let who = name.split(':').next().unwrap_or("");
            if who == "root" || who == "0" {
                cx.report(ins.args_span(), format!("the final stage runs as `{name}`"))
                    .help("switch to an unprivileged user after the steps that need root, e.g. `USER 10001`");
            }
        }
        None => {
            let base = lineage.last().map_or(last, |s| *s);
            let tag = base.image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
            if base.image.is_scratch() && last.index != base.index
                || tag.contains("nonroot")
                || tag.contains("rootless")
                || !base.image.known
                || configuration_only(df, &lineage)
                || steps_down(df, &lineage)
                || serves_as_its_clients(df, &lineage)
            {
                return;
            }
            cx.report(last.image_span.clone(), "the final stage never sets `USER`, so the container runs as root")
                .help("create an unprivileged user and add `USER <name>` before `CMD`/`ENTRYPOINT`");
        }
    }
}

/// A single stage over an external application image that only adds files and settings.
fn configuration_only(df: &Dockerfile, lineage: &[&Stage]) -> bool {
    let [stage] = lineage else { return false };
    if runs_shell_as_root(&stage.image.name) {
        return false;
    }
    let runs = ["RUN", "CMD", "ENTRYPOINT"].iter().any(|k| in_stage(df, stage, k).next().is_some());
    let assembles = in_stage(df, stage, "COPY").chain(in_stage(df, stage, "ADD")).any(|i| i.flag("from").is_some());
    !runs && !assembles
}

/// Operating system and language runtime images: their own command is a
/// shell or an interpreter, run as root (`library/python`, a mirror's
/// `docker/library/python` and `arm64v8/python` are `python`).
fn runs_shell_as_root(name: &str) -> bool {
    const BASES: &[&str] = &[
        "alpine", "debian", "ubuntu", "busybox", "centos", "fedora", "rockylinux", "almalinux", "amazonlinux",
        "oraclelinux", "archlinux", "opensuse/leap", "opensuse/tumbleweed", "ubi", "ubi-minimal", "ubi8", "ubi9",
        "ubi8/ubi", "ubi9/ubi", "ubi8/ubi-minimal", "ubi9/ubi-minimal", "python", "node", "golang", "ruby", "php",
        "perl", "rust", "openjdk", "eclipse-temurin", "amazoncorretto", "ibmjava", "gcc", "buildpack-deps",
        "maven", "gradle", "elixir", "erlang", "haskell", "julia", "r-base", "swift", "dart", "bash",
    ];
    let name = name.to_ascii_lowercase();
    let short = name.strip_prefix("docker/").unwrap_or(&name);
    let short = short.strip_prefix("library/").unwrap_or(short);
    // The official images' per-architecture namespaces (`arm64v8/debian`).
    const ARCHES: &[&str] = &["amd64/", "arm32v5/", "arm32v6/", "arm32v7/", "arm64v8/", "i386/", "ppc64le/", "s390x/", "riscv64/"];
    let short = ARCHES.iter().find_map(|a| short.strip_prefix(a)).unwrap_or(short);
    BASES.contains(&short)
}

/// A file or login server installed in the image (NFS, Samba, SSH, FTP): it
/// acts as each connecting user, which needs root; a `USER` would break it.
fn serves_as_its_clients(df: &Dockerfile, lineage: &[&Stage]) -> bool {
    const MANAGERS: &[&str] = &["apt-get", "apt", "apk", "yum", "dnf", "microdnf", "zypper"];
    const SERVERS: &[&str] = &[
        "nfs-ganesha", "nfs-kernel-server", "nfs-utils", "samba", "openssh-server", "vsftpd", "proftpd", "pure-ftpd",
    ];
    lineage.iter().any(|s| {
        in_stage(df, s, "RUN").any(|ins| {
            commands_named(ins, MANAGERS).any(|c| c.args().iter().any(|w| SERVERS.contains(&w.value.as_str())))
        })
    })
}

/// Whether the final start command drops root itself.
fn steps_down(df: &Dockerfile, lineage: &[&Stage]) -> bool {
    const TOOLS: &[&str] = &["gosu", "su-exec", "setpriv", "runuser", "chpst", "setuidgid", "s6-setuidgid"];
    ["CMD", "ENTRYPOINT"].iter().any(|k| {
        lineage.iter().find_map(|s| in_stage(df, s, k).last()).is_some_and(|ins| {
            let text = ins.args_str();
            let words: Vec<&str> = text.split(|c: char| c.is_whitespace() || matches!(c, '"' | ',' | '[' | ']')).filter(|w| !w.is_empty()).collect();
            words.iter().any(|w| TOOLS.contains(&w.rsplit('/').next().unwrap_or(w)) || w.starts_with("--user="))
                || words.windows(2).any(|p| p[0] == "--user" && !matches!(p[1], "root" | "0"))
        })
    })
}
