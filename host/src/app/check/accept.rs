//! Accept: a plugin's output checked against what it declared and the batch
//! it was given, and turned into host findings. The host trusts nothing a
//! plugin returns; anything invalid is itself reported.
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::read::SourceFile;
use super::run::Sources;
use crate::catalog::severity;
use crate::config::Settings;
use crate::finding::{Edit, Evidence, EvidenceValue, Finding, Fix, Related};
use crate::host_rules;
use crate::locate::Lines;
use crate::plugin::bindings::{self, Applicability};
use crate::plugin::Loaded;

/// Most findings kept from one plugin for one file; a runaway plugin cannot
/// flood the report. (Per file, not per batch: a repository-scope batch holds
/// every manifest of a large repository.)
const MAX_FINDINGS_PER_FILE: usize = 10_000;

/// `out`, from `plugin` for the documents `batch` (indices in `sources`).
pub(super) fn accept(
    plugin: &Loaded,
    out: bindings::CheckOutput,
    batch: &[usize],
    sources: Sources,
    settings: &Settings,
) -> (Vec<Finding>, Vec<Evidence>) {
    let by_rel: FxHashMap<&str, &SourceFile> = batch.iter().map(|&i| (sources[i].rel.as_str(), &sources[i])).collect();
    let declared: FxHashMap<&str, &bindings::RuleMeta> = plugin.meta.rules.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut findings = Vec::new();
    let mut rejected: BTreeMap<String, String> = BTreeMap::new();
    let mut per_file: FxHashMap<&str, usize> = FxHashMap::default();
    let mut located: FxHashMap<&str, Lines> = FxHashMap::default();
    // Every source by path, made at the first finding that points at another file.
    let every: std::cell::OnceCell<FxHashMap<&str, &SourceFile>> = std::cell::OnceCell::new();
    for f in out.findings {
        let Some(file) = by_rel.get(f.path.as_str()) else {
            rejected.entry(batch.first().map(|&i| sources[i].display.clone()).unwrap_or_default()).or_insert_with(
                || format!("returned a finding for `{}`, which it was not given", trunc(f.path.clone())),
            );
            continue;
        };
        // Read only for other files: never reported (reported::drop_extra), so not located.
        if file.extra {
            continue;
        }
        let seen = per_file.entry(file.display.as_str()).or_insert(0);
        *seen += 1;
        if *seen > MAX_FINDINGS_PER_FILE {
            continue;
        }
        let Some(meta) = declared.get(f.rule.as_str()) else {
            rejected
                .entry(file.display.clone())
                .or_insert_with(|| format!("returned a finding for undeclared rule `{}`", trunc(f.rule.clone())));
            continue;
        };
        let id = format!("{}/{}", plugin.name, f.rule);
        let Some(&configured) = settings.enabled.get(&id) else {
            continue;
        };
        // A plugin may grade one finding differently, unless the user set the severity.
        let severity = match f.severity.map(severity) {
            Some(s) if !settings.pinned_severity.contains(&id) => s,
            _ => configured,
        };
        // Line starts (and a YAML parse, for path locations) once per file, not per finding.
        let others: Vec<Option<&SourceFile>> = f
            .related
            .iter()
            .map(|l| {
                let all = every.get_or_init(|| {
                    let mut all = FxHashMap::default();
                    for s in sources.iter() {
                        all.entry(s.rel.as_str()).or_insert(s);
                    }
                    all
                });
                l.path.as_deref().and_then(|p| all.get(p).copied())
            })
            .collect();
        for s in std::iter::once(*file).chain(others.iter().flatten().copied()) {
            located.entry(s.rel.as_str()).or_insert_with(|| s.lines());
        }
        let lines = &located[file.rel.as_str()];
        let related = f
            .related
            .iter()
            .zip(&others)
            .map(|(l, other)| match other {
                Some(o) => Related {
                    path: o.display.clone(),
                    position: located[o.rel.as_str()].resolve(&l.location),
                    message: l.message.clone(),
                },
                None => Related {
                    path: l.path.clone().unwrap_or_else(|| file.display.clone()),
                    position: if l.path.is_none() { lines.resolve(&l.location) } else { None },
                    message: l.message.clone(),
                },
            })
            .collect();
        findings.push(Finding {
            rule: id,
            aliases: meta.aliases.clone(),
            severity,
            path: file.display.clone(),
            position: lines.resolve(&f.primary.location),
            message: trunc(f.message),
            help: f.help.map(trunc),
            related,
            fix: f.fix.map(|x| Fix {
                title: x.title,
                applicability: match x.applicability {
                    Applicability::Safe => "safe",
                    Applicability::Unsafe => "unsafe",
                    Applicability::DisplayOnly => "display-only",
                },
                edits: x
                    .edits
                    .into_iter()
                    .map(|e| Edit { start: e.span.start, end: e.span.end, replacement: e.replacement })
                    .collect(),
            }),
            fingerprint: String::new(),
            suppression: None,
            rel: String::new(),
        });
    }
    for (path, total) in per_file.into_iter().filter(|(_, n)| *n > MAX_FINDINGS_PER_FILE) {
        rejected.entry(path.to_string()).or_insert_with(|| {
            format!("returned {total} findings for `{path}`; only the first {MAX_FINDINGS_PER_FILE} were kept")
        });
    }
    for (path, why) in rejected {
        findings.extend(host_rules::finding(
            settings,
            host_rules::PLUGIN_FAILED,
            &path,
            format!("plugin `{}` {why}", plugin.name),
            None,
        ));
    }
    // A repository-scope plugin's evidence is thousands of records: the
    // checks made without a string built per record.
    let own = |key: &str| key.strip_prefix(plugin.name.as_str()).is_some_and(|rest| rest.starts_with('/'));
    let evidence = out
        .evidence
        .into_iter()
        .filter(|e| own(&e.key) && e.path.as_deref().is_none_or(|p| by_rel.contains_key(p)))
        .map(|e| Evidence {
            key: e.key,
            value: match e.value {
                bindings::EvidenceValue::Flag(b) => EvidenceValue::Flag(b),
                bindings::EvidenceValue::Count(n) => EvidenceValue::Count(n),
                bindings::EvidenceValue::Text(t) => EvidenceValue::Text(t),
                bindings::EvidenceValue::Items(items) => EvidenceValue::Items(items),
            },
            path: e.path.and_then(|p| by_rel.get(p.as_str()).map(|s| s.display.clone())),
            line: e.line,
            note: e.note,
        })
        .collect();
    (findings, evidence)
}

/// Messages and help are cut at 2,000 bytes (kept, not copied, when shorter).
fn trunc(mut s: String) -> String {
    const MAX: usize = 2000;
    if s.len() <= MAX {
        return s;
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.truncate(end);
    s.push('…');
    s
}
