//! `opslint check`: walk, route, read, run batches in parallel, validate, locate, sort, report.
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

mod evidence;
mod read;

pub use read::SourceFile;

use super::fix;
use super::{Outcome, Session};
use crate::baseline;
use crate::catalog::severity;
use crate::cli::{CheckArgs, Format};
use crate::config::{Overrides, Settings};
use crate::error::Error;
use crate::exit;
use crate::finding::{Edit, Finding, Fix, Related};
use crate::host_rules;
use crate::locate::Lines;
use crate::plugin::bindings::{self, Applicability, Document};
use crate::plugin::{Batch, Loaded, RunError};
use crate::report::{self, Report};
use crate::route::{is_context, Router};
use crate::suppress;
use crate::walk::{self, Target};
use read::{read, read_stdin, source};

const DEFAULT_TIMEOUT_SECS: f64 = 10.0;
const DEFAULT_MEMORY_MIB: usize = 512;
/// Most bytes of text in one file-scope batch. Each batch is a fresh Store
/// and instance, so small files go together by bytes, not by count (5,226
/// SQL migrations of 200 bytes were 164 instances; they are now 8).
const BATCH_BYTES: usize = 1 << 20;
/// What one document costs a batch beyond its text (its path, its parse), in bytes.
const DOCUMENT_COST: usize = 256;
/// Most findings kept from one plugin for one file; a runaway plugin cannot
/// flood the report. (Per file, not per batch: a repository-scope batch holds
/// every manifest of a large repository.)
const MAX_FINDINGS_PER_FILE: usize = 10_000;

struct Work<'a> {
    plugin: &'a Loaded,
    /// Index of `plugin` among the active plugins.
    index: usize,
    docs: Vec<usize>,
    rules: Vec<String>,
    options: String,
    limits: Batch,
    /// Evidence phase: other files the plugin may point findings at.
    reach: Vec<usize>,
}

/// What a run reads before any plugin runs: settings, active plugins, routed
/// documents and the findings the host itself made on the way.
struct Gathered<'s> {
    settings: Settings,
    active: Vec<&'s Loaded>,
    findings: Vec<Finding>,
    /// (plugin, target, kind)
    routed: Vec<(usize, usize, String)>,
    /// Per plugin: repo-relative paths of its `context` files.
    context: Vec<Vec<String>>,
    sources: Vec<SourceFile>,
    /// Target index → index in `sources`.
    source_of: HashMap<usize, usize>,
    /// Named files only, and no evidence-phase plugin reads the rest of the repository.
    named_only: bool,
    /// Folders the default exclusion left out, relative to the root.
    skipped: BTreeSet<String>,
}

