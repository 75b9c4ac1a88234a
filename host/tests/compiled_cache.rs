//! The compiled-plugin cache holds native code opslint runs, so it is never a
//! way in: entries another user's key signed (a cache restored from another
//! CI job or a fork) and poisoned entries are recompiled, not loaded; a cache
//! directory others can write and a key file others can read are refused.
#![cfg(unix)]
mod common;
use common::*;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// stderr of `check -v` with this cache directory and key file.
fn run(cache: &Path, key: &Path) -> String {
    let dir = tree(&[("Dockerfile", b"FROM alpine:3.20\nRUN apk add curl\n")]);
    let out = std::process::Command::new(BIN)
        .args(["check", "-v"])
        .current_dir(dir.path())
        .env("OPSLINT_CACHE_DIR", cache)
        .env("OPSLINT_CACHE_KEY_FILE", key)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "the Dockerfile's findings are reported: {stderr}");
    stderr
}

fn compiled(cache: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(cache)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "cwasm"))
        .collect();
    v.sort();
    v
}

fn all_compiled(stderr: &str, n: usize) -> bool {
    stderr.contains(&format!(" {n} compiled with Cranelift"))
}

#[test]
fn a_second_run_reuses_the_cache_and_the_key_is_private() {
    let cache = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let key = home.path().join("cfg").join("cache.key");
    let cold = run(cache.path(), &key);
    assert!(!cold.contains(" 0 compiled"), "the first start compiles: {cold}");
    assert!(!cold.contains("cache not used"), "an empty cache is not refused: {cold}");
    let warm = run(cache.path(), &key);
    assert!(warm.contains(" 0 compiled with Cranelift"), "a second run loads from the cache: {warm}");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&key), 0o600);
    assert_eq!(mode(key.parent().unwrap()), 0o700);
    assert_eq!(std::fs::read(&key).unwrap().len(), 32);
    for f in compiled(cache.path()) {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
        assert!(f.with_extension("mac").is_file());
    }
}

#[test]
fn entries_signed_by_another_key_or_poisoned_are_recompiled_not_loaded() {
    let cache = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let (mine, theirs) = (keys.path().join("mine.key"), keys.path().join("theirs.key"));
    run(cache.path(), &theirs);
    let n = compiled(cache.path()).len();
    assert!(n >= 6, "one entry per built-in plugin");
    // The same cache with another user's key: nothing is trusted.
    let other = run(cache.path(), &mine);
    assert!(all_compiled(&other, n), "another key's entries are recompiled: {other}");
    // Poisoned entries: garbage code with the MAC of the real code beside it,
    // and an unkeyed old-format checksum. Deserialising any would crash.
    let good_mac: Vec<_> =
        compiled(cache.path()).iter().map(|f| std::fs::read(f.with_extension("mac")).unwrap()).collect();
    for (f, mac) in compiled(cache.path()).iter().zip(good_mac) {
        std::fs::write(f, b"\x7fELF garbage that must never be mapped").unwrap();
        std::fs::write(f.with_extension("mac"), mac).unwrap();
        std::fs::write(f.with_extension("sum"), [0u8; 16]).unwrap();
        // A damaged metadata record too, so this start must map every plugin's code.
        std::fs::write(f.with_extension("meta"), b"not a record").unwrap();
    }
    let poisoned = run(cache.path(), &mine);
    assert!(all_compiled(&poisoned, n), "poisoned entries are recompiled: {poisoned}");
    let again = run(cache.path(), &mine);
    assert!(again.contains(" 0 compiled with Cranelift"), "and overwritten with good ones: {again}");
}

