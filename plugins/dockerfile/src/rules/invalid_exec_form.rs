//! ## What it does
//! Flags `CMD`, `ENTRYPOINT`, `RUN`, `SHELL` and `VOLUME` arguments that
//! look like exec form (`[ … ]`) but are not valid JSON, typically because
//! of single quotes: `CMD ['node', 'server.js']`.
//!
//! ## Why is this bad?
//! Docker does not report an error: it silently falls back to shell form and
//! runs the literal text `['node', 'server.js']` through `/bin/sh -c`,
//! which fails at container start.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20-slim
//! CMD ['node', 'server.js']
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM node:20-slim
//! CMD ["node", "server.js"]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "exec form that is not valid JSON",
    severity: Severity::Medium,
    fix: FixAvailability::Sometimes,
    tags: &["correctness"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for ins in &df.instructions {
        if !matches!(ins.keyword.as_str(), "CMD" | "ENTRYPOINT" | "RUN" | "SHELL" | "VOLUME") || ins.exec.is_some() {
            continue;
        }
        let a = ins.args_str();
        if !(a.starts_with('[') && a.ends_with(']')) || a.contains("[[") {
            continue;
        }
        // `RUN [ -f x ] && …` is a shell test, not exec form.
        if ins.is("RUN") && (a.starts_with("[ ") || a.contains("] ")) {
            continue;
        }
        let single = a.contains('\'') && !a.contains('"');
        let f = cx
            .report(ins.args_span(), format!("`{}` arguments are not a valid JSON array, so Docker runs them as a shell string", ins.keyword))
            .help("write the exec form as a JSON array with double quotes: `[\"executable\", \"arg\"]`");
        if single && !a.contains('\\') {
            f.fix("use double quotes", Applicability::Safe, vec![(ins.args_span(), a.replace('\'', "\""))]);
        }
    }
}
