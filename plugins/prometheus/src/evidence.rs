//! Facts for the maturity assessment: the alerts, per file, and the RED/USE
//! signals they watch.
use std::collections::{BTreeMap, BTreeSet};

use opslint_sdk::{Ctx, EvidenceMeta, EvidenceValue};

use crate::model::{Repo, Rule};

pub fn meta() -> Vec<EvidenceMeta> {
    let e = |key: &str, description: &str| EvidenceMeta { key: key.into(), description: description.into() };
    vec![
        e(
            "prometheus/alert-rules",
            "alerting rules in a file (rule files, PrometheusRule objects, Helm values), as a count per file",
        ),
        e("prometheus/alert-runbooks", "alerting rules of a file with a `runbook_url` annotation, as `M/N`"),
        e("prometheus/alert", "an alerting rule (one fact each, located): `name severity=S`"),
        e(
            "prometheus/alert-detail",
            "an alerting rule's fields for a runbook's alert table (one fact each, located): `name=`, `expr=`, `for=`, `severity=`, `runbook=` (empty when unset)",
        ),
        e(
            "prometheus/signal",
            "a RED/USE signal an alert watches (`errors`, `latency`, `saturation`, `traffic`), once per file",
        ),
    ]
}

pub fn collect(cx: &mut Ctx, repo: &Repo) {
    let mut per_file: BTreeMap<usize, Vec<&Rule>> = BTreeMap::new();
    for r in repo.alerts() {
        per_file.entry(r.doc).or_default().push(r);
    }
    for (doc, alerts) in per_file {
        let first = alerts[0].key_span();
        cx.evidence_in(doc, "prometheus/alert-rules", EvidenceValue::Count(alerts.len() as u64), Some(first.clone()));
        let with_runbook = alerts.iter().filter(|a| a.annotation("runbook_url").is_some()).count();
        cx.evidence_in(
            doc,
            "prometheus/alert-runbooks",
            EvidenceValue::Text(format!("{with_runbook}/{}", alerts.len())),
            Some(first),
        );
        let mut seen = BTreeSet::new();
        for a in &alerts {
            let severity = a.label("severity").and_then(|s| s.as_str()).unwrap_or("none");
            cx.evidence_in(
                doc,
                "prometheus/alert",
                EvidenceValue::Text(format!("{} severity={severity}", a.name())),
                Some(a.key_span()),
            );
            cx.evidence_in(doc, "prometheus/alert-detail", EvidenceValue::Items(detail(a)), Some(a.key_span()));
            for s in signals(a) {
                if seen.insert(s) {
                    cx.evidence_in(doc, "prometheus/signal", EvidenceValue::Text(s.into()), Some(a.key_span()));
                }
            }
        }
    }
}

/// `key=value` items of an alert, on one line each: what a runbook's alert table shows.
fn detail(rule: &Rule) -> Vec<String> {
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = |n: Option<&opslint_yaml::Node>| n.and_then(|n| n.as_str()).map(one_line).unwrap_or_default();
    vec![
        format!("name={}", rule.name()),
        format!("expr={}", rule.expr.as_ref().map(|e| one_line(&e.text)).unwrap_or_default()),
        format!("for={}", text(rule.node.get("for"))),
        format!("severity={}", text(rule.label("severity"))),
        format!("runbook={}", text(rule.annotation("runbook_url"))),
    ]
}

/// The RED/USE signals an alert watches, from its name and expression.
pub fn signals(rule: &Rule) -> Vec<&'static str> {
    let text = format!("{} {}", rule.name(), rule.expr.as_ref().map_or("", |e| e.text.as_str())).to_lowercase();
    let any = |words: &[&str]| words.iter().any(|w| text.contains(w));
    let mut out = Vec::new();
    if any(&["error", "fail", "5..", "=~\"5", "code=\"5", "status=\"5", "5xx", "exception", "panic"]) {
        out.push("errors");
    }
    if any(&["latency", "duration", "_bucket", "histogram_quantile", "slow", "response_time"]) {
        out.push("latency");
    }
    if any(&[
        "cpu",
        "memory",
        "disk",
        "filesystem",
        "saturat",
        "queue",
        "throttl",
        "connections",
        "utiliz",
        "full",
        "oom",
        "inodes",
        "fd",
        "capacity",
    ]) {
        out.push("saturation");
    }
    if any(&["requests_total", "request_count", "_requests", "traffic", "throughput"]) {
        out.push("traffic");
    }
    out
}
