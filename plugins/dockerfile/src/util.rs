//! Helpers shared by rules.
use std::ops::Range;

use crate::parse::{Command, Dockerfile, Instruction, Stage};

/// Every RUN of the file (ONBUILD triggers excluded), with its index.
pub fn runs(df: &Dockerfile) -> impl Iterator<Item = (usize, &Instruction)> {
    df.instructions.iter().enumerate().filter(|(_, i)| i.is("RUN"))
}

/// Commands of a RUN whose program is one of `names`.
pub fn commands_named<'a>(ins: &'a Instruction, names: &'a [&'a str]) -> impl Iterator<Item = &'a Command> + 'a {
    ins.commands.iter().filter(move |c| names.contains(&c.name()))
}

/// The instructions of a stage with a given keyword.
pub fn in_stage<'a>(df: &'a Dockerfile, stage: &'a Stage, keyword: &'a str) -> impl Iterator<Item = &'a Instruction> {
    df.stage_instructions(stage).iter().filter(move |i| i.is(keyword))
}

/// Indices of the stages that end up in the final image: the last stage and
/// the stages it is built `FROM`.
pub fn final_lineage(df: &Dockerfile) -> Vec<usize> {
    df.final_stage().map(|s| df.lineage(s).iter().map(|s| s.index).collect()).unwrap_or_default()
}

/// The SHELL in effect for the instruction at `idx` (its stage, then the stages it builds on).
pub fn shell_in_effect(df: &Dockerfile, idx: usize) -> Option<&Instruction> {
    let stage = df.stages.get(df.instructions.get(idx)?.stage?)?;
    let mut upto = idx;
    for s in df.lineage(stage) {
        let range = s.instructions.start..upto.min(s.instructions.end);
        if let Some(sh) = df.instructions.get(range).and_then(|r| r.iter().rev().find(|i| i.is("SHELL"))) {
            return Some(sh);
        }
        upto = usize::MAX;
    }
    None
}

/// A `--mount=type=cache` whose target starts with one of `prefixes`.
pub fn has_cache_mount(ins: &Instruction, prefixes: &[&str]) -> bool {
    ins.flags.iter().filter(|f| f.name == "mount").any(|f| {
        let opts = f.options();
        opts.iter().any(|(k, v)| *k == "type" && *v == "cache")
            && opts.iter().any(|(k, v)| {
                matches!(*k, "target" | "dst" | "destination") && prefixes.iter().any(|p| v.starts_with(p))
            })
    })
}

/// Whether a RUN removes files under one of `prefixes` (`rm -rf /var/lib/apt/lists/*`).
pub fn removes(ins: &Instruction, prefixes: &[&str]) -> bool {
    commands_named(ins, &["rm"]).any(|c| c.args().iter().any(|a| prefixes.iter().any(|p| a.value.starts_with(p))))
}

/// A variable name that suggests a secret (`DB_PASSWORD`, `GITHUB_TOKEN`,
/// `API_KEY`), but not a pointer to one (`TOKEN_FILE`, `PASSWORD_PATH`).
pub use opslint_knowledge::secrets::secret_name as is_secret_name;

/// A value that is only a reference (`$X`, `${X}`) rather than a literal.
pub fn is_reference(value: &str) -> bool {
    let v = value.trim();
    if let Some(rest) = v.strip_prefix("${") {
        return rest.ends_with('}') && !rest[..rest.len() - 1].contains('}');
    }
    v.strip_prefix('$').is_some_and(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
}

/// A literal that looks like a setting rather than a credential (`true`, `0`, ``).
pub fn is_trivial_value(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    v.is_empty()
        || v.len() <= 2 && v.bytes().all(|b| b.is_ascii_digit())
        || matches!(v.as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null" | "\"\"" | "''")
}

/// Byte range (within `value`) of a password in a URL (`https://user:pass@host`),
/// or of a token used as the user (`https://$TOKEN@host`).
pub fn url_credentials(value: &str) -> Option<Range<usize>> {
    let scheme_end = value.find("://")? + 3;
    let rest = &value[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let at = authority.rfind('@')?;
    let userinfo = &authority[..at];
    match userinfo.split_once(':') {
        Some((_, pass)) if !pass.is_empty() => {
            let start = scheme_end + userinfo.len() - pass.len();
            Some(start..start + pass.len())
        }
        None if userinfo.contains('$') => Some(scheme_end..scheme_end + userinfo.len()),
        _ => None,
    }
}

/// Span (in the document) of `sub` inside a word's value, when the word is unquoted
/// and written verbatim; else the whole word.
pub fn sub_span(text: &str, word: &crate::parse::Word, sub: Range<usize>) -> Range<usize> {
    match text.get(word.span.clone()) {
        Some(raw) if raw == word.value && sub.end <= raw.len() => {
            word.span.start + sub.start..word.span.start + sub.end
        }
        _ => word.span.clone(),
    }
}

/// The subcommand of a package manager, skipping options and the values of
/// `value_opts` (`apt-get -o Foo=1 -t bookworm install` → `install`).
pub fn subcommand<'a>(cmd: &'a Command, value_opts: &[&str]) -> Option<&'a crate::parse::Word> {
    operands(cmd.args(), value_opts).into_iter().next()
}

