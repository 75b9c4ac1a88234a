//! Packages installed at run time without a pinned version (`npm install -g
//! tool@latest`, `pip install tool`, `pnpm dlx tool`): what they are, where
//! in a script, and why they are not pinned.
use std::ops::Range;

use opslint_knowledge::packages::{self, Manager};

/// An install whose version is chosen at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adhoc {
    /// The package as written (`wrangler@latest`).
    pub package: String,
    /// Its byte range in the script.
    pub span: Range<usize>,
    /// The command (`pnpm add`, `pip install`).
    pub command: &'static str,
    /// What a pin looks like for this tool.
    pub pin: &'static str,
}

/// Every unpinned package installed by `script`.
pub fn unpinned_installs(script: &str) -> Vec<Adhoc> {
    let mut out = Vec::new();
    for cmd in commands(script) {
        let words: Vec<&str> = cmd.iter().map(|(w, _)| w.as_str()).collect();
        let Some((command, pin, skip, first)) = install(&words) else { continue };
        let mut k = first;
        while k < words.len() {
            let w = words[k];
            if skip.contains(&w) {
                k += 2;
                continue;
            }
            if !w.starts_with('-') && packages::registry_package(w) && !pinned(command, w, &words) {
                out.push(Adhoc { package: w.to_string(), span: cmd[k].1.clone(), command, pin });
            }
            // `npx tool args…`: the words after the package are the tool's.
            if !w.starts_with('-') && matches!(command, "npx" | "pnpm dlx") {
                break;
            }
            k += 1;
        }
    }
    out
}

/// The install command of `words`: its name, how to pin, options that take a
/// value, and the index of the first word after the subcommand.
#[allow(clippy::type_complexity)]
fn install(words: &[&str]) -> Option<(&'static str, &'static str, &'static [&'static str], usize)> {
    const NPM_OPTS: &[&str] = &["--prefix", "--registry", "--cache", "--loglevel", "-w", "--workspace"];
    // pnpm's `-w` is `--workspace-root`, a switch.
    const PNPM_OPTS: &[&str] = &["--registry", "--filter", "-F", "-C", "--dir", "--loglevel"];
    const PIP_OPTS: &[&str] = &[
        "-r",
        "--requirement",
        "-c",
        "--constraint",
        "-e",
        "--editable",
        "-i",
        "--index-url",
        "--extra-index-url",
        "-f",
        "--find-links",
        "-t",
        "--target",
        "--prefix",
        "--root",
        "--trusted-host",
        "--python",
        "--python-version",
        "--platform",
    ];
    let mut i = 0;
    while i < words.len()
        && (words[i].contains('=') && !words[i].starts_with('-') || matches!(words[i], "sudo" | "env" | "time"))
    {
        i += 1;
    }
    let prog = words.get(i)?.rsplit('/').next()?;
    let sub = |k: usize| words.get(i + k).copied().unwrap_or("");
    // The subcommand may follow options (`npm -g install x`, `yarn global add x`).
    let after = |subs: &[&str]| -> Option<usize> {
        let mut k = i + 1;
        while k < words.len() && words[k].starts_with('-') {
            k += 1;
        }
        if words.get(k) == Some(&"global") {
            k += 1;
        }
        subs.contains(words.get(k)?).then_some(k + 1)
    };
    Some(match prog {
        "npm" => ("npm install", "`name@1.2.3`", NPM_OPTS, after(&["install", "i", "add"])?),
        "pnpm" if sub(1) == "dlx" => ("pnpm dlx", "`name@1.2.3`", PNPM_OPTS, i + 2),
        "pnpm" => ("pnpm add", "`name@1.2.3`", PNPM_OPTS, after(&["add", "install", "i"])?),
        "yarn" => ("yarn add", "`name@1.2.3`", NPM_OPTS, after(&["add"])?),
        "bun" => ("bun add", "`name@1.2.3`", NPM_OPTS, after(&["add", "install", "i"])?),
        "pnpx" => ("pnpm dlx", "`name@1.2.3`", PNPM_OPTS, i + 1),
        "npx" | "bunx" => ("npx", "`name@1.2.3`", NPM_OPTS, i + 1),
        "pip" | "pip3" | "pipx" => ("pip install", "`name==1.2.3`", PIP_OPTS, after(&["install"])?),
        p if p.starts_with("python") && sub(1) == "-m" && matches!(sub(2), "pip" | "pipx") => {
            ("pip install", "`name==1.2.3`", PIP_OPTS, (sub(3) == "install").then_some(i + 4)?)
        }
        "uv" if sub(1) == "pip" && sub(2) == "install" => ("pip install", "`name==1.2.3`", PIP_OPTS, i + 3),
        "uv" if sub(1) == "tool" && sub(2) == "install" => ("uv tool install", "`name==1.2.3`", PIP_OPTS, i + 3),
        "cargo" if sub(1) == "install" => (
            "cargo install",
            "`--version 1.2.3` (and `--locked`)",
            &["--root", "--index", "--registry", "--features", "-F", "--bin", "--target", "-j", "--jobs"],
            i + 2,
        ),
        "go" if sub(1) == "install" => ("go install", "`module@v1.2.3`", &[], i + 2),
        "gem" if sub(1) == "install" => {
            ("gem install", "`-v 1.2.3`", &["-i", "--install-dir", "-n", "--bindir", "-s", "--source"], i + 2)
        }
        _ => return None,
    })
}

