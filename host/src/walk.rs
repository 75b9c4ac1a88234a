//! Which files a run looks at: directories are walked honouring .gitignore and
//! .opslintignore; files named explicitly are taken even if ignored.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use globset::GlobSet;

use crate::walk_cache::Seen;

/// A file the run may hand to plugins.
#[derive(Debug, Clone)]
pub struct Target {
    pub abs: PathBuf,
    /// Relative to the project root, `/`-separated: what plugins and globs see.
    pub rel: String,
    /// As shown to the user.
    pub display: String,
    /// Contents already in memory (standard input), instead of reading `abs`.
    pub stdin: Option<Vec<u8>>,
}

/// A path the walk could not read (a finding, not a silent skip).
#[derive(Debug, Clone)]
pub struct WalkProblem {
    pub display: String,
    pub message: String,
}

#[derive(Default)]
pub struct Walk {
    pub targets: Vec<Target>,
    pub problems: Vec<WalkProblem>,
    /// Folders left out by the default exclusion (relative to the root), for `check -v`.
    pub skipped: BTreeSet<String>,
    /// A tree's walk was the one kept from an earlier run (walk_cache.rs), for `check -v`.
    pub kept: bool,
}

/// What a walk leaves out besides `.gitignore` and `[files] exclude`.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Folder names not walked into below a directory the run was given
    /// (the default exclusion: test inputs, samples, vendored code).
    pub dirs: Vec<String>,
    /// Apply `dirs` to files named on the command line too (`--force-exclude`).
    pub force: bool,
    /// Where whole trees' walks are kept between runs (walk_cache.rs); `None`: not kept.
    pub cache: Option<crate::walk_cache::Place>,
}

impl Scope {
    fn skips(&self, name: &std::ffi::OsStr) -> bool {
        // Compared as the knowledge crate compares them: `Tests/` is `tests/`.
        let name = name.to_string_lossy();
        self.dirs.iter().any(|d| d.eq_ignore_ascii_case(&name))
    }

    /// The first folder of `rel` (a `/`-separated path, its last part the file) this scope leaves out.
    fn skipped_dir<'r>(&self, rel: &'r str) -> Option<&'r str> {
        let dirs = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let mut end = 0;
        for part in dirs.split('/').filter(|p| !p.is_empty()) {
            end += part.len() + usize::from(end > 0);
            if self.skips(std::ffi::OsStr::new(part)) {
                return Some(&dirs[..end]);
            }
        }
        None
    }
}

/// `-` stands for standard input, named `stdin_name` (its path decides which plugins read it).
pub fn collect(
    paths: &[PathBuf],
    root: &Path,
    cwd: &Path,
    exclude: &GlobSet,
    scope: &Scope,
    stdin: Option<(String, Vec<u8>)>,
) -> Walk {
    let mut walk = Walk::default();
    if let Some((name, bytes)) = stdin {
        let mut t = target(cwd.join(&name), root, cwd);
        t.stdin = Some(bytes);
        walk.targets.push(t);
    }
    for path in paths.iter().filter(|p| p.as_os_str() != "-") {
        let abs = if path.is_absolute() { path.clone() } else { cwd.join(path) };
        if abs.is_dir() {
            walk_dir(&abs, None, root, cwd, exclude, scope, &mut walk);
        } else if abs.exists() || abs.symlink_metadata().is_ok() {
            let t = target(abs, root, cwd);
            if exclude.is_match(&t.rel) {
                continue;
            }
            if let Some(dir) = scope.force.then(|| scope.skipped_dir(&t.rel)).flatten() {
                walk.skipped.insert(dir.to_string());
                continue;
            }
            // A named pipe would block the read forever; a device could be endless.
            match std::fs::metadata(&t.abs).ok().filter(|m| !m.is_file()) {
                Some(m) => walk.problems.push(WalkProblem {
                    display: t.display,
                    message: format!("not a regular file ({}); not read", special_kind(&m.file_type())),
                }),
                None => walk.targets.push(t),
            }
        } else {
            walk.problems
                .push(WalkProblem { display: path.display().to_string(), message: "no such file or directory".into() });
        }
    }
    walk.targets.sort_by(|a, b| a.rel.cmp(&b.rel));
    walk.targets.dedup_by(|a, b| a.abs == b.abs);
    walk
}

