//! `opslint runbook [PATH]` (and `opslint maturity --scaffold`): run every plugin
//! for its evidence, then write the missing core runbook documents from their
//! templates, or refresh opslint's block in the ones it wrote before.
use std::path::{Path, PathBuf};

use super::check;
use super::{Outcome, Session};
use crate::cli::{CheckArgs, ListFormat, RunbookArgs};
use crate::error::Error;
use crate::exit;
use crate::maturity::report;
use crate::maturity::NOT_THE_SERVICE;
use crate::runbook::{self, facts::Facts, render::Cite};

/// What a run does to one document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Written from its template (absent before).
    Create,
    /// opslint's block refreshed in a document it wrote.
    Refresh,
    UpToDate,
    /// Another document already covers the topic.
    Covered,
    /// The file exists and holds no opslint block: never touched.
    NotOurs,
    /// Markers that cannot be refreshed safely.
    Malformed,
}

#[derive(Debug, serde::Serialize)]
pub struct Planned {
    pub path: String,
    pub topic: &'static str,
    pub action: Action,
    pub why: String,
    #[serde(skip)]
    pub text: Option<String>,
    #[serde(skip)]
    pub abs: PathBuf,
}

pub fn run(session: &Session, args: &RunbookArgs) -> Result<Outcome, Error> {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let abs = session.cwd.join(&path);
    if !abs.is_dir() {
        return Err(Error::Usage {
            message: format!(
                "`{}` is not a directory; `opslint runbook` drafts a repository's runbook",
                path.display()
            ),
            help: Some("name the repository's directory, e.g. `opslint runbook .`".into()),
        });
    }
    let root =
        abs.canonicalize().map_err(|e| Error::Io { path: path.display().to_string(), message: e.to_string() })?;
    let check_args = CheckArgs {
        paths: vec![path.clone()],
        all_evidence: true,
        skip_dirs: NOT_THE_SERVICE.iter().map(|s| s.to_string()).collect(),
        ..CheckArgs::default()
    };
    let ev = check::evaluate(session, &check_args)?;
    let cwd = session.cwd.clone();
    let rel = |shown: &str| report::relative(&root, &absolute(&cwd.join(shown)));
    let evidence = crate::report::evidence(ev.evidence);
    let facts = Facts::from_evidence(&evidence, &rel);
    let dir = match &args.dir {
        Some(d) => report::relative(&root, &absolute(&session.cwd.join(d))),
        None => runbook::folder(&facts.runbook_docs),
    };
    let plan = plan(&root, &dir, &facts)?;

    if args.format == ListFormat::Json {
        let doc = serde_json::json!({
            "version": 1,
            "folder": dir,
            "documents": plan,
            "facts": facts,
        });
        let stdout = serde_json::to_string_pretty(&doc).map_err(|e| Error::Internal(e.to_string()))? + "\n";
        return Ok(Outcome { stdout, stderr: String::new(), code: exit::CLEAN });
    }
    let shown_root = match crate::walk::show(&abs, &session.cwd) {
        s if s.is_empty() => ".".to_string(),
        s => s,
    };
    let (mut stdout, mut stderr, mut code) = (String::new(), String::new(), exit::CLEAN);
    for p in &plan {
        let shown = crate::walk::show(&p.abs, &session.cwd);
        match (&p.action, args.check, args.dry_run) {
            (Action::Create | Action::Refresh, true, _) => {
                let what = if p.action == Action::Create { "is missing" } else { "has a stale opslint block" };
                stderr.push_str(&format!("{shown} {what}: run `opslint runbook {shown_root}` to update it\n"));
                code = exit::FINDINGS;
            }
            (Action::Create | Action::Refresh, false, true) => {
                let verb =
                    if p.action == Action::Create { "would create" } else { "would refresh the opslint block of" };
                stdout.push_str(&format!("{verb} {shown}:\n"));
                let text = p.text.as_deref().unwrap_or_default();
                let shown_text = if p.action == Action::Create {
                    text.to_string()
                } else {
                    runbook::block_range(text).ok().flatten().map_or(String::new(), |(s, e)| text[s..e].to_string())
                };
                for l in shown_text.lines() {
                    stdout.push_str(&format!("    {l}\n"));
                }
            }
            (Action::Create | Action::Refresh, false, false) => {
                let text = p.text.as_deref().unwrap_or_default();
                if let Some(d) = p.abs.parent() {
                    std::fs::create_dir_all(d)
                        .map_err(|e| Error::Io { path: d.display().to_string(), message: e.to_string() })?;
                }
                crate::output::write_atomic(&p.abs, text.as_bytes())?;
                let verb = if p.action == Action::Create { "wrote" } else { "refreshed the opslint block of" };
                stdout.push_str(&format!("{verb} {shown}\n"));
            }
            (Action::Malformed, _, _) => {
                stderr.push_str(&format!("{shown}: {}; not changed\n", p.why));
                code = exit::USAGE;
            }
            (Action::UpToDate, _, _) => stdout.push_str(&format!("{shown} is up to date\n")),
            (Action::Covered | Action::NotOurs, _, _) => stdout.push_str(&format!("{shown}: {}\n", p.why)),
        }
    }
    Ok(Outcome { stdout, stderr, code })
}

/// What to do with each core document under `dir` (relative to `root`).
pub fn plan(root: &Path, dir: &str, facts: &Facts) -> Result<Vec<Planned>, Error> {
    let mut out = Vec::new();
    let depth = dir.split('/').filter(|s| !s.is_empty() && *s != ".").count();
    let cite = Cite { up: "../".repeat(depth) };
    for doc in runbook::DOCS {
        let rel_path = if dir.is_empty() || dir == "." { doc.file.to_string() } else { format!("{dir}/{}", doc.file) };
        let abs = root.join(&rel_path);
        let existing = match std::fs::read(&abs) {
            Ok(b) => Some(String::from_utf8(b).map_err(|_| Error::Io {
                path: abs.display().to_string(),
                message: "not UTF-8 text; not changed".into(),
            })?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::Io { path: abs.display().to_string(), message: e.to_string() }),
        };
        let mut p = Planned {
            path: rel_path.clone(),
            topic: doc.topic,
            action: Action::UpToDate,
            why: String::new(),
            text: None,
            abs,
        };
        match existing {
            None => {
                let elsewhere: Vec<&String> = facts
                    .topics
                    .get(doc.topic)
                    .into_iter()
                    .flatten()
                    .filter(|s| !s.starts_with(&format!("{rel_path}:")))
                    .collect();
                if let Some(first) = elsewhere.first() {
                    p.action = Action::Covered;
                    p.why = format!("not written: the {} topic is already covered at {first}", doc.topic);
                } else {
                    p.action = Action::Create;
                    p.text = Some(runbook::fill(doc.template, facts, &cite, true));
                }
            }
            Some(text) => match runbook::block_range(&text) {
                Ok(None) => {
                    p.action = Action::NotOurs;
                    p.why = "exists and has no opslint block: left as it is".into();
                }
                Err(why) => {
                    p.action = Action::Malformed;
                    p.why = why;
                }
                Ok(Some((s, e))) => {
                    let block = runbook::fill(doc.template, facts, &cite, false);
                    let new = format!("{}{block}{}", &text[..s], &text[e..]);
                    if new != text {
                        p.action = Action::Refresh;
                        p.text = Some(new);
                    }
                }
            },
        }
        out.push(p);
    }
    Ok(out)
}

/// Absolute and lexically normalised; canonical when the file exists.
fn absolute(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| report::normalise(p))
}
