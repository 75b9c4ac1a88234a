//! ## What it does
//! Flags packages installed without a version by the package managers other
//! than apt (which `dockerfile/apt-unpinned-versions` covers): `apk add`,
//! `pip install`, `npm install`, `gem install`, `yum`/`dnf`/`microdnf`/`zypper
//! install` and `go install` or `go get`. A package is pinned when it names a version the
//! way its manager writes one: `curl=8.5.0-r0` or `curl~=8.5` (apk),
//! `requests==2.32.3` or any version specifier (pip), `left-pad@1.3.0` (npm),
//! `gem install rake -v 13.2.1` or `rake:13.2.1`, `nginx-1.24.0` (yum, dnf),
//! `nginx=1.24.0` (zypper), `tool@v1.2.3` but not `@latest` (go); a pip
//! `git+` URL is pinned by a ref after its path (`repo.git@v1.2`). Files,
//! paths, other URLs, variables and requirement or constraint files are not judged,
//! nor is upgrading the installer itself (`pip install --upgrade pip
//! setuptools wheel`): the application's own pins are what matter.
//!
//! Disabled by default, like the apt rule: Alpine keeps only the newest
//! build of a package in a branch, so an exact apk pin breaks the build on
//! the next security update, and distribution pins cost most teams more
//! than they save. Enable it where images must rebuild bit for bit and
//! someone maintains the pins (a lock file does this best for pip and npm).
//!
//! ## Why is this bad?
//! Without pins the same Dockerfile installs different versions on different
//! days: a rebuild for an unrelated change can pull a new major version.
//!
//! ## Example
//! ```dockerfile
//! FROM python:3.12-slim
//! RUN pip install --no-cache-dir gunicorn
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM python:3.12-slim
//! RUN pip install --no-cache-dir gunicorn==23.0.0
//! ```
use opslint_knowledge::packages::{pinned, registry_package, Manager};

use crate::parse::{Command, Word};
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "a package installed without a version pin (apk, pip, npm, gem, yum/dnf/zypper, go)",
    severity: Severity::Info,
    enabled: false,
    aliases: &["DL3018", "DL3013", "DL3016", "DL3028", "DL3033", "DL3037", "DL3041", "DL3062"],
    tags: &["reproducibility"],
    ..Meta::DEFAULT
};


pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for (_, ins) in runs(df) {
        for c in &ins.commands {
            let Some((manager, names)) = installed(c) else { continue };
            let words: Vec<&str> = c.args().iter().map(|w| w.value.as_str()).collect();
            for p in names {
                let v = p.value.as_str();
                if registry_package(v) && !pinned(manager, v, &words) {
                    cx.report(p.span.clone(), format!("package `{v}` is not pinned to a version"))
                        .help(help(manager, v));
                }
            }
        }
    }
}

/// The manager and the package words of an install command.
fn installed(c: &Command) -> Option<(Manager, Vec<&Word>)> {
    let name = c.name();
    let mut args = c.args();
    // `python3 -m pip install ...`
    if name.starts_with("python") {
        let m = args.iter().position(|w| w.value == "-m")?;
        if args.get(m + 1)?.value != "pip" {
            return None;
        }
        args = &args[m + 2..];
    }
    let (manager, subs, value_opts): (Manager, &[&str], &[&str]) = match name {
        "apk" => (Manager::Apk, &["add"], &["-t", "--virtual", "-X", "--repository", "-p", "--root", "--arch", "--cache-dir", "--keys-dir", "--repositories-file"]),
        n if n.starts_with("pip") || n.starts_with("python") => (
            Manager::Pip,
            &["install"],
            &["-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--trusted-host", "--platform", "--python-version", "--implementation", "--abi", "--src", "--cache-dir", "--progress-bar", "--timeout", "--retries", "--only-binary", "--no-binary"],
        ),
        "npm" => (Manager::Npm, &["install", "i", "add"], &["--prefix", "--registry", "--cache", "--loglevel", "-w", "--workspace"]),
        "gem" => (Manager::Gem, &["install"], &["-i", "--install-dir", "-n", "--bindir", "-s", "--source", "--platform"]),
        "yum" | "dnf" | "microdnf" => (Manager::Rpm, &["install"], &["-c", "--config", "--releasever", "--installroot", "-x", "--exclude", "--enablerepo", "--disablerepo"]),
        "zypper" => (Manager::Zypper, &["install", "in"], &["-r", "--repo", "--from", "-t", "--type"]),
        "go" => (Manager::Go, &["install", "get"], &[]),
        _ => return None,
    };
    // The subcommand first: another one (`apk del`, `npm ci`, `go build`) installs nothing.
    let words = operands(args, value_opts);
    let (sub, packages) = words.split_first()?;
    subs.contains(&sub.value.as_str()).then(|| (manager, packages.to_vec()))
}




fn help(m: Manager, v: &str) -> String {
    match m {
        Manager::Apk => format!("install `{v}=<version>` (or `{v}~=<major.minor>` to take security updates)"),
        Manager::Pip => format!("install `{v}==<version>`, or pin it in a requirements or constraints file"),
        Manager::Npm => format!("install `{v}@<version>`, or from a lock file with `npm ci`"),
        Manager::Gem => format!("install it with `-v <version>` (`gem install {v} -v <version>`)"),
        Manager::Rpm => format!("install `{v}-<version>`"),
        Manager::Zypper => format!("install `{v}=<version>`"),
        Manager::Go => format!("install `{v}@<version>` (a tag or a commit, not `latest`)"),
        Manager::Cargo => format!("install `{v}@<version>`"),
    }
}
