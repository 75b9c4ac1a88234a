//! One phase's batches as tasks on every core. A split plugin's batch
//! (plugin/split.rs) becomes the parts of its extract, the last of which to
//! end runs its join. Parts go first, so they spread over the cores while
//! the other plugins' batches fill the gaps around the joins. An
//! evidence-phase plugin that splits has its own documents extracted in the
//! first phase (its `prefetch`), so the evidence phase only joins.
use std::cmp::Reverse;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::batches::{by_bytes, Kinds, Work, DOCUMENT_COST};
use super::run::{conclude, doc_refs, run_batch, BatchResult, Sources};
use crate::app::Session;
use crate::config::Settings;
use crate::plugin::{Call, DocRef, Extracted, Pending, Split};

/// Facts by document index within a batch.
pub(super) type Facts = Vec<(usize, Vec<u8>)>;

fn call<'c, 'd>(phase: &'c Phase, w: &'c Work, documents: &'c [DocRef<'d>]) -> Call<'c, 'd> {
    let reported = phase.reported.as_ref();
    Call { plugin: w.plugin, documents, rules: &w.rules, options: &w.options, reported, limits: w.limits }
}

/// What a phase runs with.
pub(super) struct Phase<'a> {
    pub session: &'a Session,
    pub settings: &'a Settings,
    pub kinds: &'a Kinds,
    pub clock: Instant,
    /// A run over named files: their paths (a JSON array), which a join is
    /// told are all the run reports (the others' findings are dropped).
    pub reported: Option<serde_json::Value>,
}

/// A split batch's, or a prefetch's, facts as its parts come in.
struct Job<'a> {
    owner: Owner,
    refs: Vec<DocRef<'a>>,
    pending: Mutex<Option<Pending>>,
    extracted: Mutex<Vec<Extracted>>,
    left: AtomicUsize,
    started: Mutex<Option<Duration>>,
}

#[derive(Clone, Copy)]
enum Owner {
    /// A batch of this phase (index into its work), joined by its last part.
    Batch(usize),
    /// The own documents of a later phase's batch (index into `prefetch`).
    Prefetch(usize),
}

/// What a split batch's or a prefetch's cache lookup found.
enum Start<'a> {
    /// The batch's answer (index into the phase's work), from the cache.
    Answered(usize, BatchResult),
    /// Documents whose facts are to be extracted.
    Extract(Owner, Vec<DocRef<'a>>, Pending),
    /// A prefetch whose facts are all cached.
    Cached,
}

enum Task {
    Whole(usize),
    Part(usize, Vec<usize>),
    Join(usize),
}

