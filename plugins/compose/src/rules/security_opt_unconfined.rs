//! ## What it does
//! Flags `security_opt` that switches off a confinement: `seccomp:unconfined`,
//! `apparmor:unconfined`, `label:disable` (either `:` or `=` form).
//!
//! ## Why is this bad?
//! Seccomp blocks the system calls containers escape through; AppArmor and
//! SELinux labels keep the process off the host's files. Turning them off
//! leaves capabilities as the only barrier.
//!
//! ## Example
//! ```yaml
//! services:
//!   app:
//!     image: example/app:2.1
//!     security_opt: ["seccomp:unconfined"]
//! ```
//!
//! ## Use instead
//! ```yaml
//! services:
//!   app:
//!     image: example/app:2.1
//!     security_opt: ["no-new-privileges:true"]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "seccomp, AppArmor or SELinux confinement switched off",
    severity: Severity::High,
    tags: &["security"],
    // KICS query ids.
    aliases: &["404fde2c-bc4b-4371-9747-7054132ac953"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, repo: &Repo) {
    for view in &repo.views {
        for s in view.judged() {
            for at in s.all("security_opt") {
                for i in at.value().items() {
                    let Some(opt) = i.as_str() else { continue };
                    let norm = opt.replace('=', ":").to_ascii_lowercase();
                    if !matches!(norm.trim(), "seccomp:unconfined" | "apparmor:unconfined" | "label:disable") {
                        continue;
                    }
                    if repo.first(cx, at.doc, &i.span) {
                        cx.report_in(at.doc, i.span.clone(), format!("service `{}` runs with `{opt}`: a confinement of the host is off", s.name))
                            .help("remove it; if one system call is missing, give a seccomp profile that allows just that one");
                    }
                }
            }
        }
    }
}