fn gather<'s>(session: &'s Session, args: &CheckArgs) -> Result<Gathered<'s>, Error> {
    let overrides = Overrides {
        fail_on: args.fail_on,
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
    };
    let settings = session.layers.resolve(&session.catalog, &overrides)?;
    // A path that is not there is a mistake in the command, not a finding
    // (a dangling symbolic link is there: reading it is a finding).
    if let Some(missing) =
        args.paths.iter().find(|p| p.as_os_str() != "-" && std::fs::symlink_metadata(session.cwd.join(p)).is_err())
    {
        return Err(Error::Usage {
            message: format!("`{}`: no such file or directory", missing.display()),
            help: Some(
                "name files and directories that exist (`opslint check` alone checks the current directory)".into(),
            ),
        });
    }
    let mut paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    if let Some(rev) = &args.changed_since {
        paths = changed_paths(session, &paths, rev)?;
    }
    let root = project_root(session, &paths);
    let from_stdin = paths.iter().any(|p| p.as_os_str() == "-");
    let stdin = match from_stdin {
        true => Some(read_stdin(args, &settings)?),
        false => None,
    };
    // The default exclusion (test inputs, samples, vendored code) below the
    // directories given; the maturity assessment always leaves its folders out.
    let scope = walk::Scope {
        dirs: if args.skip_dirs.is_empty() { settings.default_exclude.clone() } else { args.skip_dirs.clone() },
        // Files git names are not named by the user: they get the same scope as a walk.
        force: args.force_exclude || args.changed_since.is_some(),
    };
    let mut walked = walk::collect(&paths, &root, &session.cwd, &settings.exclude, &scope, stdin);
    if let Some(skip) = &args.skip_file {
        // The maturity report is the assessment's output, not its evidence.
        let name = skip.file_name();
        walked.targets.retain(|t| t.abs.file_name() != name || t.abs.canonicalize().ok().as_ref() != Some(skip));
    }

    let active: Vec<&Loaded> =
        session.plugins.iter().filter(|p| !settings.disabled_plugins.contains(&p.name)).collect();
    // Named files (or a subdirectory) only: repository-scope plugins still see the
    // whole repository, so their cross-file rules judge the named files correctly.
    let repo_scope = active.iter().any(|p| p.meta.scope == bindings::Scope::Repository);
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());
    let covers_root = paths.iter().any(|p| session.cwd.join(p).canonicalize().is_ok_and(|c| c == canonical_root));
    let named_run = repo_scope && !covers_root && !paths.is_empty() && !from_stdin;

    let router = Router::new(&active, &settings.extend_include);
    // A repository-scope plugin reads the rest of the repository only if a named file is its own.
    let mut needs_repo: Vec<bool> = (0..active.len())
        .map(|pi| {
            active[pi].meta.scope == bindings::Scope::Repository
                && walked.targets.iter().any(|t| router.kind(pi, t).is_some_and(|k| !is_context(k)))
        })
        .collect();
    // An evidence-phase plugin that reads the repository needs the whole
    // repository's evidence: then the plugins whose evidence it reads read the
    // repository too (still only named files are reported).
    let readers: Vec<usize> = (0..active.len())
        .filter(|&pi| {
            needs_repo[pi] && evidence::is_evidence_plugin(active[pi]) && evidence::has_enabled_rule(active[pi], &settings)
        })
        .collect();
    for (pi, needs) in needs_repo.iter_mut().enumerate() {
        *needs |= readers.iter().any(|&r| evidence::reads_evidence_of(active[r], &active[pi].name));
    }
    // The rest of the repository: all of it when a plugin reads it; else only
    // what can be a named file's context, in its directory and those above.
    let extras: Vec<Target> = match named_run {
        false => Vec::new(),
        true if needs_repo.iter().any(|&n| n) => {
            walk::collect(std::slice::from_ref(&root), &root, &session.cwd, &settings.exclude, &scope, None).targets
        }
        true => walk::around(&walked.targets, &root, &session.cwd, &settings.exclude, &scope),
    };
    let named_paths: HashSet<&Path> = walked.targets.iter().map(|t| t.abs.as_path()).collect();
    let extras: Vec<Target> = extras.into_iter().filter(|t| !named_paths.contains(t.abs.as_path())).collect();
    let named = walked.targets.len();
    let targets: Vec<Target> = walked.targets.into_iter().chain(extras).collect();
    let named_only = named_run && readers.is_empty();
    let mut findings: Vec<Finding> = walked
        .problems
        .iter()
        .filter_map(|p| host_finding(&settings, host_rules::UNREADABLE_FILE, &p.display, p.message.clone(), None))
        .collect();

    // A plugin with no rule enabled runs only for its evidence: when an
    // evidence-phase plugin reads it, or for the maturity assessment.
    let runs: Vec<bool> = active
        .iter()
        .map(|p| {
            args.all_evidence
                || evidence::has_enabled_rule(p, &settings)
                || active.iter().any(|r| {
                    evidence::is_evidence_plugin(r)
                        && evidence::has_enabled_rule(r, &settings)
                        && evidence::reads_evidence_of(r, &p.name)
                })
        })
        .collect();
    // Route, then read each routed file once.
    let mut routed: Vec<(usize, usize, String)> = Vec::new(); // (plugin, target, kind)
    let mut context: Vec<Vec<String>> = vec![Vec::new(); active.len()];
    let mut wanted: BTreeSet<usize> = BTreeSet::new();
    for (ti, t) in targets.iter().enumerate() {
        for (pi, paths) in context.iter_mut().enumerate() {
            match router.kind(pi, t) {
                Some(_) if !runs[pi] => {}
                Some(kind) if is_context(kind) => paths.push(t.rel.clone()),
                // The evidence document is made by the host, never read from disk.
                Some(evidence::EVIDENCE_KIND) => {}
                Some(_) if ti >= named && !needs_repo[pi] => {}
                Some(kind) => {
                    routed.push((pi, ti, kind.to_string()));
                    wanted.insert(ti);
                }
                None => {}
            }
        }
    }
    let reads: Vec<(usize, Option<SourceFile>, Option<Finding>)> = wanted
        .into_par_iter()
        .map(|ti| {
            let (mut file, finding) = match args.texts.get(&targets[ti].abs) {
                // A later pass of `--fix`: the text as fixed so far.
                Some(text) => (Some(source(&targets[ti], text.clone())), None),
                None => read(&targets[ti], &settings),
            };
            if let Some(f) = file.as_mut() {
                f.extra = ti >= named;
            }
            // A problem with a file the run did not name is not this run's to report.
            (ti, file, finding.filter(|_| ti < named))
        })
        .collect();
    let mut sources: Vec<SourceFile> = Vec::new();
    let mut source_of: HashMap<usize, usize> = HashMap::new();
    for (ti, file, finding) in reads {
        findings.extend(finding);
        if let Some(f) = file {
            source_of.insert(ti, sources.len());
            sources.push(f);
        }
    }
    let skipped = walked.skipped;
    Ok(Gathered { settings, active, findings, routed, context, sources, source_of, named_only, skipped })
}