/// The words that are not options nor the values of `value_opts`.
pub fn operands<'a>(args: &'a [crate::parse::Word], value_opts: &[&str]) -> Vec<&'a crate::parse::Word> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < args.len() {
        let v = args[k].value.as_str();
        if value_opts.contains(&v) {
            k += 2;
            continue;
        }
        if !v.starts_with('-') {
            out.push(&args[k]);
        }
        k += 1;
    }
    out
}

/// apt/apt-get commands with their subcommand.
pub fn apt_commands(ins: &Instruction) -> impl Iterator<Item = (&Command, &crate::parse::Word)> {
    ins.commands.iter().filter(|c| matches!(c.name(), "apt-get" | "apt")).filter_map(|c| {
        subcommand(c, &["-o", "-t", "-c", "--option", "--target-release", "--config-file"]).map(|s| (c, s))
    })
}

/// The words after the subcommand that are not options (package names).
pub fn packages<'a>(cmd: &'a Command, sub: &crate::parse::Word) -> Vec<&'a crate::parse::Word> {
    let args = cmd.args();
    let start = args.iter().position(|a| a.span == sub.span).map_or(args.len(), |p| p + 1);
    let mut out = Vec::new();
    let mut k = start;
    while k < args.len() {
        let v = args[k].value.as_str();
        if matches!(v, "-o" | "-t" | "--option" | "--target-release") {
            k += 2;
            continue;
        }
        if !v.starts_with('-') {
            out.push(&args[k]);
        }
        k += 1;
    }
    out
}

/// An edit inserting `text` after `word`, if the word is written verbatim.
pub fn insert_after(src: &str, word: &crate::parse::Word, text: &str) -> Option<(Range<usize>, String)> {
    (src.get(word.span.clone()) == Some(word.value.as_str())).then(|| (word.span.end..word.span.end, text.to_string()))
}

/// Whether the final stage is built on a development workspace image (Gitpod, Dev
/// Containers): an editor's environment, whose user has passwordless sudo by design,
/// not an image that is deployed.
pub fn dev_workspace(df: &Dockerfile) -> bool {
    const BASES: &[&str] = &["gitpod/workspace-", "devcontainers/", "vscode/devcontainers/"];
    let Some(last) = df.final_stage() else { return false };
    df.lineage(last).last().is_some_and(|base| {
        let name = base.image.name.to_ascii_lowercase();
        let registry = base.image.registry.as_deref().unwrap_or("");
        base.image.known
            && BASES.iter().any(|b| name.starts_with(b))
            && (registry.is_empty() || registry == "mcr.microsoft.com" || registry == "docker.io")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for n in
            ["DB_PASSWORD", "GITHUB_TOKEN", "api-key", "AWS_SECRET_ACCESS_KEY", "NPM_TOKEN", "SECRET", "PrivateKey"]
        {
            assert!(is_secret_name(n), "{n}");
        }
        for n in [
            "TOKEN_FILE",
            "PASSWORD_PATH",
            "SECRET_KEY_BASE_DUMMY",
            "AWS_ACCESS_KEY_ID",
            "PATH",
            "KEYCLOAK",
            "PUBLIC_KEY",
            "PASSENGER_VERSION",
        ] {
            assert!(!is_secret_name(n), "{n}");
        }
    }

    #[test]
    fn urls() {
        let u = "https://bob:hunter2@example.com/x";
        assert_eq!(&u[url_credentials(u).unwrap()], "hunter2");
        let u = "https://${GH_TOKEN}@github.com/org/repo.git";
        assert_eq!(&u[url_credentials(u).unwrap()], "${GH_TOKEN}");
        assert_eq!(url_credentials("ssh://git@github.com/x"), None);
        assert_eq!(url_credentials("https://example.com/a@b"), None);
    }
}