#[test]
fn a_run_the_findings_cache_answers_maps_no_compiled_code() {
    let cache = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let key = keys.path().join("k");
    let first = run(cache.path(), &key);
    let n = compiled(cache.path()).len();
    for f in compiled(cache.path()) {
        assert!(f.with_extension("meta").is_file(), "each plugin's metadata is kept beside its code");
    }
    // Code that would crash if mapped: an answered run never touches it.
    for f in compiled(cache.path()) {
        std::fs::write(&f, b"\x7fELF garbage that must never be mapped").unwrap();
    }
    let answered = run(cache.path(), &key);
    assert!(answered.contains(" 0 compiled with Cranelift"), "{answered}");
    assert!(answered.contains(" 0 checked by plugins"), "{answered}");
    // With the findings gone the plugins run: the damaged code fails its MAC and is recompiled.
    std::fs::remove_file(cache.path().join("findings-v2.sqlite")).unwrap();
    let rerun = run(cache.path(), &key);
    assert!(!rerun.contains(" 0 compiled with Cranelift") && !all_compiled(&rerun, n), "only what runs: {rerun}");
    let report = |s: &str| s.lines().filter(|l| !l.starts_with("plugins:") && !l.contains(" in ")).count();
    assert_eq!(report(&rerun), report(&first));
}

#[test]
fn a_cache_directory_others_can_write_is_refused() {
    let cache = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let key = keys.path().join("k");
    run(cache.path(), &key);
    std::fs::set_permissions(cache.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = run(cache.path(), &key);
    assert!(out.contains("compiled-plugin cache not used") && out.contains("writable by others"), "{out}");
    assert_eq!(out.matches("compiled-plugin cache not used").count(), 1, "warned once: {out}");
    assert!(!out.contains(" 0 compiled"), "nothing is loaded from it: {out}");
}

#[test]
fn a_key_file_others_can_read_is_refused() {
    let cache = tempfile::tempdir().unwrap();
    let keys = tempfile::tempdir().unwrap();
    let key = keys.path().join("k");
    run(cache.path(), &key);
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(cache.path(), &key);
    assert!(out.contains("key file") && out.contains("readable or writable by others"), "{out}");
    assert!(!out.contains(" 0 compiled"), "the cache is not used: {out}");
}

#[test]
fn entries_of_older_versions_and_formats_are_removed_newer_ones_kept() {
    let cache = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let key = home.path().join("cache.key");
    run(cache.path(), &key);
    let current = compiled(cache.path());
    let name = current[0].file_name().unwrap().to_string_lossy().into_owned();
    // `<32 hex>-<16 hex>-<version>-x6.cwasm`
    let (sha, engine) = (&name[..32], &name[33..49]);
    let planted = |n: &str| {
        let p = cache.path().join(n);
        std::fs::write(&p, b"old code").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
        p
    };
    let stale = [
        planted(&format!("{sha}-{engine}-x5.cwasm")),
        planted(&format!("{sha}-{engine}-x5.mac")),
        planted(&format!("{sha}-{engine}-x4.sum")),
        planted(&format!("{sha}-0123456789abcdef-0.0.1-x6.cwasm")),
        planted(&format!("{sha}-0123456789abcdef-0.0.1-x6.mac")),
        planted(&format!("{sha}-0123456789abcdef-{}-x6.cwasm", env!("CARGO_PKG_VERSION"))),
    ];
    let newer = [
        planted(&format!("{sha}-0123456789abcdef-999.0.0-x6.cwasm")),
        planted(&format!("{sha}-0123456789abcdef-999.0.0-x6.mac")),
    ];
    let unrelated = planted("notes.txt");
    // Removal happens when a plugin is compiled: make one miss.
    std::fs::remove_file(&current[0]).unwrap();
    std::fs::remove_file(current[0].with_extension("meta")).unwrap();
    let stderr = run(cache.path(), &key);
    assert!(stderr.contains(" 1 compiled with Cranelift"), "{stderr}");
    for p in &stale {
        assert!(!p.exists(), "an older version's or format's entry is removed: {}", p.display());
    }
    for p in newer.iter().chain([&unrelated]) {
        assert!(p.exists(), "kept: {}", p.display());
    }
    assert_eq!(compiled(cache.path()).len(), current.len() + 1, "this version's entries plus the newer one");
}