/// `--changed-since REV`: the changed files, limited to those under `paths` when given.
fn changed_paths(session: &Session, paths: &[PathBuf], rev: &str) -> Result<Vec<PathBuf>, Error> {
    let dir = paths.first().map(|p| session.cwd.join(p)).unwrap_or_else(|| session.cwd.clone());
    let dir = if dir.is_dir() { dir } else { dir.parent().map(Path::to_path_buf).unwrap_or(dir) };
    let within: Vec<PathBuf> = paths.iter().filter_map(|p| session.cwd.join(p).canonicalize().ok()).collect();
    let changed = crate::changed::changed_since(rev, &dir)?;
    Ok(changed
        .into_iter()
        .filter(|f| f.canonicalize().is_ok_and(|c| within.iter().any(|w| c.starts_with(w))))
        .collect())
}

/// The floor a scan is measured against: the same walk, routing and reads, no plugins.
pub fn floor(session: &Session, args: &CheckArgs) -> Result<Outcome, Error> {
    let g = gather(session, args)?;
    let bytes: usize = g.sources.iter().map(|s| s.text.len()).sum();
    let stdout = format!("read {} files, {bytes} bytes\n", g.sources.len());
    Ok(Outcome { stdout, stderr: String::new(), code: 0 })
}

/// A finished run before any baseline or rendering: every finding (suppressed
/// ones marked), sorted and fingerprinted.
pub(super) struct Evaluated {
    pub(super) settings: Settings,
    pub(super) findings: Vec<Finding>,
    pub(super) evidence: Vec<bindings::Evidence>,
    pub(super) logs: Vec<String>,
    pub(super) sources: Vec<SourceFile>,
    pub(super) plugins_run: usize,
    /// Folders the default exclusion left out.
    pub(super) skipped: BTreeSet<String>,
}

