//! `opslint.toml` and policy packs: parsed strictly (unknown keys are errors
//! with their span), layered as defaults < packs (`extends`) < file < CLI.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};
use serde::Deserialize;
use toml::Spanned;

use crate::catalog::{closest, Catalog, RuleInfo};
use crate::error::Error;
use crate::finding::Severity;
use crate::host_rules::PLUGIN_FAILED;

/// Packs shipped in the binary, usable as `extends = ["name"]`.
pub static PACKS: &[(&str, &str)] = &[
    ("recommended", include_str!("../../policies/recommended.toml")),
    ("strict", include_str!("../../policies/strict.toml")),
    ("pre-commit", include_str!("../../policies/pre-commit.toml")),
    ("ci-gate", include_str!("../../policies/ci-gate.toml")),
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
    /// Baseline file (relative to this file) that `check` reads and `baseline` writes.
    pub baseline: Option<String>,
    #[serde(default)]
    pub files: Files,
    #[serde(default)]
    pub rules: Rules,
    #[serde(default)]
    pub plugins: BTreeMap<Spanned<String>, PluginSection>,
    /// `opslint maturity`: rubric, report path and gate (docs/maturity.md).
    #[serde(default)]
    pub maturity: MaturitySection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MaturitySection {
    /// Rubric file (relative to this file) instead of the built-in policies/maturity.toml.
    pub rubric: Option<String>,
    /// Report file (relative to this file); default docs/ops-runbook/maturity-assessment.md under the assessed path.
    pub report: Option<String>,
    /// Lowest level `opslint maturity` accepts (exit 1 below it).
    pub min_level: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Files {
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    /// `false`: also check test inputs, samples and vendored code ([`DEFAULT_EXCLUDE`]).
    pub default_exclude: Option<bool>,
    /// `plugin/kind` (or `plugin` for its kind of the same name) → more globs it reads.
    #[serde(default)]
    pub extend_include: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
}

/// Folders `check` does not walk into below a directory it is given, unless
/// `[files] default-exclude = false`: test inputs (wrong on purpose), samples
/// and vendored or generated code. A path named on the command line is
/// always checked. (The maturity assessment skips the same folders.)
pub const DEFAULT_EXCLUDE: &[&str] = crate::maturity::NOT_THE_SERVICE;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Rules {
    /// Only these rules (with the host's own), replacing earlier layers' selection.
    #[serde(default)]
    pub select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub extend_select: Vec<Spanned<String>>,
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    #[serde(default)]
    pub severity: BTreeMap<Spanned<String>, Severity>,
    #[serde(default)]
    pub options: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PluginSection {
    pub enabled: Option<bool>,
    pub path: Option<Spanned<String>>,
    pub sha256: Option<Spanned<String>>,
    /// Seconds one batch may run.
    pub timeout: Option<Spanned<f64>>,
    pub memory_mib: Option<Spanned<u64>>,
    #[serde(default)]
    pub options: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
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
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::Io { path: path.display().to_string(), message: e.to_string() })?;
            // `--config opslint.toml` is relative: its directory is the working directory.
            let absolute = std::env::current_dir().map(|cwd| cwd.join(path)).unwrap_or_else(|_| path.to_path_buf());
            layers.root = absolute.parent().map(Path::to_path_buf);
            let shown = std::env::current_dir()
                .ok()
                .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
                .unwrap_or_else(|| path.to_path_buf());
            push(&mut layers.layers, shown.display().to_string(), text, layers.root.clone(), 0)?;
        }
        None => push_pack(&mut layers.layers, "recommended", 0).expect("the recommended pack parses"),
    }
    Ok(layers)
}

fn push(out: &mut Vec<Layer>, name: String, text: String, dir: Option<PathBuf>, depth: usize) -> Result<(), Error> {
    let file = parse(&name, &text)?;
    let layer = Layer { name, text, dir, file };
    for ext in &layer.file.extends {
        if depth > 8 {
            return Err(layer.error(ext.span(), "`extends` nests too deeply (a cycle?)", "here", None));
        }
        let target = ext.get_ref();
        if PACKS.iter().any(|(n, _)| n == target) {
            push_pack(out, target, depth + 1)?;
            continue;
        }
        let is_path = target.ends_with(".toml") || target.contains('/');
        let Some(path) = layer.dir.as_ref().map(|d| d.join(target)).filter(|_| is_path) else {
            let help = closest(target, PACKS.iter().map(|(n, _)| *n))
                .map(|s| format!("did you mean `{s}`?"))
                .or_else(|| Some(format!("known packs: {}; or a path to a .toml file", pack_names())));
            return Err(layer.error(
                ext.span(),
                format!("unknown policy pack `{target}`"),
                "not a pack name or path",
                help,
            ));
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            layer.error(ext.span(), format!("cannot read {}: {e}", path.display()), "extended here", None)
        })?;
        push(out, path.display().to_string(), text, path.parent().map(Path::to_path_buf), depth + 1)?;
    }
    out.push(layer);
    Ok(())
}

