//! `opslint.toml` and policy packs: parsed strictly (unknown keys are errors
//! with their span), layered as defaults < packs (`extends`) < file < CLI.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};
use serde::Deserialize;
use toml::Spanned;

use crate::catalog::{closest, Catalog};
use crate::error::Error;
use crate::finding::Severity;

/// Packs shipped in the binary, usable as `extends = ["name"]`.
pub static PACKS: &[(&str, &str)] = &[
    (
        "recommended",
        include_str!("../../policies/recommended.toml"),
    ),
    ("strict", include_str!("../../policies/strict.toml")),
    ("pre-commit", include_str!("../../policies/pre-commit.toml")),
];

pub const CONFIG_NAMES: &[&str] = &["opslint.toml", ".opslint.toml"];
const DEFAULT_MAX_FILE_SIZE: u64 = 5 << 20;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    #[serde(default)]
    pub extends: Vec<Spanned<String>>,
    pub fail_on: Option<Severity>,
    pub max_file_size: Option<u64>,
    #[serde(default)]
    pub files: Files,
    #[serde(default)]
    pub rules: Rules,
    #[serde(default)]
    pub plugins: BTreeMap<Spanned<String>, PluginSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Files {
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rules {
    #[serde(default)]
    pub select: Vec<Spanned<String>>,
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    #[serde(default)]
    pub severity: BTreeMap<Spanned<String>, Severity>,
    #[serde(default)]
    pub options: BTreeMap<Spanned<String>, toml::Table>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PluginSection {
    pub enabled: Option<bool>,
    pub path: Option<Spanned<String>>,
    pub sha256: Option<Spanned<String>>,
    /// Seconds one batch may run.
    pub timeout: Option<f64>,
    pub memory_mib: Option<usize>,
    #[serde(default)]
    pub options: toml::Table,
}

/// One parsed TOML source, kept with its text for located errors.
#[derive(Debug)]
pub struct Layer {
    pub name: String,
    pub text: String,
    pub dir: Option<PathBuf>,
    pub file: ConfigFile,
}

impl Layer {
    pub fn error(
        &self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
        label: &str,
        help: Option<String>,
    ) -> Error {
        Error::Config(Box::new(crate::error::ConfigError {
            message: message.into(),
            src: NamedSource::new(&self.name, self.text.clone()),
            span: SourceSpan::from(span),
            label: label.into(),
            help,
        }))
    }
}

/// The configuration sources, lowest precedence first.
#[derive(Debug, Default)]
pub struct Layers {
    pub layers: Vec<Layer>,
    /// Directory of the user's config file, if there is one.
    pub root: Option<PathBuf>,
}

/// Finds `opslint.toml` in `start` or its parents (stopping at a repository root).
pub fn discover(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        for name in CONFIG_NAMES {
            let candidate = d.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if d.join(".git").exists() {
            return None;
        }
        dir = d.parent();
    }
    None
}

/// Loads the user's file (if any) and every pack it extends. No file: the recommended pack.
pub fn load(path: Option<&Path>) -> Result<Layers, Error> {
    let mut layers = Layers::default();
    match path {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            layers.root = path.parent().map(Path::to_path_buf);
            let shown = std::env::current_dir()
                .ok()
                .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
                .unwrap_or_else(|| path.to_path_buf());
            push(
                &mut layers.layers,
                shown.display().to_string(),
                text,
                layers.root.clone(),
                0,
            )?;
        }
        None => {
            push_pack(&mut layers.layers, "recommended", 0).expect("the recommended pack parses")
        }
    }
    Ok(layers)
}

fn push(
    out: &mut Vec<Layer>,
    name: String,
    text: String,
    dir: Option<PathBuf>,
    depth: usize,
) -> Result<(), Error> {
    let file = parse(&name, &text)?;
    let layer = Layer {
        name,
        text,
        dir,
        file,
    };
    for ext in &layer.file.extends {
        if depth > 8 {
            return Err(layer.error(
                ext.span(),
                "`extends` nests too deeply (a cycle?)",
                "here",
                None,
            ));
        }
        let target = ext.get_ref();
        if PACKS.iter().any(|(n, _)| n == target) {
            push_pack(out, target, depth + 1)?;
            continue;
        }
        let is_path = target.ends_with(".toml") || target.contains('/');
        let Some(path) = layer
            .dir
            .as_ref()
            .map(|d| d.join(target))
            .filter(|_| is_path)
        else {
            let help = closest(target, PACKS.iter().map(|(n, _)| *n))
                .map(|s| format!("did you mean `{s}`?"))
                .or_else(|| {
                    Some(format!(
                        "known packs: {}; or a path to a .toml file",
                        pack_names()
                    ))
                });
            return Err(layer.error(
                ext.span(),
                format!("unknown policy pack `{target}`"),
                "not a pack name or path",
                help,
            ));
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            layer.error(
                ext.span(),
                format!("cannot read {}: {e}", path.display()),
                "extended here",
                None,
            )
        })?;
        push(
            out,
            path.display().to_string(),
            text,
            path.parent().map(Path::to_path_buf),
            depth + 1,
        )?;
    }
    out.push(layer);
    Ok(())
}

