//! Building the built-in plugins: shared by host/build.rs (which embeds them)
//! and `cargo xtask plugins` (which writes them, with their sha256s, to a
//! folder that later host builds embed through `OPSLINT_PLUGINS_DIR` with no
//! wasm toolchain). Toolchain: a wasm32 std installed for this rustc if there
//! is one, else Debian's Rust with `-Z build-std` (docs/toolchain.md).
#![allow(dead_code)] // each includer uses its own part

use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

use sha2::{Digest, Sha256};

/// Plugins shipped inside the binary, by crate name suffix.
pub const BUILTINS: &[&str] = &["dockerfile", "sql", "k8s", "ci", "backup", "maturity", "prometheus", "compose"];
/// Built but never shipped: loaded by tests through `[plugins.*] path`.
pub const TEST_PLUGINS: &[&str] = &["misbehave"];
/// The sums file of a prebuilt-plugins folder, in `sha256sum` format.
pub const SUMS: &str = "SHA256SUMS";

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The component of a plugin crate's core module.
pub fn componentize(core: &Path) -> Vec<u8> {
    let bytes = fs::read(core).unwrap_or_else(|e| panic!("{}: {e}", core.display()));
    wit_component::ComponentEncoder::default()
        .module(&bytes)
        .and_then(|e| e.validate(true).encode())
        .unwrap_or_else(|e| panic!("componentizing {}: {e:#}", core.display()))
}

/// A prebuilt-plugins folder: `<name>.wasm` components listed in SHA256SUMS.
/// Returns (name, bytes, sha256) for each listed plugin, every one checked
/// against its sum; every built-in must be there.
pub fn read_prebuilt(dir: &Path) -> Result<Vec<(String, Vec<u8>, String)>, String> {
    let sums_path = dir.join(SUMS);
    let sums = fs::read_to_string(&sums_path).map_err(|e| format!("{}: {e}", sums_path.display()))?;
    let mut out = Vec::new();
    for line in sums.lines().filter(|l| !l.trim().is_empty()) {
        let (want, file) = line
            .split_once("  ")
            .or_else(|| line.split_once(" *"))
            .ok_or_else(|| format!("{}: not `<sha256>  <file>`: {line}", sums_path.display()))?;
        let name = file
            .strip_suffix(".wasm")
            .filter(|n| !n.contains(['/', '\\']))
            .ok_or_else(|| format!("{}: {file} is not a <name>.wasm file in that folder", sums_path.display()))?;
        let path = dir.join(file);
        let bytes = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let got = sha256_hex(&bytes);
        if got != want {
            return Err(format!("{}: sha256 {got}, but {SUMS} says {want}", path.display()));
        }
        out.push((name.to_string(), bytes, got));
    }
    if let Some(missing) = BUILTINS.iter().find(|b| !out.iter().any(|(n, _, _)| n == *b)) {
        return Err(format!("{}: no {missing}.wasm listed", sums_path.display()));
    }
    Ok(out)
}

/// Writes components to `dir` as `<name>.wasm` with a SHA256SUMS beside them.
pub fn write_prebuilt(dir: &Path, plugins: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    let mut sums = String::new();
    for (name, bytes) in plugins {
        fs::write(dir.join(format!("{name}.wasm")), bytes)?;
        sums.push_str(&format!("{}  {name}.wasm\n", sha256_hex(bytes)));
    }
    fs::write(dir.join(SUMS), sums)
}

/// Runs cargo on the plugins workspace for wasm32; returns the folder of core
/// modules (`opslint_plugin_<name>.wasm`).
pub fn build_core_modules(plugins: &Path, target_dir: &Path, names: &[&str]) -> PathBuf {
    let target = "wasm32-unknown-unknown";
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let mut cmd = if has_wasm_std(&rustc) {
        let mut c = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        c.env("RUSTC", &rustc);
        c.args(["build", "--release", "--target", target]);
        c
    } else {
        let cargo = Path::new("/usr/bin/cargo");
        let std_src = Path::new("/usr/lib/rustlib/src/rust/library");
        if !cargo.exists() || !std_src.exists() {
            panic!(
                "no wasm32 standard library for {rustc} and no Debian Rust with std sources; \
                 run scripts/setup (rustup target add wasm32-unknown-unknown, or Debian's rustc-web, \
                 cargo-web, rust-web-src and lld), or build with OPSLINT_PLUGINS_DIR set to prebuilt \
                 plugins (cargo xtask plugins; docs/toolchain.md)"
            );
        }
        let mut c = Command::new(cargo);
        let path = env::var("PATH").unwrap_or_default();
        c.env("PATH", format!("/usr/bin:{path}"));
        c.env("RUSTC_BOOTSTRAP", "1");
        c.env("RUSTC", "/usr/bin/rustc");
        c.args(["build", "--release", "--target", target, "-Z", "build-std=std,panic_abort"]);
        c
    };
    // The outer cargo's settings (wrappers, flags, jobserver, profile) must not leak in.
    for (key, _) in env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        let keep = ["CARGO_HOME", "CARGO_NET_", "CARGO_HTTP_", "CARGO_REGISTRIES_", "CARGO_REGISTRY_"]
            .iter()
            .any(|k| key.starts_with(k));
        if (key.starts_with("CARGO") && !keep)
            || key.starts_with("RUSTC_WRAPPER")
            || key.starts_with("RUSTC_WORKSPACE_WRAPPER")
            || key.starts_with("RUSTFLAGS")
            || key == "RUSTDOCFLAGS"
            || key == "RUSTUP_TOOLCHAIN"
        {
            cmd.env_remove(&key);
        }
    }
    for name in names {
        cmd.args(["-p", &format!("opslint-plugin-{name}")]);
    }
    cmd.current_dir(plugins).env("CARGO_TARGET_DIR", target_dir);
    let status = cmd.status().unwrap_or_else(|e| panic!("running cargo for plugins: {e}"));
    assert!(status.success(), "building the plugins failed ({status}); see the output above");
    target_dir.join(target).join("release")
}

fn has_wasm_std(rustc: &str) -> bool {
    let Ok(out) = Command::new(rustc).args(["--print", "target-libdir", "--target", "wasm32-unknown-unknown"]).output()
    else {
        return false;
    };
    let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    fs::read_dir(dir).is_ok_and(|rd| rd.flatten().any(|e| e.file_name().to_string_lossy().starts_with("libstd-")))
}
