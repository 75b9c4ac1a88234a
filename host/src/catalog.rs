//! Every rule opslint knows: the host's own and those of each loaded plugin, by full id.
use serde::Serialize;

use crate::finding::Severity;
use crate::host_rules::HOST_RULES;
use crate::plugin::bindings::{self, FixAvailability, RuleStatus};
use crate::plugin::Loaded;

#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub plugin: String,
    pub summary: String,
    pub severity: Severity,
    pub enabled: bool,
    pub aliases: Vec<String>,
    pub tags: Vec<String>,
    pub status: &'static str,
    pub fix: &'static str,
    /// Markdown: What it does / Why is this bad? / Example / Use instead.
    pub docs: String,
}

#[derive(Debug, Default)]
pub struct Catalog {
    /// Sorted by id.
    pub rules: Vec<RuleInfo>,
    /// `plugin/kind` of every file kind a plugin reads (not context or evidence
    /// kinds): what `[files.extend-include]` may name.
    pub kinds: Vec<String>,
    /// Plugin name → the JSON Schema of its options (`None`: it takes none).
    pub schemas: std::collections::BTreeMap<String, Option<serde_json::Value>>,
}

pub fn severity(s: bindings::Severity) -> Severity {
    match s {
        bindings::Severity::Info => Severity::Info,
        bindings::Severity::Low => Severity::Low,
        bindings::Severity::Medium => Severity::Medium,
        bindings::Severity::High => Severity::High,
    }
}

impl Catalog {
    pub fn new(plugins: &[Loaded]) -> Catalog {
        let mut rules: Vec<RuleInfo> = HOST_RULES
            .iter()
            .map(|r| RuleInfo {
                id: r.id.to_string(),
                plugin: "opslint".into(),
                summary: r.summary.into(),
                severity: r.severity,
                enabled: true,
                aliases: Vec::new(),
                tags: Vec::new(),
                status: "stable",
                fix: "none",
                docs: r.docs.into(),
            })
            .collect();
        for p in plugins {
            for r in &p.meta.rules {
                rules.push(RuleInfo {
                    id: format!("{}/{}", p.name, r.id),
                    plugin: p.name.clone(),
                    summary: r.summary.clone(),
                    severity: severity(r.default_severity),
                    enabled: r.default_enabled,
                    aliases: r.aliases.clone(),
                    tags: r.tags.clone(),
                    status: match r.status {
                        RuleStatus::Stable => "stable",
                        RuleStatus::Preview => "preview",
                        RuleStatus::Deprecated => "deprecated",
                    },
                    fix: match r.fix {
                        FixAvailability::None => "none",
                        FixAvailability::Sometimes => "sometimes",
                        FixAvailability::Always => "always",
                    },
                    docs: r.docs.clone(),
                });
            }
        }
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        let kinds = plugins
            .iter()
            .flat_map(|p| {
                p.meta
                    .files
                    .iter()
                    .filter(|m| !crate::route::is_context(&m.kind))
                    .filter(|m| m.kind != crate::route::EVIDENCE_KIND && m.kind != crate::route::FOLDER_SCOPE_KIND)
                    .map(|m| format!("{}/{}", p.name, m.kind))
            })
            .collect();
        let schemas = plugins
            .iter()
            .map(|p| (p.name.clone(), p.meta.options_schema.as_deref().and_then(|s| serde_json::from_str(s).ok())))
            .collect();
        Catalog { rules, kinds, schemas }
    }

    pub fn get(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.binary_search_by(|r| r.id.as_str().cmp(id)).ok().map(|i| &self.rules[i])
    }

    /// The rules a selector names: a full id, a plugin name, `all`, or another tool's id (alias).
    pub fn select(&self, selector: &str) -> Vec<&RuleInfo> {
        if selector == "all" {
            return self.rules.iter().collect();
        }
        if let Some(r) = self.get(selector) {
            return vec![r];
        }
        let by_plugin: Vec<_> = self.rules.iter().filter(|r| r.plugin == selector).collect();
        if !by_plugin.is_empty() {
            return by_plugin;
        }
        self.rules.iter().filter(|r| r.aliases.iter().any(|a| a.eq_ignore_ascii_case(selector))).collect()
    }

    /// Rules whose id without its plugin is `name` (`latest-tag`).
    pub fn by_local_name(&self, name: &str) -> Vec<&RuleInfo> {
        self.rules.iter().filter(|r| r.id.split_once('/').is_some_and(|(_, local)| local == name)).collect()
    }

    /// For a name a user typed (`--select`, `explain`): when a bare rule name
    /// (`latest-tag`) is the local name of one rule and also another rule's
    /// alias or another plugin's rule name, which rules it could mean.
    pub fn ambiguous(&self, selector: &str) -> Option<String> {
        let local = self.by_local_name(selector);
        if local.is_empty() || selector.contains('/') || self.get(selector).is_some() {
            return None;
        }
        let mut ids: Vec<&str> = local.iter().map(|r| r.id.as_str()).collect();
        ids.extend(self.select(selector).iter().map(|r| r.id.as_str()));
        ids.sort_unstable();
        ids.dedup();
        (ids.len() > 1).then(|| {
            let shown: Vec<String> = ids.iter().map(|i| format!("`{i}`")).collect();
            format!("`{selector}` could mean {}: name one by its full id", shown.join(" or "))
        })
    }

    /// The help for a selector that names nothing: which plugin's rule a bare
    /// rule name means, or the nearest id; never a look-alike of another
    /// tool's code (`DL3013` is not a typo of `DL3018`).
    pub fn unknown_help(&self, selector: &str) -> String {
        let local = self.by_local_name(selector);
        let ids = |rules: &[&RuleInfo]| rules.iter().map(|r| format!("`{}`", r.id)).collect::<Vec<_>>().join(", ");
        match local.as_slice() {
            [one] => return format!("did you mean `{}`?", one.id),
            [] => {}
            many => return format!("`{selector}` is a rule of {} plugins: name one of {}", many.len(), ids(many)),
        }
        if selector.bytes().any(|b| b.is_ascii_digit()) && !selector.contains('/') {
            return format!(
                "no opslint rule lists `{selector}` as an alias; `opslint rules` shows every rule with its aliases"
            );
        }
        match self.suggest(selector).filter(|s| s != selector) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "`opslint rules` lists every rule id".into(),
        }
    }

    /// The closest known id, plugin name or alias, for "did you mean".
    pub fn suggest(&self, selector: &str) -> Option<String> {
        let names =
            self.rules.iter().flat_map(|r| std::iter::once(&r.id).chain(&r.aliases).chain(std::iter::once(&r.plugin)));
        closest(selector, names.map(String::as_str))
    }
}

/// The candidate nearest to `word`, if it is near enough to be a typo.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}
