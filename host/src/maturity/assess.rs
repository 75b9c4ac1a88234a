//! Judging the rubric's criteria against the evidence of one run.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::rubric::{Criterion, Expr, Rubric};
use crate::finding::EvidenceValue;
use crate::finding::Severity;

/// One evidence record, with its file as an absolute path.
#[derive(Debug, Clone)]
pub struct Record {
    pub key: String,
    pub value: EvidenceValue,
    pub path: Option<PathBuf>,
    pub line: Option<u32>,
    pub note: Option<String>,
}

/// Whether a plugin's evidence can be trusted to be complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Availability {
    Ran,
    /// `[plugins.<name>] enabled = false` (or a rule selection that leaves it out).
    Disabled,
    /// No plugin of that name is loaded.
    NotInstalled,
    /// It failed on some files (the first named).
    Failed(String),
}

/// A finding that may stand in a criterion's way.
#[derive(Debug, Clone)]
pub struct Blocker {
    pub rule: String,
    pub severity: Severity,
    pub path: PathBuf,
    pub line: Option<u32>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    /// Why it could not be judged.
    NotAssessed(String),
}

impl Status {
    pub fn word(&self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::NotAssessed(_) => "not assessed",
        }
    }
}

pub struct Judged<'r> {
    pub criterion: &'r Criterion,
    pub status: Status,
    /// Records that support the criterion (indices into the records).
    pub cited: Vec<usize>,
    /// Records that speak against it (a `false` flag, a low ratio).
    pub against: Vec<usize>,
    /// What was looked for and not found.
    pub missing: Vec<String>,
    /// Findings of its `blocking-rules` (indices into the blockers).
    pub blockers: Vec<usize>,
    /// Records of its `unknown-when` keys: what could not be read that could decide it.
    pub unknown: Vec<usize>,
}

impl Judged<'_> {
    /// Whether it can block a level.
    pub fn gating(&self) -> bool {
        !self.criterion.advisory
    }
}

pub struct Assessment<'r> {
    pub rubric: &'r Rubric,
    pub judged: Vec<Judged<'r>>,
    /// Highest level whose criteria, and all lower levels' criteria, pass (0: none).
    pub reached: u32,
    pub records: Vec<Record>,
    pub blockers: Vec<Blocker>,
    pub plugins: BTreeMap<String, Availability>,
}

impl Assessment<'_> {
    pub fn top(&self) -> u32 {
        self.rubric.levels.len() as u32
    }

    /// The level to work towards, if any is left.
    pub fn next(&self) -> Option<u32> {
        (self.reached < self.top()).then_some(self.reached + 1)
    }

    pub fn level_name(&self, level: u32) -> &str {
        self.rubric.levels.iter().find(|l| l.level == level).map_or("", |l| l.name.as_str())
    }

    /// Not passing criteria, lowest level first, gating before advisory: the plan.
    pub fn plan(&self) -> Vec<&Judged<'_>> {
        let mut open: Vec<&Judged> = self.judged.iter().filter(|j| j.status != Status::Pass).collect();
        open.sort_by_key(|j| (j.criterion.level, j.criterion.advisory));
        open
    }

    /// Findings that stand in the way of the next level: those of the
    /// blocking rules of criteria at or below it that do not pass.
    pub fn blocking_next(&self) -> Vec<usize> {
        let Some(next) = self.next() else { return Vec::new() };
        let set: BTreeSet<usize> = self
            .judged
            .iter()
            .filter(|j| j.gating() && j.criterion.level <= next && j.status != Status::Pass)
            .flat_map(|j| j.blockers.iter().copied())
            .collect();
        set.into_iter().collect()
    }
}

/// Present: a flag that is true, a count above 0, non-empty text or items.
fn present(v: &EvidenceValue) -> bool {
    match v {
        EvidenceValue::Flag(b) => *b,
        EvidenceValue::Count(n) => *n > 0,
        EvidenceValue::Text(t) => !t.trim().is_empty(),
        EvidenceValue::Items(i) => !i.is_empty(),
    }
}

fn matches(v: &EvidenceValue, needle: &str) -> bool {
    let needle = needle.to_lowercase();
    match v {
        EvidenceValue::Text(t) => t.to_lowercase().contains(&needle),
        EvidenceValue::Items(i) => i.iter().any(|x| x.to_lowercase().contains(&needle)),
        _ => false,
    }
}

