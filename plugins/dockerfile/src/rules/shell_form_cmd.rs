//! ## What it does
//! Flags `CMD` and `ENTRYPOINT` in shell form (`CMD node server.js`).
//! `ENTRYPOINT` in shell form is reported at a higher severity, because it
//! also ignores any `CMD` and `docker run` arguments. A `CMD` whose shell
//! hands over with `exec` as its last command (`CMD exec gunicorn app`,
//! `CMD ./migrate && exec node server.js`) or handles signals itself with
//! `trap` is not flagged: there the shell form is needed and signals work.
//!
//! ## Why is this bad?
//! Shell form runs the command as a child of `/bin/sh -c`. The shell is PID 1
//! and does not forward signals, so `docker stop` waits its timeout and then
//! kills the process without a graceful shutdown.
//!
//! ## Example
//! ```dockerfile
//! FROM node:20-slim
//! CMD node server.js
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM node:20-slim
//! CMD ["node", "server.js"]
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "CMD or ENTRYPOINT in shell form",
    severity: Severity::Low,
    fix: FixAvailability::Sometimes,
    aliases: &["DL3025"],
    tags: &["reliability"],
    ..Meta::DEFAULT
};

/// The shell's last command replaces it (`exec …`), or the script traps signals itself.
fn handles_signals(args: &str) -> bool {
    let commands: Vec<&str> = args.split(['\n', ';']).flat_map(|c| c.split("&&")).flat_map(|c| c.split("||")).map(str::trim).filter(|c| !c.is_empty()).collect();
    let word = |c: &str, w: &str| c.strip_prefix(w).is_some_and(|r| r.starts_with([' ', '\t']));
    commands.last().is_some_and(|c| word(c, "exec")) || commands.iter().any(|c| word(c, "trap"))
}

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for ins in df.instructions.iter().filter(|i| i.is("CMD") || i.is("ENTRYPOINT")) {
        if ins.exec.is_some() || ins.args.is_empty() || ins.args_str().starts_with('[') {
            continue;
        }
        let args = ins.args_str();
        let signals_ok = handles_signals(args);
        if signals_ok && ins.is("CMD") {
            continue;
        }
        let message = match signals_ok {
            true => format!("`{}` in shell form ignores `CMD` and `docker run` arguments", ins.keyword),
            false => format!("`{}` in shell form runs under `/bin/sh -c`, which does not forward signals", ins.keyword),
        };
        let f = cx.report(ins.args_span(), message).help(format!("use the exec form: `{} [\"executable\", \"arg\"]`", ins.keyword));
        if ins.is("ENTRYPOINT") {
            f.severity(Severity::Medium);
        }
        let simple = !args.contains(|c: char| "$&|;<>*?`(){}~\\'\"#".contains(c)) && !args.is_empty();
        if simple {
            let words: Vec<String> = ins.words.iter().map(|w| format!("{:?}", w.value)).collect();
            let span = ins.args_span();
            f.fix("convert to exec form", Applicability::Unsafe, vec![(span, format!("[{}]", words.join(", ")))]);
        }
    }
}
