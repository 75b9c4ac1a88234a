//! Result files → one scorecard model, which the Markdown, HTML and JSON
//! renderers only format. Everything is sorted; nothing depends on the order
//! or the grouping (shards) the results came in.
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::result::{RepoResult, RubricId};

pub const SCHEMA: &str = "opslint-audit-scorecard";
pub const SCHEMA_VERSION: u32 = 1;

/// Questions a platform team asks of a fleet, each answered by the
/// repositories whose criterion does not pass (fail or not assessed).
pub const SPOTLIGHTS: &[(&str, &str, &str)] = &[
    ("restore-verified", "no verified restore", "Databases with no verified backup (no restore ever tested)"),
    ("manual-backup", "no backup", "Databases with no backup at all"),
    ("alert-rules", "no alerts", "No alert rules: nobody is paged"),
    ("runbook", "no runbook", "No runbook for the on-call"),
];

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Scorecard {
    pub schema: &'static str,
    pub schema_version: u32,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
    pub opslint_versions: Vec<String>,
    pub rubrics: Vec<RubricId>,
    pub repositories_total: usize,
    pub assessed: usize,
    pub errors: usize,
    pub levels: Vec<LevelCount>,
    pub criteria: Vec<CriterionStat>,
    /// Criterion ids, most often failed first.
    pub most_failed: Vec<String>,
    pub spotlights: Vec<Spotlight>,
    pub findings_by_severity: BTreeMap<String, usize>,
    pub top_rules: Vec<RuleCount>,
    pub repositories: Vec<Row>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct LevelCount {
    pub level: u32,
    pub name: String,
    pub repositories: usize,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct CriterionStat {
    pub id: String,
    pub level: u32,
    pub role: String,
    pub title: String,
    pub pass: usize,
    pub fail: usize,
    pub not_assessed: usize,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Spotlight {
    pub criterion: String,
    /// A few words, for a filter's label.
    pub label: String,
    pub question: String,
    pub repositories: Vec<Mention>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Mention {
    pub name: String,
    pub verdict: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct RuleCount {
    pub rule: String,
    pub findings: usize,
    pub repositories: usize,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Row {
    pub name: String,
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub findings: usize,
    pub findings_by_severity: BTreeMap<String, usize>,
    /// Where evidence `path:line` links to: a web view of the commit, when the source has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub browse: Option<String>,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Cell {
    pub criterion: String,
    /// `pass`, `fail`, `not-assessed`, or `-` when the rubric had no such criterion.
    pub verdict: String,
    pub reason: String,
    /// `path:line` of the evidence cited (for a failure: the evidence against it).
    pub evidence: Vec<String>,
}

fn text<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v.get(key).and_then(|x| x.as_str()).unwrap_or("")
}

fn locations(c: &serde_json::Value, key: &str) -> Vec<String> {
    let mut out: Vec<String> = c
        .get(key)
        .and_then(|e| e.as_array())
        .map(|a| a.iter().filter_map(|e| e.get("location").and_then(|l| l.as_str()).map(str::to_string)).collect())
        .unwrap_or_default();
    out.dedup();
    out
}

/// A web page of the repository at `commit`, for a git URL of GitHub, GitLab or Codeberg.
fn browse(source: &str, commit: Option<&str>) -> Option<String> {
    let commit = commit?;
    // Any URL of the repository (https, ssh, scp-like) names the same web view.
    if !super::list::is_url(source) || source.starts_with("file://") {
        return None;
    }
    let base = super::list::url_name(source);
    let (host, _) = base.split_once('/')?;
    // Forges whose file view takes `#L<line>`.
    let blob = match host {
        "github.com" => "blob",
        "codeberg.org" => "src/commit",
        h if h.starts_with("gitlab.") => "-/blob",
        _ => return None,
    };
    Some(format!("https://{base}/{blob}/{commit}/"))
}

/// The part of a result's maturity document the scorecard reads, so a merge
/// of thousands of results holds verdicts and locations, not whole documents.
pub fn slim(r: &mut RepoResult) {
    let Some(m) = r.maturity.take() else { return };
    let keep = |v: &serde_json::Value, keys: &[&str]| -> serde_json::Value {
        let mut o = serde_json::Map::new();
        for k in keys {
            if let Some(x) = v.get(*k) {
                o.insert(k.to_string(), x.clone());
            }
        }
        serde_json::Value::Object(o)
    };
    let locations_only = |c: &serde_json::Value, key: &str| -> serde_json::Value {
        let list = c.get(key).and_then(|e| e.as_array()).map(|a| a.iter().map(|e| keep(e, &["location"])).collect());
        serde_json::Value::Array(list.unwrap_or_default())
    };
    let levels =
        m.get("levels").and_then(|x| x.as_array()).map(|a| a.iter().map(|l| keep(l, &["level", "name"])).collect());
    let criteria = m.get("criteria").and_then(|x| x.as_array()).map(|a| {
        a.iter()
            .map(|c| {
                let mut o = keep(c, &["id", "level", "role", "title", "verdict", "reason"]);
                for key in ["evidence", "against", "could-not-read"] {
                    o[key] = locations_only(c, key);
                }
                o
            })
            .collect()
    });
    r.maturity = Some(serde_json::json!({
        "levels": serde_json::Value::Array(levels.unwrap_or_default()),
        "criteria": serde_json::Value::Array(criteria.unwrap_or_default()),
    }));
}

pub fn build(mut results: Vec<RepoResult>, title: &str, generated_at: Option<String>) -> Scorecard {
    results.sort_by(|a, b| a.name.cmp(&b.name));
    // Criteria in rubric order, from the assessed results (a union, should rubrics differ).
    let mut criteria: Vec<CriterionStat> = Vec::new();
    let mut level_names: BTreeMap<u32, String> = BTreeMap::new();
    level_names.insert(0, "none".into());
    for r in &results {
        let Some(m) = &r.maturity else { continue };
        for l in m.get("levels").and_then(|x| x.as_array()).into_iter().flatten() {
            let n = l.get("level").and_then(|x| x.as_u64()).unwrap_or(0) as u32;
            level_names.entry(n).or_insert_with(|| text(l, "name").to_string());
        }
        for c in m.get("criteria").and_then(|x| x.as_array()).into_iter().flatten() {
            let id = text(c, "id");
            if !criteria.iter().any(|k| k.id == id) {
                criteria.push(CriterionStat {
                    id: id.to_string(),
                    level: c.get("level").and_then(|x| x.as_u64()).unwrap_or(0) as u32,
                    role: text(c, "role").to_string(),
                    title: text(c, "title").to_string(),
                    pass: 0,
                    fail: 0,
                    not_assessed: 0,
                });
            }
        }
    }
    criteria.sort_by_key(|c| c.level);
    let mut level_count: BTreeMap<u32, usize> = level_names.keys().map(|&l| (l, 0)).collect();
    let mut by_severity: BTreeMap<String, usize> = BTreeMap::new();
    let mut rules: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut rows = Vec::new();
    for r in &results {
        let mut cells = Vec::new();
        let judged: Vec<&serde_json::Value> = r
            .maturity
            .as_ref()
            .and_then(|m| m.get("criteria"))
            .and_then(|x| x.as_array())
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        for stat in criteria.iter_mut() {
            let Some(c) = judged.iter().find(|c| text(c, "id") == stat.id) else {
                cells.push(Cell {
                    criterion: stat.id.clone(),
                    verdict: "-".into(),
                    reason: String::new(),
                    evidence: vec![],
                });
                continue;
            };
            let verdict = text(c, "verdict").to_string();
            match verdict.as_str() {
                "pass" => stat.pass += 1,
                "fail" => stat.fail += 1,
                _ => stat.not_assessed += 1,
            }
            let mut evidence = locations(c, "evidence");
            if verdict != "pass" {
                evidence.extend(locations(c, "against"));
                evidence.extend(locations(c, "could-not-read"));
            }
            cells.push(Cell { criterion: stat.id.clone(), verdict, reason: text(c, "reason").to_string(), evidence });
        }
        if r.error.is_none() {
            *level_count.entry(r.level.unwrap_or(0)).or_default() += 1;
        }
        let counts = r.findings.clone().unwrap_or_default();
        for (sev, n) in &counts.by_severity {
            *by_severity.entry(sev.clone()).or_default() += n;
        }
        for (rule, sevs) in &counts.by_rule {
            let e = rules.entry(rule.clone()).or_default();
            e.0 += sevs.values().sum::<usize>();
            e.1 += 1;
        }
        rows.push(Row {
            name: r.name.clone(),
            source: r.source.clone(),
            commit: r.commit.clone(),
            level: if r.error.is_none() { r.level } else { None },
            error: r.error.clone(),
            findings: counts.total,
            findings_by_severity: counts.by_severity.clone(),
            browse: browse(&r.source, r.commit.as_deref()),
            cells,
        });
    }
    let mut most_failed: Vec<&CriterionStat> = criteria.iter().filter(|c| c.fail + c.not_assessed > 0).collect();
    most_failed.sort_by(|a, b| {
        (b.fail, b.not_assessed).cmp(&(a.fail, a.not_assessed)).then(a.level.cmp(&b.level)).then(a.id.cmp(&b.id))
    });
    let spotlights = SPOTLIGHTS
        .iter()
        .filter(|(id, _, _)| criteria.iter().any(|c| c.id == *id))
        .map(|(id, label, question)| Spotlight {
            criterion: id.to_string(),
            label: label.to_string(),
            question: question.to_string(),
            repositories: rows
                .iter()
                .filter_map(|row| {
                    // A repository that could not be judged is not known to pass either.
                    if let Some(e) = &row.error {
                        return Some(Mention { name: row.name.clone(), verdict: "error".into(), reason: e.clone() });
                    }
                    let cell = row.cells.iter().find(|c| c.criterion == *id)?;
                    (cell.verdict == "fail" || cell.verdict == "not-assessed").then(|| Mention {
                        name: row.name.clone(),
                        verdict: cell.verdict.clone(),
                        reason: cell.reason.clone(),
                    })
                })
                .collect(),
        })
        .collect();
    let mut top_rules: Vec<RuleCount> =
        rules.into_iter().map(|(rule, (findings, repositories))| RuleCount { rule, findings, repositories }).collect();
    top_rules.sort_by(|a, b| {
        b.repositories.cmp(&a.repositories).then(b.findings.cmp(&a.findings)).then(a.rule.cmp(&b.rule))
    });
    top_rules.truncate(15);
    let versions: BTreeSet<String> = results.iter().map(|r| r.opslint_version.clone()).collect();
    let mut rubrics: Vec<RubricId> = Vec::new();
    for r in &results {
        if !rubrics.contains(&r.rubric) {
            rubrics.push(r.rubric.clone());
        }
    }
    rubrics.sort_by(|a, b| (&a.name, a.revision, &a.sha256).cmp(&(&b.name, b.revision, &b.sha256)));
    let errors = rows.iter().filter(|r| r.error.is_some()).count();
    Scorecard {
        schema: SCHEMA,
        schema_version: SCHEMA_VERSION,
        title: title.to_string(),
        generated_at,
        opslint_versions: versions.into_iter().collect(),
        rubrics,
        repositories_total: rows.len(),
        assessed: rows.len() - errors,
        errors,
        levels: level_count
            .into_iter()
            .map(|(level, repositories)| LevelCount {
                level,
                name: level_names.get(&level).cloned().unwrap_or_default(),
                repositories,
            })
            .collect(),
        most_failed: most_failed.iter().map(|c| c.id.clone()).collect(),
        criteria,
        spotlights,
        findings_by_severity: by_severity,
        top_rules,
        repositories: rows,
    }
}

/// Severities most severe first (the counts are keyed by name).
pub fn by_rank(counts: &BTreeMap<String, usize>) -> Vec<(&str, usize)> {
    let rank = |s: &str| crate::finding::Severity::parse(s).map(std::cmp::Reverse);
    let mut v: Vec<(&str, usize)> = counts.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    v.sort_by_key(|(k, _)| (rank(k), k.to_string()));
    v
}

/// Most repositories a spotlight lists in the Markdown and HTML (the JSON has them all).
pub const SPOTLIGHT_SHOWN: usize = 200;

impl Scorecard {
    pub fn json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a scorecard serialises");
        s.push('\n');
        s
    }

    /// The rubrics as shown: name and revision, and the start of the hash when
    /// results were judged by different texts under one name.
    pub fn rubric_labels(&self) -> Vec<String> {
        let several = self.rubrics.len() > 1;
        self.rubrics
            .iter()
            .map(|r| match several {
                true => format!("{} rev {} ({})", r.name, r.revision, &r.sha256[..r.sha256.len().min(8)]),
                false => format!("{} rev {}", r.name, r.revision),
            })
            .collect()
    }

    pub fn criterion(&self, id: &str) -> Option<&CriterionStat> {
        self.criteria.iter().find(|c| c.id == id)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn evidence_links_point_at_the_judged_commit() {
        let b = |s| super::browse(s, Some("abc"));
        assert_eq!(b("https://github.com/o/r.git").as_deref(), Some("https://github.com/o/r/blob/abc/"));
        assert_eq!(b("https://gitlab.com/g/s/r").as_deref(), Some("https://gitlab.com/g/s/r/-/blob/abc/"));
        assert_eq!(b("https://codeberg.org/o/r").as_deref(), Some("https://codeberg.org/o/r/src/commit/abc/"));
        assert_eq!(b("git@github.com:o/r.git").as_deref(), Some("https://github.com/o/r/blob/abc/"));
        assert_eq!(b("file:///srv/github.com/o/r"), None);
        assert_eq!(b("github.com/o/r"), None);
        assert_eq!(super::browse("https://github.com/o/r", None), None);
    }
}