/// `M/N` in `text`, after `part` when given.
pub fn fraction(text: &str, part: Option<&str>) -> Option<(u64, u64)> {
    let from = match part {
        Some(p) => text.to_lowercase().find(&p.to_lowercase())? + p.len(),
        None => 0,
    };
    let rest = &text[from..];
    let slash = rest.find('/')?;
    let m: String =
        rest[..slash].chars().rev().take_while(char::is_ascii_digit).collect::<Vec<_>>().into_iter().rev().collect();
    let n: String = rest[slash + 1..].chars().take_while(char::is_ascii_digit).collect();
    Some((m.parse().ok()?, n.parse().ok()?))
}

struct Outcome {
    pass: bool,
    /// Failed on a counterexample (a `flag` record that is `false`: this
    /// database has no backup), which nothing unread could undo.
    refuted: bool,
    cited: Vec<usize>,
    against: Vec<usize>,
    missing: Vec<String>,
}

fn eval(e: &Expr, records: &[Record]) -> Outcome {
    let of =
        |k: &str| -> Vec<usize> { records.iter().enumerate().filter(|(_, r)| r.key == k).map(|(i, _)| i).collect() };
    let keep =
        |i: &usize| present(&records[*i].value) && e.matching.as_deref().is_none_or(|m| matches(&records[*i].value, m));
    let needle = e.matching.as_deref().map(|m| format!(" mentioning \"{m}\"")).unwrap_or_default();
    if let Some(keys) = &e.any {
        let cited: Vec<usize> = keys.iter().flat_map(|k| of(k)).filter(keep).collect();
        let against: Vec<usize> = keys.iter().flat_map(|k| of(k)).filter(|i| !keep(i)).collect();
        let missing = if cited.is_empty() { vec![format!("any of {}{needle}", list(keys))] } else { Vec::new() };
        return Outcome { pass: !cited.is_empty(), refuted: false, cited, against, missing };
    }
    if let Some(keys) = &e.all {
        let mut out =
            Outcome { pass: true, refuted: false, cited: Vec::new(), against: Vec::new(), missing: Vec::new() };
        let mut absent = Vec::new();
        for k in keys {
            let found: Vec<usize> = of(k).into_iter().filter(keep).collect();
            out.against.extend(of(k).into_iter().filter(|i| !keep(i)));
            if found.is_empty() {
                out.pass = false;
                absent.push(format!("`{k}`"));
            }
            out.cited.extend(found);
        }
        if !absent.is_empty() {
            out.missing.push(format!("{}{needle}", absent.join(", ")));
        }
        return out;
    }
    if let Some(k) = &e.flag {
        let all: Vec<usize> = of(k);
        let (cited, against): (Vec<usize>, Vec<usize>) =
            all.iter().partition(|&&i| matches!(records[i].value, EvidenceValue::Flag(true)));
        let pass = !cited.is_empty() && against.is_empty();
        let missing = if all.is_empty() { vec![format!("`{k}` = yes (no record at all)")] } else { Vec::new() };
        let refuted = !against.is_empty();
        return Outcome { pass, refuted, cited, against, missing };
    }
    if let (Some(keys), Some(min)) = (&e.count, e.min) {
        let cited: Vec<usize> = keys.iter().flat_map(|k| of(k)).filter(|i| present(&records[*i].value)).collect();
        let total: u64 = cited
            .iter()
            .map(|&i| match records[i].value {
                EvidenceValue::Count(n) => n,
                _ => 1,
            })
            .sum();
        let pass = total as f64 >= min;
        let missing = if pass { Vec::new() } else { vec![format!("at least {min} of {} (found {total})", list(keys))] };
        return Outcome { pass, refuted: false, cited, against: Vec::new(), missing };
    }
    if let (Some(keys), Some(min)) = (&e.ratio, e.min) {
        let mut cited = Vec::new();
        let (mut m, mut n) = (0u64, 0u64);
        for i in keys.iter().flat_map(|k| of(k)) {
            let text = match &records[i].value {
                EvidenceValue::Text(t) => t.clone(),
                EvidenceValue::Items(items) => items.join(", "),
                _ => continue,
            };
            if let Some((a, b)) = fraction(&text, e.part.as_deref()) {
                m += a;
                n += b;
                cited.push(i);
            }
        }
        let pass = n > 0 && m as f64 / n as f64 >= min - 1e-9;
        let what = e.part.as_deref().map(|p| format!("{p} ")).unwrap_or_default();
        let missing = if pass {
            Vec::new()
        } else if n == 0 {
            vec![format!("{}: nothing to count", list(keys))]
        } else {
            vec![format!("{what}{m}/{n} ({:.0}%), below {:.0}%", 100.0 * m as f64 / n as f64, 100.0 * min)]
        };
        return if pass {
            Outcome { pass, refuted: false, cited, against: Vec::new(), missing }
        } else {
            Outcome { pass, refuted: false, cited: Vec::new(), against: cited, missing }
        };
    }
    let (subs, need_all) = match (&e.any_of, &e.all_of) {
        (Some(s), _) => (s, false),
        (_, Some(s)) => (s, true),
        _ => {
            return Outcome {
                pass: false,
                refuted: false,
                cited: Vec::new(),
                against: Vec::new(),
                missing: vec!["(empty)".into()],
            }
        }
    };
    let outs: Vec<Outcome> = subs.iter().map(|s| eval(s, records)).collect();
    let pass = if need_all { outs.iter().all(|o| o.pass) } else { outs.iter().any(|o| o.pass) };
    // all-of: one refuted part refutes it; any-of: every part must be refuted.
    let refuted = if need_all { outs.iter().any(|o| o.refuted) } else { outs.iter().all(|o| o.refuted) };
    let mut out = Outcome { pass, refuted, cited: Vec::new(), against: Vec::new(), missing: Vec::new() };
    for o in outs {
        if !need_all && pass && !o.pass {
            continue;
        }
        out.cited.extend(o.cited);
        out.against.extend(o.against);
        if !pass {
            out.missing.extend(o.missing);
        }
    }
    out
}