pub(super) fn evaluate(session: &Session, args: &CheckArgs) -> Result<Evaluated, Error> {
    let Gathered { settings, active, mut findings, routed, context, mut sources, source_of, named_only, skipped } =
        gather(session, args)?;

    // Batches: per plugin, documents in path order, split so both cores have work.
    let threads = rayon::current_num_threads().max(1);
    let mut work: Vec<Work> = Vec::new();
    let evidence_read = active.iter().any(|p| evidence::is_evidence_plugin(p) && evidence::has_enabled_rule(p, &settings));
    for (pi, plugin) in active.iter().enumerate() {
        let docs: Vec<usize> = routed
            .iter()
            .filter(|(p, t, _)| *p == pi && source_of.contains_key(t))
            .map(|(_, t, _)| source_of[t])
            .collect();
        // An evidence-phase plugin also runs with only the evidence document,
        // unless the run reports only named files that are none of its own.
        let second = evidence::is_evidence_plugin(plugin);
        if docs.is_empty() && (!second || named_only) {
            continue;
        }
        let prefix = format!("{}/", plugin.name);
        let rules: Vec<String> =
            settings.enabled.keys().filter_map(|id| id.strip_prefix(&prefix)).map(str::to_string).collect();
        // With no rule enabled a plugin still runs for its evidence when an
        // evidence-phase plugin will read it.
        if rules.is_empty() && (second || !evidence_read) && !args.all_evidence {
            continue;
        }
        let mut options = settings.options.get(&plugin.name).cloned().unwrap_or_default();
        if plugin.meta.files.iter().any(|m| is_context(&m.kind)) {
            options.insert("context_files".into(), context[pi].clone().into());
        }
        let options = serde_json::Value::Object(options).to_string();
        let limits = Batch {
            timeout: Duration::from_secs_f64(
                settings.timeouts.get(&plugin.name).copied().unwrap_or(DEFAULT_TIMEOUT_SECS).max(0.001),
            ),
            memory_mib: settings.memory.get(&plugin.name).copied().unwrap_or(DEFAULT_MEMORY_MIB),
        };
        // Repository scope: one batch, so cross-file rules see every document.
        let chunks: Vec<Vec<usize>> = match plugin.meta.scope {
            _ if second || docs.is_empty() => vec![docs],
            bindings::Scope::Repository => vec![docs],
            bindings::Scope::File => by_bytes(&docs, |d| sources[d].text.len(), threads),
        };
        for chunk in chunks {
            work.push(Work {
                plugin,
                index: pi,
                docs: chunk,
                rules: rules.clone(),
                options: options.clone(),
                limits,
                reach: Vec::new(),
            });
        }
    }
    let mut kinds: HashMap<(usize, usize), String> =
        routed.iter().filter_map(|(p, t, k)| source_of.get(t).map(|s| ((*p, *s), k.clone()))).collect();

    // Phase 1: every plugin but the evidence-phase ones; phase 2: those, over phase 1's evidence.
    let (mut second, first): (Vec<Work>, Vec<Work>) =
        work.into_iter().partition(|w| evidence::is_evidence_plugin(w.plugin));
    let mut evidence = Vec::new();
    let mut logs = Vec::new();
    let run_phase = |work: &[Work], sources: &[SourceFile], kinds: &HashMap<(usize, usize), String>| {
        crate::progress::add_total(work.iter().map(|w| w.docs.len()).sum());
        let cost = |w: &Work| w.docs.iter().map(|&d| sources[d].text.len() + DOCUMENT_COST).sum::<usize>();
        costliest_first(work, cost, |w| {
            let r =
                run_batch(session, w, sources, &|s| kinds.get(&(w.index, s)).cloned().unwrap_or_default(), &settings);
            crate::progress::add_done(w.docs.len());
            r
        })
    };
    let mut results = run_phase(&first, &sources, &kinds);
    if !second.is_empty() {
        let found: Vec<bindings::Evidence> = results.iter().flat_map(|r| r.1.iter().cloned()).collect();
        let reach = evidence::reach(&found, &sources);
        let at = sources.len();
        sources.push(evidence::evidence_source(evidence::evidence_document(&found, &sources)));
        for w in &mut second {
            w.docs.push(at);
            w.reach = reach.iter().copied().filter(|r| !w.docs.contains(r)).collect();
            kinds.insert((w.index, at), evidence::EVIDENCE_KIND.to_string());
        }
        results.extend(run_phase(&second, &sources, &kinds));
    }
    let work: Vec<Work> = first.into_iter().chain(second).collect();
    for (f, e, l, err) in results {
        if let Some(err) = err {
            return Err(err);
        }
        findings.extend(f);
        evidence.extend(e);
        logs.extend(l);
    }

    // Files read only for repository-scope plugins are not reported on.
    let extra: HashSet<&str> = sources.iter().filter(|s| s.extra).map(|s| s.display.as_str()).collect();
    // (A failure of an evidence-phase batch is reported at the evidence document.)
    findings.retain(|f| {
        !extra.contains(f.path.as_str()) || (f.rule == host_rules::PLUGIN_FAILED && f.path == evidence::EVIDENCE_PATH)
    });
    evidence.retain(|e| e.path.as_deref().is_none_or(|p| !extra.contains(p)));

    // Suppressions: which rules ran on which file decides what counts as unused.
    let sources_ref = &sources;
    let ran: HashSet<(&str, &str)> = work
        .iter()
        .flat_map(|w| {
            w.docs.iter().chain(&w.reach).map(move |&d| (w.plugin.name.as_str(), sources_ref[d].display.as_str()))
        })
        .collect();
    let failed: HashSet<String> =
        findings.iter().filter(|f| f.rule == host_rules::PLUGIN_FAILED).map(|f| f.path.clone()).collect();
    let checked = |path: &str, rule: &str| {
        let plugin = rule.split_once('/').map_or("", |(p, _)| p);
        settings.enabled.contains_key(rule)
            && (plugin == "opslint" || (ran.contains(&(plugin, path)) && !failed.contains(path)))
    };
    let files: Vec<suppress::File> = sources
        .iter()
        .filter(|s| !s.extra)
        .map(|s| suppress::File { display: &s.display, rel: &s.rel, text: &s.text })
        .collect();
    let today = suppress::date::Date::today();
    let problems = suppress::apply(&mut findings, &files, &session.catalog, &settings, &checked, today);
    findings.extend(problems);

    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup();
    assign_fingerprints(&mut findings, &sources);
    let plugins_run = active.len();
    session.runtime.finish_run();
    Ok(Evaluated { settings, findings, evidence, logs, sources, plugins_run, skipped })
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
    let mut evaluated = evaluate(session, args)?;
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
            let mut stderr = fix_summary(&fx, true);
            stderr.push_str(&hint(&evaluated.findings, args.unsafe_fixes, true));
            return Ok(Outcome { stdout, stderr, code: if changed > 0 { exit::FINDINGS } else { exit::CLEAN } });
        }
        fx.write()?;
        fixer = Some(fx);
    }
    let Evaluated { settings, findings, evidence, logs, sources, plugins_run, skipped } = evaluated;
    let (suppressed, mut findings): (Vec<Finding>, Vec<Finding>) =
        findings.into_iter().partition(|f| f.suppression.is_some());

    let baseline_path = match (&args.baseline, args.no_baseline) {
        (Some(p), _) => Some(session.cwd.join(p)),
        (None, false) => settings.baseline.clone(),
        (None, true) => None,
    };
    let mut baselined = 0;
    if let Some(path) = &baseline_path {
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
        evidence: report::evidence(evidence),
        files_checked: sources.iter().filter(|s| !s.extra).count(),
        fail_on: settings.fail_on,
    };
    let color = color && args.output.is_none();
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
    let stdout = match &args.output {
        Some(path) => {
            crate::output::write_atomic(&session.cwd.join(path), out.as_bytes())?;
            String::new()
        }
        None if args.silent => String::new(),
        None => out,
    };
    let mut stderr = String::new();
    if !args.silent {
        if let Some(fx) = &fixer {
            stderr.push_str(&fix_summary(fx, false));
        }
        // After --fix always (it is about the run); otherwise beside a report for people.
        if fixer.is_some() || (matches!(args.format, Format::Human | Format::Concise) && !args.quiet) {
            stderr.push_str(&hint(&report.findings, args.unsafe_fixes, fixer.is_some()));
        }
    }
    if verbose {
        for l in &logs {
            stderr.push_str(l);
            stderr.push('\n');
        }
        stderr.push_str(&excluded_note(&skipped, &settings));
        let compiled = session.plugins.iter().filter(|p| p.compiled).count();
        stderr.push_str(&format!(
            "plugins: {} loaded, {compiled} compiled with Cranelift\nchecked {} files with {} plugins in {:.1?}\n",
            session.plugins.len(),
            report.files_checked,
            plugins_run,
            started.elapsed()
        ));
        let (reused, fresh) = session.runtime.cache_counts();
        stderr.push_str(&format!("findings cache: {reused} documents reused, {fresh} checked by plugins\n"));
    }
    Ok(Outcome { stdout, stderr, code })
}

