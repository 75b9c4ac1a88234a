//! Rendering a run: human (grouped by file), concise, JSON, SARIF, GitHub annotations, GitLab
//! Code Quality, statistics; rule listings and docs.
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod rules;
pub mod sarif;
pub mod statistics;

use serde::Serialize;

use crate::finding::{Finding, Severity};

/// Version of the JSON report's shape; bumped on any breaking change.
pub const JSON_VERSION: u32 = 1;

pub struct Report {
    /// Sorted by path, line, column, rule. Neither suppressed nor baselined.
    pub findings: Vec<Finding>,
    /// Findings a comment or annotation suppressed (`Finding::suppression` is set).
    pub suppressed: Vec<Finding>,
    /// How many findings the baseline file accepted (not reported).
    pub baselined: usize,
    pub evidence: Vec<Evidence>,
    pub files_checked: usize,
    pub fail_on: Severity,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub key: String,
    pub value: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Converts and sorts plugin evidence.
pub fn evidence(raw: Vec<crate::finding::Evidence>) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = raw
        .into_iter()
        .map(|e| Evidence { key: e.key, value: e.value.to_json(), path: e.path, line: e.line, note: e.note })
        .collect();
    // The value's text only breaks ties, and is written once per record, not once per comparison.
    out.sort_by_cached_key(|e| (e.key.clone(), e.path.clone(), e.line, e.value.to_string()));
    out.dedup();
    out
}

/// "3 findings (1 high, 2 medium) in 4 files".
pub fn summary(report: &Report) -> String {
    let n = report.findings.len();
    let counts: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|s| {
            let c = report.findings.iter().filter(|f| f.severity == *s).count();
            (c > 0).then(|| format!("{c} {s}"))
        })
        .collect();
    let files = report.files_checked;
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    let mut hidden = Vec::new();
    if !report.suppressed.is_empty() {
        hidden.push(format!("{} suppressed", report.suppressed.len()));
    }
    if report.baselined > 0 {
        hidden.push(format!("{} in the baseline", report.baselined));
    }
    let hidden = if hidden.is_empty() { String::new() } else { format!(" Not shown: {}.", hidden.join(", ")) };
    if n == 0 {
        return format!("No findings in {}.{hidden}", plural(files, "file"));
    }
    format!(
        "{} ({}) in {}; failing on {} and above.{hidden}",
        plural(n, "finding"),
        counts.join(", "),
        plural(files, "file"),
        report.fail_on
    )
}