fn list(keys: &[String]) -> String {
    keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

/// Whether rule id `rule` matches `pattern` (`*` matches any run of characters).
pub fn rule_matches(pattern: &str, rule: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == rule,
        Some((head, tail)) => {
            rule.starts_with(head) && {
                let rest = &rule[head.len()..];
                (0..=rest.len()).filter(|&i| rest.is_char_boundary(i)).any(|i| rule_matches(tail, &rest[i..]))
            }
        }
    }
}

fn why_unavailable(plugin: &str, a: &Availability) -> String {
    match a {
        Availability::Ran => String::new(),
        Availability::Disabled => format!("plugin `{plugin}` is disabled in the configuration"),
        Availability::NotInstalled => format!("plugin `{plugin}` is not installed"),
        Availability::Failed(at) => format!("plugin `{plugin}` failed ({at})"),
    }
}

/// Most files named in a "could not read" reason; the rest are counted.
const MAX_UNKNOWN_NAMED: usize = 3;

/// Judges every criterion; `show` names a file in a reason (relative to the assessed directory).
pub fn assess<'r>(
    rubric: &'r Rubric,
    mut records: Vec<Record>,
    blockers: Vec<Blocker>,
    plugins: BTreeMap<String, Availability>,
    show: &dyn Fn(&Path) -> String,
) -> Assessment<'r> {
    records.sort_by(|a, b| {
        (&a.path, a.line, &a.key, format!("{:?}", a.value)).cmp(&(&b.path, b.line, &b.key, format!("{:?}", b.value)))
    });
    let state = |p: &str| plugins.get(p).cloned().unwrap_or(Availability::NotInstalled);
    let judged: Vec<Judged> = rubric
        .criteria
        .iter()
        .map(|c| {
            let out = eval(&c.when, &records);
            let blocking: Vec<usize> = blockers
                .iter()
                .enumerate()
                .filter(|(_, b)| c.blocking_rules.iter().any(|p| rule_matches(p, &b.rule)))
                .map(|(i, _)| i)
                .collect();
            let needed: Vec<String> = c
                .needs
                .iter()
                .filter(|p| state(p) != Availability::Ran)
                .map(|p| why_unavailable(p, &state(p)))
                .collect();
            let read: Vec<String> = c
                .plugins()
                .iter()
                .filter(|p| state(p) != Availability::Ran)
                .map(|p| why_unavailable(p, &state(p)))
                .collect();
            // Unknown is not a pass: what could not be read may hold what fails it.
            let unknown: Vec<usize> = match &c.unknown_when {
                Some(u) => eval(u, &records).cited,
                None => Vec::new(),
            };
            let status = if !needed.is_empty() {
                Status::NotAssessed(needed.join("; "))
            } else if c.fail_on_findings && !blocking.is_empty() {
                Status::Fail
            } else if !unknown.is_empty() && !out.refuted {
                // What could not be read may decide it (a database with no backup, a CI
                // system that runs the tests); only a counterexample (a database that
                // was read and has none) fails it anyway.
                Status::NotAssessed(unreadable(&records, &unknown, show))
            } else if out.pass {
                Status::Pass
            } else if !read.is_empty() {
                Status::NotAssessed(read.join("; "))
            } else {
                Status::Fail
            };
            Judged {
                criterion: c,
                status,
                cited: out.cited,
                against: out.against,
                missing: out.missing,
                blockers: blocking,
                unknown,
            }
        })
        .collect();
    let mut reached = 0;
    for l in &rubric.levels {
        if judged.iter().filter(|j| j.gating() && j.criterion.level == l.level).all(|j| j.status == Status::Pass) {
            reached = l.level;
        } else {
            break;
        }
    }
    Assessment { rubric, judged, reached, records, blockers, plugins }
}

