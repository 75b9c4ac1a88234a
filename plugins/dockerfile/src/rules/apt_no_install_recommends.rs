//! ## What it does
//! Flags `apt-get install` (and `apt install`) without
//! `--no-install-recommends` (or `-o APT::Install-Recommends=false`),
//! also `apt-get -f install` after `dpkg -i`, which installs the package's
//! dependencies.
//!
//! ## Why is this bad?
//! Debian and Ubuntu install "recommended" packages by default: often
//! hundreds of megabytes of documentation, fonts and tools the image never
//! uses, each a potential vulnerability to patch.
//!
//! ## Example
//! ```dockerfile
//! FROM debian:12-slim
//! RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM debian:12-slim
//! RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "apt-get install without --no-install-recommends",
    severity: Severity::Low,
    fix: FixAvailability::Sometimes,
    aliases: &["DL3015", "DS029"],
    tags: &["image-size"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for (_, ins) in runs(df) {
        for (c, sub) in apt_commands(ins) {
            if sub.value != "install" {
                continue;
            }
            let ok = c.args().iter().any(|a| {
                a.value == "--no-install-recommends"
                    || a.value.eq_ignore_ascii_case("APT::Install-Recommends=false")
                    || a.value.eq_ignore_ascii_case("APT::Install-Recommends=0")
                    || a.value.eq_ignore_ascii_case("APT::Install-Recommends=\"false\"")
            });
            // `apt-get -f install` (after `dpkg -i x.deb`) installs the package's dependencies.
            let fix_broken = c.args().iter().any(|a| {
                a.value == "--fix-broken"
                    || a.value.starts_with('-') && !a.value.starts_with("--") && a.value.contains('f')
            });
            if ok || packages(c, sub).is_empty() && !fix_broken {
                continue;
            }
            let edit = insert_after(cx.text, sub, " --no-install-recommends");
            let f = cx
                .report(sub.span.clone(), format!("`{} install` also installs recommended packages", c.name()))
                .help("add `--no-install-recommends` and list what you need explicitly");
            if let Some(edit) = edit {
                f.fix("add `--no-install-recommends`", Applicability::Unsafe, vec![edit]);
            }
        }
    }
}
