//! The managed block of `maturity-assessment.md` and the short summary.
//! Deterministic: no date, no absolute path, sorted evidence; the same
//! repository gives the same bytes (what `--check` compares).
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use super::assess::{Assessment, Availability, Blocker, Judged, Record, Status};
use super::block::{BEGIN, END};
use crate::finding::EvidenceValue;

/// Most evidence lines shown per criterion; the rest are counted.
const MAX_CITED: usize = 8;
/// Most blocking findings listed.
const MAX_BLOCKERS: usize = 40;

/// Where the report is and what it is about.
pub struct Place<'a> {
    /// The assessed directory (absolute).
    pub root: &'a Path,
    /// The directory the report file is in (absolute): links are relative to it.
    pub report_dir: &'a Path,
    /// How the rubric is named in the report.
    pub rubric: &'a str,
}

/// `to` relative to directory `from`, `/`-separated (both absolute and normalised).
pub fn relative(from: &Path, to: &Path) -> String {
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    parts.extend(b[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// A path with `.` and `..` resolved lexically (the file may not exist yet).
pub fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('<', "&lt;").replace('>', "&gt;").replace('\n', " ")
}

fn value(v: &EvidenceValue) -> String {
    let s = match v {
        EvidenceValue::Flag(b) => if *b { "yes" } else { "no" }.to_string(),
        EvidenceValue::Count(n) => n.to_string(),
        EvidenceValue::Text(t) => t.clone(),
        EvidenceValue::Items(i) => i.join(", "),
    };
    let mut s = escape(&s);
    if s.len() > 240 {
        let mut end = 240;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push('…');
    }
    s
}

/// `[k8s/api.yaml:4](../../k8s/api.yaml#L4)`, or "repository-wide".
fn link(place: &Place, path: Option<&Path>, line: Option<u32>) -> String {
    let Some(path) = path else { return "repository-wide".into() };
    let shown = relative(place.root, path);
    let target = relative(place.report_dir, path);
    match line {
        Some(l) if l > 0 => format!("[{shown}:{l}]({target}#L{l})"),
        _ => format!("[{shown}]({target})"),
    }
}

fn record_line(place: &Place, r: &Record) -> String {
    let note = r.note.as_deref().map(|n| format!(" ({})", escape(n))).unwrap_or_default();
    format!("{} `{}`: {}{note}", link(place, r.path.as_deref(), r.line), r.key, value(&r.value))
}

fn heading_status(s: &Status) -> &'static str {
    match s {
        Status::Pass => "PASS",
        Status::Fail => "FAIL",
        Status::NotAssessed(_) => "NOT ASSESSED",
    }
}

/// The managed block, markers included, ending with a newline.
pub fn block(a: &Assessment, place: &Place) -> String {
    let mut o = String::new();
    let top = a.top();
    o.push_str(BEGIN);
    o.push('\n');
    o.push_str("<!-- Written by `opslint maturity`: this block is replaced on every run; write your notes outside the markers. -->\n\n");
    let reached = match a.reached {
        0 => "level 0 (no level reached yet)".to_string(),
        n => format!("level {n} ({})", a.level_name(n)),
    };
    let _ = writeln!(o, "## Operational maturity: {reached} of {top}\n");
    let _ = writeln!(
        o,
        "Assessed by opslint {} against the rubric {}. A level is reached when every gating criterion of it and of the levels below passes; \"not assessed\" (a plugin did not run, a file could not be read) never counts as a pass. Advisory criteria are judged and planned but do not block a level.\n",
        env!("CARGO_PKG_VERSION"),
        place.rubric
    );
    o.push_str("| Level | | Passed | Failed | Not assessed | Advisory passed |\n|---|---|---|---|---|---|\n");
    for l in &a.rubric.levels {
        let of: Vec<&Judged> = a.judged.iter().filter(|j| j.gating() && j.criterion.level == l.level).collect();
        let n = |s: &str| of.iter().filter(|j| j.status.word() == s).count();
        let advisory: Vec<&Judged> = a.judged.iter().filter(|j| !j.gating() && j.criterion.level == l.level).collect();
        let advisory = match advisory.len() {
            0 => "–".to_string(),
            t => format!("{}/{t}", advisory.iter().filter(|j| j.status == Status::Pass).count()),
        };
        let state = if l.level <= a.reached {
            "reached"
        } else if Some(l.level) == a.next() {
            "next"
        } else {
            ""
        };
        let _ = writeln!(
            o,
            "| L{} {} | {state} | {}/{} | {} | {} | {advisory} |",
            l.level,
            l.name,
            n("pass"),
            of.len(),
            n("fail"),
            n("not assessed")
        );
    }
    o.push('\n');
    let unavailable: Vec<String> = a
        .plugins
        .iter()
        .filter(|(_, s)| **s != Availability::Ran)
        .map(|(p, s)| match s {
            Availability::Disabled => format!("`{p}` (disabled)"),
            Availability::NotInstalled => format!("`{p}` (not installed)"),
            Availability::Failed(at) => format!("`{p}` (failed: {})", escape(at)),
            Availability::Ran => String::new(),
        })
        .collect();
    let ran: Vec<String> =
        a.plugins.iter().filter(|(_, s)| **s == Availability::Ran).map(|(p, _)| format!("`{p}`")).collect();
    let _ = writeln!(o, "Plugins that ran: {}.", if ran.is_empty() { "none".into() } else { ran.join(", ") });
    if !unavailable.is_empty() {
        let _ = writeln!(o, "Plugins that did not run: {}.", unavailable.join(", "));
    }
    o.push('\n');

    for l in &a.rubric.levels {
        let _ = writeln!(o, "### Level {} — {}\n\n{}\n", l.level, l.name, escape(&l.summary));
        for j in a.judged.iter().filter(|j| j.criterion.level == l.level) {
            let c = j.criterion;
            let role = if c.advisory { ", advisory" } else { "" };
            let _ = writeln!(o, "- **{}** {} (`{}`{role})", heading_status(&j.status), escape(&c.title), c.id);
            let _ = writeln!(o, "  - {}", escape(&c.description));
            if let Status::NotAssessed(why) = &j.status {
                let _ = writeln!(o, "  - Not assessed: {}.", escape(why));
            }
            for &i in j.cited.iter().take(MAX_CITED) {
                let _ = writeln!(o, "  - Evidence: {}", record_line(place, &a.records[i]));
            }
            if j.cited.len() > MAX_CITED {
                let _ = writeln!(o, "  - … and {} more evidence records", j.cited.len() - MAX_CITED);
            }
            let seen: Vec<&Record> = a
                .records
                .iter()
                .filter(|r| c.context.contains(&r.key))
                .filter(|r| !j.cited.iter().chain(&j.against).any(|&i| std::ptr::eq(&a.records[i], *r)))
                .collect();
            for r in seen.iter().take(MAX_CITED) {
                let _ = writeln!(o, "  - Also found: {}", record_line(place, r));
            }
            if seen.len() > MAX_CITED {
                let _ = writeln!(o, "  - … and {} more", seen.len() - MAX_CITED);
            }
            if j.status != Status::Pass {
                for &i in j.against.iter().take(MAX_CITED) {
                    let _ = writeln!(o, "  - Against: {}", record_line(place, &a.records[i]));
                }
                if j.against.len() > MAX_CITED {
                    let _ = writeln!(o, "  - … and {} more", j.against.len() - MAX_CITED);
                }
                for m in &j.missing {
                    let _ = writeln!(o, "  - Looked for and not found: {m}");
                }
                for &i in j.unknown.iter().take(MAX_CITED) {
                    let _ = writeln!(o, "  - Could not read: {}", record_line(place, &a.records[i]));
                }
                for &i in j.blockers.iter().take(MAX_CITED) {
                    let _ = writeln!(o, "  - Finding: {}", finding_line(place, &a.blockers[i]));
                }
                if j.blockers.len() > MAX_CITED {
                    let _ = writeln!(
                        o,
                        "  - … and {} more findings of {}",
                        j.blockers.len() - MAX_CITED,
                        rules(&c.blocking_rules)
                    );
                }
            }
        }
        o.push('\n');
    }

    match a.next() {
        Some(next) => {
            let blocking = a.blocking_next();
            let _ = writeln!(o, "### Findings that block level {next}\n");
            if blocking.is_empty() {
                o.push_str("No finding of the failing criteria's blocking rules.\n\n");
            }
            for &i in blocking.iter().take(MAX_BLOCKERS) {
                let _ = writeln!(o, "- {}", finding_line(place, &a.blockers[i]));
            }
            if blocking.len() > MAX_BLOCKERS {
                let _ = writeln!(o, "- … and {} more (`opslint check` lists them all)", blocking.len() - MAX_BLOCKERS);
            }
            if !blocking.is_empty() {
                o.push('\n');
            }
        }
        None => o.push_str("### Findings that block the next level\n\nEvery level is reached.\n\n"),
    }

    o.push_str("### Improvement plan\n\n");
    let plan = a.plan();
    if plan.is_empty() {
        o.push_str("Nothing left: every criterion passes. Keep the evidence current.\n");
    }
    for (n, j) in plan.iter().enumerate() {
        let c = j.criterion;
        let what = match &j.status {
            Status::NotAssessed(why) => format!(" First make it assessable: {}.", escape(why)),
            _ => String::new(),
        };
        let role = if c.advisory { ", advisory" } else { "" };
        let _ = writeln!(o, "{}. (L{}{role}) **{}** — {}{what}", n + 1, c.level, escape(&c.title), escape(&c.hint));
    }
    o.push('\n');
    o.push_str(END);
    o.push('\n');
    o
}

fn finding_line(place: &Place, b: &Blocker) -> String {
    format!("{} `{}` ({}): {}", link(place, Some(&b.path), b.line), b.rule, b.severity.as_str(), escape(&b.message))
}

fn rules(r: &[String]) -> String {
    r.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ")
}

/// The few lines printed after a run.
pub fn summary(a: &Assessment, shown_root: &str) -> String {
    let mut o = String::new();
    let top = a.top();
    let _ = match a.reached {
        0 => writeln!(o, "Maturity of {shown_root}: level 0 of {top} (no level reached yet)"),
        n => writeln!(o, "Maturity of {shown_root}: level {n} ({}) of {top}", a.level_name(n)),
    };
    if let Some(next) = a.next() {
        let open: Vec<&Judged> =
            a.judged.iter().filter(|j| j.gating() && j.criterion.level <= next && j.status != Status::Pass).collect();
        let _ = writeln!(o, "Level {next} ({}) needs:", a.level_name(next));
        for j in open {
            let _ = writeln!(o, "  - [{}] {} ({})", j.status.word(), j.criterion.title, j.criterion.id);
        }
    } else {
        o.push_str("Every level is reached.\n");
    }
    let advisory = a.judged.iter().filter(|j| !j.gating() && j.status != Status::Pass).count();
    if advisory > 0 {
        let _ = writeln!(o, "Advisory (not blocking a level): {advisory} open; the report lists them.");
    }
    o
}
