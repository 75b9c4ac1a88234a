//! Run: the batches in two phases (each a queue on every core, tasks.rs):
//! every plugin, then the evidence-phase plugins over the first phase's
//! evidence, each as soon as the plugins it reads are done. A batch that fails
//! is run again file by file, so only the file at fault goes unchecked.
use super::accept::accept;
use super::batches::{Kinds, Work};
use super::evidence;
use super::read::SourceFile;
use super::tasks::{finish_phase, run_phase, start_phase, Phase};
use crate::app::Session;
use crate::config::Settings;
use crate::error::Error;
use crate::finding::{Evidence, Finding};
use crate::host_rules;
use crate::plugin::bindings::CheckOutput;
use crate::plugin::{DocRef, Loaded, RunError};

/// What the plugins returned, accepted, and the batches that ran.
pub(super) struct Ran<'s> {
    pub findings: Vec<Finding>,
    pub evidence: Vec<Evidence>,
    pub logs: Vec<String>,
    pub work: Vec<Work<'s>>,
}

/// Runs `work`; the evidence phase adds the evidence document to `sources`.
///
/// An evidence-phase batch waits only for the plugins whose evidence it
/// reads: the batches of the others (the sql plugin's, for a backup plugin
/// that reads k8s and ci evidence) run beside that chain, not before it.
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
    // Each phase-2 batch gets one evidence document, after the files read.
    let base = sources.len();
    for (k, w) in second.iter().enumerate() {
        kinds.insert((w.index, base + k), evidence::EVIDENCE_KIND.into());
    }
    let feeds = |w: &Work| second.iter().any(|r| evidence::reads_evidence_of(r.plugin, &w.plugin.name));
    let (feeding, rest): (Vec<usize>, Vec<usize>) = (0..first.len()).partition(|&i| feeds(&first[i]));
    // A phase-2 plugin that splits its work has its own files extracted beside phase 1.
    let prefetch: Vec<Work> = second.iter().filter(|w| w.plugin.facts).cloned().collect();
    let read: &[SourceFile] = sources;
    // A run over named files reports only theirs: joins are told which.
    let reported =
        read.iter().any(|s| s.extra).then(|| read.iter().filter(|s| !s.extra).map(|s| s.rel.as_str()).collect());
    let phase = Phase { session, settings, kinds: &kinds, clock: std::time::Instant::now(), reported };
    let only_read = Sources { read, made: &[] };
    let pick = |ids: &[usize]| ids.iter().map(|&i| &first[i]).collect::<Vec<_>>();
    // The lookups of the plugins the evidence phase reads come first, on
    // every core: their joins (a large repository's k8s join) are the
    // longest chain, and would otherwise wait behind the others' batches.
    let (feeding_work, prefetch_work) = (pick(&feeding), prefetch.iter().collect::<Vec<_>>());
    let looked_up = start_phase(&phase, &feeding_work, only_read, &prefetch_work, Vec::new());
    let ((fed, second_results, made), others) = rayon::join(
        || {
            let (fed, mut fetched) = finish_phase(&phase, &feeding_work, only_read, &prefetch_work, looked_up);
            if second.is_empty() {
                return (fed, Vec::new(), Vec::new());
            }
            let found: Vec<&Evidence> = fed.iter().flat_map(|r| r.1.iter()).collect();
            let mut made = Vec::new();
            let mut prefetched = Vec::new();
            for (k, w) in second.iter_mut().enumerate() {
                // Only the records its matcher names: a run over named files, where
                // plugins it does not read may not run, asks it the same request.
                let records = evidence::read_by(w.plugin, &found);
                let reach = evidence::reach(&records, read);
                made.push(evidence::evidence_source(evidence::evidence_document(&records, read)));
                let own: std::collections::HashSet<usize> = w.docs.iter().copied().collect();
                w.docs.push(base + k);
                w.reach = reach.into_iter().filter(|r| !own.contains(r)).collect();
                // Its own files come first, at the same places as when they were prefetched.
                prefetched.push(if w.plugin.facts { fetched.remove(0) } else { Vec::new() });
            }
            let sources = Sources { read, made: &made };
            let (results, _) = run_phase(&phase, &second.iter().collect::<Vec<_>>(), sources, &[], prefetched);
            (fed, results, made)
        },
        || run_phase(&phase, &pick(&rest), only_read, &[], Vec::new()).0,
    );
    sources.extend(made);
    // Results in the order of the work: phase 1 as planned, then phase 2.
    let mut first_results: Vec<Option<BatchResult>> = (0..first.len()).map(|_| None).collect();
    for (i, r) in feeding.into_iter().zip(fed).chain(rest.into_iter().zip(others)) {
        first_results[i] = Some(r);
    }
    let results = first_results.into_iter().flatten().chain(second_results);
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

