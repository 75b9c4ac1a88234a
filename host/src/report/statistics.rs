//! `--statistics`: how many findings each rule produced, most first (as ruff
//! prints them), instead of the findings themselves.
use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::Report;
use crate::catalog::Catalog;

#[derive(Serialize)]
struct Row<'a> {
    rule: &'a str,
    count: usize,
    severity: &'static str,
    summary: &'a str,
}

fn rows<'a>(report: &'a Report, catalog: &'a Catalog) -> Vec<Row<'a>> {
    let mut counts: BTreeMap<&str, (usize, &'static str)> = BTreeMap::new();
    for f in &report.findings {
        let e = counts.entry(f.rule.as_str()).or_insert((0, f.severity.as_str()));
        e.0 += 1;
    }
    let mut rows: Vec<Row> = counts
        .into_iter()
        .map(|(rule, (count, severity))| Row {
            rule,
            count,
            severity,
            summary: catalog.get(rule).map_or("", |r| r.summary.as_str()),
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.rule.cmp(b.rule)));
    rows
}

pub fn human(report: &Report, catalog: &Catalog) -> String {
    let rows = rows(report, catalog);
    let count_w = rows.iter().map(|r| r.count.to_string().len()).max().unwrap_or(1);
    let rule_w = rows.iter().map(|r| r.rule.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in &rows {
        let _ = writeln!(out, "{:>count_w$}  {:<rule_w$}  {:<6}  {}", r.count, r.rule, r.severity, r.summary);
    }
    out
}

pub fn json(report: &Report, catalog: &Catalog) -> String {
    let mut s = serde_json::to_string_pretty(&rows(report, catalog)).expect("serialisable");
    s.push('\n');
    s
}
