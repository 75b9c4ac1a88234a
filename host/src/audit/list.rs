//! The repositories to audit: named on the command line, listed in files, or
//! the subfolders of a folder of checkouts; each with a stable name (what the
//! shard hash and the result file are keyed on).
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::Error;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Local(PathBuf),
    Git(String),
}

#[derive(Debug, Clone)]
pub struct Entry {
    /// Stable identity: a URL without scheme, credentials and `.git`; a path as written.
    pub name: String,
    /// As the user wrote it, credentials removed (it goes into result files).
    pub source: String,
    pub location: Location,
}

/// `https://…`, `ssh://…`, `file://…`, `git://…`, or scp-like `user@host:path`.
pub fn is_url(s: &str) -> bool {
    if s.contains("://") {
        return true;
    }
    match (s.find('@'), s.find(':'), s.find('/')) {
        (Some(at), Some(colon), slash) => at < colon && slash.is_none_or(|sl| colon < sl),
        _ => false,
    }
}

/// The URL without `user[:password]@`: never written anywhere.
pub fn without_credentials(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (format!("{s}://"), r),
        None => (String::new(), url),
    };
    let host_end = rest.find('/').unwrap_or(rest.len());
    match rest[..host_end].rfind('@') {
        // scp-like `git@host:path` keeps its user: it is not a secret.
        Some(at) if !scheme.is_empty() => format!("{scheme}{}", &rest[at + 1..]),
        _ => url.to_string(),
    }
}

/// `github.com/org/repo` for `https://github.com/org/repo.git`, `git@github.com:org/repo`…
pub fn url_name(url: &str) -> String {
    let clean = without_credentials(url);
    let rest = match clean.split_once("://") {
        Some((_, r)) => r.to_string(),
        None => match clean.split_once('@') {
            Some((_, r)) => r.replacen(':', "/", 1),
            None => clean.clone(),
        },
    };
    let rest = rest.trim_start_matches('/').trim_end_matches('/');
    rest.strip_suffix(".git").unwrap_or(rest).to_string()
}

fn path_name(written: &str) -> String {
    let t = written.trim_end_matches('/');
    let t = t.strip_prefix("./").unwrap_or(t);
    if t.is_empty() {
        ".".into()
    } else {
        t.to_string()
    }
}

fn entry(written: &str, base: &Path) -> Entry {
    if is_url(written) {
        return Entry {
            name: url_name(written),
            source: without_credentials(written),
            location: Location::Git(written.to_string()),
        };
    }
    Entry { name: path_name(written), source: written.to_string(), location: Location::Local(base.join(written)) }
}

/// Every repository named, once each (the first mention wins), sorted by name.
pub fn collect(repos: &[String], lists: &[PathBuf], checkouts: &[PathBuf], cwd: &Path) -> Result<Vec<Entry>, Error> {
    let mut all: Vec<Entry> = repos.iter().map(|r| entry(r, cwd)).collect();
    for list in lists {
        let file = cwd.join(list);
        let text = std::fs::read_to_string(&file)
            .map_err(|e| Error::Io { path: list.display().to_string(), message: e.to_string() })?;
        let base = file.parent().map(Path::to_path_buf).unwrap_or_else(|| cwd.to_path_buf());
        for line in text.lines() {
            let line = line.split(" #").next().unwrap_or("").trim();
            if !line.is_empty() && !line.starts_with('#') {
                all.push(entry(line, &base));
            }
        }
    }
    for dir in checkouts {
        let abs = cwd.join(dir);
        let read = std::fs::read_dir(&abs)
            .map_err(|e| Error::Io { path: dir.display().to_string(), message: e.to_string() })?;
        let mut subs: Vec<String> = read
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| !n.starts_with('.'))
            .collect();
        subs.sort();
        for sub in subs {
            let written = format!("{}/{sub}", path_name(&dir.to_string_lossy()));
            all.push(entry(&written, cwd));
        }
    }
    if all.is_empty() {
        return Err(Error::Usage {
            message: "no repository to audit".into(),
            help: Some("name repositories (paths or git URLs), a list with `--from FILE`, or `--checkouts DIR`".into()),
        });
    }
    let mut by_name: BTreeMap<String, Entry> = BTreeMap::new();
    for e in all {
        by_name.entry(e.name.clone()).or_insert(e);
    }
    Ok(by_name.into_values().collect())
}

/// The result file of a repository: its name made safe, and a short hash so
/// two names that read alike never share a file.
pub fn file_name(name: &str) -> String {
    let mut slug: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-') { c } else { '_' }).collect();
    slug = slug.trim_matches(|c| c == '_' || c == '.').chars().take(80).collect();
    let hash = Sha256::digest(name.as_bytes());
    format!("{slug}-{:02x}{:02x}{:02x}{:02x}.json", hash[0], hash[1], hash[2], hash[3])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(url_name("https://tok:x@github.com/org/repo.git"), "github.com/org/repo");
        assert_eq!(url_name("git@github.com:org/repo.git"), "github.com/org/repo");
        assert_eq!(url_name("file:///srv/git/app/"), "srv/git/app");
        assert_eq!(without_credentials("https://tok:x@github.com/o/r"), "https://github.com/o/r");
        assert!(is_url("git@github.com:org/repo") && !is_url("services/api") && !is_url("a/b@c:d"));
        assert_eq!(path_name("./svc/"), "svc");
        assert!(file_name("github.com/org/repo").starts_with("github.com_org_repo-"));
    }
}
