//! `--format sarif`: a SARIF 2.1.0 log with one run. The driver lists every
//! enabled rule (help text and a help URI into docs/rules); results carry
//! regions, partial fingerprints, related locations and, for suppressed
//! findings, an accepted in-source suppression with its reason.
use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Value};

use super::Report;
use crate::catalog::{Catalog, RuleInfo};
use crate::finding::{Finding, Position, Related, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Where the rule docs are published: `<DOCS>/<plugin>.md#<anchor>` (see docs/ci-gate.md).
pub const DOCS: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules");
/// The key of `partialFingerprints`; bumped if the fingerprint recipe changes.
pub const FINGERPRINT_KEY: &str = "opslint/v1";

/// SARIF level of a severity: high is an error, medium a warning, low and info notes.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// The help URI of a rule: its heading in docs/rules/<plugin>.md.
pub fn help_uri(rule: &RuleInfo) -> String {
    let anchor: String = rule.id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    format!("{DOCS}/{}.md#{}", rule.plugin, anchor.to_ascii_lowercase())
}

pub fn render(report: &Report, catalog: &Catalog, enabled: &BTreeMap<String, Severity>) -> String {
    let rules: Vec<&RuleInfo> = catalog.rules.iter().filter(|r| enabled.contains_key(&r.id)).collect();
    let index: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
    let descriptors: Vec<Value> = rules.iter().map(|r| descriptor(r, enabled[&r.id])).collect();
    let mut all: Vec<&Finding> = report.findings.iter().chain(&report.suppressed).collect();
    all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let results: Vec<Value> = all.iter().map(|f| result(f, index.get(f.rule.as_str()).copied())).collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "opslint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).expect("serialisable");
    s.push('\n');
    s
}

fn descriptor(r: &RuleInfo, severity: Severity) -> Value {
    let mut properties = json!({ "tags": r.tags, "opslint-severity": severity.as_str() });
    if !r.aliases.is_empty() {
        properties["aliases"] = json!(r.aliases);
    }
    json!({
        "id": r.id,
        "name": r.id.rsplit('/').next().unwrap_or(&r.id),
        "shortDescription": { "text": r.summary },
        "fullDescription": { "text": first_paragraph(&r.docs).unwrap_or(&r.summary) },
        "help": { "text": r.docs, "markdown": r.docs },
        "helpUri": help_uri(r),
        "defaultConfiguration": { "level": level(severity) },
        "properties": properties,
    })
}

/// The first paragraph under "What it does", as plain text.
fn first_paragraph(docs: &str) -> Option<&str> {
    let body = docs.split_once("## What it does\n").map_or(docs, |(_, b)| b);
    let para = body.split("\n\n").next()?.trim();
    (!para.is_empty() && !para.starts_with('#')).then_some(para)
}

fn result(f: &Finding, rule_index: Option<usize>) -> Value {
    let mut r = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": { "text": match &f.help { Some(h) => format!("{}\nHelp: {h}", f.message), None => f.message.clone() } },
        "locations": [{ "physicalLocation": physical(&f.path, f.position.as_ref()) }],
        "partialFingerprints": { FINGERPRINT_KEY: f.fingerprint },
        "properties": { "severity": f.severity.as_str() },
    });
    if let Some(i) = rule_index {
        r["ruleIndex"] = json!(i);
    }
    if !f.related.is_empty() {
        r["relatedLocations"] = json!(f.related.iter().enumerate().map(|(i, rel)| related(i, rel)).collect::<Vec<_>>());
    }
    if let Some(s) = &f.suppression {
        let mut justification = s.reason.clone().unwrap_or_else(|| "(no reason given)".into());
        if let Some(until) = &s.until {
            justification.push_str(&format!(" (until {until})"));
        }
        r["suppressions"] = json!([{
            "kind": "inSource",
            "status": "accepted",
            "justification": justification,
            "properties": { "line": s.line, "via": s.kind },
        }]);
    }
    r
}

fn related(i: usize, rel: &Related) -> Value {
    let mut v = json!({ "id": i, "physicalLocation": physical(&rel.path, rel.position.as_ref()) });
    if let Some(m) = &rel.message {
        v["message"] = json!({ "text": m });
    }
    v
}

fn physical(path: &str, position: Option<&Position>) -> Value {
    let mut v = json!({ "artifactLocation": { "uri": uri(path), "uriBaseId": "%SRCROOT%" } });
    if let Some(p) = position {
        v["region"] = json!({
            "startLine": p.line,
            "startColumn": p.column,
            "endLine": p.end_line,
            "endColumn": p.end_column,
        });
    }
    v
}

/// A relative path as a URI reference: unreserved characters and `/` kept, the rest percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