/// The sources a batch may name: the files read, then the evidence
/// documents made for the evidence phase (indices continue past the files).
#[derive(Clone, Copy)]
pub(super) struct Sources<'a> {
    pub read: &'a [SourceFile],
    pub made: &'a [SourceFile],
}

impl<'a> Sources<'a> {
    pub fn iter(self) -> impl Iterator<Item = &'a SourceFile> {
        self.read.iter().chain(self.made)
    }

    /// Source `i`, for as long as the sources live (`sources[i]` is for as long as this view).
    pub fn get(self, i: usize) -> &'a SourceFile {
        match i.checked_sub(self.read.len()) {
            Some(made) => &self.made[made],
            None => &self.read[i],
        }
    }
}

impl std::ops::Index<usize> for Sources<'_> {
    type Output = SourceFile;
    fn index(&self, i: usize) -> &SourceFile {
        self.get(i)
    }
}

pub(super) type BatchResult = (Vec<Finding>, Vec<Evidence>, Vec<String>, Option<Error>);

/// Runs one batch through `check`.
pub(super) fn run_batch(phase: &Phase, w: &Work, sources: Sources) -> BatchResult {
    let started = phase.clock.elapsed();
    let answer = phase.session.runtime.check(
        w.plugin,
        &doc_refs(phase, w, &w.docs, sources),
        w.rules.clone(),
        w.options.clone(),
        w.limits,
    );
    conclude(phase, w, answer, sources, started)
}

/// The documents `ids` of a batch as the plugin runtime takes them (borrowed, with the kind `w` reads each as).
pub(super) fn doc_refs<'a>(phase: &Phase, w: &Work, ids: &[usize], sources: Sources<'a>) -> Vec<DocRef<'a>> {
    ids.iter()
        .map(|&i| {
            let s = sources.get(i);
            let kind = phase.kinds.get(&(w.index, i)).cloned().unwrap_or_else(|| "".into());
            DocRef { path: &s.rel, kind, text: &s.text, digest: &s.digest }
        })
        .collect()
}

/// A batch's answer accepted (the one place plugin output becomes findings),
/// with its `check -v` timing line. If it failed and holds several files,
/// they run again one by one, so only the file at fault goes unchecked.
pub(super) fn conclude(
    phase: &Phase,
    w: &Work,
    (result, mut logs): (Result<CheckOutput, RunError>, Vec<String>),
    sources: Sources,
    started: std::time::Duration,
) -> BatchResult {
    let Phase { session, settings, clock, .. } = *phase;
    // `check -v`: where a first scan's time goes, batch by batch.
    let bytes: usize = w.docs.iter().map(|&d| sources[d].text.len()).sum();
    let ended = clock.elapsed();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    logs.push(format!(
        "batch of {} file(s), {bytes} bytes: {:.1?} (from {:.1} ms to {:.1} ms into the run)",
        w.docs.len(),
        ended - started,
        ms(started),
        ms(ended)
    ));
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
                let (result, l) = session.runtime.check(
                    w.plugin,
                    &doc_refs(phase, w, &[d], sources),
                    w.rules.clone(),
                    w.options.clone(),
                    w.limits,
                );
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