fn push_pack(out: &mut Vec<Layer>, name: &str, depth: usize) -> Result<(), Error> {
    let (_, text) = PACKS.iter().find(|(n, _)| *n == name).expect("known pack");
    push(out, format!("<policy pack {name}>"), text.to_string(), None, depth)
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
            message: format!("invalid configuration: {}", message.lines().next().unwrap_or("")),
            src: NamedSource::new(name, text.to_string()),
            span: span.into(),
            label: "here".into(),
        }))
    })
}

/// serde says "unknown field `x`, expected one of `a`, `b`": turn that into "did you mean".
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `").or_else(|| message.strip_prefix("unknown variant `"))?;
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
    /// `baseline` from the last file layer that sets it, resolved against that file's directory.
    pub baseline: Option<PathBuf>,
    pub exclude: globset::GlobSet,
    /// The patterns of `exclude`, in order: what a kept walk is keyed by (walk_cache.rs).
    pub exclude_patterns: Vec<String>,
    /// Folder names not walked into below a named directory (empty: `default-exclude = false`).
    pub default_exclude: Vec<String>,
    /// (plugin, kind, globs) from `[files.extend-include]`, in file order.
    pub extend_include: Vec<(String, String, globset::GlobSet)>,
    /// Full rule id → effective severity, for enabled rules only.
    pub enabled: BTreeMap<String, Severity>,
    /// Rules whose severity the configuration set: plugins may not re-grade their findings.
    pub pinned_severity: BTreeSet<String>,
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
    /// External plugins to load: named with a `path`, and not disabled by the last layer that says.
    pub fn external_plugins(&self) -> Result<Vec<ExternalPlugin>, Error> {
        let mut out: BTreeMap<String, ExternalPlugin> = BTreeMap::new();
        let mut disabled = std::collections::BTreeSet::new();
        for layer in &self.layers {
            for (name, section) in &layer.file.plugins {
                match section.enabled {
                    Some(false) => disabled.insert(name.get_ref().clone()),
                    Some(true) => disabled.remove(name.get_ref()),
                    None => false,
                };
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
                        sha256: section.sha256.as_ref().map(|s| s.get_ref().to_ascii_lowercase()),
                    },
                );
            }
        }
        Ok(out.into_values().filter(|p| !disabled.contains(&p.name)).collect())
    }

    /// Resolves rule selection, severities and options against the catalog.
    /// Selection follows ruff: `select` replaces (host rules stay on),
    /// `extend-select` adds, `ignore` removes; later layers win.
    pub fn resolve(&self, catalog: &Catalog, cli: &Overrides) -> Result<Settings, Error> {
        let mut enabled: BTreeMap<String, (bool, Severity)> =
            catalog.rules.iter().map(|r| (r.id.clone(), (r.enabled, r.severity))).collect();
        let mut pinned = BTreeSet::new();
        let mut fail_on = Severity::Medium;
        let mut max_file_size = DEFAULT_MAX_FILE_SIZE;
        let mut baseline = None;
        let mut exclude = globset::GlobSetBuilder::new();
        let mut exclude_patterns = Vec::new();
        let mut default_exclude = true;
        let mut extend_include: BTreeMap<String, globset::GlobSetBuilder> = BTreeMap::new();
        let mut options: BTreeMap<String, serde_json::Map<String, serde_json::Value>> = BTreeMap::new();
        let mut disabled_plugins = Vec::new();
        let (mut timeouts, mut memory) = (BTreeMap::new(), BTreeMap::new());
        let mut plugin_names: Vec<&str> =
            catalog.rules.iter().map(|r| r.plugin.as_str()).filter(|p| *p != "opslint").collect();
        // External plugins configured but disabled are not loaded; their sections stay valid.
        for layer in &self.layers {
            plugin_names
                .extend(layer.file.plugins.iter().filter(|(_, s)| s.path.is_some()).map(|(n, _)| n.get_ref().as_str()));
        }
        plugin_names.sort_unstable();
        plugin_names.dedup();
        let reset = |enabled: &mut BTreeMap<String, (bool, Severity)>| {
            for (id, (on, _)) in enabled.iter_mut() {
                *on = id.starts_with("opslint/");
            }
        };

        for layer in &self.layers {
            let f = &layer.file;
            fail_on = f.fail_on.unwrap_or(fail_on);
            max_file_size = f.max_file_size.unwrap_or(max_file_size);
            if let (Some(b), Some(dir)) = (&f.baseline, &layer.dir) {
                baseline = Some(dir.join(b));
            }
            for pat in &f.files.exclude {
                add_exclude(&mut exclude, pat.get_ref()).map_err(|e| {
                    layer.error(pat.span(), format!("invalid glob `{}`: {e}", pat.get_ref()), "here", None)
                })?;
                exclude_patterns.push(pat.get_ref().clone());
            }
            default_exclude = f.files.default_exclude.unwrap_or(default_exclude);
            for (key, globs) in &f.files.extend_include {
                let name = key.get_ref();
                let full = if name.contains('/') { name.clone() } else { format!("{name}/{name}") };
                if !catalog.kinds.contains(&full) {
                    let help = closest(name, catalog.kinds.iter().map(String::as_str))
                        .map(|s| format!("did you mean `{s}`?"))
                        .or_else(|| Some(format!("known kinds: {}", catalog.kinds.join(", "))));
                    return Err(layer.error(
                        key.span(),
                        format!("no plugin reads files of kind `{name}`"),
                        "not a `plugin/kind`",
                        help,
                    ));
                }
                let set = extend_include.entry(full).or_insert_with(globset::GlobSetBuilder::new);
                for g in globs {
                    let glob =
                        globset::GlobBuilder::new(g.get_ref()).literal_separator(false).build().map_err(|e| {
                            layer.error(g.span(), format!("invalid glob `{}`: {e}", g.get_ref()), "here", None)
                        })?;
                    set.add(glob);
                }
            }
            if let Some(select) = &f.rules.select {
                reset(&mut enabled);
                set(&mut enabled, layer, catalog, select, true)?;
            }
            set(&mut enabled, layer, catalog, &f.rules.extend_select, true)?;
            set(&mut enabled, layer, catalog, &f.rules.ignore, false)?;
            for (sel, sev) in &f.rules.severity {
                for r in matched(layer, catalog, sel)? {
                    enabled.get_mut(&r).expect("catalog id").1 = *sev;
                    pinned.insert(r);
                }
            }
            for (sel, table) in &f.rules.options {
                let rule = one_rule(layer, catalog, sel)?;
                let local = rule.id.split_once('/').map_or("", |(_, l)| l).to_string();
                let entry = options
                    .entry(rule.plugin.clone())
                    .or_default()
                    .entry(local)
                    .or_insert_with(|| serde_json::json!({}));
                if let Some(obj) = entry.as_object_mut() {
                    for (k, v) in table {
                        check_option(layer, catalog, &rule.plugin, k, v)?;
                        obj.insert(
                            k.get_ref().clone(),
                            serde_json::to_value(v.get_ref()).unwrap_or(serde_json::Value::Null),
                        );
                    }
                }
            }
            for (name, section) in &f.plugins {
                let plugin = name.get_ref();
                if !plugin_names.contains(&plugin.as_str()) {
                    let help = closest(plugin, plugin_names.iter().copied()).map(|s| format!("did you mean `{s}`?"));
                    return Err(layer.error(
                        name.span(),
                        format!("unknown plugin `{plugin}`"),
                        "no plugin has this name",
                        help,
                    ));
                }
                if let Some(on) = section.enabled {
                    disabled_plugins.retain(|p| p != plugin);
                    if !on {
                        disabled_plugins.push(plugin.clone());
                    }
                }
                if let Some(t) = &section.timeout {
                    if !(t.get_ref().is_finite() && (0.001..=3600.0).contains(t.get_ref())) {
                        return Err(layer.error(
                            t.span(),
                            "`timeout` is in seconds, from 0.001 to 3600",
                            "out of range",
                            None,
                        ));
                    }
                    timeouts.insert(plugin.clone(), *t.get_ref());
                }
                if let Some(m) = &section.memory_mib {
                    if !(16..=16384).contains(m.get_ref()) {
                        return Err(layer.error(m.span(), "`memory-mib` is from 16 to 16384", "out of range", None));
                    }
                    memory.insert(plugin.clone(), *m.get_ref() as usize);
                }
                let entry = options.entry(plugin.clone()).or_default();
                for (k, v) in &section.options {
                    check_option(layer, catalog, plugin, k, v)?;
                    entry.insert(
                        k.get_ref().clone(),
                        serde_json::to_value(v.get_ref()).unwrap_or(serde_json::Value::Null),
                    );
                }
            }
        }
        if !cli.select.is_empty() {
            reset(&mut enabled);
        }
        for (list, on) in [(&cli.select, true), (&cli.extend_select, true), (&cli.ignore, false)] {
            for sel in list {
                if let Some(which) = catalog.ambiguous(sel) {
                    return Err(Error::Usage { message: format!("which rule is `{sel}`?"), help: Some(which) });
                }
                let rules = catalog.select(sel);
                if rules.is_empty() {
                    let help = Some(catalog.unknown_help(sel));
                    return Err(Error::Usage { message: format!("unknown rule or plugin `{sel}`"), help });
                }
                for r in rules {
                    enabled.get_mut(&r.id).expect("catalog id").0 = on;
                }
            }
        }
        // A plugin that failed is always said: the exit code and the report must agree.
        if let Some(e) = enabled.get_mut(PLUGIN_FAILED) {
            e.0 = true;
        }
        Ok(Settings {
            fail_on: cli.fail_on.unwrap_or(fail_on),
            max_file_size,
            baseline,
            exclude: exclude.build().map_err(|e| Error::Internal(e.to_string()))?,
            exclude_patterns,
            default_exclude: match default_exclude {
                true => DEFAULT_EXCLUDE.iter().map(|s| s.to_string()).collect(),
                false => Vec::new(),
            },
            extend_include: extend_include
                .into_iter()
                .map(|(full, b)| {
                    let (plugin, kind) = full.split_once('/').expect("plugin/kind");
                    Ok((plugin.to_string(), kind.to_string(), b.build().map_err(|e| Error::Internal(e.to_string()))?))
                })
                .collect::<Result<_, Error>>()?,
            enabled: enabled.into_iter().filter(|(_, (on, _))| *on).map(|(id, (_, sev))| (id, sev)).collect(),
            pinned_severity: pinned,
            disabled_plugins,
            options,
            timeouts,
            memory,
        })
    }
}

