//! A whole tree's walk, kept between runs. The record names every directory
//! the walk entered and every ignore file that could shape it, each with its
//! stat data (device, inode, modification and change times), and the files
//! the walk found. A later walk of the same tree (same root, working
//! directory, exclusions and scope) that finds all of those unchanged takes
//! the list instead of reading every directory again: a file added, removed
//! or renamed changes its directory's times, an edited ignore file its own.
//! A pre-commit run walks the whole repository for its repository-scope
//! plugins; on 10,000 files that walk read 3,000 directories.
//!
//! What is not recorded is walked: a tree with symbolic links (whose
//! targets can change without their directory), one whose walk met an
//! error, or one that changed in the two seconds before the walk (a change
//! within the file system's timestamp granularity could go unseen, as git's
//! "racy" index entries). The record is authenticated like the compiled
//! plugins (a keyed BLAKE3 MAC under the per-user key): a forged list could
//! hide files from the check.
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::walk::Target;

/// Ignore files the walk reads in each directory (`WalkBuilder` settings in walk.rs).
pub const IGNORE_FILES: [&str; 3] = [".gitignore", ".ignore", ".opslintignore"];
/// How many trees' records a cache directory keeps (the least recently written go first).
const KEPT: usize = 16;
/// A path changed this close to the walk's start is not trusted by its times.
const RACY: Duration = Duration::from_secs(2);
const FORMAT: &str = "opslint walk record 1";

/// Where records are kept, and what besides the tree decides a walk.
#[derive(Debug, Clone)]
pub struct Place {
    pub dir: PathBuf,
    /// The settings that shape a walk (`[files] exclude`), as text.
    pub config: String,
}

/// What a walk saw besides its files: what the record must check.
#[derive(Default)]
pub struct Seen {
    pub dirs: Vec<PathBuf>,
    pub ignore_files: Vec<PathBuf>,
    /// A symbolic link or an error: the walk is not recorded.
    pub unrecordable: bool,
}

/// A path's stat data; `None` in a record: the path did not exist.
type Stat = Option<[i64; 6]>;

#[derive(Serialize, Deserialize)]
struct Record {
    checked: Vec<(String, Stat)>,
    /// Each file as `abs`, `rel`, `display` (walk.rs `Target`).
    files: Vec<(String, String, String)>,
    skipped: Vec<String>,
}

/// The key of a walk of `dir`: everything but the tree that decides its result.
pub fn key(place: &Place, dir: &Path, root: &Path, cwd: &Path, scope: &[String]) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    for part in [FORMAT, env!("CARGO_PKG_VERSION"), &place.config] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    for p in [dir, root, cwd] {
        let s = p.as_os_str().as_encoded_bytes();
        h.update(&(s.len() as u64).to_le_bytes());
        h.update(s);
    }
    for d in scope {
        h.update(&(d.len() as u64).to_le_bytes());
        h.update(d.as_bytes());
    }
    *h.finalize().as_bytes()
}

fn file(place: &Place, key: &[u8; 32]) -> PathBuf {
    let hex: String = key[..8].iter().map(|b| format!("{b:02x}")).collect();
    place.dir.join(format!("walk-{hex}.bin"))
}

fn mac(secret: &[u8; 32], key: &[u8; 32], payload: &[u8]) -> blake3::Hash {
    let mut h = blake3::Hasher::new_keyed(secret);
    h.update(FORMAT.as_bytes());
    h.update(key);
    h.update(payload);
    h.finalize()
}

#[cfg(unix)]
fn stat(path: &Path) -> Stat {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some([m.dev() as i64, m.ino() as i64, m.mtime(), m.mtime_nsec(), m.ctime(), m.ctime_nsec()])
}

#[cfg(not(unix))]
fn stat(_: &Path) -> Stat {
    None
}

/// The paths a record checks besides the directories and ignore files the
/// walk met: in `dir` and each folder above it, the ignore files (present or
/// not: one made later is found by its own stat, not by its folder's, which
/// changes with every file made beside it, as `/tmp` does) and git's exclude file.
fn around(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for a in dir.ancestors() {
        out.extend(IGNORE_FILES.iter().map(|f| a.join(f)));
        out.push(a.join(".git").join("info").join("exclude"));
    }
    out
}

