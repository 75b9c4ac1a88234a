//! `opslint check`: a driver over stages, each a module with one job, the
//! data flowing one way: plan (walk, route) → read → batches → run (two
//! phases) → accept (the plugins' output, validated, as host findings) →
//! reported (extras dropped, suppressions) → sort → fingerprint → report.
use rayon::slice::ParallelSliceMut;
use std::path::PathBuf;
use std::time::Instant;

mod accept;
mod batches;
mod evidence;
mod fingerprint;
mod memo;
mod plan;
mod read;
mod report;
mod reported;
mod run;
mod tasks;

pub use read::SourceFile;
pub(super) use report::Evaluated;

use super::fix;
use super::{Outcome, Session};
use crate::baseline;
use crate::cli::{CheckArgs, Format};
use crate::error::Error;
use crate::exit;
use crate::finding::Finding;
use crate::host_rules;
use crate::walk;

/// The floor a scan is measured against: the same walk, routing and reads, no plugins.
pub fn floor(session: &Session, args: &CheckArgs) -> Result<Outcome, Error> {
    let plan = plan::plan(session, args)?;
    let read = read::read_all(&plan, &args.texts);
    let bytes: usize = read.sources.iter().map(|s| s.text.len()).sum();
    let stdout = format!("read {} files, {bytes} bytes\n", read.sources.len());
    Ok(Outcome { stdout, stderr: String::new(), code: 0 })
}

/// Every finding of a run (suppressed ones marked), sorted and fingerprinted;
/// replayed whole when an earlier run had the same inputs (memo.rs).
pub(super) fn evaluate(session: &Session, args: &CheckArgs) -> Result<Evaluated, Error> {
    evaluate_for(session, args, None)
}

/// [`evaluate`] for a report rendered with `color` or not: an earlier run's
/// report when it would be the same (memo.rs), else this run's findings and
/// where to keep its report, whose rendering writes the run's record.
fn evaluate_for(session: &Session, args: &CheckArgs, color: Option<bool>) -> Result<Evaluated, Error> {
    let mut clock = Stages::default();
    let plan = plan::plan(session, args)?;
    clock.lap(if plan.walk_kept { "plan (walk kept)" } else { "plan" });
    let read = read::read_all(&plan, &args.texts);
    clock.lap("read");
    let (work, kinds) = batches::batches(&plan, &read, args.all_evidence);
    clock.lap("batches");
    let plan::Plan { settings, active, mut findings, skipped, .. } = plan;
    let read::Read { mut sources, findings: unread, .. } = read;
    findings.extend(unread);
    let plugins_run = active.len();
    let inputs = memo::Inputs {
        session,
        args,
        settings: &settings,
        sources: &sources,
        work: &work,
        kinds: &kinds,
        planned: &findings,
    };
    // Without a findings cache there is no record to look up or keep.
    let memo = session.runtime.caches_findings().then(|| memo::key(&inputs));
    let report_key = match (memo, color) {
        (Some(key), Some(color)) => {
            let baseline = report::baseline_path(session, args, &settings);
            Some(memo::report_key(&key, color, baseline.as_deref()))
        }
        _ => None,
    };
    // An earlier run's report, else its record (its report, for these
    // conditions, is then kept once rendered).
    let replayed = match report_key.and_then(|key| memo::replay_report(session, key)) {
        Some(report) => {
            Some(("the run's report from the findings cache (inputs unchanged)", vec![], vec![], Some(report), None))
        }
        None => memo.and_then(|key| memo::replay(session, key)).map(|(findings, evidence, documents)| {
            let keep = report_key.map(|key| (key, documents));
            ("the run's record from the findings cache (inputs unchanged)", findings, evidence, None, keep)
        }),
    };
    if let Some((stage, findings, evidence, rendered, keep)) = replayed {
        clock.lap(stage);
        session.runtime.finish_run();
        let logs = vec![clock.line()];
        return Ok(Evaluated { settings, findings, evidence, logs, sources, plugins_run, skipped, rendered, keep });
    }
    let before = session.runtime.cache_counts();
    let mut ran = run::run(session, &settings, work, &mut sources, kinds)?;
    clock.lap("run");
    // Written while the report is made.
    session.runtime.finish_run();
    clock.lap("cache write started");
    // The plan's few findings go before the plugins' many (sorted later): no copy of those.
    let mut findings = {
        let mut all = ran.findings;
        all.splice(0..0, findings);
        all
    };
    let mut evidence = ran.evidence;
    reported::drop_extra(&mut findings, &mut evidence, &sources);
    reported::suppress(&mut findings, &ran.work, &sources, &settings, &session.catalog);
    findings.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup();
    fingerprint::assign(&mut findings, &sources);
    clock.lap("sort and fingerprint");
    // The documents this run's batches counted, reused or checked (`check -v`).
    let now = session.runtime.cache_counts();
    let counted = (now.0 + now.1).saturating_sub(before.0 + before.1);
    let mut keep = None;
    if let Some(key) = memo {
        if memo::keep(session, key, &findings, &evidence, counted) {
            keep = report_key.map(|key| (key, counted));
        }
        if keep.is_none() {
            // The record: a transaction of its own, after the batches', in the
            // same run (with the report, when there is one, once rendered).
            session.runtime.finish_run_record();
        }
    }
    ran.logs.push(clock.line());
    let logs = ran.logs;
    Ok(Evaluated { settings, findings, evidence, logs, sources, plugins_run, skipped, rendered: None, keep })
}

