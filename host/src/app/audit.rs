//! `opslint audit` and `opslint audit merge`: wiring only. Each repository is
//! judged in this process with the maturity code path (one run of every
//! plugin gives both the verdicts and the findings `check` reports).
use std::path::{Path, PathBuf};
use std::time::Instant;

use sha2::{Digest, Sha256};

use super::{maturity, Outcome, Session};
use crate::audit::args::{AuditArgs, MergeArgs};
use crate::audit::list::{self, Entry, Location};
use crate::audit::result::{Counts, Identity, RepoResult, RubricId, SCHEMA, SCHEMA_VERSION};
use crate::audit::{fetch, html, markdown, merge};
use crate::error::Error;
use crate::maturity::{json, rubric, DEFAULT_REPORT};

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

struct Run<'a> {
    rubric: &'a rubric::Rubric,
    id: RubricId,
    config_sha256: String,
    /// Where clones go, and whether they are kept.
    work: PathBuf,
    keep: bool,
    force: bool,
}

pub fn run(mut session: Session, args: &AuditArgs) -> Result<Outcome, Error> {
    let cwd = session.cwd.clone();
    let entries = list::collect(&args.repos, &args.lists, &args.checkouts, &cwd)?;
    let total = entries.len();
    let mine: Vec<Entry> = match args.shard {
        Some(s) => entries.into_iter().filter(|e| s.holds(&e.name)).collect(),
        None => entries,
    };
    let (rubric_name, rubric_text) =
        maturity::rubric_source(&session, args.rubric.as_deref(), maturity::configured_rubric(&session))?;
    let rubric = rubric::parse(&rubric_name, &rubric_text)?;
    let config: Vec<u8> = session
        .layers
        .layers
        .iter()
        .flat_map(|l| [l.name.as_bytes(), b"\0", l.text.as_bytes(), b"\0"].concat())
        .collect();
    let out = cwd.join(&args.out);
    std::fs::create_dir_all(&out)
        .map_err(|e| Error::Io { path: args.out.display().to_string(), message: e.to_string() })?;
    let temp;
    let (work, keep) = match &args.work_dir {
        Some(w) => (cwd.join(w), true),
        None => {
            temp = tempfile::Builder::new()
                .prefix("opslint-audit-")
                .tempdir()
                .map_err(|e| Error::Internal(format!("no temporary folder for clones: {e}")))?;
            (temp.path().to_path_buf(), false)
        }
    };
    let run = Run {
        rubric: &rubric,
        id: RubricId { name: rubric_name.clone(), revision: rubric.revision, sha256: sha256(rubric_text.as_bytes()) },
        config_sha256: sha256(&config),
        work,
        keep,
        force: args.force,
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    let (mut kept, mut failed) = (0, 0);
    let started = Instant::now();
    for e in &mine {
        let file = out.join(list::file_name(&e.name));
        let previous: Option<RepoResult> =
            std::fs::read_to_string(&file).ok().and_then(|t| serde_json::from_str(&t).ok());
        let t = Instant::now();
        let (result, reused) = audit_one(&mut session, &run, e, previous.as_ref());
        session.cwd = cwd.clone();
        let secs = t.elapsed().as_secs_f64();
        match (&result.error, reused) {
            (Some(err), _) => {
                failed += 1;
                stderr.push_str(&format!("{}: error: {err}\n", e.name));
                stdout.push_str(&format!("{}: error ({secs:.2} s)\n", e.name));
            }
            (None, true) => {
                kept += 1;
                stdout.push_str(&format!(
                    "{}: level {} (kept: same commit and versions)\n",
                    e.name,
                    result.level.unwrap_or(0)
                ));
            }
            (None, false) => {
                stdout.push_str(&format!("{}: level {} ({secs:.2} s)\n", e.name, result.level.unwrap_or(0)))
            }
        }
        if !reused {
            crate::output::write_atomic(&file, result.render().as_bytes())?;
        }
    }
    let shard = args.shard.map(|s| format!(" (shard {}/{} of {total})", s.index, s.count)).unwrap_or_default();
    stdout.push_str(&format!(
        "{} repositories{shard}: {} run, {kept} kept, {failed} failed; results in {} ({:.1} s)\n",
        mine.len(),
        mine.len() - kept,
        crate::walk::show(&out, &cwd),
        started.elapsed().as_secs_f64()
    ));
    Ok(Outcome { stdout, stderr, code: crate::exit::CLEAN })
}

/// One repository's result, and whether it is the previous one kept.
fn audit_one(session: &mut Session, run: &Run, e: &Entry, previous: Option<&RepoResult>) -> (RepoResult, bool) {
    let mut r = RepoResult {
        schema: SCHEMA.into(),
        schema_version: SCHEMA_VERSION,
        name: e.name.clone(),
        source: e.source.clone(),
        commit: None,
        opslint_version: env!("CARGO_PKG_VERSION").into(),
        rubric: run.id.clone(),
        config_sha256: run.config_sha256.clone(),
        error: None,
        level: None,
        findings: None,
        maturity: None,
    };
    let id = Identity { rubric: &run.id, config_sha256: &run.config_sha256 };
    let current = |commit: Option<&str>| !run.force && previous.is_some_and(|p| p.current(&e.name, commit, &id));
    let dir = match &e.location {
        Location::Local(p) => {
            if !p.is_dir() {
                r.error = Some(format!("`{}` is not a directory", e.source));
                return (r, false);
            }
            r.commit = fetch::local_commit(p);
            p.clone()
        }
        Location::Git(url) => {
            match fetch::remote_head(url) {
                Ok(c) => r.commit = Some(c),
                Err(err) => {
                    r.error = Some(format!("cannot reach the repository: {err}"));
                    return (r, false);
                }
            }
            if current(r.commit.as_deref()) {
                return (previous.cloned().expect("checked"), true);
            }
            let dest = run.work.join(list::file_name(&e.name).trim_end_matches(".json"));
            if let Err(err) = fetch::clone(url, &dest, r.commit.as_deref().unwrap_or_default()) {
                r.error = Some(format!("cannot clone: {err}"));
                return (r, false);
            }
            // The branch may have moved between the two git calls: the clone is what is judged.
            r.commit = fetch::head(&dest).or(r.commit);
            dest
        }
    };
    if current(r.commit.as_deref()) {
        return (previous.cloned().expect("checked"), true);
    }
    // A bug that panics on one repository is that repository's error, not the end of the shard.
    let judged = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| judge(session, run, &dir)));
    match judged {
        Ok(Ok((doc, level, counts))) => {
            r.level = Some(level);
            r.findings = Some(counts);
            r.maturity = Some(doc);
        }
        Ok(Err(err)) => r.error = Some(crate::report::human::render_error(&err, false).trim().to_string()),
        Err(_) => r.error = Some("opslint panicked on this repository (a bug: please report it)".into()),
    }
    if matches!(e.location, Location::Git(_)) && !run.keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    (r, false)
}