/// Whether `w` (a package of `command`) names a version, the way its manager writes one.
fn pinned(command: &str, w: &str, words: &[&str]) -> bool {
    let manager = match command {
        "npm install" | "pnpm add" | "yarn add" | "bun add" | "pnpm dlx" => Manager::Npm,
        // `npx tool` runs the tool the lock file installed; only an explicit moving tag is judged.
        "npx" if !w.strip_prefix('@').unwrap_or(w).contains('@') => return true,
        "npx" => Manager::Npm,
        "pip install" | "uv tool install" => Manager::Pip,
        "cargo install" => Manager::Cargo,
        "go install" => Manager::Go,
        "gem install" => Manager::Gem,
        _ => return true,
    };
    packages::pinned(manager, w, words)
}

/// The simple commands of a script: words (quotes removed) with their byte ranges.
fn commands(script: &str) -> Vec<Vec<(String, Range<usize>)>> {
    let b = script.as_bytes();
    let mut out = Vec::new();
    let mut cur: Vec<(String, Range<usize>)> = Vec::new();
    let mut i = 0;
    let push_cmd = |cur: &mut Vec<(String, Range<usize>)>, out: &mut Vec<Vec<(String, Range<usize>)>>| {
        if !cur.is_empty() {
            out.push(std::mem::take(cur));
        }
    };
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' => i += 1,
            b'\\' if b.get(i + 1) == Some(&b'\n') => i += 2,
            b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'`' => {
                push_cmd(&mut cur, &mut out);
                i += 1;
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {
                let start = i;
                let mut word = String::new();
                while i < b.len()
                    && !matches!(b[i], b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'`')
                {
                    match b[i] {
                        q @ (b'"' | b'\'') => {
                            let close = script[i + 1..].find(q as char).map_or(b.len(), |k| i + 1 + k);
                            word.push_str(&script[i + 1..close]);
                            i = (close + 1).min(b.len());
                        }
                        _ => {
                            let mut j = i + 1;
                            while j < b.len() && !script.is_char_boundary(j) {
                                j += 1;
                            }
                            word.push_str(&script[i..j]);
                            i = j;
                        }
                    }
                }
                cur.push((word, start..i));
            }
        }
    }
    push_cmd(&mut cur, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::unpinned_installs;

    fn found(s: &str) -> Vec<String> {
        unpinned_installs(s).into_iter().map(|a| a.package).collect()
    }

    #[test]
    fn unpinned_installs_from_real_deploy_jobs() {
        assert_eq!(found("pnpm install --no-frozen-lockfile;\npnpm add -D -w wrangler@latest;\n"), ["wrangler@latest"]);
        assert_eq!(found("npm install -g firebase-tools"), ["firebase-tools"]);
        assert_eq!(found("sudo npm i -g vercel@latest && vercel deploy --prod"), ["vercel@latest"]);
        assert_eq!(found("python -m pip install --upgrade pip awscli"), ["awscli"]);
        assert_eq!(found("pip install 'mkdocs-material'"), ["mkdocs-material"]);
        assert_eq!(found("yarn global add netlify-cli"), ["netlify-cli"]);
        assert_eq!(found("go install github.com/x/tool@latest"), ["github.com/x/tool@latest"]);
        assert_eq!(found("cargo install cargo-release"), ["cargo-release"]);
        assert_eq!(found("npx wrangler@latest deploy"), ["wrangler@latest"]);
        assert_eq!(found("gem install fastlane"), ["fastlane"]);
        assert_eq!(found("pnpm dlx create-thing my-app --yes"), ["create-thing"]);
    }

    #[test]
    fn pinned_or_locked_installs_are_not_found() {
        for s in [
            "npm ci",
            "npm install",
            "pnpm install --frozen-lockfile",
            "npm install -g wrangler@3.90.0",
            "pnpm add -D @scope/pkg@1.2.3",
            "pip install -r requirements.txt",
            "pip install -e .",
            "pip install awscli==1.33.0",
            "pip install --upgrade pip setuptools wheel",
            "npx wrangler deploy",
            "cargo install cargo-release --version 0.25.0 --locked",
            "cargo install --path .",
            "go install github.com/x/tool@v1.2.3",
            "gem install fastlane -v 2.220.0",
            "npm install $PKG",
            "npm install ./dist/pkg.tgz",
            "echo 'npm install -g x' # npm install y",
        ] {
            assert!(found(s).is_empty(), "{s}: {:?}", found(s));
        }
    }
}
