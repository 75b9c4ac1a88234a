//! Run: the batches on every core, in two phases: every plugin, then the
//! evidence-phase plugins over the first phase's evidence. A batch that fails
//! is run again file by file, so only the file at fault goes unchecked.
use rayon::prelude::*;

use super::accept::accept;
use super::batches::{Kinds, Work, DOCUMENT_COST};
use super::evidence;
use super::read::SourceFile;
use crate::app::Session;
use crate::config::Settings;
use crate::error::Error;
use crate::finding::{Evidence, Finding};
use crate::host_rules;
use crate::plugin::{DocRef, Loaded, RunError};

/// What the plugins returned, accepted, and the batches that ran.
pub(super) struct Ran<'s> {
    pub findings: Vec<Finding>,
    pub evidence: Vec<Evidence>,
    pub logs: Vec<String>,
    pub work: Vec<Work<'s>>,
}

/// Runs `work`; the evidence phase adds the evidence document to `sources`.
pub(super) fn run<'s>(
    session: &Session,
    settings: &Settings,
    work: Vec<Work<'s>>,
    sources: &mut Vec<SourceFile>,
    mut kinds: Kinds,
) -> Result<Ran<'s>, Error> {
    // Phase 1: every plugin but the evidence-phase ones; phase 2: those, over phase 1's evidence.
    let (mut second, first): (Vec<Work>, Vec<Work>) =
        work.into_iter().partition(|w| evidence::is_evidence_plugin(w.plugin));
    let run_phase = |work: &[Work], sources: &[SourceFile], kinds: &Kinds| {
        crate::progress::add_total(work.iter().map(|w| w.docs.len()).sum());
        let cost = |w: &Work| w.docs.iter().map(|&d| sources[d].text.len() + DOCUMENT_COST).sum::<usize>();
        costliest_first(work, cost, |w| {
            let r =
                run_batch(session, w, sources, &|s| kinds.get(&(w.index, s)).cloned().unwrap_or_default(), settings);
            crate::progress::add_done(w.docs.len());
            r
        })
    };
    let mut results = run_phase(&first, sources, &kinds);
    if !second.is_empty() {
        let found: Vec<Evidence> = results.iter().flat_map(|r| r.1.iter().cloned()).collect();
        for w in &mut second {
            // Only the records its matcher names: a run over named files, where
            // plugins it does not read may not run, asks it the same request.
            let read = evidence::read_by(w.plugin, &found);
            let reach = evidence::reach(&read, sources);
            let document = evidence::evidence_document(&read, sources);
            let at = sources.len();
            sources.push(evidence::evidence_source(document));
            let own: std::collections::HashSet<usize> = w.docs.iter().copied().collect();
            w.docs.push(at);
            w.reach = reach.into_iter().filter(|r| !own.contains(r)).collect();
            kinds.insert((w.index, at), evidence::EVIDENCE_KIND.to_string());
        }
        results.extend(run_phase(&second, sources, &kinds));
    }
    let work: Vec<Work> = first.into_iter().chain(second).collect();
    let mut ran = Ran { findings: Vec::new(), evidence: Vec::new(), logs: Vec::new(), work };
    for (f, e, l, err) in results {
        if let Some(err) = err {
            return Err(err);
        }
        ran.findings.extend(f);
        ran.evidence.extend(e);
        ran.logs.extend(l);
    }
    Ok(ran)
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

type BatchResult = (Vec<Finding>, Vec<Evidence>, Vec<String>, Option<Error>);

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
            .map(|&i| {
                let s = &sources[i];
                DocRef { path: &s.rel, kind: kind_of(i), text: &s.text, digest: &s.digest }
            })
            .collect::<Vec<_>>()
    };
    let started = std::time::Instant::now();
    let (result, mut logs) =
        session.runtime.check(w.plugin, &docs(&w.docs), w.rules.clone(), w.options.clone(), w.limits);
    // `check -v`: where a first scan's time goes, batch by batch.
    let bytes: usize = w.docs.iter().map(|&d| sources[d].text.len()).sum();
    logs.push(format!("batch of {} file(s), {bytes} bytes: {:.1?}", w.docs.len(), started.elapsed()));
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
                    session.runtime.check(w.plugin, &docs(&[d]), w.rules.clone(), w.options.clone(), w.limits);
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
    host_rules::finding(settings, host_rules::PLUGIN_FAILED, &file.display, message, None)
}
