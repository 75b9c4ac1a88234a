//! `opslint maturity [PATH]` / `opslint --maturity [PATH]`: run every plugin
//! over the repository for its evidence, judge the rubric, write the report's
//! managed block (or, with `--check`, say whether it is stale).
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::check;
use super::{Outcome, Session};
use crate::cli::{CheckArgs, ListFormat, MaturityArgs};
use crate::error::Error;
use crate::exit;
use crate::host_rules;
use crate::maturity::assess::{self, Availability, Blocker, Record};
use crate::maturity::report::{self, normalise, Place};
use crate::maturity::{block, json, rubric, DEFAULT_REPORT, NOT_THE_SERVICE};

/// `[maturity]` of the configuration, the last layer that sets each key winning; paths resolved.
struct Configured {
    rubric: Option<PathBuf>,
    report: Option<PathBuf>,
    min_level: Option<u32>,
}

fn configured(session: &Session) -> Configured {
    let mut c = Configured { rubric: None, report: None, min_level: None };
    for layer in &session.layers.layers {
        let m = &layer.file.maturity;
        let dir = layer.dir.clone().unwrap_or_else(|| session.cwd.clone());
        if let Some(r) = &m.rubric {
            c.rubric = Some(dir.join(r));
        }
        if let Some(r) = &m.report {
            c.report = Some(dir.join(r));
        }
        c.min_level = m.min_level.or(c.min_level);
    }
    c
}

pub fn run(session: &Session, args: &MaturityArgs) -> Result<Outcome, Error> {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let abs = session.cwd.join(&path);
    if !abs.is_dir() {
        return Err(Error::Usage {
            message: format!("`{}` is not a directory; `opslint maturity` assesses a repository", path.display()),
            help: Some("name the repository's directory, e.g. `opslint --maturity .`".into()),
        });
    }
    let root =
        abs.canonicalize().map_err(|e| Error::Io { path: path.display().to_string(), message: e.to_string() })?;
    let conf = configured(session);

    let (rubric_name, rubric_text) = rubric_source(session, args.rubric.as_deref(), conf.rubric)?;
    let rubric = rubric::parse(&rubric_name, &rubric_text)?;

    let report_path = match (&args.report, conf.report) {
        (Some(r), _) => session.cwd.join(r),
        (None, Some(r)) => r,
        (None, None) => root.join(DEFAULT_REPORT),
    };
    let report_path = absolute(&report_path);
    let report_dir = report_path.parent().map(Path::to_path_buf).unwrap_or_else(|| root.clone());
    let shown_report = crate::walk::show(&report_path, &session.cwd);

    let (assessment, _) = judge(session, &path, &root, &rubric, report_path.canonicalize().ok())?;
    if args.format == ListFormat::Json {
        // The verdicts only: nothing is written, so a read-only checkout can be measured.
        let label = rubric_label(&rubric_name, &root, session);
        let mut code = exit::CLEAN;
        let mut stderr = String::new();
        if let Some(min) = args.min_level.or(conf.min_level) {
            if assessment.reached < min {
                stderr.push_str(&format!("maturity level {} is below the required level {min}\n", assessment.reached));
                code = exit::FINDINGS;
            }
        }
        let stdout = json::render(&assessment, &root, label.trim_matches('`'));
        return Ok(Outcome { stdout, stderr, code });
    }
    let place = Place { root: &root, report_dir: &report_dir, rubric: &rubric_label(&rubric_name, &root, session) };
    let block_text = report::block(&assessment, &place);
    let existing = block::read(&report_path)?;
    let new_text = block::splice(existing.as_deref(), &block_text, &shown_report)?;

    let shown_root = match crate::walk::show(&abs, &session.cwd) {
        s if s.is_empty() => ".".to_string(),
        s => s,
    };
    let mut stdout = report::summary(&assessment, &shown_root);
    let mut stderr = String::new();
    let mut code = exit::CLEAN;
    if args.check {
        if existing.as_deref() == Some(new_text.as_str()) {
            stdout.push_str(&format!("{shown_report} is up to date\n"));
        } else {
            let why = if existing.is_none() { "does not exist" } else { "is stale" };
            stderr.push_str(&format!("{shown_report} {why}: run `opslint maturity {}` to update it\n", shown_root));
            code = exit::FINDINGS;
        }
    } else if existing.as_deref() == Some(new_text.as_str()) {
        stdout.push_str(&format!("{shown_report} is up to date\n"));
    } else {
        block::write(&report_path, &new_text)?;
        stdout.push_str(&format!("wrote {shown_report}\n"));
    }
    if let Some(min) = args.min_level.or(conf.min_level) {
        if assessment.reached < min {
            stderr.push_str(&format!("maturity level {} is below the required level {min}\n", assessment.reached));
            code = exit::FINDINGS;
        }
    }
    Ok(Outcome { stdout, stderr, code })
}

