//! ## What it does
//! Flags a shell-form `RUN` with a pipe (`a | b`) when neither the `SHELL` in
//! effect nor the command itself enables `pipefail` (`set -o pipefail`,
//! `set -euo pipefail`). Exec-form `RUN` and non-POSIX shells (PowerShell,
//! cmd) are not flagged, nor is a pipe fed by `echo` or `printf` (printing
//! cannot fail, so there is no failure to hide). Pipes inside a command
//! substitution count too: in `deps="$(scanelf … | awk … | sort -u)"` a
//! failing `scanelf` leaves an empty list and the build goes on.
//!
//! ## Why is this bad?
//! A pipeline's status is that of its last command: in
//! `curl -fsSL $URL | tar xz` a failed download still "succeeds", and the
//! build ships a broken image.
//!
//! ## Example
//! ```dockerfile
//! FROM debian:12-slim
//! RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM debian:12-slim
//! SHELL ["/bin/bash", "-o", "pipefail", "-c"]
//! RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "pipe in RUN without pipefail",
    severity: Severity::Low,
    aliases: &["DL4006"],
    tags: &["reliability"],
    ..Meta::DEFAULT
};

const HELP: &str =
    "add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before this RUN, or start it with `set -o pipefail &&`";

/// The first command of a substitution piped into another, unless printing (`echo`, `printf`) feeds the pipe.
fn hidden_pipe(commands: Vec<Command>) -> Option<Command> {
    commands.into_iter().find(|c| c.sep == Sep::Pipe && !matches!(c.name(), "echo" | "printf"))
}

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for (idx, ins) in runs(df) {
        if ins.exec.is_some() {
            continue;
        }
        if let Some(shell) = shell_in_effect(df, idx) {
            let words: Vec<&str> = shell.exec.iter().flatten().map(|w| w.value.as_str()).collect();
            let prog = words.first().map_or("", |w| w.rsplit(['/', '\\']).next().unwrap_or(""));
            if words.contains(&"pipefail") || !matches!(prog, "sh" | "bash" | "zsh" | "ash" | "dash" | "ksh") {
                continue;
            }
        }
        let mut enabled = false;
        let mut in_case = false;
        let mut reported = false;
        // `deps="$(scanelf … | sort -u)"`: a failure before the pipe yields an empty value silently.
        // Reported only when the RUN has no pipe of its own, so that finding stays where it was.
        let mut inner = None;
        for (k, c) in ins.commands.iter().enumerate() {
            if c.args().iter().any(|a| a.value == "pipefail") || c.words.iter().any(|w| w.value == "pipefail") {
                enabled = true;
            }
            in_case = (in_case || c.words.first().is_some_and(|w| w.value == "case"))
                && !c.words.iter().any(|w| w.value == "esac");
            // `aarch64|arm64)`: alternatives of a `case` pattern (one word each), not a pipe.
            let pattern = in_case && ins.commands.get(k + 1).is_some_and(|n| n.words.len() == 1);
            // `echo "$SUM  file" | sha256sum -c`: printing a literal cannot fail, so no failure is hidden.
            let cannot_fail = matches!(c.name(), "echo" | "printf");
            if c.sep == Sep::Pipe && !enabled && !pattern && !cannot_fail {
                let at = c.sep_span.clone().unwrap_or(c.span.clone());
                cx.report(at, format!("`{}` is piped without `pipefail`: a failure before the pipe is ignored", c.name()))
                    .help(HELP);
                reported = true;
                break;
            }
            if inner.is_none() && !enabled {
                inner = hidden_pipe(c.substitutions(cx.text));
            }
        }
        if let Some(p) = inner.filter(|_| !reported) {
            let at = p.sep_span.clone().unwrap_or(p.span.clone());
            cx.report(at, format!("`{}` is piped inside `$(…)` without `pipefail`: if it fails, the value is silently empty or partial", p.name()))
                .help(HELP);
        }
    }
}
