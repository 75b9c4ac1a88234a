//! The per-user key that authenticates compiled plugins (plugin/cache.rs), and
//! the ownership and permission checks on what the cache trusts.
//!
//! The key is 32 random bytes from the OS, in `$OPSLINT_CACHE_KEY_FILE`, else
//! `$XDG_CONFIG_HOME/opslint/cache.key`, else `~/.config/opslint/cache.key`:
//! outside the cache directory, so restoring a cache from elsewhere does not
//! bring a key that vouches for it. Created 0600 in a 0700 folder, written
//! through a temporary file and an exclusive rename (two first runs agree on
//! one key). A key file another user owns, or that others can read or write,
//! is refused: the compiled-plugin cache is then not used.
#![allow(unsafe_code)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn key_path() -> Option<PathBuf> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    var("OPSLINT_CACHE_KEY_FILE")
        .or_else(|| var("XDG_CONFIG_HOME").map(|d| d.join("opslint").join("cache.key")))
        .or_else(|| var("HOME").map(|d| d.join(".config").join("opslint").join("cache.key")))
}

/// The key, read or created once per process; `None` (warned once) when there is none to be had.
pub fn key() -> Option<&'static [u8; 32]> {
    static KEY: OnceLock<Option<[u8; 32]>> = OnceLock::new();
    KEY.get_or_init(|| {
        let path = key_path()?;
        match read_or_create(&path) {
            Ok(k) => Some(k),
            Err(why) => {
                eprintln!(
                    "warning: compiled-plugin cache not used: key file {}: {why}; plugins are compiled in memory",
                    path.display()
                );
                None
            }
        }
    })
    .as_ref()
}

fn read_or_create(path: &Path) -> Result<[u8; 32], String> {
    if !path.exists() {
        create(path).map_err(|e| format!("cannot create it: {e}"))?;
    }
    check(path, 0o077, "readable or writable by others")?;
    let bytes = fs::read(path).map_err(|e| e.to_string())?;
    bytes.try_into().map_err(|_| "not 32 bytes long".to_string())
}

fn create(path: &Path) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| std::io::Error::other(e.to_string()))?;
    // A temporary file is created 0600.
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(&key)?;
    tmp.as_file().sync_all()?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(()),
        // Another opslint created it first: its key is the one.
        Err(_) if path.exists() => Ok(()),
        Err(e) => Err(e.error),
    }
}

/// Creates the cache directory (0700) if needed, then checks it.
pub fn private_dir(dir: &Path) -> Result<(), String> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    check(dir, 0o022, "writable by others")
}

/// A cache entry (followed through a symbolic link) that this user alone can write.
pub fn private_file(file: &Path) -> Result<(), String> {
    check(file, 0o022, "writable by others")
}

#[cfg(unix)]
fn check(path: &Path, forbidden: u32, what: &str) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me {
        return Err(format!("{} is owned by uid {}, not this user ({me})", path.display(), meta.uid()));
    }
    if meta.mode() & forbidden != 0 {
        return Err(format!("{} is {what} (mode {:o})", path.display(), meta.mode() & 0o777));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check(path: &Path, _forbidden: u32, _what: &str) -> Result<(), String> {
    fs::metadata(path).map(|_| ()).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes a cache file through a temporary file (0600) in its folder and a rename, never in place.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = tempfile::NamedTempFile::new_in(path.parent().unwrap_or(Path::new(".")))?;
    tmp.write_all(bytes)?;
    tmp.persist(path)?;
    Ok(())
}
