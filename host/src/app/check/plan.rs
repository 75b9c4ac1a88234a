//! Plan: what a run reads and who reads it. Settings, the walk (and, for
//! named files, the rest of the repository the repository-scope and
//! evidence-phase plugins need), routing, and each plugin's `context` files.
//! Nothing is read here but the directory tree.
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::evidence;
use super::read::read_stdin;
use crate::app::Session;
use crate::cli::CheckArgs;
use crate::config::{Overrides, Settings};
use crate::error::Error;
use crate::finding::Finding;
use crate::host_rules;
use crate::plugin::bindings;
use crate::plugin::Loaded;
use crate::route::{is_context, Router};
use crate::walk::{self, Target};

/// What a run will read, and which plugin reads what.
pub(super) struct Plan<'s> {
    pub settings: Settings,
    pub active: Vec<&'s Loaded>,
    /// What the walk could not read, as findings.
    pub findings: Vec<Finding>,
    /// Named targets first (`..named`), then those read only for other files.
    pub targets: Vec<Target>,
    pub named: usize,
    /// (plugin, target, kind)
    pub routed: Vec<(usize, usize, Arc<str>)>,
    /// Targets some plugin reads, each read once.
    pub wanted: BTreeSet<usize>,
    /// Per plugin: repo-relative paths of its `context` files.
    pub context: Vec<Vec<String>>,
    /// Named files only, and no evidence-phase plugin reads the rest of the repository.
    pub named_only: bool,
    /// Folders the default exclusion left out, relative to the root.
    pub skipped: BTreeSet<String>,
    /// The walk of a whole tree was kept from an earlier run (walk_cache.rs).
    pub walk_kept: bool,
}

pub(super) fn plan<'s>(session: &'s Session, args: &CheckArgs) -> Result<Plan<'s>, Error> {
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
        cache: session.runtime.cache_dir().map(|dir| crate::walk_cache::Place {
            dir: dir.to_path_buf(),
            config: settings.exclude_patterns.join("\0"),
        }),
    };
    let active: Vec<&Loaded> =
        session.plugins.iter().filter(|p| !settings.disabled_plugins.contains(&p.name)).collect();
    // The router's glob set (a millisecond of regex compiling) is built while the tree is read.
    let (mut walked, router) = rayon::join(
        || walk::collect(&paths, &root, &session.cwd, &settings.exclude, &scope, stdin),
        || Router::new(&active, &settings.extend_include),
    );
    if let Some(skip) = &args.skip_file {
        // The maturity report is the assessment's output, not its evidence.
        let name = skip.file_name();
        walked.targets.retain(|t| t.abs.file_name() != name || t.abs.canonicalize().ok().as_ref() != Some(skip));
    }

    // Named files (or a subdirectory) only: repository-scope plugins still see the
    // whole repository, so their cross-file rules judge the named files correctly.
    let repo_scope = active.iter().any(|p| p.meta.scope == bindings::Scope::Repository);
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());
    let covers_root = paths.iter().any(|p| session.cwd.join(p).canonicalize().is_ok_and(|c| c == canonical_root));
    let named_run = repo_scope && !covers_root && !paths.is_empty() && !from_stdin;

    let mut kinds: Vec<Vec<Option<&str>>> = walked.targets.par_iter().map(|t| router.kinds(t)).collect();
    // A repository-scope plugin reads the rest of the repository only if a named file is its own.
    let mut needs_repo: Vec<bool> = (0..active.len())
        .map(|pi| {
            active[pi].meta.scope == bindings::Scope::Repository
                && kinds.iter().any(|k| k[pi].is_some_and(|k| !is_context(k)))
        })
        .collect();
    // An evidence-phase plugin that reads the repository needs the whole
    // repository's evidence: then the plugins whose evidence it reads read the
    // repository too (still only named files are reported).
    let readers: Vec<usize> = (0..active.len())
        .filter(|&pi| {
            needs_repo[pi]
                && evidence::is_evidence_plugin(active[pi])
                && evidence::has_enabled_rule(active[pi], &settings)
        })
        .collect();
    for (pi, needs) in needs_repo.iter_mut().enumerate() {
        *needs |= readers.iter().any(|&r| evidence::reads_evidence_of(active[r], &active[pi].name));
    }
    // The rest of the repository: all of it when a plugin reads it; else only
    // what can be a named file's context, in its directory and those above.
    let mut walk_kept = walked.kept;
    let extras: Vec<Target> = match named_run {
        false => Vec::new(),
        true if needs_repo.iter().any(|&n| n) => {
            let repo = walk::collect(std::slice::from_ref(&root), &root, &session.cwd, &settings.exclude, &scope, None);
            walk_kept |= repo.kept;
            repo.targets
        }
        true => walk::around(&walked.targets, &root, &session.cwd, &settings.exclude, &scope),
    };
    let named_paths: HashSet<&Path> = walked.targets.iter().map(|t| t.abs.as_path()).collect();
    let extras: Vec<Target> = extras.into_iter().filter(|t| !named_paths.contains(t.abs.as_path())).collect();
    let named = walked.targets.len();
    kinds.par_extend(extras.par_iter().map(|t| router.kinds(t)));
    let targets: Vec<Target> = walked.targets.into_iter().chain(extras).collect();
    let named_only = named_run && readers.is_empty();
    let findings: Vec<Finding> = walked
        .problems
        .iter()
        .filter_map(|p| {
            host_rules::finding(&settings, host_rules::UNREADABLE_FILE, &p.display, p.message.clone(), None)
        })
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
    let (routed, context, wanted) = route(&targets, named, &kinds, &runs, &needs_repo);
    let skipped = walked.skipped;
    Ok(Plan { settings, active, findings, targets, named, routed, wanted, context, named_only, skipped, walk_kept })
}

type Routes = (Vec<(usize, usize, Arc<str>)>, Vec<Vec<String>>, BTreeSet<usize>);

/// Which plugin reads which target as what kind, each plugin's `context`
/// files, and the targets to read (each once). Targets past `named` go only
/// to plugins that need the repository.
fn route(targets: &[Target], named: usize, kinds: &[Vec<Option<&str>>], runs: &[bool], needs_repo: &[bool]) -> Routes {
    // (plugin, target, kind); a few kinds for tens of thousands of routes: each made once.
    let mut routed: Vec<(usize, usize, Arc<str>)> = Vec::new();
    let mut shared: HashMap<&str, Arc<str>> = HashMap::new();
    let mut context: Vec<Vec<String>> = vec![Vec::new(); runs.len()];
    let mut wanted: BTreeSet<usize> = BTreeSet::new();
    for (ti, (t, kinds)) in targets.iter().zip(kinds).enumerate() {
        for (pi, paths) in context.iter_mut().enumerate() {
            match kinds[pi] {
                Some(_) if !runs[pi] => {}
                Some(kind) if is_context(kind) => paths.push(t.rel.clone()),
                // The evidence document is made by the host, never read from disk.
                Some(evidence::EVIDENCE_KIND) => {}
                Some(_) if ti >= named && !needs_repo[pi] => {}
                Some(kind) => {
                    routed.push((pi, ti, shared.entry(kind).or_insert_with(|| kind.into()).clone()));
                    wanted.insert(ti);
                }
                None => {}
            }
        }
    }
    (routed, context, wanted)
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

/// Relative paths in findings and globs are relative to this: the config
/// file's directory, else the single directory given, else the working directory.
pub(super) fn project_root(session: &Session, paths: &[PathBuf]) -> PathBuf {
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