/// The rubric's name and text: `--rubric`, else `[maturity] rubric`, else the built-in one.
pub(super) fn rubric_source(
    session: &Session,
    arg: Option<&Path>,
    configured: Option<PathBuf>,
) -> Result<(String, String), Error> {
    Ok(match arg.map(|r| session.cwd.join(r)).or(configured) {
        // `strict`, when no file of that name is there: the built-in strict rubric.
        Some(file) if file.file_name().is_some_and(|n| n == "strict") && !file.exists() => {
            (rubric::STRICT_NAME.to_string(), rubric::STRICT.to_string())
        }
        Some(file) => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Error::Io { path: file.display().to_string(), message: e.to_string() })?;
            (crate::walk::show(&file, &session.cwd), text)
        }
        None => (rubric::BUILTIN_NAME.to_string(), rubric::BUILTIN.to_string()),
    })
}

/// The rubric configured for this session (`[maturity] rubric`), for callers outside this module.
pub(super) fn configured_rubric(session: &Session) -> Option<PathBuf> {
    configured(session).rubric
}

/// Every plugin over the repository at `root` (`path` as the user named it)
/// for its evidence, judged against `rubric`; also the run's findings, the
/// same ones `opslint check` reports (its default exclusion is the same list).
pub(super) fn judge<'r>(
    session: &Session,
    path: &Path,
    root: &Path,
    rubric: &'r rubric::Rubric,
    skip_report: Option<PathBuf>,
) -> Result<(assess::Assessment<'r>, Vec<crate::finding::Finding>), Error> {
    // Every plugin runs for its evidence; the report itself is not evidence,
    // nor are test inputs, samples and vendored code.
    let check_args = CheckArgs {
        paths: vec![path.to_path_buf()],
        all_evidence: true,
        skip_file: skip_report,
        skip_dirs: NOT_THE_SERVICE.iter().map(|s| s.to_string()).collect(),
        ..CheckArgs::default()
    };
    let ev = check::evaluate(session, &check_args)?;

    let mut plugins: BTreeMap<String, Availability> = BTreeMap::new();
    for p in &session.plugins {
        let state = if ev.settings.disabled_plugins.contains(&p.name) {
            Availability::Disabled
        } else {
            let tag = format!("plugin `{}` ", p.name);
            let failed: Vec<&crate::finding::Finding> = ev
                .findings
                .iter()
                .filter(|f| f.rule == host_rules::PLUGIN_FAILED && f.message.starts_with(&tag))
                .collect();
            match failed.first() {
                Some(f) => Availability::Failed(format!(
                    "on {} file{}, first `{}`",
                    failed.len(),
                    if failed.len() == 1 { "" } else { "s" },
                    shown(&f.path, session, root)
                )),
                None => Availability::Ran,
            }
        };
        plugins.insert(p.name.clone(), state);
    }
    for c in &rubric.criteria {
        for p in c.plugins() {
            plugins.entry(p).or_insert(Availability::NotInstalled);
        }
    }

    let mut abs_of: HashMap<String, PathBuf> = HashMap::new();
    let mut locate = |display: &str| -> PathBuf {
        abs_of.entry(display.to_string()).or_insert_with(|| absolute(&session.cwd.join(display))).clone()
    };
    let records: Vec<Record> = ev
        .evidence
        .into_iter()
        .map(|e| Record {
            path: e.path.as_deref().map(&mut locate),
            key: e.key,
            value: e.value,
            line: e.line,
            note: e.note,
        })
        .collect();
    let blockers: Vec<Blocker> = ev
        .findings
        .iter()
        .filter(|f| f.suppression.is_none() && f.rule != host_rules::PLUGIN_FAILED)
        .map(|f| Blocker {
            rule: f.rule.clone(),
            severity: f.severity,
            path: locate(&f.path),
            line: f.position.as_ref().map(|p| p.line),
            message: f.message.clone(),
        })
        .collect();

    let show = |p: &Path| report::relative(root, p);
    let assessment = assess::assess(rubric, records, blockers, plugins, &show);
    Ok((assessment, ev.findings))
}

/// Absolute and lexically normalised; canonical when the file exists.
fn absolute(p: &Path) -> PathBuf {
    match p.canonicalize() {
        Ok(c) => c,
        Err(_) => {
            // The report may not exist yet: canonicalise its nearest existing ancestor.
            let n = normalise(p);
            let mut base = n.clone();
            let mut rest = Vec::new();
            while !base.exists() {
                match (base.file_name().map(|f| f.to_os_string()), base.parent()) {
                    (Some(f), Some(parent)) => {
                        rest.push(f);
                        base = parent.to_path_buf();
                    }
                    _ => return n,
                }
            }
            let mut out = base.canonicalize().unwrap_or(base);
            out.extend(rest.iter().rev());
            out
        }
    }
}

fn shown(display: &str, session: &Session, root: &Path) -> String {
    report::relative(root, &absolute(&session.cwd.join(display)))
}

/// The rubric as the report names it: stable wherever opslint runs from.
pub(super) fn rubric_label(name: &str, root: &Path, session: &Session) -> String {
    if name == rubric::BUILTIN_NAME || name == rubric::STRICT_NAME {
        return format!("`{name}`");
    }
    format!("`{}`", report::relative(root, &absolute(&session.cwd.join(name))))
}
