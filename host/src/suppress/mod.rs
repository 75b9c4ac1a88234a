//! Suppressions, one grammar for every file type and every plugin (third-party
//! ones too): the host reads the directives from the text it already holds and
//! marks the findings they cover. Directives that are malformed, give no
//! reason, have expired or suppress nothing become findings themselves.
pub mod date;
pub mod parse;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::config::Settings;
use crate::finding::{Finding, Suppression};
use crate::host_rules::{self, NOT_SUPPRESSIBLE};
use crate::locate::Lines;
use date::Date;
use parse::Scope;

/// A file whose findings may be suppressed.
pub struct File<'a> {
    pub display: &'a str,
    pub rel: &'a str,
    pub text: &'a str,
}

/// Marks suppressed findings (`Finding::suppression`) and returns the findings
/// about the directives themselves. `checked(path, rule)` says whether `rule`
/// ran on that file, so that only those can be reported as unused.
pub fn apply(
    findings: &mut [Finding],
    files: &[File],
    catalog: &Catalog,
    settings: &Settings,
    checked: &dyn Fn(&str, &str) -> bool,
    today: Date,
) -> Vec<Finding> {
    // Few files hold a directive: finding them is a search through every text, on every core.
    let holding: Vec<&File> = files.par_iter().filter(|f| f.text.contains("opslint")).collect();
    let mut problems = Vec::new();
    if holding.is_empty() {
        return problems;
    }
    let mut by_path: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        by_path.entry(f.path.as_str()).or_default().push(i);
    }
    let by_path: HashMap<String, Vec<usize>> = by_path.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    for file in holding {
        let directives = parse::scan(file.text, file.rel);
        if directives.is_empty() {
            continue;
        }
        let lines = Lines::new(file.text);
        let none = Vec::new();
        let in_file = by_path.get(file.display).unwrap_or(&none);
        for d in directives {
            let position = Some(lines.position(d.span.0, d.span.1));
            let mut report = |rule: &str, message: String| {
                problems.extend(host_rules::finding(settings, rule, file.display, message, position.clone()));
            };
            let what = if d.annotation { "annotation" } else { "suppression" };
            let parsed = match d.parsed {
                Ok(p) => p,
                Err(why) => {
                    report(host_rules::INVALID_SUPPRESSION, format!("invalid {what}: {why}"));
                    continue;
                }
            };
            // Each name as written, with the rule ids it stands for.
            let mut names: Vec<(String, Vec<String>)> = Vec::new();
            for name in &parsed.rules {
                let ids: Vec<String> = match name.as_str() {
                    "all" => Vec::new(),
                    n => catalog.select(n).iter().map(|r| r.id.clone()).collect(),
                };
                if ids.is_empty() {
                    let hint = catalog
                        .suggest(name)
                        .filter(|s| s != name)
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    report(
                        host_rules::INVALID_SUPPRESSION,
                        format!("{what} names `{name}`, which is no rule, alias or plugin{hint}"),
                    );
                } else {
                    names.push((name.clone(), ids));
                }
            }
            if names.is_empty() {
                continue;
            }
            let listed = names.iter().map(|(n, _)| format!("`{n}`")).collect::<Vec<_>>().join(", ");
            if parsed.reason.is_none() {
                report(host_rules::SUPPRESSION_WITHOUT_REASON, format!("{what} of {listed} gives no reason"));
            }
            if let Some(until) = parsed.until.filter(|u| *u < today) {
                report(
                    host_rules::SUPPRESSION_EXPIRED,
                    format!("{what} of {listed} expired on {until}; the findings it covered are reported again"),
                );
                continue;
            }
            let note = Suppression {
                kind: if d.annotation { "annotation" } else { "comment" },
                reason: parsed.reason.clone(),
                until: parsed.until.map(|u| u.to_string()),
                line: d.line,
            };
            let mut used = vec![false; names.len()];
            for &i in in_file {
                let f = &mut findings[i];
                if f.suppression.is_some() || NOT_SUPPRESSIBLE.contains(&f.rule.as_str()) {
                    continue;
                }
                let line = f.position.as_ref().map(|p| p.line);
                let covered = match d.scope {
                    Scope::File => true,
                    Scope::Line(target) => target.is_some() && line == target,
                    Scope::Lines(first, last) => line.is_some_and(|l| (first..=last).contains(&l)),
                };
                if !covered {
                    continue;
                }
                if let Some(k) = names.iter().position(|(_, ids)| ids.contains(&f.rule)) {
                    f.suppression = Some(note.clone());
                    used[k] = true;
                }
            }
            let unused: Vec<String> = names
                .iter()
                .zip(&used)
                .filter(|((_, ids), used)| !**used && ids.iter().any(|id| checked(file.display, id)))
                .map(|((n, _), _)| format!("`{n}`"))
                .collect();
            if !unused.is_empty() {
                let place = match d.scope {
                    Scope::File => "in this file".to_string(),
                    Scope::Lines(..) => "in this YAML document".to_string(),
                    Scope::Line(Some(l)) => format!("on line {l}"),
                    Scope::Line(None) => "(no line follows it)".to_string(),
                };
                report(
                    host_rules::UNUSED_SUPPRESSION,
                    format!("{what} of {} suppresses nothing: no such finding {place}", unused.join(", ")),
                );
            }
        }
    }
    problems
}
