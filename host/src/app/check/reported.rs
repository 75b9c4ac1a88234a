//! What of the plugins' output a run reports: nothing about files read only
//! for other files, and suppressions marked (which rules ran on which file
//! decides which suppressions went unused).
use std::cell::OnceCell;
use std::collections::HashSet;

use super::batches::Work;
use super::evidence::EVIDENCE_PATH;
use super::read::SourceFile;
use crate::catalog::Catalog;
use crate::config::Settings;
use crate::finding::{Evidence, Finding};
use crate::host_rules;
use crate::suppress;

/// Drops the findings and evidence of files read only for repository-scope plugins.
pub(super) fn drop_extra(findings: &mut Vec<Finding>, evidence: &mut Vec<Evidence>, sources: &[SourceFile]) {
    if !sources.iter().any(|s| s.extra) {
        return;
    }
    let extra: HashSet<&str> = sources.iter().filter(|s| s.extra).map(|s| s.display.as_str()).collect();
    // (A failure of an evidence-phase batch is reported at the evidence document.)
    findings.retain(|f| {
        !extra.contains(f.path.as_str()) || (f.rule == host_rules::PLUGIN_FAILED && f.path == EVIDENCE_PATH)
    });
    evidence.retain(|e| e.path.as_deref().is_none_or(|p| !extra.contains(p)));
}

/// Marks suppressed findings and adds the suppression problems.
pub(super) fn suppress(
    findings: &mut Vec<Finding>,
    work: &[Work],
    sources: &[SourceFile],
    settings: &Settings,
    catalog: &Catalog,
) {
    // Asked only about files that hold a directive: made at the first question.
    let ran: OnceCell<HashSet<(&str, &str)>> = OnceCell::new();
    let ran = || {
        ran.get_or_init(|| {
            let pairs = work.iter().flat_map(|w| {
                w.docs.iter().chain(&w.reach).map(move |&d| (w.plugin.name.as_str(), sources[d].display.as_str()))
            });
            pairs.collect()
        })
    };
    let failed: HashSet<String> =
        findings.iter().filter(|f| f.rule == host_rules::PLUGIN_FAILED).map(|f| f.path.clone()).collect();
    let checked = |path: &str, rule: &str| {
        let plugin = rule.split_once('/').map_or("", |(p, _)| p);
        settings.enabled.contains_key(rule)
            && (plugin == "opslint" || (ran().contains(&(plugin, path)) && !failed.contains(path)))
    };
    let files: Vec<suppress::File> = sources
        .iter()
        .filter(|s| !s.extra)
        .map(|s| suppress::File { display: &s.display, rel: &s.rel, text: &s.text })
        .collect();
    let today = suppress::date::Date::today();
    let problems = suppress::apply(findings, &files, catalog, settings, &checked, today);
    findings.extend(problems);
}