/// Runs `work` (results in its order) and extracts the facts of `prefetch`
/// (returned in its order). `prefetched[i]`: facts of `work[i]` extracted in
/// an earlier phase (empty for most).
pub(super) fn run_phase<'s, 'a>(
    phase: &Phase,
    work: &[&Work<'s>],
    sources: Sources<'a>,
    prefetch: &[&Work<'s>],
    prefetched: Vec<Facts>,
) -> (Vec<BatchResult>, Vec<Facts>) {
    let started = start_phase(phase, work, sources, prefetch, prefetched);
    finish_phase(phase, work, sources, prefetch, started)
}

/// A phase whose cache lookups are done: the batches they answered, and
/// the tasks left.
pub(super) struct Started<'a> {
    done: Vec<Option<BatchResult>>,
    jobs: Vec<Job<'a>>,
    /// Per job, the bytes of its facts the cache held.
    known: Vec<usize>,
    tasks: Vec<(usize, Task)>,
}

/// The split batches' and prefetches' cache lookups, on every core (a
/// large repository's facts take tens of milliseconds to fetch): what
/// [`run_phase`] does first, which a caller may do before anything else.
pub(super) fn start_phase<'s, 'a>(
    phase: &Phase,
    work: &[&Work<'s>],
    sources: Sources<'a>,
    prefetch: &[&Work<'s>],
    mut prefetched: Vec<Facts>,
) -> Started<'a> {
    prefetched.resize_with(work.len(), Vec::new);
    crate::progress::add_total(work.iter().map(|w| w.docs.len()).sum());
    let runtime = &phase.session.runtime;
    let threads = rayon::current_num_threads().max(1);
    let refs = |w: &Work<'s>| doc_refs(phase, w, &w.docs, sources);
    let bytes = |refs: &[DocRef], ids: &[usize]| ids.iter().map(|&i| refs[i].text.len() + DOCUMENT_COST).sum::<usize>();
    let mut done: Vec<Option<BatchResult>> = (0..work.len()).map(|_| None).collect();
    let mut jobs: Vec<Job> = Vec::new();
    let mut known = Vec::new();
    let mut tasks: Vec<(usize, Task)> = Vec::new();
    let mut add_job = |owner: Owner, refs: Vec<DocRef<'a>>, pending: Pending, tasks: &mut Vec<(usize, Task)>| {
        let parts = by_bytes(&pending.missing, |i| refs[i].text.len(), threads);
        let j = jobs.len();
        known.push(pending.known_bytes());
        if parts.is_empty() {
            tasks.push((0, Task::Join(j)));
        }
        for part in &parts {
            tasks.push((bytes(&refs, part), Task::Part(j, part.clone())));
        }
        let left = AtomicUsize::new(parts.len());
        let (pending, extracted, started) = (Mutex::new(Some(pending)), Mutex::new(Vec::new()), Mutex::new(None));
        jobs.push(Job { owner, refs, pending, extracted, left, started });
    };
    let mut starts = Vec::new();
    for (i, w) in work.iter().enumerate() {
        if !w.plugin.facts {
            let cost = w.docs.iter().map(|&d| sources[d].text.len() + DOCUMENT_COST).sum();
            tasks.push((cost, Task::Whole(i)));
            continue;
        }
        starts.push((Owner::Batch(i), std::mem::take(&mut prefetched[i])));
    }
    starts.extend((0..prefetch.len()).map(|p| (Owner::Prefetch(p), Vec::new())));
    let started: Vec<Start> = starts
        .into_par_iter()
        .map(|(owner, known)| match owner {
            Owner::Batch(i) => {
                let (w, r) = (work[i], refs(work[i]));
                let started = phase.clock.elapsed();
                match runtime.split_start(&call(phase, w, &r), known) {
                    Split::Done(answer) => {
                        crate::progress::add_done(w.docs.len());
                        Start::Answered(i, conclude(phase, w, answer, sources, started))
                    }
                    Split::Extract(pending) => Start::Extract(owner, r, pending),
                }
            }
            Owner::Prefetch(p) => {
                let r = refs(prefetch[p]);
                let pending = runtime.split_prefetch(&call(phase, prefetch[p], &r));
                pending.map_or(Start::Cached, |pending| Start::Extract(owner, r, pending))
            }
        })
        .collect();
    for start in started {
        match start {
            Start::Extract(owner, r, pending) => add_job(owner, r, pending, &mut tasks),
            Start::Answered(i, result) => done[i] = Some(result),
            Start::Cached => {}
        }
    }
    Started { done, jobs, known, tasks }
}

/// The tasks a phase's lookups left, on every core.
pub(super) fn finish_phase<'s>(
    phase: &Phase,
    work: &[&Work<'s>],
    sources: Sources,
    prefetch: &[&Work<'s>],
    started: Started,
) -> (Vec<BatchResult>, Vec<Facts>) {
    let Started { mut done, jobs, known, mut tasks } = started;
    let runtime = &phase.session.runtime;
    let threads = rayon::current_num_threads().max(1);
    // A batch's parts first (its join waits for them), a batch's all
    // together, the largest batch first (by what its join reads: the
    // documents to extract and the facts the cache held), so its join
    // starts as early as can be while the other cores go on; then joins,
    // then the rest (whole batches, prefetched parts), costliest first.
    let mut size = known;
    for (cost, task) in &tasks {
        if let Task::Part(j, _) = task {
            size[*j] += cost;
        }
    }
    let order = |(cost, task): &(usize, Task)| match task {
        Task::Part(j, _) if matches!(jobs[*j].owner, Owner::Batch(_)) => (2, size[*j], Reverse(*j), *cost),
        Task::Join(_) => (1, *cost, Reverse(0), 0),
        _ => (0, *cost, Reverse(0), 0),
    };
    tasks.sort_by_key(|t| Reverse(order(t)));
    let fetched: Vec<Mutex<Facts>> = prefetch.iter().map(|_| Mutex::new(Vec::new())).collect();
    let finish = |j: usize| -> Option<(usize, BatchResult)> {
        let job = &jobs[j];
        let pending = job.pending.lock().unwrap().take()?;
        let extracted = std::mem::take(&mut *job.extracted.lock().unwrap());
        match job.owner {
            Owner::Prefetch(p) => {
                let w = prefetch[p];
                let kept = runtime.split_keep(&call(phase, w, &job.refs), pending, extracted);
                *fetched[p].lock().unwrap() = kept.unwrap_or_default();
                None
            }
            Owner::Batch(i) => {
                let w = work[i];
                let started = job.started.lock().unwrap().unwrap_or_else(|| phase.clock.elapsed());
                let answer = runtime.split_finish(&call(phase, w, &job.refs), pending, extracted);
                let result = conclude(phase, w, answer, sources, started);
                crate::progress::add_done(w.docs.len());
                Some((i, result))
            }
        }
    };
    let run_task = |task: &Task| match task {
        Task::Whole(i) => {
            let result = run_batch(phase, work[*i], sources);
            crate::progress::add_done(work[*i].docs.len());
            Some((*i, result))
        }
        Task::Part(j, part) => {
            let job = &jobs[*j];
            job.started.lock().unwrap().get_or_insert_with(|| phase.clock.elapsed());
            let w = match job.owner {
                Owner::Batch(i) => work[i],
                Owner::Prefetch(p) => prefetch[p],
            };
            let made = runtime.split_extract(&call(phase, w, &job.refs), part.clone());
            job.extracted.lock().unwrap().push(made);
            // The last part to end runs the join.
            (job.left.fetch_sub(1, Ordering::AcqRel) == 1).then(|| finish(*j)).flatten()
        }
        Task::Join(j) => finish(*j),
    };
    // One queue in that order, which every thread pulls from as it comes free
    // (a parallel iterator would hand a thread the far end of the list).
    let next = AtomicUsize::new(0);
    let ran = Mutex::new(Vec::new());
    (0..threads.min(tasks.len()).max(1)).into_par_iter().for_each(|_| {
        while let Some((_, task)) = tasks.get(next.fetch_add(1, Ordering::Relaxed)) {
            if let Some(result) = run_task(task) {
                ran.lock().unwrap().push(result);
            }
        }
    });
    let ran = ran.into_inner().unwrap();
    for (i, result) in ran {
        done[i] = Some(result);
    }
    let results = done.into_iter().map(|r| r.expect("every batch of the phase ran")).collect();
    (results, fetched.into_iter().map(|f| f.into_inner().unwrap()).collect())
}
