//! ## What it does
//! Flags `RUN` instructions that download a script and execute it without
//! saving or verifying it: `curl … | sh`, `wget -O- … | sudo bash`,
//! `sh -c "$(curl …)"`, `bash <(curl …)`.
//!
//! ## Why is this bad?
//! Whatever the server returns at build time runs as root in the image: a
//! compromised or changed script, or a truncated download that executes
//! half a command. Nothing pins or checks what was run.
//!
//! ## Example
//! ```dockerfile
//! FROM debian:12-slim
//! RUN curl -fsSL https://get.example.com/install.sh | sh
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM debian:12-slim
//! RUN curl -fsSLo /tmp/install.sh https://get.example.com/v1.4.2/install.sh \
//!  && echo "<sha256>  /tmp/install.sh" | sha256sum -c - \
//!  && sh /tmp/install.sh && rm /tmp/install.sh
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "downloaded script piped into a shell",
    severity: Severity::High,
    tags: &["security", "supply-chain"],
    ..Meta::DEFAULT
};

const FETCHERS: &[&str] = &["curl", "wget"];
const INTERPRETERS: &[&str] = &["sh", "bash", "zsh", "dash", "ash", "ksh", "python", "python3", "perl", "ruby", "node"];

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for (_, ins) in runs(df) {
        let cmds = &ins.commands;
        let mut reported = false;
        for (k, c) in cmds.iter().enumerate() {
            if !FETCHERS.contains(&c.name()) || c.sep != Sep::Pipe {
                continue;
            }
            // Follow the pipeline to its end.
            let mut j = k + 1;
            while j < cmds.len() && cmds[j].piped {
                let target = &cmds[j];
                if INTERPRETERS.contains(&target.name()) {
                    let span = c.span.start..target.span.end;
                    cx.report(span, format!("`{}` output is piped into `{}`", c.name(), target.name()))
                        .help("download to a file, verify its checksum (or pin a version), then run it");
                    reported = true;
                    break;
                }
                if target.sep != Sep::Pipe {
                    break;
                }
                j += 1;
            }
        }
        if reported {
            continue;
        }
        for c in cmds.iter().filter(|c| INTERPRETERS.contains(&c.name())) {
            if let Some(w) = c.args().iter().find(|w| {
                FETCHERS.iter().any(|f| w.value.contains(&format!("$({f} ")) || w.value.contains(&format!("`{f} ")))
            }) {
                cx.report(w.span.clone(), format!("`{}` runs a script substituted from a download", c.name()))
                    .help("download to a file, verify its checksum (or pin a version), then run it");
                reported = true;
            }
        }
        if reported || ins.exec.is_some() {
            continue;
        }
        let args = ins.args_str();
        for f in FETCHERS {
            if let Some(p) = args.find(&format!("<({f} ")) {
                let at = ins.args.start + p;
                cx.report(ins.text.span(at..at + 2 + f.len()), format!("a shell runs `{f}` output through process substitution"))
                    .help("download to a file, verify its checksum (or pin a version), then run it");
                break;
            }
        }
    }
}