fn push_pack(out: &mut Vec<Layer>, name: &str, depth: usize) -> Result<(), Error> {
    let (_, text) = PACKS.iter().find(|(n, _)| *n == name).expect("known pack");
    push(
        out,
        format!("<policy pack {name}>"),
        text.to_string(),
        None,
        depth,
    )
}

fn pack_names() -> String {
    PACKS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

/// Parses one TOML source; errors carry the span and, for unknown keys, a suggestion.
pub fn parse(name: &str, text: &str) -> Result<ConfigFile, Error> {
    toml::from_str(text).map_err(|e| {
        let message = e.message().trim().to_string();
        let span = e.span().unwrap_or(0..0);
        Error::Config(Box::new(crate::error::ConfigError {
            help: unknown_key_hint(&message),
            message: format!(
                "invalid configuration: {}",
                message.lines().next().unwrap_or("")
            ),
            src: NamedSource::new(name, text.to_string()),
            span: span.into(),
            label: "here".into(),
        }))
    })
}

/// serde says "unknown field `x`, expected one of `a`, `b`": turn that into "did you mean".
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (word, expected) = rest.split_once('`')?;
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match closest(word, names.iter().copied()) {
        Some(s) => Some(format!("did you mean `{s}`?")),
        None => Some(format!("expected one of: {}", names.join(", "))),
    }
}

/// An external plugin named in the configuration.
#[derive(Debug, Clone)]
pub struct ExternalPlugin {
    pub name: String,
    pub path: PathBuf,
    pub sha256: Option<String>,
}

/// What a run is configured to do, after every layer and the catalog are known.
#[derive(Debug, Clone)]
pub struct Settings {
    pub fail_on: Severity,
    pub max_file_size: u64,
    pub exclude: globset::GlobSet,
    /// Full rule id → effective severity, for enabled rules only.
    pub enabled: BTreeMap<String, Severity>,
    pub disabled_plugins: Vec<String>,
    /// Plugin name → options JSON object (plugin-wide keys, and per-rule objects by local id).
    pub options: BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
    pub timeouts: BTreeMap<String, f64>,
    pub memory: BTreeMap<String, usize>,
}

