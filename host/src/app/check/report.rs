//! Report: baseline, exit code and the output of `opslint check` in the
//! format asked for; `-v` adds logs, timings and cache counts on stderr.
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::read::SourceFile;
use crate::app::fix;
use crate::app::{Outcome, Session};
use crate::baseline;
use crate::cli::{CheckArgs, Format};
use crate::config::Settings;
use crate::error::Error;
use crate::exit;
use crate::finding::{Evidence, Finding};
use crate::host_rules;
use crate::report::{self, Report};

/// A finished run before any baseline or rendering: every finding (suppressed
/// ones marked), sorted and fingerprinted.
pub(in crate::app) struct Evaluated {
    pub(in crate::app) settings: Settings,
    pub(in crate::app) findings: Vec<Finding>,
    pub(in crate::app) evidence: Vec<Evidence>,
    pub(in crate::app) logs: Vec<String>,
    pub(in crate::app) sources: Vec<SourceFile>,
    pub(in crate::app) plugins_run: usize,
    /// Folders the default exclusion left out.
    pub(in crate::app) skipped: BTreeSet<String>,
    /// An earlier run's report, when its inputs and everything else the report
    /// depends on were this run's (memo.rs): then `findings` and `evidence` are empty.
    pub(super) rendered: Option<Rendered>,
    /// Where to keep this run's report (memo.rs), and the documents its batches counted.
    pub(super) keep: Option<(super::memo::Key, usize)>,
}

/// A report as rendered, before it goes to standard output or `--output`:
/// the text, the notes for people on standard error, the exit code.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
pub(super) struct Rendered {
    pub out: String,
    pub notes: String,
    pub code: u8,
}

/// The baseline a report is filtered by, if any.
pub(super) fn baseline_path(session: &Session, args: &CheckArgs, settings: &Settings) -> Option<PathBuf> {
    match (&args.baseline, args.no_baseline) {
        (Some(p), _) => Some(session.cwd.join(p)),
        (None, false) => settings.baseline.clone(),
        (None, true) => None,
    }
}

/// Renders a finished run; `fixer` is the `--fix` that wrote files before it;
/// `color` is already false for a report written to a file.
pub(super) fn render(
    session: &Session,
    args: &CheckArgs,
    evaluated: Evaluated,
    fixer: Option<&fix::Fixer>,
    verbose: bool,
    color: bool,
    started: Instant,
) -> Result<Outcome, Error> {
    let Evaluated { settings, findings, evidence, logs, sources, plugins_run, skipped, rendered, keep } = evaluated;
    let rendered = match rendered {
        Some(r) => r,
        None => {
            let r = report(session, args, &settings, findings, evidence, &sources, fixer, color);
            if let (Some((key, documents)), Ok(r)) = (keep, &r) {
                super::memo::keep_report(session, key, documents, r);
            }
            if keep.is_some() {
                // The run's record and its report: one transaction, after the batches'.
                session.runtime.finish_run_record();
            }
            r?
        }
    };
    let Rendered { out, notes, code } = rendered;
    let stdout = match &args.output {
        Some(path) => {
            crate::output::write_atomic(&session.cwd.join(path), out.as_bytes())?;
            String::new()
        }
        None if args.silent => String::new(),
        None => out,
    };
    let mut stderr = notes;
    if verbose {
        for l in &logs {
            stderr.push_str(l);
            stderr.push('\n');
        }
        stderr.push_str(&excluded_note(&skipped, &settings));
        let compiled = session.plugins.iter().filter(|p| p.compiled()).count();
        stderr.push_str(&format!(
            "plugins: {} loaded, {compiled} compiled with Cranelift\nchecked {} files with {} plugins in {:.1?}\n",
            session.plugins.len(),
            sources.iter().filter(|s| !s.extra).count(),
            plugins_run,
            started.elapsed()
        ));
        let (reused, fresh) = session.runtime.cache_counts();
        stderr.push_str(&format!("findings cache: {reused} documents reused, {fresh} checked by plugins\n"));
    }
    Ok(Outcome { stdout, stderr, code })
}

