//! `--format gitlab`: a GitLab Code Quality report (a JSON array of issues),
//! for `artifacts: reports: codequality`. Severities map high → critical,
//! medium → major, low → minor, info → info. Suppressed and baselined
//! findings are left out.
use serde_json::{json, Value};

use super::Report;
use crate::finding::{Finding, Severity};

pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::High => "critical",
        Severity::Medium => "major",
        Severity::Low => "minor",
        Severity::Info => "info",
    }
}

pub fn render(report: &Report) -> String {
    let issues: Vec<Value> = report.findings.iter().map(issue).collect();
    let mut s = serde_json::to_string_pretty(&issues).expect("serialisable");
    s.push('\n');
    s
}

fn issue(f: &Finding) -> Value {
    let location = match &f.position {
        Some(p) => json!({
            "path": f.path,
            "positions": {
                "begin": { "line": p.line, "column": p.column },
                "end": { "line": p.end_line, "column": p.end_column },
            },
        }),
        None => json!({ "path": f.path, "lines": { "begin": 1 } }),
    };
    let mut description = f.message.clone();
    if let Some(help) = &f.help {
        description.push_str(" (help: ");
        description.push_str(help);
        description.push(')');
    }
    json!({
        "type": "issue",
        "description": description,
        "check_name": f.rule,
        "fingerprint": f.fingerprint,
        "severity": severity(f.severity),
        "location": location,
    })
}
