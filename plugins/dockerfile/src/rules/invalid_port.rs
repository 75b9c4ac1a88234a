//! ## What it does
//! Flags `EXPOSE` entries that are not valid: a port outside 1–65535, a range
//! whose start is after its end, a protocol other than `tcp`, `udp` or
//! `sctp`, or something that is not a number. Variables (`$PORT`) are not
//! checked.
//!
//! ## Why is this bad?
//! Docker rejects most of these at build or run time, and the rest document
//! a port the service does not use.
//!
//! ## Example
//! ```dockerfile
//! FROM nginx:1.27
//! EXPOSE 80800 443/tls
//! ```
//!
//! ## Use instead
//! ```dockerfile
//! FROM nginx:1.27
//! EXPOSE 8080 443/tcp
//! ```
use crate::prelude::*;

pub const META: Meta = Meta {
    summary: "invalid port or protocol in EXPOSE",
    severity: Severity::Medium,
    aliases: &["DL3011", "DS008"],
    tags: &["correctness"],
    ..Meta::DEFAULT
};

pub fn check(cx: &mut Ctx, df: &Dockerfile) {
    for ins in df.instructions.iter().filter(|i| i.is("EXPOSE")) {
        for w in &ins.words {
            if w.value.contains('$') {
                continue;
            }
            if let Some(problem) = problem(&w.value) {
                cx.report(w.span.clone(), format!("`EXPOSE {}`: {problem}", w.value))
                    .help("use a port number from 1 to 65535, optionally with `/tcp`, `/udp` or `/sctp`");
            }
        }
    }
}

fn problem(v: &str) -> Option<String> {
    let (port, proto) = v.split_once('/').unwrap_or((v, "tcp"));
    if !matches!(proto.to_ascii_lowercase().as_str(), "tcp" | "udp" | "sctp") {
        return Some(format!("unknown protocol `{proto}`"));
    }
    let (a, b) = port.split_once('-').unwrap_or((port, port));
    let parse = |s: &str| -> Result<u64, String> {
        if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(format!("`{s}` is not a port number"));
        }
        match s.parse::<u64>() {
            Ok(n) if (1..=65535).contains(&n) => Ok(n),
            _ => Err(format!("port `{s}` is outside 1-65535")),
        }
    };
    match (parse(a), parse(b)) {
        (Err(e), _) | (_, Err(e)) => Some(e),
        (Ok(x), Ok(y)) if x > y => Some(format!("range `{port}` ends before it starts")),
        _ => None,
    }
}