/// The report of a finished run in the format asked for, with the notes for
/// people (fixes, the fixable count) and the exit code.
#[allow(clippy::too_many_arguments)]
fn report(
    session: &Session,
    args: &CheckArgs,
    settings: &Settings,
    findings: Vec<Finding>,
    evidence: Vec<Evidence>,
    sources: &[SourceFile],
    fixer: Option<&fix::Fixer>,
    color: bool,
) -> Result<Rendered, Error> {
    let (suppressed, mut findings): (Vec<Finding>, Vec<Finding>) =
        findings.into_iter().partition(|f| f.suppression.is_some());

    let mut baselined = 0;
    if let Some(path) = &baseline_path(session, args, settings) {
        let accepted = baseline::read(path)?;
        let before = findings.len();
        // A failed plugin is never accepted: the files it did not check must be said.
        findings.retain(|f| f.rule == host_rules::PLUGIN_FAILED || !accepted.contains(&f.fingerprint));
        baselined = before - findings.len();
    }

    let plugin_failed = findings.iter().any(|f| f.rule == host_rules::PLUGIN_FAILED);
    let failing = findings.iter().any(|f| f.severity >= settings.fail_on);
    let code = if plugin_failed {
        exit::PLUGIN_FAILURE
    } else if failing {
        exit::FINDINGS
    } else {
        exit::CLEAN
    };
    let report = Report {
        findings,
        suppressed,
        baselined,
        // Only the JSON report lists evidence: the others skip converting and sorting it.
        evidence: match (args.format, args.statistics) {
            (Format::Json, false) => report::evidence(evidence),
            _ => Vec::new(),
        },
        files_checked: sources.iter().filter(|s| !s.extra).count(),
        fail_on: settings.fail_on,
    };
    let style = report::human::Style { color, source: !args.no_show_source };
    let texts: HashMap<&str, &str> = sources.iter().map(|s| (s.display.as_str(), s.text.as_str())).collect();
    // ruff's -q: diagnostics only, no summary line.
    let summary = !(args.quiet || args.silent);
    let out = match (args.format, args.statistics) {
        _ if args.silent && args.output.is_none() => String::new(),
        (Format::Human, true) if summary => {
            report::statistics::human(&report, &session.catalog) + &report::summary(&report) + "\n"
        }
        (Format::Human, true) => report::statistics::human(&report, &session.catalog),
        (Format::Json, true) => report::statistics::json(&report, &session.catalog),
        (Format::Human, false) if summary => report::human::render(&report, &texts, style),
        (Format::Human, false) => report::human::render_findings(&report, &texts, style),
        (Format::Concise, _) => report::human::render_concise(&report, summary),
        (Format::Json, false) => report::json::render(&report),
        (Format::Sarif, _) => report::sarif::render(&report, &session.catalog, &settings.enabled),
        (Format::Github, _) => report::github::render(&report),
        (Format::Gitlab, _) => report::gitlab::render(&report),
    };
    let mut notes = String::new();
    if !args.silent {
        if let Some(fx) = fixer {
            notes.push_str(&fix_summary(fx, false));
        }
        // After --fix always (it is about the run); otherwise beside a report for people.
        if fixer.is_some() || (matches!(args.format, Format::Human | Format::Concise) && !args.quiet) {
            notes.push_str(&hint(&report.findings, args.unsafe_fixes, fixer.is_some()));
        }
    }
    Ok(Rendered { out, notes, code })
}

/// `check -v`: which folders the default exclusion left out, and how to check them.
fn excluded_note(skipped: &BTreeSet<String>, settings: &Settings) -> String {
    if settings.default_exclude.is_empty() {
        return "default exclusion off ([files] default-exclude = false)\n".into();
    }
    let mut out = format!(
        "excluded by default (folders named {}): ",
        settings.default_exclude.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
    );
    match skipped.len() {
        0 => out.push_str("none found"),
        n => {
            const SHOWN: usize = 20;
            let list: Vec<String> = skipped.iter().take(SHOWN).map(|d| format!("{d}/")).collect();
            out.push_str(&list.join(", "));
            if n > SHOWN {
                out.push_str(&format!(" and {} more", n - SHOWN));
            }
        }
    }
    out.push_str("\n  (name a folder to check it, or set [files] default-exclude = false)\n");
    out
}

/// "Fixed 3 findings in 2 files." (or "Would fix…" for `--diff`), and the files left alone.
pub(super) fn fix_summary(fx: &fix::Fixer, dry: bool) -> String {
    let plural = |n: usize, w: &str| if n == 1 { format!("{n} {w}") } else { format!("{n} {w}s") };
    let verb = if dry { "Would fix" } else { "Fixed" };
    let mut out = match fx.fixed {
        0 if dry => "No fixes to apply.\n".to_string(),
        0 => "No fixes applied.\n".to_string(),
        n => format!("{verb} {} in {}.\n", plural(n, "finding"), plural(fx.changed(), "file")),
    };
    for (path, why) in &fx.refused {
        out.push_str(&format!("not fixed: {path}: {why}\n"));
    }
    out
}

/// How many findings left have a fix `--fix` (or `--unsafe-fixes`) would apply.
pub(super) fn hint(findings: &[Finding], unsafe_fixes: bool, fixing: bool) -> String {
    let safe = findings.iter().filter(|f| fix::applies(f, false)).count();
    let risky = findings.iter().filter(|f| fix::applies(f, true)).count() - safe;
    match (fixing, unsafe_fixes) {
        (false, _) if safe + risky == 0 => String::new(),
        (false, false) if risky == 0 => format!("hint: {safe} fixable with `--fix`\n"),
        (false, false) if safe == 0 => {
            format!("hint: {risky} fixable with `--fix --unsafe-fixes`, which may change behaviour\n")
        }
        (false, false) => format!(
            "hint: {safe} fixable with `--fix` ({risky} more with `--fix --unsafe-fixes`, which may change behaviour)\n"
        ),
        (false, true) => format!("hint: {} fixable with `--fix --unsafe-fixes`\n", safe + risky),
        (true, false) if risky > 0 => format!("{risky} more fixable with `--unsafe-fixes` (may change behaviour)\n"),
        (true, _) => String::new(),
    }
}