/// `check -v`: the wall time of each stage of a run.
struct Stages {
    last: Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Default for Stages {
    fn default() -> Self {
        Stages { last: Instant::now(), laps: Vec::new() }
    }
}

impl Stages {
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }

    fn line(&self) -> String {
        let laps: Vec<String> = self.laps.iter().map(|(s, d)| format!("{s} {d:.1?}")).collect();
        format!("stages: {}", laps.join(", "))
    }
}

pub fn run(session: &Session, args: &CheckArgs, verbose: bool, color: bool) -> Result<Outcome, Error> {
    let started = Instant::now();
    if args.statistics && !matches!(args.format, Format::Human | Format::Json) {
        return Err(Error::usage("`--statistics` prints human or JSON output; drop `--format` or use `--format json`"));
    }
    if args.fix && args.paths.iter().any(|p| p.as_os_str() == "-") {
        return Err(Error::Usage {
            message: "`--fix` cannot write standard input back".into(),
            help: Some("use `--diff` to see the fixes as a diff".into()),
        });
    }
    // A report written to a file is never coloured.
    let color = color && args.output.is_none();
    // A report kept from an earlier run is written out again only when no fix is asked for.
    let color_if_kept = (!args.fix && !args.diff).then_some(color);
    let mut evaluated = evaluate_for(session, args, color_if_kept)?;
    let mut fixer = None;
    if args.fix || args.diff {
        let mut fx = fix::Fixer::new(args.unsafe_fixes);
        let mut pass = args.clone();
        // Check again after each pass: a fix may reveal or settle other findings.
        for _ in 0..fix::MAX_PASSES {
            if fx.pass(&evaluated.findings, &evaluated.sources) == 0 {
                break;
            }
            pass.texts = fx.texts();
            evaluated = evaluate(session, &pass)?;
        }
        if args.diff {
            let changed = fx.changed();
            let stdout = if args.silent { String::new() } else { fx.diff() };
            let mut stderr = report::fix_summary(&fx, true);
            stderr.push_str(&report::hint(&evaluated.findings, args.unsafe_fixes, true));
            return Ok(Outcome { stdout, stderr, code: if changed > 0 { exit::FINDINGS } else { exit::CLEAN } });
        }
        fx.write()?;
        fixer = Some(fx);
    }
    report::render(session, args, evaluated, fixer.as_ref(), verbose, color, started)
}

/// `opslint baseline`: the findings `check` would report now, written by fingerprint.
pub fn baseline(session: &Session, args: &crate::cli::BaselineArgs) -> Result<Outcome, Error> {
    let check = CheckArgs { paths: args.paths.clone(), ..CheckArgs::default() };
    let Evaluated { settings, findings, .. } = evaluate(session, &check)?;
    if let Some(f) = findings.iter().find(|f| f.rule == host_rules::PLUGIN_FAILED) {
        return Ok(Outcome {
            stdout: String::new(),
            stderr: format!(
                "error: not writing a baseline: {}\nA baseline written now would miss what that plugin finds.\n",
                f.message
            ),
            code: exit::PLUGIN_FAILURE,
        });
    }
    let active: Vec<Finding> = findings.into_iter().filter(|f| f.suppression.is_none()).collect();
    let path = match (&args.output, &settings.baseline) {
        (Some(p), _) => session.cwd.join(p),
        (None, Some(p)) => p.clone(),
        (None, None) => plan::project_root(session, &check_paths(&args.paths)).join(baseline::DEFAULT_NAME),
    };
    crate::output::write_atomic(&path, baseline::render(&active).as_bytes())?;
    let shown = walk::show(&path, &session.cwd);
    let n = active.len();
    Ok(Outcome {
        stdout: String::new(),
        stderr: format!("wrote {shown}: {n} finding{} accepted\n", if n == 1 { "" } else { "s" }),
        code: exit::CLEAN,
    })
}

fn check_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    }
}
