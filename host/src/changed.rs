//! Checking only some files of a repository: the repository they belong to
//! (for plugins whose rules look across files) and `--changed-since REV`.
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::config::CONFIG_NAMES;
use crate::error::Error;

/// The nearest directory at or above `start` holding `.git` or an opslint config file.
pub fn repo_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join(".git").exists() || CONFIG_NAMES.iter().any(|n| d.join(n).is_file()))
        .map(Path::to_path_buf)
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, Error> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| Error::Usage { message: format!("`--changed-since` needs git: {e}"), help: None })?;
    if !out.status.success() {
        return Err(Error::Usage {
            message: format!("git {} failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()),
            help: Some("`--changed-since` takes a revision git knows, e.g. `origin/main` or `HEAD~1`".into()),
        });
    }
    Ok(out.stdout)
}

/// Files changed since `rev` (added, copied, modified, renamed; not deleted) in
/// the working tree, plus untracked files that are not ignored. Absolute paths,
/// sorted. `dir` is any directory inside the git work tree.
pub fn changed_since(rev: &str, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
    let mut files: Vec<PathBuf> = Vec::new();
    for args in [
        &["diff", "--name-only", "-z", "--no-renames", "--diff-filter=d", rev, "--"][..],
        &["ls-files", "--others", "--exclude-standard", "-z"][..],
    ] {
        let out = git(&top, args)?;
        files.extend(
            out.split(|b| *b == 0).filter(|p| !p.is_empty()).map(|p| top.join(String::from_utf8_lossy(p).as_ref())),
        );
    }
    files.retain(|p| p.is_file());
    files.sort();
    files.dedup();
    Ok(files)
}