/// The files directly in each directory from a named file's own up to
/// `root`: where its context files (a `.dockerignore`) can be, found without
/// walking the whole repository. Ignore rules apply as in a walk; problems
/// are not this run's to report.
pub fn around(named: &[Target], root: &Path, cwd: &Path, exclude: &GlobSet, scope: &Scope) -> Vec<Target> {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for t in named {
        let Some(parent) = t.abs.parent() else { continue };
        let parent = parent.canonicalize().unwrap_or_else(|_| parent.to_path_buf());
        let Ok(mut rel) = parent.strip_prefix(&canonical_root).map(Path::to_path_buf) else { continue };
        // A directory seen before has had its ancestors added with it.
        while dirs.insert(root.join(&rel)) && rel.pop() {}
    }
    let mut walk = Walk::default();
    for dir in &dirs {
        walk_dir(dir, Some(1), root, cwd, exclude, scope, &mut walk);
    }
    walk.targets.sort_by(|a, b| a.rel.cmp(&b.rel));
    walk.targets.dedup_by(|a, b| a.abs == b.abs);
    walk.targets
}

fn walk_dir(
    dir: &Path,
    depth: Option<usize>,
    root: &Path,
    cwd: &Path,
    exclude: &GlobSet,
    scope: &Scope,
    walk: &mut Walk,
) {
    use std::sync::{Arc, Mutex};
    // A whole tree's walk may be the one kept from an earlier run.
    let kept = scope.cache.as_ref().filter(|_| depth.is_none()).map(|place| {
        let mut shape = scope.dirs.clone();
        shape.push(format!("force={}", scope.force));
        (place, crate::walk_cache::key(place, dir, root, cwd, &shape))
    });
    if let Some((targets, skipped)) = kept.as_ref().and_then(|(place, key)| crate::walk_cache::load(place, key)) {
        walk.targets.extend(targets);
        walk.skipped.extend(skipped);
        walk.kept = true;
        return;
    }
    let started = std::time::SystemTime::now();
    let skipped = Arc::new(Mutex::new(Vec::new()));
    let ignore_files = Arc::new(Mutex::new(Vec::new()));
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .max_depth(depth)
        .hidden(false)
        .require_git(false)
        .git_global(false)
        .add_custom_ignore_filename(".opslintignore")
        .filter_entry({
            let (root, exclude, scope, skipped) = (root.to_path_buf(), exclude.clone(), scope.clone(), skipped.clone());
            let ignore_files = ignore_files.clone();
            // Excluded directories are not walked into at all; the default
            // exclusion applies below the directory given, never to it.
            move |e| {
                // What shapes the walk besides directories, for a kept walk to check.
                let name = e.file_name();
                if crate::walk_cache::IGNORE_FILES.iter().any(|f| name == *f) {
                    ignore_files.lock().expect("no walker thread panics").push(e.path().to_path_buf());
                } else if name == ".git" {
                    ignore_files.lock().expect("no walker thread panics").push(e.path().join("info").join("exclude"));
                }
                if name == ".git" || e.path().strip_prefix(&root).is_ok_and(|rel| exclude.is_match(rel)) {
                    return false;
                }
                let default_out =
                    e.depth() > 0 && e.file_type().is_some_and(|t| t.is_dir()) && scope.skips(e.file_name());
                if default_out {
                    skipped.lock().expect("no walker thread panics").push(e.path().to_path_buf());
                }
                !default_out
            }
        });
    let take = |entry: Result<ignore::DirEntry, ignore::Error>, walk: &mut Walk, seen: &mut Seen| match entry {
        Ok(e) if e.file_type().is_some_and(|t| t.is_file()) || e.path_is_symlink() && links_inside(e.path(), root) => {
            seen.unrecordable |= e.path_is_symlink();
            let t = target(e.into_path(), root, cwd);
            if !exclude.is_match(&t.rel) {
                walk.targets.push(t);
            }
        }
        Ok(e) => {
            seen.unrecordable |= e.path_is_symlink();
            if e.file_type().is_some_and(|t| t.is_dir()) {
                seen.dirs.push(e.into_path());
            }
        }
        Err(err) => {
            seen.unrecordable = true;
            let display = error_path(&err).map(|p| show(p, cwd)).unwrap_or_else(|| dir.display().to_string());
            walk.problems.push(WalkProblem { display, message: err.to_string() });
        }
    };
    let mut seen = Seen::default();
    let first = walk.targets.len();
    if depth.is_some() {
        // One directory's files (a named file's context): threads would cost more than they save.
        for entry in builder.build() {
            take(entry, walk, &mut seen);
        }
    } else {
        // A whole tree: directories are read on every core (the order is restored below).
        let found = Mutex::new((Walk::default(), Seen::default()));
        builder.build_parallel().run(|| {
            Box::new(|entry| {
                let mut found = found.lock().expect("no walker thread panics");
                let (walk, seen) = &mut *found;
                take(entry, walk, seen);
                ignore::WalkState::Continue
            })
        });
        let (mut found, found_seen) = found.into_inner().expect("no walker thread panics");
        seen = found_seen;
        found.problems.sort_by(|a, b| (&a.display, &a.message).cmp(&(&b.display, &b.message)));
        walk.targets.append(&mut found.targets);
        walk.problems.append(&mut found.problems);
    }
    let skipped: Vec<String> = skipped
        .lock()
        .expect("no walker thread panics")
        .drain(..)
        .map(|p| p.strip_prefix(root).map(slashes).unwrap_or_else(|_| show(&p, cwd)))
        .collect();
    walk.skipped.extend(skipped.iter().cloned());
    if let Some((place, key)) = kept {
        seen.ignore_files = std::mem::take(&mut *ignore_files.lock().expect("no walker thread panics"));
        crate::walk_cache::save(place, &key, dir, (&walk.targets[first..], skipped), seen, started);
    }
}

