//! `opslint plugins package MODULE`: what a plugin author runs after
//! `cargo build --target wasm32-unknown-unknown`. The core module becomes a
//! component (wit-component reads the interface wit-bindgen embedded in it),
//! is loaded exactly as `check` would load it (interface version, imports,
//! metadata), written out, and its sha256 printed as the `opslint.toml` pin.
use std::path::{Path, PathBuf};

use super::Outcome;
use crate::cli::{Cli, PluginsAction};
use crate::error::Error;
use crate::plugin::{sha256_hex, CacheDir, Runtime, Source};

pub fn run(cli: &Cli, action: &PluginsAction, cwd: &Path) -> Result<Outcome, Error> {
    let PluginsAction::Package { module, output } = action;
    let module = cwd.join(module);
    let bytes =
        std::fs::read(&module).map_err(|e| Error::Io { path: module.display().to_string(), message: e.to_string() })?;
    let fail = |message: String, help: Option<&str>| Error::PluginLoad {
        name: module.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
        source_desc: module.display().to_string(),
        message,
        help: help.map(str::to_string),
    };
    // The preamble: `\0asm`, then version 1 (core module) or 0x0d with layer 1 (component).
    let (core, is_component) = match bytes.get(..8) {
        Some([0, b'a', b's', b'm', 1, 0, 0, 0]) => (true, false),
        Some([0, b'a', b's', b'm', 0x0d, 0, 1, 0]) => (false, true),
        _ => (false, false),
    };
    let component = if is_component {
        bytes // already a component (a wasm32-wasip2 build, or packaged before)
    } else if core {
        wit_component::ComponentEncoder::default().module(&bytes).and_then(|e| e.validate(true).encode()).map_err(
            |e| {
                fail(
                    format!("cannot make a component of it: {e:#}"),
                    Some("build the crate with opslint-sdk and its export_plugin! (or export_repo_plugin!) macro"),
                )
            },
        )?
    } else {
        return Err(fail("is not a WebAssembly module".into(), None));
    };
    let sha256 = sha256_hex(&component);
    let cache = if cli.no_cache { CacheDir(None) } else { CacheDir::from_env() };
    let runtime =
        Runtime::new(cache).map_err(|e| Error::Internal(format!("cannot start the plugin runtime: {e:#}")))?;
    let plugin = runtime
        .load(std::borrow::Cow::Owned(component.clone()), sha256.clone(), Source::File(module.clone()))
        .map_err(|e| fail(format!("{e:#}"), None))?;
    if crate::plugin::BUILTINS.iter().any(|(n, _, _)| *n == plugin.name) {
        return Err(fail(
            format!("it calls itself `{}`, the name of a built-in plugin, so no opslint.toml can load it", plugin.name),
            Some("choose another NAME in the plugin's `impl Plugin`"),
        ));
    }
    let dest: PathBuf = match output {
        Some(p) => cwd.join(p),
        None => cwd.join(format!("{}.wasm", plugin.name)),
    };
    crate::output::write_atomic(&dest, &component)?;
    let shown = dest.strip_prefix(cwd).unwrap_or(&dest).display().to_string();
    let stdout = format!(
        "{name} {version}: {rules} rule{plural}, interface {interface}\nwrote {shown} ({size} bytes), sha256 {sha256}\n\n\
         # opslint.toml (path relative to that file)\n[plugins.{name}]\npath = {shown:?}\nsha256 = \"{sha256}\"\n",
        name = plugin.name,
        version = plugin.meta.version,
        rules = plugin.meta.rules.len(),
        plural = if plugin.meta.rules.len() == 1 { "" } else { "s" },
        interface = plugin.interface,
        size = component.len(),
    );
    Ok(Outcome { stdout, stderr: String::new(), code: 0 })
}
