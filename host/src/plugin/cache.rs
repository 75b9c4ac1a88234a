//! Compiled-plugin cache: Cranelift runs once per plugin and engine; later
//! starts map the compiled code. Files are `<sha256(component)>-<engine
//! hash>-<opslint version>-x6.cwasm`, exactly what `Engine::precompile_component` wrote, beside
//! a `.mac` file: a keyed BLAKE3 MAC of the file name (component, engine,
//! opslint version) and the code, under a per-user key kept outside the cache
//! directory (plugin/cache_key.rs), then a mark that the file was verified
//! (keyed too: its inode, size and times), so an unchanged file is not
//! hashed at every start. The code is native and runs in-process, so
//! an entry this user's opslint did not write (a cache restored from another
//! CI job or a fork, a damaged file) fails the MAC and is recompiled and
//! overwritten, never loaded. A directory or file that others can write, or
//! that another user owns, is refused (warned once; plugins compile in memory).
//! Writes go through a temporary file and a rename, never in place. The code is
//! mapped from the file, not read and copied: a start of six plugins read and
//! copied 14 MB, 7,500 page faults and most of a 36 ms warm start. BLAKE3
//! rather than HMAC-SHA256: it is a keyed MAC by design and hashes the 14 MB of
//! a start several times faster. When a plugin is compiled (as every plugin is
//! at the first start of a new version), entries of older formats and of older
//! opslint versions are deleted; a newer version's are kept, so two versions
//! used in turn do not recompile each other's plugins away.
#![allow(unsafe_code)]

use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::component::Component;
use wasmtime::Engine;

use crate::plugin::cache_key::write_private;

const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Clone)]
pub struct CacheDir(pub Option<PathBuf>);

impl CacheDir {
    /// `$OPSLINT_CACHE_DIR`, else `$XDG_CACHE_HOME/opslint`, else `~/.cache/opslint`.
    pub fn from_env() -> CacheDir {
        let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
        let dir = var("OPSLINT_CACHE_DIR")
            .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("opslint")))
            .or_else(|| var("HOME").map(|d| d.join(".cache").join("opslint")));
        CacheDir(dir)
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Loads the compiled form of `wasm` from the cache, compiling (and storing) it on a miss.
/// The flag says whether Cranelift ran.
pub fn component(
    engine: &Engine,
    wasm: &[u8],
    wasm_sha: &str,
    cache: &CacheDir,
) -> wasmtime::Result<(Component, bool)> {
    let Some(dir) = &cache.0 else {
        return Ok((Component::new(engine, wasm)?, true));
    };
    let engine_key = engine_key(engine);
    // `x6`: the code alone, its keyed MAC beside it, the version in the name.
    let file = dir.join(format!("{}-{engine_key}-{VERSION}-x6.cwasm", &wasm_sha[..32]));
    let usable =
        crate::plugin::cache_key::key().zip(crate::plugin::cache_key::private_dir(dir).map_err(refuse_once).ok());
    let Some((key, ())) = usable else {
        crate::progress::compiling(true);
        let component = Component::new(engine, wasm);
        crate::progress::compiling(false);
        return Ok((component?, true));
    };
    if let Some(component) = load(engine, key, &file) {
        return Ok((component, false));
    }
    crate::progress::compiling(true);
    let compiled = engine.precompile_component(wasm);
    crate::progress::compiling(false);
    let compiled = compiled?;
    store(key, &file, &compiled);
    remove_stale(dir, &engine_key);
    // SAFETY: `compiled` was produced just now by this engine.
    Ok((unsafe { Component::deserialize(engine, &compiled) }?, true))
}

fn engine_key(engine: &Engine) -> String {
    let mut h = ShaHasher(Sha256::new());
    engine.precompile_compatibility_hash().hash(&mut h);
    VERSION.hash(&mut h);
    hex(&h.0.finalize()[..8])
}

/// Where a plugin's metadata is kept: beside its compiled code, under the same name.
fn meta_file(engine: &Engine, wasm_sha: &str, cache: &CacheDir) -> Option<(PathBuf, &'static [u8; 32])> {
    let dir = cache.0.as_ref()?;
    let key = crate::plugin::cache_key::key()?;
    crate::plugin::cache_key::private_dir(dir).ok()?;
    let file = dir.join(format!("{}-{}-{VERSION}-x6.meta", &wasm_sha.get(..32)?, engine_key(engine)));
    Some((file, key))
}

/// A plugin's metadata as a start that compiled it stored it (`T` is what
/// `metadata()` returned, with the interface version): a later start needs
/// neither the compiled code nor an instance until the plugin has a batch to
/// run, so a run answered from the findings cache maps no code at all. The
/// record is authenticated like the code (its MAC first, over the same name):
/// metadata says which files a plugin reads, so a forged one could silence it.
pub fn cached_meta<T: serde::de::DeserializeOwned>(engine: &Engine, wasm_sha: &str, cache: &CacheDir) -> Option<T> {
    let (file, key) = meta_file(engine, wasm_sha, cache)?;
    crate::plugin::cache_key::private_file(&file).ok()?;
    let bytes = fs::read(&file).ok()?;
    let (want, payload) = bytes.split_at_checked(32)?;
    let want: [u8; 32] = want.try_into().ok()?;
    if blake3::Hash::from_bytes(want) != mac(key, &file, payload) {
        return None;
    }
    serde_json::from_slice(payload).ok()
}