/// Overrides from the command line, applied last.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub fail_on: Option<Severity>,
    /// Only these rules (replaces every other selection).
    pub select: Vec<String>,
    /// These rules too.
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Layers {
    pub fn external_plugins(&self) -> Result<Vec<ExternalPlugin>, Error> {
        let mut out: BTreeMap<String, ExternalPlugin> = BTreeMap::new();
        for layer in &self.layers {
            for (name, section) in &layer.file.plugins {
                let Some(path) = &section.path else { continue };
                let Some(dir) = &layer.dir else { continue };
                if !valid_plugin_name(name.get_ref()) {
                    return Err(layer.error(
                        name.span(),
                        format!("invalid plugin name `{}`", name.get_ref()),
                        "use lowercase letters, digits and dashes",
                        None,
                    ));
                }
                out.insert(
                    name.get_ref().clone(),
                    ExternalPlugin {
                        name: name.get_ref().clone(),
                        path: dir.join(path.get_ref()),
                        sha256: section
                            .sha256
                            .as_ref()
                            .map(|s| s.get_ref().to_ascii_lowercase()),
                    },
                );
            }
        }
        Ok(out.into_values().collect())
    }

    /// Resolves rule selection, severities and options against the catalog.
    pub fn resolve(&self, catalog: &Catalog, cli: &Overrides) -> Result<Settings, Error> {
        let mut enabled: BTreeMap<String, (bool, Severity)> = catalog
            .rules
            .iter()
            .map(|r| (r.id.clone(), (r.enabled, r.severity)))
            .collect();
        let mut fail_on = Severity::Medium;
        let mut max_file_size = DEFAULT_MAX_FILE_SIZE;
        let mut exclude = globset::GlobSetBuilder::new();
        let mut options: BTreeMap<String, serde_json::Map<String, serde_json::Value>> =
            BTreeMap::new();
        let mut disabled_plugins = Vec::new();
        let (mut timeouts, mut memory) = (BTreeMap::new(), BTreeMap::new());
        let plugin_names: Vec<&str> = {
            let mut v: Vec<&str> = catalog.rules.iter().map(|r| r.plugin.as_str()).collect();
            v.dedup();
            v
        };

        for layer in &self.layers {
            let f = &layer.file;
            fail_on = f.fail_on.unwrap_or(fail_on);
            max_file_size = f.max_file_size.unwrap_or(max_file_size);
            for pat in &f.files.exclude {
                let glob = globset::GlobBuilder::new(pat.get_ref())
                    .literal_separator(false)
                    .build()
                    .map_err(|e| {
                        layer.error(
                            pat.span(),
                            format!("invalid glob `{}`: {e}", pat.get_ref()),
                            "here",
                            None,
                        )
                    })?;
                exclude.add(glob);
                // `dir/` or `dir` also excludes what is below it.
                if let Ok(below) =
                    globset::Glob::new(&format!("{}/**", pat.get_ref().trim_end_matches('/')))
                {
                    exclude.add(below);
                }
            }
            for (list, on) in [(&f.rules.select, true), (&f.rules.ignore, false)] {
                for sel in list {
                    for r in matched(layer, catalog, sel)? {
                        enabled.get_mut(&r).expect("catalog id").0 = on;
                    }
                }
            }
            for (sel, sev) in &f.rules.severity {
                for r in matched(layer, catalog, sel)? {
                    enabled.get_mut(&r).expect("catalog id").1 = *sev;
                }
            }
            for (sel, table) in &f.rules.options {
                let rule = catalog
                    .get(sel.get_ref())
                    .ok_or_else(|| unknown_rule(layer, catalog, sel))?;
                let local = rule.id.split_once('/').map_or("", |(_, l)| l).to_string();
                let value = serde_json::to_value(table)
                    .map_err(|e| layer.error(sel.span(), e.to_string(), "here", None))?;
                options
                    .entry(rule.plugin.clone())
                    .or_default()
                    .insert(local, value);
            }
            for (name, section) in &f.plugins {
                if !plugin_names.contains(&name.get_ref().as_str()) {
                    let help = closest(name.get_ref(), plugin_names.iter().copied())
                        .map(|s| format!("did you mean `{s}`?"));
                    return Err(layer.error(
                        name.span(),
                        format!("unknown plugin `{}`", name.get_ref()),
                        "no plugin has this name",
                        help,
                    ));
                }
                if let Some(on) = section.enabled {
                    disabled_plugins.retain(|p| p != name.get_ref());
                    if !on {
                        disabled_plugins.push(name.get_ref().clone());
                    }
                }
                if let Some(t) = section.timeout {
                    timeouts.insert(name.get_ref().clone(), t);
                }
                if let Some(m) = section.memory_mib {
                    memory.insert(name.get_ref().clone(), m);
                }
                let entry = options.entry(name.get_ref().clone()).or_default();
                for (k, v) in &section.options {
                    entry.insert(
                        k.clone(),
                        serde_json::to_value(v).unwrap_or(serde_json::Value::Null),
                    );
                }
            }
        }
        if !cli.select.is_empty() {
            enabled.values_mut().for_each(|(on, _)| *on = false);
        }
        for (list, on) in [
            (&cli.select, true),
            (&cli.extend_select, true),
            (&cli.ignore, false),
        ] {
            for sel in list {
                let rules = catalog.select(sel);
                if rules.is_empty() {
                    let help = catalog.suggest(sel).map(|s| format!("did you mean `{s}`?"));
                    return Err(Error::Usage {
                        message: format!("unknown rule or plugin `{sel}`"),
                        help,
                    });
                }
                for r in rules {
                    enabled.get_mut(&r.id).expect("catalog id").0 = on;
                }
            }
        }
        Ok(Settings {
            fail_on: cli.fail_on.unwrap_or(fail_on),
            max_file_size,
            exclude: exclude
                .build()
                .map_err(|e| Error::Internal(e.to_string()))?,
            enabled: enabled
                .into_iter()
                .filter(|(_, (on, _))| *on)
                .map(|(id, (_, sev))| (id, sev))
                .collect(),
            disabled_plugins,
            options,
            timeouts,
            memory,
        })
    }
}

fn matched(layer: &Layer, catalog: &Catalog, sel: &Spanned<String>) -> Result<Vec<String>, Error> {
    let rules = catalog.select(sel.get_ref());
    if rules.is_empty() {
        return Err(unknown_rule(layer, catalog, sel));
    }
    Ok(rules.into_iter().map(|r| r.id.clone()).collect())
}

fn unknown_rule(layer: &Layer, catalog: &Catalog, sel: &Spanned<String>) -> Error {
    let help = catalog
        .suggest(sel.get_ref())
        .map(|s| format!("did you mean `{s}`?"))
        .or_else(|| Some("`opslint rules` lists every rule id".into()));
    layer.error(
        sel.span(),
        format!("unknown rule `{}`", sel.get_ref()),
        "no rule, plugin or alias has this name",
        help,
    )
}

fn valid_plugin_name(name: &str) -> bool {
    !name.is_empty()
        && name != "opslint"
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
