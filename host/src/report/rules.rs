//! `opslint rules`, `opslint explain`, `opslint plugins`.
use std::fmt::Write;

use crate::catalog::{Catalog, RuleInfo};
use crate::plugin::Loaded;

pub fn render(catalog: &Catalog, json: bool) -> String {
    if json {
        let mut s = serde_json::to_string_pretty(&catalog.rules).expect("serialisable");
        s.push('\n');
        return s;
    }
    let width = catalog.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in &catalog.rules {
        let state = if r.enabled { "" } else { " (off by default)" };
        let aliases = if r.aliases.is_empty() { String::new() } else { format!(" [{}]", r.aliases.join(", ")) };
        let _ = writeln!(out, "{:<width$}  {:<6}  {}{}{}", r.id, r.severity.as_str(), r.summary, state, aliases);
    }
    let _ = writeln!(out, "\n{} rules. `opslint explain RULE` prints a rule's documentation.", catalog.rules.len());
    out
}

pub fn explain(r: &RuleInfo) -> String {
    let mut out = format!("# {}\n\n{}\n\n", r.id, r.summary);
    let _ = writeln!(out, "- Severity: {}", r.severity);
    let _ = writeln!(out, "- Enabled by default: {}", if r.enabled { "yes" } else { "no" });
    if !r.aliases.is_empty() {
        let _ = writeln!(out, "- Aliases: {}", r.aliases.join(", "));
    }
    if !r.tags.is_empty() {
        let _ = writeln!(out, "- Tags: {}", r.tags.join(", "));
    }
    if r.fix != "none" {
        let _ = writeln!(out, "- Fix: {}", r.fix);
    }
    let _ = writeln!(out, "\n{}", r.docs.trim_end());
    out
}

pub fn plugins(plugins: &[Loaded], json: bool) -> String {
    if json {
        let list: Vec<serde_json::Value> = plugins
            .iter()
            .map(|p| {
                let source = match &p.source {
                    crate::plugin::Source::Builtin => serde_json::json!("builtin"),
                    crate::plugin::Source::File(path) => serde_json::json!(path.display().to_string()),
                };
                serde_json::json!({
                    "name": p.name,
                    "version": p.meta.version,
                    "description": p.meta.description,
                    "source": source,
                    "sha256": p.sha256,
                    "interface": p.interface,
                    "scope": match p.meta.scope {
                        crate::plugin::bindings::Scope::File => "file",
                        crate::plugin::bindings::Scope::Repository => "repository",
                    },
                    "rules": p.meta.rules.len(),
                    // The evidence keys it may record for the maturity assessment, as it declares them.
                    "evidence": p.meta.evidence.iter().map(|e| serde_json::json!({"key": e.key, "description": e.description})).collect::<Vec<_>>(),
                    // The plugin's JSON Schema for its options, as it declares it (not checked by the host).
                    "options-schema": p.meta.options_schema.as_deref().map(|s| {
                        serde_json::from_str::<serde_json::Value>(s).unwrap_or_else(|_| serde_json::json!(s))
                    }),
                })
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&list).expect("serialisable");
        s.push('\n');
        return s;
    }
    let mut out = String::new();
    for p in plugins {
        let _ = writeln!(
            out,
            "{} {} ({}), interface {}, {} rule{}, sha256 {}",
            p.name,
            p.meta.version,
            p.source,
            p.interface,
            p.meta.rules.len(),
            if p.meta.rules.len() == 1 { "" } else { "s" },
            p.sha256
        );
    }
    out
}
