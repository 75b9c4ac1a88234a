//! A repository-scope batch of a plugin that splits its work (interface
//! 0.1.1 `facts`), in three steps the run stage schedules: `split_start`
//! (the batch's output from the cache, or each document's fact from it),
//! `split_extract` over parts of the documents whose fact is missing (on
//! every core, beside other batches), and `split_finish` (the join). An edit
//! re-extracts the edited file only, and the join does the cross-file part
//! alone. Whatever goes wrong on that path, the batch runs through `check`
//! instead, so a split plugin fails no differently than another.
use std::time::{Duration, Instant};

use super::bindings::facts::JoinRequest;
use super::bindings::{CheckRequest, Document};
use super::findings_store::Key;
use super::results::{Answer, Bundle, DocRef, Facts};
use super::runtime::{Batch, Loaded, RunError, Runtime};

/// What `split_start` found: the output, or the facts to complete.
pub enum Split {
    Done(Answer),
    Extract(Pending),
}

/// A split batch's facts so far.
pub struct Pending {
    keys: Vec<Key>,
    facts: Vec<Option<Vec<u8>>>,
    /// Documents (indices into the batch) whose fact is still to extract.
    pub missing: Vec<usize>,
    looked_up: Duration,
    /// What the lookup made of the batch's bundle.
    bundle: Bundle,
}

impl Pending {
    /// The bytes of the facts already known: with the documents still to
    /// extract, what the join will read (the longest joins go first).
    pub fn known_bytes(&self) -> usize {
        self.facts.iter().flatten().map(Vec::len).sum()
    }
}

/// A split batch: its plugin, documents, enabled rules, options and limits.
pub struct Call<'c, 'd> {
    pub plugin: &'c Loaded,
    pub documents: &'c [DocRef<'d>],
    pub rules: &'c [String],
    pub options: &'c str,
    /// The paths the run reports, when not all (a JSON array): told to the join.
    pub reported: Option<&'c serde_json::Value>,
    pub limits: Batch,
}

impl Call<'_, '_> {
    /// The join's options: the batch's, and the files the run reports when
    /// not all, so the join leaves the others' findings out (the extract's
    /// options stay the batch's: facts are the same whichever files are named).
    fn join_options(&self) -> Option<String> {
        let reported = self.reported?;
        let mut options: serde_json::Map<String, serde_json::Value> = serde_json::from_str(self.options).ok()?;
        options.insert(REPORTED_FILES.into(), reported.clone());
        Some(serde_json::Value::Object(options).to_string())
    }
}

/// The key of [`Call::join_options`] (wit/plugin.wit, `join-request`).
pub const REPORTED_FILES: &str = "reported_files";

/// One `split_extract` call's answer: its documents, their facts, the plugin's log lines, its time.
pub type Extracted = (Vec<usize>, Result<Vec<Vec<u8>>, RunError>, Vec<String>, Duration);

impl Runtime {
    /// The batch's output if the cache has it; else its facts: `prefetched`
    /// ones (extracted earlier in the run, by document index), the others'
    /// from the cache, and which are missing.
    pub fn split_start(&self, c: &Call, prefetched: Vec<(usize, Vec<u8>)>) -> Split {
        // A whole run's answer serves a run over named files too (the host drops the others').
        let focused = c.join_options();
        let options = std::iter::once(c.options).chain(focused.as_deref());
        if let Some(hit) = options.into_iter().find_map(|o| self.results.batch_hit(c.plugin, c.documents, c.rules, o)) {
            return Split::Done(hit);
        }
        Split::Extract(self.split_facts(c, prefetched))
    }

    /// The documents' facts found in `prefetched` or the cache, and which are missing.
    fn split_facts(&self, c: &Call, prefetched: Vec<(usize, Vec<u8>)>) -> Pending {
        let started = Instant::now();
        let mut known: Vec<Option<Vec<u8>>> = vec![None; c.documents.len()];
        for (i, fact) in prefetched {
            known[i] = Some(fact);
        }
        let Facts { keys, facts, bundle } = self.results.facts(c.plugin, c.documents, c.rules, c.options, known);
        let missing = (0..c.documents.len()).filter(|&i| facts[i].is_none()).collect();
        Pending { keys, facts, missing, looked_up: started.elapsed(), bundle }
    }

    /// Keeps every fact of the batch as one bundle too, when [`Results::keep_bundle`] says so.
    fn keep_bundle(&self, c: &Call, keys: &[Key], facts: &[&[u8]], counts: (Bundle, usize)) {
        self.results.keep_bundle(c.plugin, c.documents, c.rules, c.options, (keys, facts), counts);
    }

    /// The facts of documents a later phase will join (an evidence-phase
    /// plugin's own files), to extract now; `None` when an earlier run
    /// cached them all (a rescan, whose later batch the cache answers).
    pub fn split_prefetch(&self, c: &Call) -> Option<Pending> {
        if self.results.all_facts_cached(c.plugin, c.documents, c.rules, c.options) {
            return None;
        }
        Some(self.split_facts(c, Vec::new()))
    }