fn set(
    enabled: &mut BTreeMap<String, (bool, Severity)>,
    layer: &Layer,
    catalog: &Catalog,
    selectors: &[Spanned<String>],
    on: bool,
) -> Result<(), Error> {
    for sel in selectors {
        if !on && sel.get_ref() == PLUGIN_FAILED {
            return Err(layer.error(
                sel.span(),
                "`opslint/plugin-failed` cannot be ignored",
                "a failed plugin means unchecked files",
                None,
            ));
        }
        for r in matched(layer, catalog, sel)? {
            enabled.get_mut(&r).expect("catalog id").0 = on;
        }
    }
    Ok(())
}

/// `pat` and, for a directory pattern, everything below it.
fn add_exclude(set: &mut globset::GlobSetBuilder, pat: &str) -> Result<(), globset::Error> {
    set.add(globset::GlobBuilder::new(pat).literal_separator(false).build()?);
    set.add(globset::Glob::new(&format!("{}/**", pat.trim_end_matches('/')))?);
    Ok(())
}

/// The single rule a `[rules.options]` key names (full id, or an alias of exactly one rule).
fn one_rule<'c>(layer: &Layer, catalog: &'c Catalog, sel: &Spanned<String>) -> Result<&'c RuleInfo, Error> {
    let found = catalog.select(sel.get_ref());
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(unknown_rule(layer, catalog, sel)),
        many => {
            let ids: Vec<&str> = many.iter().map(|r| r.id.as_str()).collect();
            Err(layer.error(
                sel.span(),
                format!("`{}` names {} rules; options go to one rule", sel.get_ref(), many.len()),
                "use a full rule id",
                Some(format!("one of: {}", ids.join(", "))),
            ))
        }
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
    let help = Some(catalog.unknown_help(sel.get_ref()));
    layer.error(sel.span(), format!("unknown rule `{}`", sel.get_ref()), "no rule, plugin or alias has this name", help)
}

/// An option checked against the schema its plugin declares.
fn check_option(
    layer: &Layer,
    catalog: &Catalog,
    plugin: &str,
    key: &Spanned<String>,
    value: &Spanned<toml::Value>,
) -> Result<(), Error> {
    let schema = catalog.schemas.get(plugin).and_then(Option::as_ref);
    crate::options::check(plugin, schema, key.get_ref(), value.get_ref()).map_err(|p| {
        let span = if p.on_key { key.span() } else { value.span() };
        layer.error(span, p.message, &p.label, p.help)
    })
}

fn valid_plugin_name(name: &str) -> bool {
    !name.is_empty()
        && name != "opslint"
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
