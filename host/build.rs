//! Builds the plugins workspace for wasm32-unknown-unknown, turns each core
//! module into a component, and lists the built-in ones for `include_bytes!`.
//! Toolchain: a wasm32 std installed for this rustc if there is one, else
//! Debian's Rust with `-Z build-std` (docs/toolchain.md; scripts/setup installs it).
//! `OPSLINT_PREBUILT_PLUGINS=DIR` skips the build and takes `DIR/*.wasm` core modules.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

use sha2::{Digest, Sha256};

/// Plugins shipped inside the binary, by crate name suffix.
const BUILTINS: &[&str] = &["dockerfile", "sql", "k8s", "ci", "backup", "maturity"];
/// Built but never shipped: loaded by tests through `[plugins.*] path`.
const TEST_PLUGINS: &[&str] = &["misbehave"];

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest.parent().unwrap().to_path_buf();
    let plugins = root.join("plugins");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("plugins");
    fs::create_dir_all(&out).unwrap();
    watch(&plugins, &root.join("wit"));
    println!("cargo:rerun-if-env-changed=OPSLINT_PREBUILT_PLUGINS");

    let modules = match env::var_os("OPSLINT_PREBUILT_PLUGINS") {
        Some(dir) => PathBuf::from(dir),
        None => build_wasm(&plugins, &root.join("target").join("wasm-plugins")),
    };
    let mut table = String::from(
        "/// Built-in plugin components: (name, component bytes, sha256 of the bytes).\npub static BUILTINS: &[(&str, &[u8], &str)] = &[\n",
    );
    for name in BUILTINS.iter().chain(TEST_PLUGINS) {
        let core = modules.join(format!("opslint_plugin_{name}.wasm"));
        let bytes = fs::read(&core).unwrap_or_else(|e| panic!("{}: {e}", core.display()));
        let component = wit_component::ComponentEncoder::default()
            .module(&bytes)
            .and_then(|e| e.validate(true).encode())
            .unwrap_or_else(|e| panic!("componentizing {}: {e:#}", core.display()));
        let dest = out.join(format!("{name}.wasm"));
        // Hashed here so a start does not hash megabytes of built-in plugins.
        let sha256: String = Sha256::digest(&component).iter().map(|b| format!("{b:02x}")).collect();
        fs::write(&dest, component).unwrap();
        if BUILTINS.contains(name) {
            table.push_str(&format!("    ({name:?}, include_bytes!({:?}), {sha256:?}),\n", dest.display().to_string()));
        }
    }
    table.push_str("];\n");
    fs::write(out.join("builtins.rs"), table).unwrap();
    println!("cargo:rustc-env=OPSLINT_BUILT_PLUGINS_DIR={}", out.display());
}

fn watch(plugins: &Path, wit: &Path) {
    println!("cargo:rerun-if-changed={}", wit.display());
    for file in ["Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={}", plugins.join(file).display());
    }
    for dir in ["sdk", "sdk-build", "testing", "yaml", "knowledge"]
        .iter()
        .map(|d| plugins.join(d))
        .chain(BUILTINS.iter().map(|b| plugins.join(b)))
        .chain(TEST_PLUGINS.iter().map(|t| plugins.join("testing").join(t)))
    {
        for part in ["src", "Cargo.toml", "build.rs"] {
            if dir.join(part).exists() {
                println!("cargo:rerun-if-changed={}", dir.join(part).display());
            }
        }
        if dir.ends_with("testing") {
            println!("cargo:rerun-if-changed={}", dir.display());
        }
    }
}

/// Runs cargo on the plugins workspace; returns the folder of core modules.
fn build_wasm(plugins: &Path, target_dir: &Path) -> PathBuf {
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
                 run scripts/setup (it installs rustc-web, cargo-web, rust-web-src and lld)"
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
    for name in BUILTINS.iter().chain(TEST_PLUGINS) {
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
