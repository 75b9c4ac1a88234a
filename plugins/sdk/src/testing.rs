//! Native fixture runs: every rule has `fixtures/<rule-id>/bad/` (must fire)
//! and `fixtures/<rule-id>/ok/` (must stay silent). Optional
//! `fixtures/<rule-id>/options.json` is passed as the plugin options.
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::{
    check, check_repo, extract_repo, join_repo, metadata, metadata_repo, CheckOutput, CheckRequest, Document,
    FactPlugin, Finding, JoinRequest, Plugin, RepoPlugin,
};

/// Runs every rule of `P` (default-disabled ones too) over one text.
pub fn check_text<P: Plugin>(path: &str, text: &str) -> Vec<Finding> {
    check_with::<P>(path, text, "{}")
}

/// Like [`check_text`] with plugin options as JSON.
pub fn check_with<P: Plugin>(path: &str, text: &str, options: &str) -> Vec<Finding> {
    let kind = P::files().into_iter().map(|m| m.kind).find(|k| !k.starts_with("context")).unwrap_or_default();
    let request = CheckRequest {
        documents: vec![Document { path: path.to_string(), kind, text: text.to_string() }],
        rules: P::rules().iter().map(|r| r.id.to_string()).collect(),
        options: options.to_string(),
    };
    check::<P>(request).expect("check failed").findings
}

