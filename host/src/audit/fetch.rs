//! Getting a repository onto disk with the system git: the remote's commit
//! first (so a current result is kept without cloning), then a shallow clone.
use std::path::Path;
use std::process::Command;

use super::list::without_credentials;

fn git(args: &[&str], dir: Option<&Path>) -> Result<String, String> {
    let mut cmd = Command::new("git");
    if let Some(d) = dir {
        cmd.arg("-C").arg(d);
    }
    // Never wait for a password nobody will type.
    cmd.args(args).env("GIT_TERMINAL_PROMPT", "0").env("GIT_ASKPASS", "true").stdin(std::process::Stdio::null());
    let out = cmd.output().map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).trim().to_string());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let last: Vec<&str> = err.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    Err(last.iter().rev().take(2).rev().copied().collect::<Vec<_>>().join(" "))
}

/// What the error says, without credentials: the URL's, or any `scheme://user:secret@`
/// git may print after a rewrite (`url.<base>.insteadOf` with a token in it).
fn clean(message: String, url: &str) -> String {
    let mut rest = message.replace(url, &without_credentials(url));
    let mut out = String::with_capacity(rest.len());
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let end = tail.find(|c: char| c == '/' || c.is_whitespace() || c == '\'').unwrap_or(tail.len());
        rest = match tail[..end].rfind('@') {
            Some(at) => tail[at + 1..].to_string(),
            None => tail.to_string(),
        };
    }
    out.push_str(&rest);
    out
}

/// The commit the remote's default branch points at.
pub fn remote_head(url: &str) -> Result<String, String> {
    let out = git(&["ls-remote", "--", url, "HEAD"], None).map_err(|e| clean(e, url))?;
    match out.split_whitespace().next() {
        Some(sha) if sha.len() >= 40 => Ok(sha.to_string()),
        _ => Err(format!("`{}` has no HEAD (an empty repository?)", without_credentials(url))),
    }
}

/// A shallow clone of the default branch into `dest` (reused when already at `commit`).
pub fn clone(url: &str, dest: &Path, commit: &str) -> Result<(), String> {
    if dest.join(".git").exists() {
        if git(&["rev-parse", "HEAD"], Some(dest)).is_ok_and(|h| h == commit) {
            return Ok(());
        }
        std::fs::remove_dir_all(dest).map_err(|e| format!("cannot clear {}: {e}", dest.display()))?;
    }
    let dest_s = dest.to_string_lossy();
    git(
        &["-c", "advice.detachedHead=false", "clone", "--quiet", "--depth", "1", "--no-tags", "--", url, &dest_s],
        None,
    )
    .map_err(|e| clean(e, url))?;
    Ok(())
}

/// A local checkout's commit, when the folder is the top of a git work tree
/// with nothing changed (a changed tree is not that commit: never resumed).
pub fn local_commit(dir: &Path) -> Option<String> {
    let top = git(&["rev-parse", "--show-toplevel"], Some(dir)).ok()?;
    let same = Path::new(&top).canonicalize().ok()? == dir.canonicalize().ok()?;
    if !same {
        return None;
    }
    let head = git(&["rev-parse", "HEAD"], Some(dir)).ok()?;
    let status = git(&["status", "--porcelain"], Some(dir)).ok()?;
    status.is_empty().then_some(head)
}

/// The commit a clone holds.
pub fn head(dir: &Path) -> Option<String> {
    git(&["rev-parse", "HEAD"], Some(dir)).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn errors_lose_credentials() {
        let m = super::clean("unable to access 'https://x:tok@github.com/o/r/': 403".into(), "https://github.com/o/r");
        assert_eq!(m, "unable to access 'https://github.com/o/r/': 403");
    }
}
