//! Embeds the built-in plugins as components and lists them for `include_bytes!`.
//! Where they come from, first that applies:
//! 1. `OPSLINT_PLUGINS_DIR=DIR`: prebuilt components with their SHA256SUMS
//!    (`cargo xtask plugins`); every sum is checked and no wasm toolchain runs.
//! 2. `host/prebuilt-plugins/`, the same, which packaged sources (the sdist)
//!    carry so that building them needs stable Rust only.
//! 3. Otherwise the `plugins/` workspace is built for wasm32 (build/plugins.rs).
use std::path::{Path, PathBuf};
use std::{env, fs};

#[path = "build/plugins.rs"]
mod plugins;
use plugins::{BUILTINS, TEST_PLUGINS};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest.parent().unwrap().to_path_buf();
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("plugins");
    fs::create_dir_all(&out).unwrap();
    println!("cargo:rerun-if-env-changed=OPSLINT_PLUGINS_DIR");
    println!("cargo:rerun-if-changed=build/plugins.rs");

    let packaged = manifest.join("prebuilt-plugins");
    let prebuilt = match env::var_os("OPSLINT_PLUGINS_DIR").filter(|d| !d.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None if packaged.join(plugins::SUMS).is_file() => {
            if root.join("plugins").join("Cargo.toml").is_file() {
                println!(
                    "cargo:warning=embedding {} (delete it to build the plugins from plugins/)",
                    packaged.display()
                );
            }
            Some(packaged)
        }
        None => None,
    };
    let (components, origin) = match prebuilt {
        Some(dir) => {
            println!("cargo:rerun-if-changed={}", dir.display());
            // A relative OPSLINT_PLUGINS_DIR would be taken from host/, where build scripts run.
            let found = plugins::read_prebuilt(&dir)
                .unwrap_or_else(|e| panic!("prebuilt plugins (OPSLINT_PLUGINS_DIR, an absolute path): {e}"));
            (found, format!("prebuilt {}", dir.display()))
        }
        None => {
            let plugins_ws = root.join("plugins");
            watch(&plugins_ws, &root.join("wit"));
            let names: Vec<&str> = BUILTINS.iter().chain(TEST_PLUGINS).copied().collect();
            let modules = plugins::build_core_modules(&plugins_ws, &root.join("target").join("wasm-plugins"), &names);
            let found = names
                .iter()
                .map(|name| {
                    let bytes = plugins::componentize(&modules.join(format!("opslint_plugin_{name}.wasm")));
                    let sha = plugins::sha256_hex(&bytes);
                    (name.to_string(), bytes, sha)
                })
                .collect();
            (found, "built from plugins/".to_string())
        }
    };

    let mut table = String::from(
        "/// Built-in plugin components: (name, component bytes, sha256 of the bytes).\npub static BUILTINS: &[(&str, &[u8], &str)] = &[\n",
    );
    for (name, bytes, _) in &components {
        fs::write(out.join(format!("{name}.wasm")), bytes).unwrap();
    }
    for name in BUILTINS {
        let (_, _, sha256) = components.iter().find(|(n, _, _)| n == name).expect("every built-in is there");
        let dest = out.join(format!("{name}.wasm")).display().to_string();
        // Hashed here so a start does not hash megabytes of built-in plugins.
        table.push_str(&format!("    ({name:?}, include_bytes!({dest:?}), {sha256:?}),\n"));
    }
    table.push_str("];\n");
    fs::write(out.join("builtins.rs"), table).unwrap();
    println!("cargo:rustc-env=OPSLINT_BUILT_PLUGINS_DIR={}", out.display());
    // Where the embedded plugins came from (tests check the prebuilt sums against the binary).
    println!("cargo:rustc-env=OPSLINT_PLUGINS_ORIGIN={origin}");
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
