//! A plugin that misbehaves on purpose, so the host's sandbox can be tested.
//! A `*.misbehave` file whose first word is `loop` spins forever, `grow`
//! allocates without bound, `trap` hits `unreachable`, `flood N` reports N
//! findings, `huge N` reports one finding whose message is N bytes long,
//! `claim RULE` reports its finding under a rule id it never declared;
//! `path DOC PATH` reports at a YAML path of the file for the host to resolve;
//! anything else yields one finding.
#![forbid(unsafe_code)]

use opslint_sdk::{Ctx, FileMatcher, FindingExt, Meta, Registered, Severity};

pub struct Misbehave;

pub static RULES: &[Registered<()>] = &[Registered {
    id: "echo",
    docs: "Echoes the first line of a well-behaved document.\n",
    meta: Meta { summary: "echo", severity: Severity::Low, ..Meta::DEFAULT },
    check: echo,
}];

fn echo(cx: &mut Ctx, _: &()) {
    let mut words = cx.text.split_whitespace();
    let (first, n) = (words.next(), words.next().and_then(|n| n.parse::<usize>().ok()).unwrap_or(0));
    match first {
        Some("flood") => {
            for i in 0..n {
                cx.report(0..0, format!("flood {i}"));
            }
            return;
        }
        Some("huge") => {
            cx.report(0..0, "x".repeat(n));
            return;
        }
        Some("path") => {
            let path = words.next().unwrap_or("").to_string();
            cx.report_path(n as u32, &path, format!("at {path}"));
            return;
        }
        _ => {}
    }
    let end = cx.text.find('\n').unwrap_or(cx.text.len());
    let line = cx.text[..end].to_string();
    cx.report(0..end, format!("echo: {line}")).help("nothing to do");
}

impl opslint_sdk::Plugin for Misbehave {
    type Doc = ();
    const NAME: &'static str = "misbehave";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str = "misbehaves on request (tests only)";

    fn files() -> Vec<FileMatcher> {
        vec![FileMatcher { kind: "misbehave".into(), globs: vec!["**/*.misbehave".into()] }]
    }

    fn rules() -> &'static [Registered<()>] {
        RULES
    }

    fn parse(cx: &mut Ctx) -> Option<()> {
        match cx.text.split_whitespace().next() {
            Some("loop") => spin(),
            Some("grow") => grow(),
            Some("trap") => panic!("asked to trap"),
            _ => Some(()),
        }
    }
}

fn spin() -> ! {
    let mut n: u64 = 0;
    loop {
        n = std::hint::black_box(n.wrapping_add(1));
    }
}

fn grow() -> ! {
    let mut hoard: Vec<Vec<u8>> = Vec::new();
    loop {
        hoard.push(vec![1u8; 1 << 20]);
        std::hint::black_box(&hoard);
    }
}

// `export_plugin!` by hand, so that `claim RULE` can relabel a finding after
// the SDK (which only lets declared rules through) is done with it.
#[cfg(target_arch = "wasm32")]
const _: () = {
    struct Export;
    impl opslint_sdk::Guest for Export {
        fn metadata() -> opslint_sdk::PluginMeta {
            opslint_sdk::metadata::<Misbehave>()
        }
        fn check(request: opslint_sdk::CheckRequest) -> Result<opslint_sdk::CheckOutput, opslint_sdk::PluginError> {
            let mut out = opslint_sdk::check::<Misbehave>(request)?;
            for f in &mut out.findings {
                if let Some(rule) = f.message.strip_prefix("echo: claim ") {
                    f.rule = rule.trim().to_string();
                }
            }
            Ok(out)
        }
    }
    impl opslint_sdk::FactsGuest for Export {
        fn extract(request: opslint_sdk::CheckRequest) -> Result<Vec<Vec<u8>>, opslint_sdk::PluginError> {
            opslint_sdk::extract_unsupported(request)
        }
        fn join(request: opslint_sdk::JoinRequest) -> Result<opslint_sdk::CheckOutput, opslint_sdk::PluginError> {
            opslint_sdk::join_unsupported(request)
        }
    }
    opslint_sdk::bindings::__export_linter!(Export with_types_in opslint_sdk::bindings);
};