/// Checks every rule's fixtures; returns the problems found, empty when all hold.
pub fn fixture_problems<P: Plugin>(fixtures: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for rule in metadata::<P>().rules {
        let dir = fixtures.join(&rule.id);
        let options = fs::read_to_string(dir.join("options.json")).unwrap_or_else(|_| "{}".into());
        for (case, must_fire) in [("bad", true), ("ok", false)] {
            let files = files_under(&dir.join(case));
            if files.is_empty() {
                problems.push(format!("{}: no fixture in {case}/", rule.id));
            }
            for file in files {
                let text = String::from_utf8_lossy(&fs::read(&file).unwrap()).into_owned();
                let shown = file.strip_prefix(fixtures).unwrap_or(&file).display().to_string();
                let fired = check_with::<P>(&shown, &text, &options).iter().filter(|f| f.rule == rule.id).count();
                if must_fire && fired == 0 {
                    problems.push(format!("{shown}: {} did not fire", rule.id));
                }
                if !must_fire && fired > 0 {
                    problems.push(format!("{shown}: {} fired {fired} time(s)", rule.id));
                }
            }
        }
    }
    problems
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else { return out };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The text files under `dir` that `kind_of` gives a kind (by path relative
/// to `dir`), as documents in path order: a timing test's request.
pub fn documents_under(dir: &Path, kind_of: impl Fn(&str) -> Option<String>) -> Vec<Document> {
    files_under(dir)
        .iter()
        .filter_map(|f| {
            let path = f.strip_prefix(dir).unwrap_or(f).display().to_string();
            let kind = kind_of(&path)?;
            Some(Document { text: fs::read_to_string(f).ok()?, path, kind })
        })
        .collect()
}

/// Runs every rule of a repository-scope plugin over several (path, text) documents at once.
pub fn check_repo_texts<P: RepoPlugin>(docs: &[(&str, &str)], options: &str) -> Vec<Finding> {
    let kind = P::files().into_iter().map(|m| m.kind).find(|k| !k.starts_with("context")).unwrap_or_default();
    let request = CheckRequest {
        documents: docs
            .iter()
            .map(|(p, t)| Document { path: p.to_string(), kind: kind.clone(), text: t.to_string() })
            .collect(),
        rules: P::rules().iter().map(|r| r.id.to_string()).collect(),
        options: options.to_string(),
    };
    check_repo::<P>(request).expect("check failed").findings
}

/// [`fixture_problems`] for repository-scope plugins: all files of one
/// `bad/` or `ok/` folder are checked together, as one repository.
pub fn fixture_problems_repo<P: RepoPlugin>(fixtures: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for rule in metadata_repo::<P>().rules {
        let dir = fixtures.join(&rule.id);
        let options = fs::read_to_string(dir.join("options.json")).unwrap_or_else(|_| "{}".into());
        for (case, must_fire) in [("bad", true), ("ok", false)] {
            let files = files_under(&dir.join(case));
            if files.is_empty() {
                problems.push(format!("{}: no fixture in {case}/", rule.id));
                continue;
            }
            let docs: Vec<(String, String)> = files
                .iter()
                .map(|f| {
                    let shown = f.strip_prefix(fixtures).unwrap_or(f).display().to_string();
                    (shown, String::from_utf8_lossy(&fs::read(f).unwrap()).into_owned())
                })
                .collect();
            let refs: Vec<(&str, &str)> = docs.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
            let fired = check_repo_texts::<P>(&refs, &options).iter().filter(|f| f.rule == rule.id).count();
            if must_fire && fired == 0 {
                problems.push(format!("{}/{case}: {} did not fire", rule.id, rule.id));
            }
            if !must_fire && fired > 0 {
                problems.push(format!("{}/{case}: {} fired {fired} time(s)", rule.id, rule.id));
            }
        }
    }
    problems
}

/// Differences between `check` and `extract` (in two requests, as the host
/// batches them) then `join` over the same documents: findings and evidence,
/// compared in a stable order. Empty when the split gives the same output.
pub fn facts_problems<P: FactPlugin>(documents: &[Document], options: &str) -> Vec<String> {
    let rules: Vec<String> = P::rules().iter().map(|r| r.id.to_string()).collect();
    let request =
        |docs: &[Document]| CheckRequest { documents: docs.to_vec(), rules: rules.clone(), options: options.into() };
    let whole = check_repo::<P>(request(documents)).expect("check failed");
    let half = documents.len() / 2;
    let mut facts = extract_repo::<P>(request(&documents[..half])).expect("extract failed");
    facts.extend(extract_repo::<P>(request(&documents[half..])).expect("extract failed"));
    let joined_facts = facts.clone();
    let join = JoinRequest { documents: documents.to_vec(), facts, rules: rules.clone(), options: options.into() };
    let joined = join_repo::<P>(join).expect("join failed");
    let mut problems = differences("", ("check", &shown(&whole)), ("join", &shown(&joined)));
    // A run over named files: the join told which files are reported gives
    // their findings, and the whole repository's evidence.
    let reported: Vec<&str> = documents.iter().step_by(3).map(|d| d.path.as_str()).collect();
    let mut focused: serde_json::Map<String, serde_json::Value> = serde_json::from_str(options).unwrap_or_default();
    focused.insert(crate::ctx::REPORTED_FILES.into(), reported.clone().into());
    let focused = serde_json::Value::Object(focused).to_string();
    let join = JoinRequest {
        documents: documents.to_vec(),
        facts: joined_facts.clone(),
        rules: rules.clone(),
        options: focused,
    };
    let joined = join_repo::<P>(join).expect("join failed");
    let expected = CheckOutput {
        findings: whole.findings.iter().filter(|f| reported.contains(&f.path.as_str())).cloned().collect(),
        evidence: whole.evidence.clone(),
    };
    problems.extend(differences("reported files only: ", ("check", &shown(&expected)), ("join", &shown(&joined))));
    // A pre-commit run names a file or two: the join then reads the other
    // files' objects only as far as cross-file rules look. One file at a
    // time, those with findings first (at most 30 of each).
    let mut named: Vec<&str> = whole.findings.iter().map(|f| f.path.as_str()).collect();
    named.sort_unstable();
    named.dedup();
    let step = named.len().div_ceil(30).max(1);
    let mut named: Vec<&str> = named.into_iter().step_by(step).collect();
    let step = documents.len().div_ceil(30).max(1);
    named.extend(
        documents.iter().step_by(step).map(|d| d.path.as_str()).filter(|p| !named.contains(p)).collect::<Vec<_>>(),
    );
    for one in named {
        let mut focused: serde_json::Map<String, serde_json::Value> = serde_json::from_str(options).unwrap_or_default();
        focused.insert(crate::ctx::REPORTED_FILES.into(), vec![one].into());
        let options = serde_json::Value::Object(focused).to_string();
        let join =
            JoinRequest { documents: documents.to_vec(), facts: joined_facts.clone(), rules: rules.clone(), options };
        let joined = join_repo::<P>(join).expect("join failed");
        let expected = CheckOutput {
            findings: whole.findings.iter().filter(|f| f.path == one).cloned().collect(),
            evidence: whole.evidence.clone(),
        };
        let label = format!("{one} reported alone: ");
        problems.extend(differences(&label, ("check", &shown(&expected)), ("join", &shown(&joined))));
    }
    problems
}

/// What a folder-scope plugin ([`RepoPlugin::FOLDER_SCOPE`]) reports over
/// `documents` in one batch and not when each folder (compared lowercased,
/// as the host groups them) is a batch of its own, and the other way round:
/// none when nothing relates two folders.
pub fn folder_scope_problems<P: RepoPlugin>(documents: &[Document], options: &str) -> Vec<String> {
    let rules: Vec<String> = P::rules().iter().map(|r| r.id.to_string()).collect();
    let run = |docs: Vec<Document>| {
        let request = CheckRequest { documents: docs, rules: rules.clone(), options: options.into() };
        check_repo::<P>(request).expect("check failed")
    };
    let whole = run(documents.to_vec());
    let mut folders: std::collections::BTreeMap<String, Vec<Document>> = Default::default();
    for d in documents {
        let folder = d.path.rsplit_once('/').map_or("", |(f, _)| f).to_ascii_lowercase();
        folders.entry(folder).or_default().push(d.clone());
    }
    let mut apart = CheckOutput { findings: Vec::new(), evidence: Vec::new() };
    for docs in folders.into_values() {
        let out = run(docs);
        apart.findings.extend(out.findings);
        apart.evidence.extend(out.evidence);
    }
    differences("", ("one batch", &shown(&whole)), ("folder by folder", &shown(&apart)))
}

/// An output's findings, then its evidence, each sorted, one line a record.
fn shown(out: &CheckOutput) -> Vec<String> {
    let mut lines: Vec<String> = out.findings.iter().map(|f| format!("{f:?}")).collect();
    lines.sort();
    let mut evidence: Vec<String> = out.evidence.iter().map(|e| format!("{e:?}")).collect();
    evidence.sort();
    lines.extend(evidence);
    lines
}

/// The lines of one output (`a`) and the other's (`b`) not in the other.
fn differences(label: &str, (name_a, a): (&str, &[String]), (name_b, b): (&str, &[String])) -> Vec<String> {
    let (in_a, in_b): (HashSet<&String>, HashSet<&String>) = (a.iter().collect(), b.iter().collect());
    let mut problems: Vec<String> =
        a.iter().filter(|l| !in_b.contains(l)).map(|l| format!("{label}only in {name_a}: {l}")).collect();
    problems.extend(b.iter().filter(|l| !in_a.contains(l)).map(|l| format!("{label}only in {name_b}: {l}")));
    if problems.is_empty() && a.len() != b.len() {
        problems.push(format!("{label}{name_a} gave {} lines, {name_b} {}", a.len(), b.len()));
    }
    problems
}

/// [`facts_problems`] on every `bad/` and `ok/` folder of `fixtures` (with
/// its rule's `options.json`), each folder as one repository.
pub fn facts_fixture_problems<P: FactPlugin>(
    fixtures: &Path,
    kind_of: impl Fn(&str) -> Option<String> + Copy,
) -> Vec<String> {
    let mut problems = Vec::new();
    for rule in fs::read_dir(fixtures).expect("a fixtures folder").flatten() {
        let options = fs::read_to_string(rule.path().join("options.json")).unwrap_or_else(|_| "{}".into());
        for case in ["bad", "ok"] {
            let docs = documents_under(&rule.path().join(case), kind_of);
            let found = facts_problems::<P>(&docs, &options);
            problems.extend(found.into_iter().map(|p| format!("{:?}/{case}: {p}", rule.file_name())));
        }
    }
    problems
}

/// [`facts_problems`] on the files of each shared corpus (`../shared/corpus`,
/// `../shared/repos`) that `kind_of` takes, as one repository each; none
/// outside CI when they are absent.
pub fn facts_shared_problems<P: FactPlugin>(kind_of: impl Fn(&str) -> Option<String> + Copy) -> Vec<String> {
    let mut problems = Vec::new();
    for name in ["corpus", "repos"] {
        let Some(dir) = shared_input(name) else { continue };
        let docs = documents_under(&dir, kind_of);
        assert!(docs.len() > 100, "{name}: only {} files", docs.len());
        problems.extend(facts_problems::<P>(&docs, "{}").into_iter().map(|p| format!("{name}: {p}")));
    }
    problems
}

/// Where a repository-scope plugin spends its time over every file under
/// `dir` (a benchmark aid, printed to stderr): the whole plugin, the plugin
/// with no rule enabled (parsing, model, evidence), and the costliest rules.
pub fn time_rules<P: RepoPlugin>(dir: &Path) {
    let kind = P::files().into_iter().map(|m| m.kind).find(|k| !k.starts_with("context")).unwrap_or_default();
    time_documents::<P>(documents_under(dir, |_| Some(kind.clone())));
}

/// [`time_rules`] over documents the caller made (kinds of its own, an evidence document).
pub fn time_documents<P: RepoPlugin>(documents: Vec<Document>) {
    let best_of_5 = |rules: Vec<String>| {
        (0..5)
            .map(|_| {
                let request = CheckRequest { documents: documents.clone(), rules: rules.clone(), options: "{}".into() };
                let started = std::time::Instant::now();
                let _ = check_repo::<P>(request);
                started.elapsed()
            })
            .min()
            .unwrap_or_default()
    };
    let ids: Vec<String> = P::rules().iter().map(|r| r.id.to_string()).collect();
    eprintln!("{} files; every rule: {:?}", documents.len(), best_of_5(ids.clone()));
    let base = best_of_5(vec![]);
    eprintln!("no rule (parse, model, evidence): {base:?}");
    let mut each: Vec<_> = ids.iter().map(|id| (best_of_5(vec![id.clone()]).saturating_sub(base), id)).collect();
    each.sort();
    for (t, id) in each.iter().rev().take(10) {
        eprintln!("  {id}: {t:?}");
    }
}

/// [`time_documents`] for the split path: `extract` over every document,
/// `join` over their facts, and `check` for comparison (best of 5 each).
/// With `JOIN_ONLY` set it only runs the join, 40 times, for a profiler;
/// with `EXTRACT_ONLY`, the extract.
pub fn time_split<P: FactPlugin>(documents: Vec<Document>) {
    let rules: Vec<String> = P::rules().iter().map(|r| r.id.to_string()).collect();
    let request = || CheckRequest { documents: documents.clone(), rules: rules.clone(), options: "{}".into() };
    let best = |f: &dyn Fn() -> std::time::Duration| (0..5).map(|_| f()).min().unwrap_or_default();
    let facts = extract_repo::<P>(request()).expect("extract failed");
    let bytes: usize = facts.iter().map(Vec::len).sum();
    let timed = |f: &dyn Fn()| {
        let started = std::time::Instant::now();
        f();
        started.elapsed()
    };
    // REPORTED=N: the join of a run over N named files (the first N).
    let options = match std::env::var("REPORTED").ok().and_then(|n| n.parse::<usize>().ok()) {
        Some(n) => {
            let named: Vec<&str> = documents.iter().take(n).map(|d| d.path.as_str()).collect();
            serde_json::json!({ crate::ctx::REPORTED_FILES: named }).to_string()
        }
        None => "{}".into(),
    };
    if std::env::var("EXTRACT_ONLY").is_ok() {
        for _ in 0..40 {
            drop(extract_repo::<P>(request()));
        }
        return;
    }
    if std::env::var("JOIN_ONLY").is_ok() {
        for _ in 0..40 {
            let join = JoinRequest {
                documents: documents.clone(),
                facts: facts.clone(),
                rules: rules.clone(),
                options: options.clone(),
            };
            drop(join_repo::<P>(join));
        }
        return;
    }
    let check = best(&|| timed(&|| drop(check_repo::<P>(request()))));
    let extract = best(&|| timed(&|| drop(extract_repo::<P>(request()))));
    let join = best(&|| {
        let join = JoinRequest {
            documents: documents.clone(),
            facts: facts.clone(),
            rules: rules.clone(),
            options: options.clone(),
        };
        // The request is cloned, and the output dropped, outside the time.
        let join = join.clone();
        let started = std::time::Instant::now();
        let out = join_repo::<P>(join);
        let took = started.elapsed();
        drop(out);
        took
    });
    eprintln!(
        "{} files: check {check:?}; extract {extract:?} ({bytes} bytes of facts); join {join:?}",
        documents.len()
    );
}

/// A folder of real-world inputs beside the checkout (`../shared/corpus`,
/// `../shared/repos`), which CI has and a fresh clone does not. Absent: a
/// one-line notice and `None`, so the caller skips; absent with `CI=true`: a
/// failure, so CI never passes by skipping.
pub fn shared_input(name: &str) -> Option<PathBuf> {
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(3).expect("plugins/sdk has three ancestors");
    let dir = beside.join("shared").join(name);
    shared_or_skip(&dir)
}

/// `Some(dir)` when it is a directory; otherwise panics in CI, else prints a
/// notice (past the test harness's capture, so it shows) and gives `None`.
pub fn shared_or_skip(dir: &Path) -> Option<PathBuf> {
    if dir.is_dir() {
        return Some(dir.to_path_buf());
    }
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
    assert!(!in_ci, "CI=true but {} is missing (CI checks out the shared inputs beside the repository)", dir.display());
    use std::io::Write;
    let test = std::thread::current().name().unwrap_or("test").to_string();
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: no {} (shared inputs absent outside CI)", dir.display());
    None
}

/// Fix fixtures of a file-scope plugin: see [`fix_problems_with`].
pub fn fix_problems<P: Plugin>(fixtures: &Path) -> Vec<String> {
    let rules = metadata::<P>().rules.into_iter().map(|r| r.id).collect();
    let run = |docs: &[(String, String)]| {
        docs.iter().flat_map(|(path, text)| check_with::<P>(path, text, "{}")).collect::<Vec<Finding>>()
    };
    fix_problems_with(fixtures, rules, &run)
}

/// Fix fixtures of a repository-scope plugin: the files of one folder are checked together.
pub fn fix_problems_repo<P: RepoPlugin>(fixtures: &Path) -> Vec<String> {
    let rules = metadata_repo::<P>().rules.into_iter().map(|r| r.id).collect();
    let run = |docs: &[(String, String)]| {
        let refs: Vec<(&str, &str)> = docs.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        check_repo_texts::<P>(&refs, "{}")
    };
    fix_problems_with(fixtures, rules, &run)
}

/// Checks documents given as (path, text) and returns the findings.
pub type Checker<'a> = &'a dyn Fn(&[(String, String)]) -> Vec<Finding>;

/// Most passes a fix fixture gets, as the host's `--fix`.
const FIX_PASSES: usize = 10;

/// Every rule whose `bad/` fixtures carry a fix has `fixtures/<rule>/fix/before/`
/// and `fix/after/` holding the same file names. The rule's fixes (safe and
/// unsafe), applied as `opslint check --fix --unsafe-fixes` applies them,
/// turn each `before` file into its `after` file exactly; on the `after`
/// files the rule is silent, no `parse-error` appears that `before` did not
/// have, and fixing again changes nothing.
pub fn fix_problems_with(fixtures: &Path, rules: Vec<String>, run: Checker) -> Vec<String> {
    let mut problems = Vec::new();
    let read = |dir: &Path| -> Vec<(String, String)> {
        files_under(dir)
            .iter()
            .map(|f| {
                let shown = f.strip_prefix(dir).unwrap_or(f).display().to_string();
                (shown, String::from_utf8_lossy(&fs::read(f).unwrap()).into_owned())
            })
            .collect()
    };
    for rule in rules {
        let dir = fixtures.join(&rule);
        let fixes = |docs: &[(String, String)]| {
            run(docs)
                .into_iter()
                .filter(|f| f.rule == rule && f.fix.as_ref().is_some_and(|x| !x.edits.is_empty()))
                .count()
        };
        let fix_dir = dir.join("fix");
        if !fix_dir.is_dir() {
            let bad = files_under(&dir.join("bad"));
            let docs: Vec<(String, String)> =
                bad.iter().map(|f| (f.display().to_string(), fs::read_to_string(f).unwrap_or_default())).collect();
            if !docs.is_empty() && fixes(&docs) > 0 {
                problems.push(format!("{rule}: its bad/ fixtures have fixes but there is no fix/before and fix/after"));
            }
            continue;
        }
        let before = read(&fix_dir.join("before"));
        if !fix_dir.join("after").exists() && std::env::var_os("OPSLINT_BLESS_FIXES").is_some() {
            // Writes what the fixes make of `before`, for a reviewer to read before committing.
            for (path, text) in fix_until_stable(&before, &rule, run) {
                let out = fix_dir.join("after").join(path);
                fs::create_dir_all(out.parent().unwrap()).unwrap();
                fs::write(out, text).unwrap();
            }
        }
        let after = read(&fix_dir.join("after"));
        if before.is_empty() || before.iter().map(|d| &d.0).ne(after.iter().map(|d| &d.0)) {
            problems.push(format!("{rule}: fix/before and fix/after must hold the same, non-empty, set of files"));
            continue;
        }
        let fixed = fix_until_stable(&before, &rule, run);
        for ((path, want), (_, got)) in after.iter().zip(&fixed) {
            if want != got {
                problems.push(format!(
                    "{rule}: fixing fix/before/{path} gives\n{got}\ninstead of fix/after/{path}:\n{want}"
                ));
            }
        }
        let remaining = run(&after);
        let fired = remaining.iter().filter(|f| f.rule == rule).count();
        if fired > 0 {
            problems.push(format!("{rule}: still fires {fired} time(s) on fix/after"));
        }
        let parse_errors = |fs: &[Finding]| fs.iter().filter(|f| f.rule == "parse-error").count();
        if parse_errors(&remaining) > parse_errors(&run(&before)) {
            problems.push(format!("{rule}: fix/after has a parse error that fix/before did not have"));
        }
        if fix_until_stable(&after, &rule, run) != after {
            problems.push(format!("{rule}: fixing fix/after changes it again"));
        }
    }
    problems
}

/// Applies `rule`'s safe and unsafe fixes to every document, pass after pass.
fn fix_until_stable(docs: &[(String, String)], rule: &str, run: Checker) -> Vec<(String, String)> {
    let mut docs = docs.to_vec();
    for _ in 0..FIX_PASSES {
        let findings = run(&docs);
        let mut changed = false;
        for (path, text) in &mut docs {
            let fixes: Vec<Vec<opslint_fix::Edit>> = findings
                .iter()
                .filter(|f| f.rule == rule && &f.path == path)
                .filter_map(|f| f.fix.as_ref())
                .filter(|x| x.applicability != crate::Applicability::DisplayOnly)
                .map(|x| {
                    x.edits
                        .iter()
                        .map(|e| opslint_fix::Edit {
                            range: e.span.start as usize..e.span.end as usize,
                            replacement: e.replacement.clone(),
                        })
                        .collect()
                })
                .collect();
            let (new, applied) = opslint_fix::apply(text, &fixes);
            if !applied.is_empty() && new != *text {
                *text = new;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    docs
}