/// Stores what [`cached_meta`] reads back; best effort.
pub fn store_meta<T: serde::Serialize>(engine: &Engine, wasm_sha: &str, cache: &CacheDir, meta: &T) {
    let Some((file, key)) = meta_file(engine, wasm_sha, cache) else { return };
    let Ok(payload) = serde_json::to_vec(meta) else { return };
    let mut bytes = mac(key, &file, &payload).as_bytes().to_vec();
    bytes.extend_from_slice(&payload);
    let _ = write_private(&file, &bytes);
}

fn mac_path(file: &Path) -> PathBuf {
    file.with_extension("mac")
}

/// Why the cache directory is not used, warned once per process.
fn refuse_once(why: String) {
    static WARNED: std::sync::Once = std::sync::Once::new();
    WARNED.call_once(|| eprintln!("warning: compiled-plugin cache not used: {why}; plugins are compiled in memory"));
}

fn load(engine: &Engine, key: &[u8; 32], file: &Path) -> Option<Component> {
    // No MAC file: no entry yet (the caller compiles and stores one), nothing to warn of.
    let record = fs::read(mac_path(file)).ok()?;
    if let Err(why) = crate::plugin::cache_key::private_file(file) {
        refuse_once(why);
        return None;
    }
    verified(key, file, &record)?;
    // SAFETY: deserialising runs native code from the file. The MAC proves this
    // user's opslint wrote these exact bytes for this component, engine and
    // version (from `Engine::precompile_component`), and the directory and file
    // were just checked to be writable by this user alone, so nobody else can
    // swap the file between the check and the mapping. Files are replaced by
    // rename, so a mapped file never changes under a running opslint. The
    // mark stands for the MAC only while the file is the inode it was, with
    // the size and change time it had: a rename or any write changes them.
    unsafe { Component::deserialize_file(engine, file) }.ok()
}

/// `Some` when `file` holds the code its MAC file (`record`) names: by the mark of an
/// unchanged file this user's opslint verified before, else by hashing it
/// (a tenth of a pre-commit run's CPU), after which the mark is written.
fn verified(key: &[u8; 32], file: &Path, record: &[u8]) -> Option<()> {
    let want: [u8; 32] = record.get(..32)?.try_into().ok()?;
    let mark = stat_mark(key, file, &want);
    if mark.is_some() && record.get(32..) == mark.as_ref().map(|m| &m[..]) {
        return Some(());
    }
    // `blake3::Hash` compares in constant time.
    if blake3::Hash::from_bytes(want) != file_mac(key, file)? {
        return None;
    }
    if let Some(mark) = mark {
        let _ = write_private(&mac_path(file), &[&want[..], &mark].concat());
    }
    Some(())
}

/// What marks `file` as verified against `want` while it is unchanged: a
/// keyed MAC of `want` and the file's device, inode, size, modification and
/// change times. `None` where the platform does not give them all.
#[cfg(unix)]
fn stat_mark(key: &[u8; 32], file: &Path, want: &[u8; 32]) -> Option<[u8; 32]> {
    use std::os::unix::fs::MetadataExt;
    let m = fs::metadata(file).ok()?;
    let mut h = blake3::Hasher::new_keyed(key);
    h.update(&mac_context(file));
    h.update(b"verified unchanged\n");
    h.update(want);
    for n in [m.dev(), m.ino(), m.size()] {
        h.update(&n.to_le_bytes());
    }
    for n in [m.mtime(), m.mtime_nsec(), m.ctime(), m.ctime_nsec()] {
        h.update(&n.to_le_bytes());
    }
    Some(*h.finalize().as_bytes())
}

#[cfg(not(unix))]
fn stat_mark(_key: &[u8; 32], _file: &Path, _want: &[u8; 32]) -> Option<[u8; 32]> {
    None
}

/// What the MAC covers besides the code: the entry's name (component hash,
/// engine hash with the opslint version) and the format, so an entry cannot be
/// moved to another name.
fn mac_context(file: &Path) -> Vec<u8> {
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!("opslint compiled plugin x6\n{VERSION}\n{name}\n").into_bytes()
}

fn mac(key: &[u8; 32], file: &Path, payload: &[u8]) -> blake3::Hash {
    let mut h = blake3::Hasher::new_keyed(key);
    h.update(&mac_context(file));
    h.update(payload);
    h.finalize()
}