/// The maturity verdicts and finding counts of the checkout at `dir`, run as
/// if opslint were started there (paths relative to it, it the project root).
fn judge(session: &mut Session, run: &Run, dir: &Path) -> Result<(serde_json::Value, u32, Counts), Error> {
    let root = dir.canonicalize().map_err(|e| Error::Io { path: dir.display().to_string(), message: e.to_string() })?;
    session.cwd = root.clone();
    session.layers.root = Some(root.clone());
    let report = root.join(DEFAULT_REPORT).canonicalize().ok();
    let (assessment, findings) = maturity::judge(session, &root, &root, run.rubric, report)?;
    let text = json::render(&assessment, &root, &run.id.name);
    let doc = serde_json::from_str(&text).map_err(|e| Error::Internal(format!("maturity document: {e}")))?;
    Ok((doc, assessment.reached, Counts::of(&findings)))
}

/// Every result file under `paths` (folders are searched recursively).
fn result_files(paths: &[PathBuf], cwd: &Path) -> Result<Vec<(PathBuf, bool)>, Error> {
    let mut files = Vec::new();
    for p in paths {
        let abs = cwd.join(p);
        if abs.is_dir() {
            let mut stack = vec![abs];
            while let Some(d) = stack.pop() {
                let rd = std::fs::read_dir(&d)
                    .map_err(|e| Error::Io { path: d.display().to_string(), message: e.to_string() })?;
                for entry in rd.filter_map(Result::ok) {
                    let path = entry.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if path.extension().is_some_and(|x| x == "json") {
                        files.push((path, false));
                    }
                }
            }
        } else {
            files.push((abs, true));
        }
    }
    files.sort();
    Ok(files)
}

pub fn merge(args: &MergeArgs, cwd: &Path) -> Result<Outcome, Error> {
    let mut results: Vec<RepoResult> = Vec::new();
    let mut stderr = String::new();
    let mut seen: std::collections::BTreeMap<String, PathBuf> = std::collections::BTreeMap::new();
    for (file, named) in result_files(&args.results, cwd)? {
        let shown = crate::walk::show(&file, cwd);
        let text =
            std::fs::read_to_string(&file).map_err(|e| Error::Io { path: shown.clone(), message: e.to_string() })?;
        let parsed: Option<RepoResult> = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .filter(|v| v.get("schema").and_then(|s| s.as_str()) == Some(SCHEMA))
            .and_then(|v| serde_json::from_value(v).ok());
        let Some(r) = parsed else {
            // A folder may hold other JSON (a scorecard); a file named on the command line must be a result.
            if named {
                return Err(Error::usage(format!("`{shown}` is not an `opslint audit` result")));
            }
            stderr.push_str(&format!("skipped {shown}: not an `opslint audit` result\n"));
            continue;
        };
        if let Some(first) = seen.get(&r.name) {
            return Err(Error::Usage {
                message: format!("two results for `{}`: {} and {shown}", r.name, crate::walk::show(first, cwd)),
                help: Some("merge the results of one audit: each repository once".into()),
            });
        }
        seen.insert(r.name.clone(), file.clone());
        let mut r = r;
        merge::slim(&mut r);
        results.push(r);
    }
    if results.is_empty() {
        return Err(Error::usage("no `opslint audit` result found in the paths given"));
    }
    let sc = merge::build(results, &args.title, args.generated_at.clone());
    let out = cwd.join(&args.out);
    std::fs::create_dir_all(&out)
        .map_err(|e| Error::Io { path: args.out.display().to_string(), message: e.to_string() })?;
    for (name, body) in
        [("scorecard.md", markdown::render(&sc)), ("scorecard.html", html::render(&sc)), ("scorecard.json", sc.json())]
    {
        crate::output::write_atomic(&out.join(name), body.as_bytes())?;
    }
    let stdout = format!(
        "{} repositories ({} assessed, {} errors) → {}/scorecard.{{md,html,json}}\n",
        sc.repositories_total,
        sc.assessed,
        sc.errors,
        crate::walk::show(&out, cwd)
    );
    Ok(Outcome { stdout, stderr, code: crate::exit::CLEAN })
}
