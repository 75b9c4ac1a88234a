//! `opslint maturity --format json`: the verdicts as a versioned document, for
//! CI dashboards, the fleet audit and anyone measuring the assessment.
//! Deterministic like the Markdown block: no date, no absolute path, sorted
//! evidence, paths relative to the assessed directory with `/`.
use std::path::Path;

use serde::Serialize;

use super::assess::{Assessment, Availability, Blocker, Judged, Record, Status};
use super::report::relative;
use crate::finding::EvidenceValue;

/// The document's schema version: bumped when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Document<'a> {
    schema: &'static str,
    schema_version: u32,
    opslint_version: &'static str,
    rubric: RubricInfo<'a>,
    /// The level reached (0: none).
    level: u32,
    top_level: u32,
    levels: Vec<LevelInfo<'a>>,
    plugins: Vec<PluginInfo<'a>>,
    criteria: Vec<CriterionInfo<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct RubricInfo<'a> {
    name: &'a str,
    schema_version: u32,
    revision: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct LevelInfo<'a> {
    level: u32,
    name: &'a str,
    reached: bool,
    gating_passed: usize,
    gating_total: usize,
    advisory_passed: usize,
    advisory_total: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct PluginInfo<'a> {
    name: &'a str,
    /// `ran`, `disabled`, `not-installed` or `failed`.
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct CriterionInfo<'a> {
    id: &'a str,
    level: u32,
    /// `gating` or `advisory`.
    role: &'static str,
    title: &'a str,
    /// `pass`, `fail` or `not-assessed`.
    verdict: &'static str,
    reason: String,
    evidence: Vec<EvidenceInfo>,
    against: Vec<EvidenceInfo>,
    could_not_read: Vec<EvidenceInfo>,
    looked_for: Vec<String>,
    findings: Vec<FindingInfo>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct EvidenceInfo {
    key: String,
    value: String,
    /// `path:line`, `path` when the whole file, absent when repository-wide.
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct FindingInfo {
    rule: String,
    severity: &'static str,
    location: String,
    message: String,
}

fn location(root: &Path, path: Option<&Path>, line: Option<u32>) -> Option<String> {
    let shown = relative(root, path?);
    Some(match line {
        Some(l) if l > 0 => format!("{shown}:{l}"),
        _ => shown,
    })
}

fn value(v: &EvidenceValue) -> String {
    match v {
        EvidenceValue::Flag(b) => if *b { "yes" } else { "no" }.to_string(),
        EvidenceValue::Count(n) => n.to_string(),
        EvidenceValue::Text(t) => t.clone(),
        EvidenceValue::Items(i) => i.join(", "),
    }
}

fn evidence(root: &Path, r: &Record) -> EvidenceInfo {
    EvidenceInfo {
        key: r.key.clone(),
        value: value(&r.value),
        location: location(root, r.path.as_deref(), r.line),
        note: r.note.clone(),
    }
}

fn finding(root: &Path, b: &Blocker) -> FindingInfo {
    FindingInfo {
        rule: b.rule.clone(),
        severity: b.severity.as_str(),
        location: location(root, Some(&b.path), b.line).unwrap_or_default(),
        message: b.message.clone(),
    }
}

/// One sentence: why the verdict is what it is.
fn reason(a: &Assessment, j: &Judged, root: &Path) -> String {
    let rec = |i: usize| &a.records[i];
    let at = |r: &Record| location(root, r.path.as_deref(), r.line).unwrap_or_else(|| "repository-wide".into());
    match &j.status {
        Status::NotAssessed(why) => why.clone(),
        Status::Pass => {
            // "no database deployed" and the like: the only evidence is a repository-wide note.
            if let Some(note) =
                j.cited.iter().map(|&i| rec(i)).find(|r| r.path.is_none()).and_then(|r| r.note.as_deref())
            {
                if j.cited.iter().all(|&i| rec(i).path.is_none()) {
                    return format!("not applicable: {note}");
                }
            }
            match j.cited.first() {
                Some(&i) => {
                    let more = match j.cited.len() {
                        1 => String::new(),
                        n => format!(" and {} more", n - 1),
                    };
                    format!("found `{}` at {}{more}", rec(i).key, at(rec(i)))
                }
                None => "passes".into(),
            }
        }
        Status::Fail => {
            let mut parts: Vec<String> = Vec::new();
            if j.criterion.fail_on_findings && !j.blockers.is_empty() {
                let b = &a.blockers[j.blockers[0]];
                parts.push(format!(
                    "finding `{}` at {}",
                    b.rule,
                    location(root, Some(&b.path), b.line).unwrap_or_default()
                ));
            }
            for &i in j.against.iter().take(1) {
                let r = rec(i);
                let note = r.note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
                parts.push(format!("`{}` = {} at {}{note}", r.key, value(&r.value), at(r)));
            }
            if !j.missing.is_empty() {
                parts.push(format!("looked for and not found: {}", j.missing.join("; ").replace('`', "")));
            }
            if parts.is_empty() {
                "fails".into()
            } else {
                parts.join("; ")
            }
        }
    }
}

/// The document, pretty-printed, ending with a newline.
pub fn render(a: &Assessment, root: &Path, rubric_name: &str) -> String {
    let levels = a
        .rubric
        .levels
        .iter()
        .map(|l| {
            let of = |gating: bool| -> Vec<&Judged> {
                a.judged.iter().filter(|j| j.criterion.level == l.level && j.gating() == gating).collect()
            };
            let passed = |v: &[&Judged]| v.iter().filter(|j| j.status == Status::Pass).count();
            let (g, ad) = (of(true), of(false));
            LevelInfo {
                level: l.level,
                name: &l.name,
                reached: l.level <= a.reached,
                gating_passed: passed(&g),
                gating_total: g.len(),
                advisory_passed: passed(&ad),
                advisory_total: ad.len(),
            }
        })
        .collect();
    let plugins = a
        .plugins
        .iter()
        .map(|(name, s)| {
            let (state, why) = match s {
                Availability::Ran => ("ran", None),
                Availability::Disabled => ("disabled", None),
                Availability::NotInstalled => ("not-installed", None),
                Availability::Failed(at) => ("failed", Some(at.as_str())),
            };
            PluginInfo { name, state, why }
        })
        .collect();
    let criteria = a
        .judged
        .iter()
        .map(|j| {
            let c = j.criterion;
            let pass = j.status == Status::Pass;
            CriterionInfo {
                id: &c.id,
                level: c.level,
                role: c.role(),
                title: &c.title,
                verdict: match j.status {
                    Status::Pass => "pass",
                    Status::Fail => "fail",
                    Status::NotAssessed(_) => "not-assessed",
                },
                reason: reason(a, j, root),
                evidence: j.cited.iter().map(|&i| evidence(root, &a.records[i])).collect(),
                against: if pass {
                    Vec::new()
                } else {
                    j.against.iter().map(|&i| evidence(root, &a.records[i])).collect()
                },
                could_not_read: j.unknown.iter().map(|&i| evidence(root, &a.records[i])).collect(),
                looked_for: if pass { Vec::new() } else { j.missing.clone() },
                findings: j.blockers.iter().map(|&i| finding(root, &a.blockers[i])).collect(),
            }
        })
        .collect();
    let doc = Document {
        schema: "opslint-maturity",
        schema_version: SCHEMA_VERSION,
        opslint_version: env!("CARGO_PKG_VERSION"),
        rubric: RubricInfo { name: rubric_name, schema_version: a.rubric.version, revision: a.rubric.revision },
        level: a.reached,
        top_level: a.top(),
        levels,
        plugins,
        criteria,
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("the document serialises");
    out.push('\n');
    out
}