    /// Keeps the extracted facts of a prefetch (in the cache too): every
    /// fact now known, by document index; `None` if an extract failed.
    pub fn split_keep(&self, c: &Call, pending: Pending, extracted: Vec<Extracted>) -> Option<Vec<(usize, Vec<u8>)>> {
        let Pending { keys, mut facts, bundle, missing, .. } = pending;
        for (part, made, _, _) in extracted {
            for (i, fact) in part.into_iter().zip(made.ok()?) {
                self.results.put_fact(keys[i], &fact);
                facts[i] = Some(fact);
            }
        }
        self.results.put_all_facts_cached(c.plugin, c.documents, c.rules, c.options);
        let all: Option<Vec<&[u8]>> = facts.iter().map(Option::as_deref).collect();
        if let Some(all) = all {
            self.keep_bundle(c, &keys, &all, (bundle, missing.len()));
        }
        Some(facts.into_iter().enumerate().filter_map(|(i, f)| Some((i, f?))).collect())
    }

    /// The facts of `part` (indices into the batch's documents), in a fresh Store.
    pub fn split_extract(&self, c: &Call, part: Vec<usize>) -> Extracted {
        let documents: Vec<Document> = part.iter().map(|&i| c.documents[i].owned()).collect();
        let request = CheckRequest { documents, rules: c.rules.to_vec(), options: c.options.to_string() };
        let started = Instant::now();
        let (made, logs) = self.call(c.plugin, c.limits, part.len(), |linked, store| {
            let pre = linked.facts.as_ref().ok_or_else(|| wasmtime::Error::msg("no facts export"))?;
            pre.instantiate(&mut *store)?.opslint_plugin_facts().call_extract(store, &request)
        });
        let made = made.and_then(|m| match m.len() == part.len() {
            true => Ok(m),
            false => Err(RunError::Failed(None, "extract returned a fact count unlike its documents'".into())),
        });
        (part, made, logs, started.elapsed())
    }

    /// Keeps the extracted facts and joins: the batch's output and the
    /// plugin's log lines (then `check -v` timings).
    pub fn split_finish(&self, c: &Call, pending: Pending, mut extracted: Vec<Extracted>) -> Answer {
        let Pending { keys, mut facts, looked_up, bundle, missing } = pending;
        extracted.sort_by_key(|e| e.0.first().copied());
        let mut timings = vec![format!("facts looked up in the cache: {looked_up:.1?}")];
        let mut logs = Vec::new();
        for (part, made, l, took) in extracted {
            logs.extend(l);
            timings.push(format!("extract of {} file(s): {took:.1?}", part.len()));
            match made {
                Ok(made) => {
                    for (i, fact) in part.into_iter().zip(made) {
                        self.results.put_fact(keys[i], &fact);
                        facts[i] = Some(fact);
                    }
                }
                Err(RunError::InvalidOptions(msgs)) => return (Err(RunError::InvalidOptions(msgs)), logs),
                Err(_) => return self.check_whole(c, logs),
            }
        }
        let Some(facts) = facts.into_iter().collect::<Option<Vec<_>>>() else {
            return self.check_whole(c, logs);
        };
        self.keep_bundle(c, &keys, &facts.iter().map(Vec::as_slice).collect::<Vec<_>>(), (bundle, missing.len()));
        if let Bundle::Stale(n) = bundle {
            timings.push(format!("facts from the batch's bundle: {} of {}", c.documents.len() - n, c.documents.len()));
        }
        let options = c.join_options().unwrap_or_else(|| c.options.to_string());
        let request = JoinRequest {
            documents: c.documents.iter().map(DocRef::owned).collect(),
            facts,
            rules: c.rules.to_vec(),
            options,
        };
        let started = Instant::now();
        let (joined, l) = self.call(c.plugin, c.limits, c.documents.len(), |linked, store| {
            let pre = linked.facts.as_ref().ok_or_else(|| wasmtime::Error::msg("no facts export"))?;
            pre.instantiate(&mut *store)?.opslint_plugin_facts().call_join(store, &request)
        });
        logs.extend(l);
        let reported = match c.reported.and_then(serde_json::Value::as_array) {
            Some(files) => format!(", findings of {} reported file(s)", files.len()),
            None => String::new(),
        };
        timings.push(format!("join of {} fact(s){reported}: {:.1?}", c.documents.len(), started.elapsed()));
        match joined {
            Ok(output) => {
                self.results.put_batch(c.plugin, c.documents, c.rules, &request.options, &output, &logs);
                logs.extend(timings);
                (Ok(output), logs)
            }
            Err(RunError::InvalidOptions(msgs)) => (Err(RunError::InvalidOptions(msgs)), logs),
            Err(_) => self.check_whole(c, logs),
        }
    }

    /// The batch through `check`, after the split path failed.
    fn check_whole(&self, c: &Call, mut logs: Vec<String>) -> Answer {
        let (result, l) = self.check(c.plugin, c.documents, c.rules.to_vec(), c.options.to_string(), c.limits);
        logs.extend(l);
        (result, logs)
    }
}
