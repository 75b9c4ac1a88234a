//! `--format json`: one object, `version` first, findings sorted.
use serde::Serialize;

use super::{Evidence, Report, JSON_VERSION};
use crate::finding::{Finding, Severity};

#[derive(Serialize)]
struct Json<'a> {
    version: u32,
    tool: Tool,
    summary: Summary,
    findings: &'a [Finding],
    /// Suppressed findings, each with its `suppression` (kind, reason, until, line).
    suppressed: &'a [Finding],
    evidence: &'a [Evidence],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files_checked: usize,
    findings: usize,
    fail_on: Severity,
    suppressed: usize,
    baselined: usize,
    by_severity: std::collections::BTreeMap<&'static str, usize>,
}

pub fn render(report: &Report) -> String {
    let by_severity = Severity::ALL
        .iter()
        .map(|s| (s.as_str(), report.findings.iter().filter(|f| f.severity == *s).count()))
        .collect();
    let json = Json {
        version: JSON_VERSION,
        tool: Tool { name: "opslint", version: env!("CARGO_PKG_VERSION") },
        summary: Summary {
            files_checked: report.files_checked,
            findings: report.findings.len(),
            fail_on: report.fail_on,
            suppressed: report.suppressed.len(),
            baselined: report.baselined,
            by_severity,
        },
        findings: &report.findings,
        suppressed: &report.suppressed,
        evidence: &report.evidence,
    };
    let mut s = serde_json::to_string_pretty(&json).expect("serialisable");
    s.push('\n');
    s
}