/// A symbolic link to a regular file inside the repository (a shared
/// `.dockerignore`, a Dockerfile linked into a build folder) is read as that
/// file; links that leave the repository, dangle or point at a directory are not followed.
fn links_inside(link: &Path, root: &Path) -> bool {
    let (Ok(target), Ok(root)) = (link.canonicalize(), root.canonicalize()) else { return false };
    target.starts_with(&root) && target.is_file()
}

fn special_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    let _ = t;
    "not a file"
}

fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        _ => None,
    }
}

fn target(abs: PathBuf, root: &Path, cwd: &Path) -> Target {
    let display = show(&abs, cwd);
    let rel = abs.strip_prefix(root).map(slashes).unwrap_or_else(|_| display.clone());
    Target { abs, rel, display, stdin: None }
}

/// Relative to the working directory when below it, else absolute; always `/`-separated.
pub fn show(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).map(slashes).unwrap_or_else(|_| slashes(path))
}

/// `/`-separated, without `.` components (`svc/./Dockerfile` is `svc/Dockerfile`).
fn slashes(p: &Path) -> String {
    // Most paths are in that form already: one look instead of a walk over their components.
    #[cfg(unix)]
    if let Some(s) = p.to_str() {
        let plain = !s.is_empty()
            && s != "."
            && !s.starts_with("./")
            && !s.ends_with("/.")
            && !s.ends_with('/')
            && !s.contains("/./")
            && !s.contains("//")
            && !s.contains('\\');
        if plain {
            return s.to_string();
        }
    }
    by_components(p)
}

fn by_components(p: &Path) -> String {
    use std::path::Component;
    let mut out = String::new();
    for c in p.components() {
        let part = match c {
            Component::CurDir => continue,
            Component::RootDir => {
                out.push('/');
                continue;
            }
            Component::Prefix(x) => x.as_os_str().to_string_lossy(),
            Component::ParentDir => "..".into(),
            Component::Normal(n) => n.to_string_lossy(),
        };
        if !out.is_empty() && !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(&part.replace('\\', "/"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_already_slashed_is_kept_and_others_are_made_so() {
        for p in [
            "a/b/Dockerfile",
            "/abs/x.yaml",
            "../up/k.yaml",
            "a/../b",
            ".github/workflows/ci.yml",
            "./a/b",
            "a/./b",
            "a//b",
            "a/b/",
            "a/.",
            ".",
            "/",
            "",
            "a\\b/c",
            "x/.hidden/..y",
        ] {
            assert_eq!(slashes(Path::new(p)), by_components(Path::new(p)), "{p:?}");
        }
    }
}
