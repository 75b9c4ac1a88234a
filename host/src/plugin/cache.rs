//! Compiled-plugin cache: Cranelift runs once per plugin and engine; later
//! starts map the compiled code. Files are `<sha256(component)>-<engine
//! hash>-x4.cwasm`, exactly what `Engine::precompile_component` wrote, beside
//! a `.sum` file with a 128-bit xxh3 checksum of it, so a damaged file is
//! recompiled, never loaded. Both are written through a temporary file and a
//! rename, never in place. (A checksum against damage, not a signature: the
//! directory is private to the user, and sha256 of every payload cost
//! milliseconds on every start.) The code is mapped from the file, not read
//! and copied: a start of six plugins read and copied 14 MB, 7,500 page
//! faults and most of a 36 ms warm start.
#![allow(unsafe_code)]

use std::fs;
use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::component::Component;
use wasmtime::Engine;

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
    let mut h = ShaHasher(Sha256::new());
    engine.precompile_compatibility_hash().hash(&mut h);
    env!("CARGO_PKG_VERSION").hash(&mut h);
    let engine_key = hex(&h.0.finalize()[..8]);
    // `x4`: the code alone, its checksum beside it; older formats keep their own names.
    let file = dir.join(format!("{}-{engine_key}-x4.cwasm", &wasm_sha[..32]));
    if let Some(component) = load(engine, &file) {
        return Ok((component, false));
    }
    crate::progress::compiling(true);
    let compiled = engine.precompile_component(wasm);
    crate::progress::compiling(false);
    let compiled = compiled?;
    store(dir, &file, &compiled);
    // SAFETY: `compiled` was produced just now by this engine.
    Ok((unsafe { Component::deserialize(engine, &compiled) }?, true))
}

fn sum_path(file: &Path) -> PathBuf {
    file.with_extension("sum")
}

fn load(engine: &Engine, file: &Path) -> Option<Component> {
    let want = fs::read(sum_path(file)).ok()?;
    if want.len() != CHECKSUM || want != file_checksum(file)? {
        return None;
    }
    // SAFETY: deserialising runs native code from the file, so the cache directory
    // is trusted like the binary itself: it is created private to the user (0700),
    // and only `store` below writes there, from `Engine::precompile_component` of an
    // engine with this file name's compatibility hash, through a rename, so a mapped
    // file is never changed under a running opslint. The checksum rules out a
    // truncated or corrupted file; wasmtime itself checks the engine and version.
    // Do not point OPSLINT_CACHE_DIR at a directory others can write.
    unsafe { Component::deserialize_file(engine, file) }.ok()
}

const CHECKSUM: usize = 16;

fn checksum(payload: &[u8]) -> [u8; CHECKSUM] {
    xxhash_rust::xxh3::xxh3_128(payload).to_le_bytes()
}

/// The checksum of a file, read through one small buffer (no copy of the file is kept).
fn file_checksum(file: &Path) -> Option<[u8; CHECKSUM]> {
    let mut f = fs::File::open(file).ok()?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 256 << 10];
    loop {
        match f.read(&mut buf) {
            Ok(0) => return Some(hasher.digest128().to_le_bytes()),
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
}

/// Best effort: an unwritable cache only costs the next start a compile.
fn store(dir: &Path, file: &Path, compiled: &[u8]) {
    let write = || -> std::io::Result<()> {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir)?;
        // The checksum first: a reader that finds the new code with the old
        // checksum (or none) recompiles, never loads a mismatch.
        for (path, bytes) in [(sum_path(file), &checksum(compiled)[..]), (file.to_path_buf(), compiled)] {
            let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
            tmp.write_all(bytes)?;
            tmp.persist(path)?;
        }
        Ok(())
    };
    let _ = write();
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