/// Splits documents (in path order) into batches of about equal bytes: at
/// least four per thread, so every core has work to the end, and more when
/// that would put over BATCH_BYTES in one.
fn by_bytes(docs: &[usize], len: impl Fn(usize) -> usize, threads: usize) -> Vec<Vec<usize>> {
    let cost = |d: usize| len(d) + DOCUMENT_COST;
    let total: usize = docs.iter().map(|&d| cost(d)).sum();
    let count = (threads * 4).max(total.div_ceil(BATCH_BYTES)).clamp(1, docs.len().max(1));
    let target = total.div_ceil(count);
    let (mut batches, mut batch, mut bytes) = (Vec::new(), Vec::new(), 0);
    for &d in docs {
        if !batch.is_empty() && bytes + cost(d) > target {
            batches.push(std::mem::take(&mut batch));
            bytes = 0;
        }
        batch.push(d);
        bytes += cost(d);
    }
    if !batch.is_empty() {
        batches.push(batch);
    }
    batches
}

/// `f` over every item on all threads, the costliest started first (a
/// repository-scope batch that holds every manifest must not start last,
/// after the small batches); results in the items' order.
fn costliest_first<T: Sync, R: Send>(
    items: &[T],
    cost: impl Fn(&T) -> usize,
    f: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    let mut order: Vec<(usize, usize)> = items.iter().enumerate().map(|(i, t)| (cost(t), i)).collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut done: Vec<(usize, R)> = order.into_par_iter().with_max_len(1).map(|(_, i)| (i, f(&items[i]))).collect();
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
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
fn fix_summary(fx: &fix::Fixer, dry: bool) -> String {
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
fn hint(findings: &[Finding], unsafe_fixes: bool, fixing: bool) -> String {
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
        (None, None) => project_root(session, &check_paths(&args.paths)).join(baseline::DEFAULT_NAME),
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

/// Relative paths in findings and globs are relative to this: the config
/// file's directory, else the single directory given, else the working directory.
fn project_root(session: &Session, paths: &[PathBuf]) -> PathBuf {
    if let Some(root) = &session.layers.root {
        return root.canonicalize().unwrap_or_else(|_| root.clone());
    }
    let root = match paths {
        [one] if session.cwd.join(one).is_dir() => session.cwd.join(one),
        // Files named without a config file: the repository they are in.
        [first, ..] if first.as_os_str() != "-" && session.cwd.join(first).is_file() => {
            let dir = session.cwd.join(first).parent().map(Path::to_path_buf).unwrap_or_else(|| session.cwd.clone());
            crate::changed::repo_root(&dir.canonicalize().unwrap_or(dir)).unwrap_or_else(|| session.cwd.clone())
        }
        _ => session.cwd.clone(),
    };
    root
}

fn host_finding(
    settings: &Settings,
    rule: &str,
    path: &str,
    message: String,
    position: Option<crate::finding::Position>,
) -> Option<Finding> {
    host_rules::finding(settings, rule, path, message, position)
}

type BatchResult = (Vec<Finding>, Vec<bindings::Evidence>, Vec<String>, Option<Error>);

/// Runs one batch; if it fails and holds several files, runs them one by one
/// so only the file at fault goes unchecked.
fn run_batch(
    session: &Session,
    w: &Work,
    sources: &[SourceFile],
    kind_of: &dyn Fn(usize) -> String,
    settings: &Settings,
) -> BatchResult {
    let docs = |ids: &[usize]| {
        ids.iter()
            .map(|&i| Document { path: sources[i].rel.clone(), kind: kind_of(i), text: sources[i].text.clone() })
            .collect::<Vec<_>>()
    };
    let (result, mut logs) =
        session.runtime.check(w.plugin, docs(&w.docs), w.rules.clone(), w.options.clone(), w.limits);
    let tag = |l: String| format!("[{}] {l}", w.plugin.name);
    match result {
        Ok(out) => {
            let (f, e) = accept(w.plugin, out, &[&w.docs[..], &w.reach[..]].concat(), sources, settings);
            (f, e, logs.into_iter().map(tag).collect(), None)
        }
        Err(RunError::InvalidOptions(msgs)) => (
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Some(Error::Usage {
                message: format!("plugin `{}` rejected its options: {}", w.plugin.name, msgs.join("; ")),
                help: Some(format!("check [plugins.{}] options and [rules.options] in opslint.toml", w.plugin.name)),
            }),
        ),
        Err(err) if w.docs.len() == 1 => {
            let f = failure(settings, w.plugin, &err, &sources[w.docs[0]]);
            (f.into_iter().collect(), Vec::new(), logs.into_iter().map(tag).collect(), None)
        }
        Err(_) => {
            let (mut findings, mut evidence) = (Vec::new(), Vec::new());
            for &d in &w.docs {
                let (result, l) =
                    session.runtime.check(w.plugin, docs(&[d]), w.rules.clone(), w.options.clone(), w.limits);
                logs.extend(l);
                match result {
                    Ok(out) => {
                        let (f, e) = accept(w.plugin, out, &[&[d][..], &w.reach[..]].concat(), sources, settings);
                        findings.extend(f);
                        evidence.extend(e);
                    }
                    Err(err) => findings.extend(failure(settings, w.plugin, &err, &sources[d])),
                }
            }
            (findings, evidence, logs.into_iter().map(tag).collect(), None)
        }
    }
}

fn failure(settings: &Settings, plugin: &Loaded, err: &RunError, file: &SourceFile) -> Option<Finding> {
    let message =
        format!("plugin `{}` {err} while checking `{}`; its rules did not check this file", plugin.name, file.display);
    host_finding(settings, host_rules::PLUGIN_FAILED, &file.display, message, None)
}

/// Validates a plugin's output against what it declared and the batch it was
/// given, and turns it into host findings. Anything invalid is itself reported.
fn accept(
    plugin: &Loaded,
    out: bindings::CheckOutput,
    batch: &[usize],
    sources: &[SourceFile],
    settings: &Settings,
) -> (Vec<Finding>, Vec<bindings::Evidence>) {
    let by_rel: HashMap<&str, &SourceFile> = batch.iter().map(|&i| (sources[i].rel.as_str(), &sources[i])).collect();
    let declared: HashMap<&str, &bindings::RuleMeta> = plugin.meta.rules.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut findings = Vec::new();
    let mut rejected: BTreeMap<String, String> = BTreeMap::new();
    let mut per_file: HashMap<&str, usize> = HashMap::new();
    let mut located: HashMap<&str, Lines> = HashMap::new();
    for f in out.findings {
        let Some(file) = by_rel.get(f.path.as_str()) else {
            rejected
                .entry(batch.first().map(|&i| sources[i].display.clone()).unwrap_or_default())
                .or_insert_with(|| format!("returned a finding for `{}`, which it was not given", trunc(&f.path)));
            continue;
        };
        let seen = per_file.entry(file.display.as_str()).or_insert(0);
        *seen += 1;
        if *seen > MAX_FINDINGS_PER_FILE {
            continue;
        }
        let Some(meta) = declared.get(f.rule.as_str()) else {
            rejected
                .entry(file.display.clone())
                .or_insert_with(|| format!("returned a finding for undeclared rule `{}`", trunc(&f.rule)));
            continue;
        };
        let id = format!("{}/{}", plugin.name, f.rule);
        let Some(&configured) = settings.enabled.get(&id) else {
            continue;
        };
        // A plugin may grade one finding differently, unless the user set the severity.
        let severity = match f.severity.map(severity) {
            Some(s) if !settings.pinned_severity.contains(&id) => s,
            _ => configured,
        };
        // Line starts (and a YAML parse, for path locations) once per file, not per finding.
        let others: Vec<Option<&SourceFile>> =
            f.related.iter().map(|l| l.path.as_deref().and_then(|p| sources.iter().find(|s| s.rel == p))).collect();
        for s in std::iter::once(*file).chain(others.iter().flatten().copied()) {
            located.entry(s.rel.as_str()).or_insert_with(|| Lines::new(&s.text));
        }
        let lines = &located[file.rel.as_str()];
        let related = f
            .related
            .iter()
            .zip(&others)
            .map(|(l, other)| match other {
                Some(o) => Related {
                    path: o.display.clone(),
                    position: located[o.rel.as_str()].resolve(&l.location),
                    message: l.message.clone(),
                },
                None => Related {
                    path: l.path.clone().unwrap_or_else(|| file.display.clone()),
                    position: if l.path.is_none() { lines.resolve(&l.location) } else { None },
                    message: l.message.clone(),
                },
            })
            .collect();
        findings.push(Finding {
            rule: id,
            aliases: meta.aliases.clone(),
            severity,
            path: file.display.clone(),
            position: lines.resolve(&f.primary.location),
            message: trunc(&f.message),
            help: f.help.as_deref().map(trunc),
            related,
            fix: f.fix.map(|x| Fix {
                title: x.title,
                applicability: match x.applicability {
                    Applicability::Safe => "safe",
                    Applicability::Unsafe => "unsafe",
                    Applicability::DisplayOnly => "display-only",
                },
                edits: x
                    .edits
                    .into_iter()
                    .map(|e| Edit { start: e.span.start, end: e.span.end, replacement: e.replacement })
                    .collect(),
            }),
            fingerprint: String::new(),
            suppression: None,
            rel: String::new(),
        });
    }
    for (path, total) in per_file.into_iter().filter(|(_, n)| *n > MAX_FINDINGS_PER_FILE) {
        rejected.entry(path.to_string()).or_insert_with(|| {
            format!("returned {total} findings for `{path}`; only the first {MAX_FINDINGS_PER_FILE} were kept")
        });
    }
    for (path, why) in rejected {
        findings.extend(host_finding(
            settings,
            host_rules::PLUGIN_FAILED,
            &path,
            format!("plugin `{}` {why}", plugin.name),
            None,
        ));
    }
    let known: BTreeSet<&str> = by_rel.keys().copied().collect();
    let evidence = out
        .evidence
        .into_iter()
        .filter(|e| {
            e.key.starts_with(&format!("{}/", plugin.name)) && e.path.as_deref().is_none_or(|p| known.contains(p))
        })
        .map(|mut e| {
            e.path = e.path.and_then(|p| by_rel.get(p.as_str()).map(|s| s.display.clone()));
            e
        })
        .collect();
    (findings, evidence)
}

fn trunc(s: &str) -> String {
    const MAX: usize = 2000;
    if s.len() <= MAX {
        return s.to_string();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// sha256 of rule, the project-relative path, the trimmed source line and the
/// message, plus an occurrence counter: stable when lines move, when other
/// lines change and whatever the working directory; distinct for repeats.
fn assign_fingerprints(findings: &mut [Finding], sources: &[SourceFile]) {
    let texts: HashMap<&str, &str> = sources.iter().map(|s| (s.display.as_str(), s.text.as_str())).collect();
    let rels: HashMap<&str, &str> = sources.iter().map(|s| (s.display.as_str(), s.rel.as_str())).collect();
    let mut lines_cache: HashMap<String, Lines> = HashMap::new();
    let mut seen: HashMap<[u8; 32], u32> = HashMap::new();
    for f in findings.iter_mut() {
        let line_text = match (&f.position, texts.get(f.path.as_str())) {
            (Some(p), Some(text)) => {
                lines_cache.entry(f.path.clone()).or_insert_with(|| Lines::new(text)).line_text(p.line).to_string()
            }
            _ => String::new(),
        };
        f.rel = rels.get(f.path.as_str()).map_or_else(|| f.path.clone(), |r| r.to_string());
        let mut h = Sha256::new();
        for part in [f.rule.as_str(), f.rel.as_str(), line_text.as_str(), f.message.as_str()] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        let key: [u8; 32] = h.finalize().into();
        let n = seen.entry(key).or_insert(0);
        *n += 1;
        let mut h = Sha256::new();
        h.update(key);
        h.update(n.to_le_bytes());
        f.fingerprint = h.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect();
    }
}