/// "could not read `a.yml` (why), `b.yml` and 2 more files that could decide it".
fn unreadable(records: &[Record], unknown: &[usize], show: &dyn Fn(&Path) -> String) -> String {
    let mut named: Vec<String> = Vec::new();
    for &i in unknown {
        let r = &records[i];
        let file = match &r.path {
            Some(p) => format!("`{}`", show(p)),
            None => "a file".to_string(),
        };
        let why = match &r.value {
            EvidenceValue::Text(t) if !t.trim().is_empty() => format!(" ({})", t.trim()),
            _ => String::new(),
        };
        let entry = format!("{file}{why}");
        if !named.contains(&entry) {
            named.push(entry);
        }
    }
    let more = named.len().saturating_sub(MAX_UNKNOWN_NAMED);
    named.truncate(MAX_UNKNOWN_NAMED);
    let tail = match more {
        0 => String::new(),
        1 => " and 1 more file".to_string(),
        n => format!(" and {n} more files"),
    };
    format!("could not read {}{tail}, which could decide it", named.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(p: &Path) -> String {
        p.display().to_string()
    }

    fn ran(names: &[&str]) -> BTreeMap<String, Availability> {
        names.iter().map(|n| (n.to_string(), Availability::Ran)).collect()
    }

    fn rec(key: &str, value: EvidenceValue) -> Record {
        Record { key: key.into(), value, path: None, line: None, note: None }
    }

    #[test]
    fn fractions() {
        assert_eq!(fraction("3/4", None), Some((3, 4)));
        assert_eq!(fraction("readiness 1/3, liveness 2/3", Some("liveness")), Some((2, 3)));
        assert_eq!(fraction("no fraction", None), None);
    }

    #[test]
    fn wildcards() {
        assert!(rule_matches("backup/*", "backup/no-backup"));
        assert!(rule_matches("k8s/missing-*-probe", "k8s/missing-readiness-probe"));
        assert!(!rule_matches("backup/no-backup", "backup/no-backup-alert"));
    }

    #[test]
    fn a_failed_plugin_cannot_fail_a_criterion_and_a_needed_one_cannot_pass_it() {
        let rubric = super::super::rubric::parse("builtin", super::super::rubric::BUILTIN).unwrap();
        let records = vec![rec("backup/manual-backup-possible", EvidenceValue::Flag(true))];
        let plugins: BTreeMap<String, Availability> = [
            ("k8s", Availability::Failed("on 1 file, first `k8s/a.yaml`".into())),
            ("maturity", Availability::Ran),
            ("backup", Availability::Disabled),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let a = assess(&rubric, records, Vec::new(), plugins, &show);
        let status = |id: &str| a.judged.iter().find(|j| j.criterion.id == id).unwrap().status.clone();
        // No deploy config found, but k8s failed: maybe it would have found some.
        assert_eq!(
            status("deploy-config"),
            Status::NotAssessed("plugin `k8s` failed (on 1 file, first `k8s/a.yaml`)".into())
        );
        // A `true` record does not pass a criterion whose plugin is in `needs` and did not run.
        assert_eq!(
            status("manual-backup"),
            Status::NotAssessed("plugin `backup` is disabled in the configuration".into())
        );
        // Evidence of plugins that ran still fails what it can judge.
        assert_eq!(status("readable-logs"), Status::Fail);
    }

    #[test]
    fn a_missing_plugin_makes_a_failing_criterion_not_assessed_never_a_pass() {
        let rubric = super::super::rubric::parse("builtin", super::super::rubric::BUILTIN).unwrap();
        let records = vec![
            rec("k8s/workloads", EvidenceValue::Items(vec!["Deployment/api".into()])),
            rec("maturity/log-docs", EvidenceValue::Text("section \"Logs\"".into())),
        ];
        let plugins: BTreeMap<String, Availability> = [("k8s", Availability::Ran), ("maturity", Availability::Ran)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let a = assess(&rubric, records, Vec::new(), plugins, &show);
        let status = |id: &str| a.judged.iter().find(|j| j.criterion.id == id).unwrap().status.clone();
        assert_eq!(status("deploy-config"), Status::Pass);
        assert_eq!(status("readable-logs"), Status::Pass);
        assert_eq!(status("manual-backup"), Status::NotAssessed("plugin `backup` is not installed".into()));
        assert_eq!(a.reached, 0);
    }

    /// Advisory criteria are judged and planned but never block a level.
    #[test]
    fn advisory_criteria_never_block_a_level() {
        let rubric = super::super::rubric::parse("builtin", super::super::rubric::BUILTIN).unwrap();
        let yes = |k: &str| rec(k, EvidenceValue::Flag(true));
        let records = vec![
            rec("k8s/workloads", EvidenceValue::Items(vec!["Deployment/api".into()])),
            rec("maturity/log-docs", EvidenceValue::Text("section \"Logs\"".into())),
            yes("backup/manual-backup-possible"),
            yes("backup/restore-documented"),
            yes("backup/all-databases-backed-up"),
            yes("backup/backups-automated"),
            yes("backup/restore-verified"),
            rec("backup/backup-alerting", EvidenceValue::Flag(false)),
            rec("ci/deploy", EvidenceValue::Text("helm upgrade, automatic on push".into())),
            rec("k8s/monitoring", EvidenceValue::Items(vec!["ServiceMonitor/api".into()])),
            rec("maturity/grafana-dashboard", EvidenceValue::Text("dashboard".into())),
            rec("prometheus/alert-rules", EvidenceValue::Count(4)),
            rec("prometheus/alert-runbooks", EvidenceValue::Text("1/4".into())),
        ]
        .into_iter()
        .chain(
            ["environment", "deployment", "monitoring", "backup", "troubleshooting", "incident-response"]
                .iter()
                .map(|t| rec(&format!("maturity/runbook-{t}"), EvidenceValue::Text("doc".into()))),
        )
        .collect();
        let a = assess(&rubric, records, Vec::new(), ran(&["k8s", "maturity", "backup", "ci", "prometheus"]), &show);
        let status = |id: &str| a.judged.iter().find(|j| j.criterion.id == id).unwrap().status.clone();
        assert_eq!(status("alert-rules"), Status::Pass, "one alert rule is enough for the gate");
        assert_eq!(status("alert-runbooks"), Status::Fail, "1 of 4 linked");
        assert_eq!(status("tests-on-pull-requests"), Status::Fail);
        assert_eq!(status("backup-alerting"), Status::Fail);
        assert_eq!(a.reached, 2, "advisory failures do not block level 2");
        let plan: Vec<&str> = a.plan().iter().map(|j| j.criterion.id.as_str()).collect();
        assert_eq!(plan[..4], ["tests-on-pull-requests", "backup-alerting", "alert-runbooks", "rto-rpo"]);
    }

    /// A database criterion is not assessed when a file that could define
    /// databases could not be read, unless a database that was read refutes it.
    #[test]
    fn unreadable_database_files_make_a_pass_not_assessed() {
        let rubric = super::super::rubric::parse("builtin", super::super::rubric::BUILTIN).unwrap();
        let unreadable = Record {
            key: "backup/unreadable".into(),
            value: EvidenceValue::Text("compose file: YAML error".into()),
            path: Some(PathBuf::from("deploy/docker-compose.yml")),
            line: Some(3),
            note: None,
        };
        let records = vec![
            Record {
                note: Some("no database deployed".into()),
                ..rec("backup/manual-backup-possible", EvidenceValue::Flag(true))
            },
            rec("backup/restore-documented", EvidenceValue::Flag(false)),
            rec("backup/restore-verified", EvidenceValue::Flag(false)),
            unreadable,
        ];
        let a = assess(&rubric, records, Vec::new(), ran(&["k8s", "maturity", "backup", "ci"]), &show);
        let status = |id: &str| a.judged.iter().find(|j| j.criterion.id == id).unwrap().status.clone();
        assert_eq!(
            status("manual-backup"),
            Status::NotAssessed(
                "could not read `deploy/docker-compose.yml` (compose file: YAML error), which could decide it".into()
            )
        );
        assert_eq!(status("manual-restore"), Status::Fail, "a database read without a restore");
        assert!(matches!(status("restore-verified"), Status::Fail));
        assert!(matches!(status("backups-automated"), Status::NotAssessed(_)), "no record: unknown");
        // Criteria that do not read databases are untouched.
        assert_eq!(status("deploy-config"), Status::Fail);
    }
}