/// The MAC of a file, read through one small buffer (no copy of the file is kept).
fn file_mac(key: &[u8; 32], file: &Path) -> Option<blake3::Hash> {
    let mut f = fs::File::open(file).ok()?;
    let mut h = blake3::Hasher::new_keyed(key);
    h.update(&mac_context(file));
    let mut buf = vec![0u8; 256 << 10];
    loop {
        match f.read(&mut buf) {
            Ok(0) => return Some(h.finalize()),
            Ok(n) => {
                h.update(&buf[..n]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
}

/// Best effort: an unwritable cache only costs the next start a compile.
fn store(key: &[u8; 32], file: &Path, compiled: &[u8]) {
    // The MAC first: a reader that finds the new code with the old MAC (or
    // none) recompiles, never loads a mismatch; then the mark of the file written.
    let want = *mac(key, file, compiled).as_bytes();
    let written = write_private(&mac_path(file), &want).and_then(|()| write_private(file, compiled));
    if let (Ok(()), Some(mark)) = (written, stat_mark(key, file, &want)) {
        let _ = write_private(&mac_path(file), &[&want[..], &mark].concat());
    }
}

/// Deletes compiled entries no start of this opslint or a newer one loads:
/// older formats (`-x1`..`-x5`, with a `.sum` or `.mac`), older versions' `x6`,
/// and this version's built with another engine.
fn remove_stale(dir: &Path, engine_key: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let ours = semver::Version::parse(VERSION).ok();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(stem) = [".cwasm", ".sum", ".mac", ".meta"].iter().find_map(|x| name.strip_suffix(x)) else {
            continue;
        };
        let stale = if ["-x1", "-x2", "-x3", "-x4", "-x5"].iter().any(|t| stem.ends_with(t)) {
            true
        } else if let Some(rest) = stem.strip_suffix("-x6") {
            // `<32 hex>-<16 hex>-<version>`; a version may hold dashes.
            let mut parts = rest.splitn(3, '-');
            let (engine, version) = (parts.nth(1).unwrap_or(""), parts.next().unwrap_or(""));
            match (semver::Version::parse(version).ok(), &ours) {
                (Some(v), Some(o)) => v < *o || (v == *o && engine != engine_key),
                _ => true,
            }
        } else {
            false
        };
        if stale {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Feeds `Hash` into sha256, so cache keys do not change with the Rust release.
struct ShaHasher(Sha256);

impl Hasher for ShaHasher {
    fn finish(&self) -> u64 {
        0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn verified(key: &[u8; 32], file: &Path) -> Option<()> {
        super::verified(key, file, &fs::read(mac_path(file)).ok()?)
    }

    fn entry(dir: &Path, key: &[u8; 32], code: &[u8]) -> PathBuf {
        let file = dir.join("0123-abcd-1.0.0-x6.cwasm");
        store(key, &file, code);
        file
    }

    #[test]
    fn an_entry_is_marked_when_stored_and_stays_verified_while_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let key = [7u8; 32];
        let file = entry(dir.path(), &key, b"compiled code");
        assert_eq!(fs::read(mac_path(&file)).unwrap().len(), 64, "the MAC, then the mark");
        assert!(verified(&key, &file).is_some());
        assert!(verified(&[8u8; 32], &file).is_none(), "another key trusts neither the mark nor the MAC");
    }

    #[test]
    fn a_file_changed_in_place_with_its_size_and_time_kept_is_not_verified() {
        let dir = tempfile::tempdir().unwrap();
        let key = [7u8; 32];
        let file = entry(dir.path(), &key, b"compiled code");
        let modified = fs::metadata(&file).unwrap().modified().unwrap();
        // Past the kernel's coarse clock tick, so the change time moves.
        std::thread::sleep(std::time::Duration::from_millis(30));
        fs::write(&file, b"poisoned code").unwrap();
        fs::File::options().write(true).open(&file).unwrap().set_modified(modified).unwrap();
        assert_eq!(fs::metadata(&file).unwrap().modified().unwrap(), modified);
        assert!(verified(&key, &file).is_none(), "the mark names the change time; the MAC the bytes");
    }

    #[test]
    fn a_forged_or_missing_mark_falls_back_to_the_mac_and_is_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let key = [7u8; 32];
        let file = entry(dir.path(), &key, b"compiled code");
        let record = fs::read(mac_path(&file)).unwrap();
        for forged in [[&record[..32], &[0u8; 32][..]].concat(), record[..32].to_vec()] {
            fs::write(mac_path(&file), &forged).unwrap();
            assert!(verified(&key, &file).is_some(), "the code is still what its MAC says");
            assert_eq!(fs::read(mac_path(&file)).unwrap(), record, "and marked again");
        }
        // A mark cannot vouch for other bytes: with the MAC of other code, neither holds.
        let other = mac(&key, &file, b"other code");
        fs::write(mac_path(&file), [other.as_bytes(), &record[32..]].concat()).unwrap();
        assert!(verified(&key, &file).is_none());
    }
}
