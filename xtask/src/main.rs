//! `cargo xtask plugins [--out DIR] [--test-plugins]`: builds the built-in
//! plugins for wasm32 once, as components, into DIR (default
//! `target/prebuilt-plugins`) with a SHA256SUMS file. A host build with
//! `OPSLINT_PLUGINS_DIR=DIR` embeds exactly these bytes and needs no wasm
//! toolchain; `--out host/prebuilt-plugins` is where packaged sources carry them.
use std::path::PathBuf;
use std::process::ExitCode;

#[path = "../../host/build/plugins.rs"]
mod plugins;

const USAGE: &str = "usage: cargo xtask plugins [--out DIR] [--test-plugins]";

fn main() -> ExitCode {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() != Some("plugins") {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let mut out = root.join("target").join("prebuilt-plugins");
    let mut names: Vec<&str> = plugins::BUILTINS.to_vec();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => match args.next() {
                Some(dir) => out = std::env::current_dir().unwrap().join(dir),
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            // The misbehaving plugin the host's tests load (never shipped).
            "--test-plugins" => names.extend(plugins::TEST_PLUGINS),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    // The target dir host/build.rs uses too: one wasm std build serves both.
    let modules = plugins::build_core_modules(&root.join("plugins"), &root.join("target").join("wasm-plugins"), &names);
    let built: Vec<(String, Vec<u8>)> = names
        .iter()
        .map(|n| (n.to_string(), plugins::componentize(&modules.join(format!("opslint_plugin_{n}.wasm")))))
        .collect();
    // Plugins an earlier run listed go, so none stays stale; nothing else in DIR is touched.
    if let Ok(old) = std::fs::read_to_string(out.join(plugins::SUMS)) {
        for file in old.lines().filter_map(|l| l.split_once("  ")).map(|(_, f)| f) {
            if file.ends_with(".wasm") && !file.contains(['/', '\\']) {
                let _ = std::fs::remove_file(out.join(file));
            }
        }
    }
    if let Err(e) = plugins::write_prebuilt(&out, &built) {
        eprintln!("{}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    for line in std::fs::read_to_string(out.join(plugins::SUMS)).unwrap().lines() {
        println!("{line}");
    }
    eprintln!("wrote {} plugins and {} to {}", built.len(), plugins::SUMS, out.display());
    ExitCode::SUCCESS
}