/// The walk of `dir` a record holds, if every path it checks is unchanged:
/// its files and the folders the default exclusion left out.
pub fn load(place: &Place, key: &[u8; 32]) -> Option<(Vec<Target>, Vec<String>)> {
    if !cfg!(unix) {
        return None;
    }
    let secret = crate::plugin::cache_key::key()?;
    let path = file(place, key);
    crate::plugin::cache_key::private_file(&path).ok()?;
    let bytes = std::fs::read(&path).ok()?;
    let (want, payload) = bytes.split_at_checked(32)?;
    // `blake3::Hash` compares in constant time.
    if blake3::Hash::from_bytes(want.try_into().ok()?) != mac(secret, key, payload) {
        return None;
    }
    let record: Record = postcard::from_bytes(payload).ok()?;
    let unchanged = record.checked.par_iter().all(|(p, s)| stat(Path::new(p)) == *s);
    if !unchanged {
        return None;
    }
    let targets = record
        .files
        .into_iter()
        .map(|(abs, rel, display)| Target { abs: PathBuf::from(abs), rel, display, stdin: None })
        .collect();
    Some((targets, record.skipped))
}

/// Records a walk of `dir` begun at `started`; best effort, and not at all
/// when the walk saw what a record cannot vouch for.
pub fn save(
    place: &Place,
    key: &[u8; 32],
    dir: &Path,
    (targets, skipped): (&[Target], Vec<String>),
    seen: Seen,
    started: SystemTime,
) {
    if seen.unrecordable || !cfg!(unix) {
        return;
    }
    let Some(secret) = crate::plugin::cache_key::key() else { return };
    if crate::plugin::cache_key::private_dir(&place.dir).is_err() {
        return;
    }
    let paths: Vec<PathBuf> = around(dir).into_iter().chain(seen.dirs).chain(seen.ignore_files).collect();
    // A `.git` file (a worktree, a submodule) points at an exclude file elsewhere.
    let git_file =
        |p: &PathBuf| p.ends_with(".git/info/exclude") && p.parent().and_then(Path::parent).is_some_and(Path::is_file);
    if paths.iter().any(git_file) {
        return;
    }
    let Some(paths) = paths.into_iter().map(|p| p.into_os_string().into_string().ok()).collect::<Option<Vec<_>>>()
    else {
        return;
    };
    let checked: Vec<(String, Stat)> = paths
        .into_par_iter()
        .map(|p| {
            let s = stat(Path::new(&p));
            (p, s)
        })
        .collect();
    let since = started.checked_sub(RACY).and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok());
    let Some(since) = since.map(|d| d.as_secs() as i64) else { return };
    // Changed within the last seconds (or during the walk): its times may not show the next change.
    if checked.iter().filter_map(|(_, s)| s.as_ref()).any(|s| s[2] >= since || s[4] >= since) {
        return;
    }
    let Some(files) = targets
        .iter()
        .map(|t| Some((t.abs.to_str()?.to_string(), t.rel.clone(), t.display.clone())))
        .collect::<Option<Vec<_>>>()
    else {
        return;
    };
    let Ok(payload) = postcard::to_allocvec(&Record { checked, files, skipped }) else { return };
    let mut bytes = mac(secret, key, &payload).as_bytes().to_vec();
    bytes.extend_from_slice(&payload);
    if crate::plugin::cache_key::write_private(&file(place, key), &bytes).is_ok() {
        evict(&place.dir);
    }
}

/// Keeps the [`KEPT`] most recently written records.
fn evict(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut records: Vec<(SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_name().to_str().is_some_and(|n| n.starts_with("walk-") && n.ends_with(".bin")))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    if records.len() <= KEPT {
        return;
    }
    records.sort();
    for (_, p) in &records[..records.len() - KEPT] {
        let _ = std::fs::remove_file(p);
    }
}
