//! A repository-scope batch of a plugin that splits its work (interface
//! 0.1.1 `facts`): each document's fact comes from the findings cache or from
//! `extract`, run in parts on every core, then one `join` reads them all. An
//! edit re-extracts the edited file only, and the join does the cross-file
//! part alone. Whatever goes wrong on that path, the batch runs through
//! `check` instead, so a split plugin fails no differently than another.
use std::time::Instant;

use rayon::prelude::*;

use super::bindings::facts::JoinRequest;
use super::bindings::{CheckRequest, Document};
use super::results::{Answer, DocRef};
use super::runtime::{Batch, Loaded, RunError, Runtime};

impl Runtime {
    /// The batch's output: cached, or joined from facts. `parts` splits the
    /// indices of the documents to extract into the calls to make.
    pub fn check_split(
        &self,
        plugin: &Loaded,
        documents: &[DocRef],
        rules: Vec<String>,
        options: String,
        batch: Batch,
        parts: &(dyn Fn(&[usize]) -> Vec<Vec<usize>> + Sync),
    ) -> Answer {
        if let Some(hit) = self.results.batch_hit(plugin, documents, &rules, &options) {
            return hit;
        }
        let looked = Instant::now();
        let cached = self.results.facts(plugin, documents, &rules, &options);
        let looked = looked.elapsed();
        let missing: Vec<usize> = (0..documents.len()).filter(|&i| cached[i].1.is_none()).collect();
        let (keys, mut facts): (Vec<_>, Vec<_>) = cached.into_iter().unzip();
        // Timings for `check -v`, apart from the plugin's own lines (which are cached with the output).
        let mut timings = vec![format!("facts looked up in the cache: {looked:.1?}")];
        let extracting = Instant::now();
        let mut logs = Vec::new();
        let extracted: Vec<_> = parts(&missing)
            .into_par_iter()
            .with_max_len(1)
            .map(|part| {
                let documents: Vec<Document> = part.iter().map(|&i| documents[i].owned()).collect();
                let request = CheckRequest { documents, rules: rules.clone(), options: options.clone() };
                let started = Instant::now();
                let (made, logs) = self.call(plugin, batch, part.len(), |linked, store| {
                    let pre = linked.facts.as_ref().ok_or_else(|| wasmtime::Error::msg("no facts export"))?;
                    pre.instantiate(&mut *store)?.opslint_plugin_facts().call_extract(store, &request)
                });
                let timing = format!("extract of {} file(s): {:.1?}", part.len(), started.elapsed());
                (part, made, logs, timing)
            })
            .collect();
        for (part, made, l, timing) in extracted {
            logs.extend(l);
            timings.push(timing);
            match made {
                Ok(made) if made.len() == part.len() => {
                    for (i, fact) in part.into_iter().zip(made) {
                        self.results.put_fact(keys[i], &fact);
                        facts[i] = Some(fact);
                    }
                }
                Err(RunError::InvalidOptions(msgs)) => return (Err(RunError::InvalidOptions(msgs)), logs),
                _ => return self.check_whole(plugin, documents, rules, options, batch, logs),
            }
        }
        timings.push(format!("extract, all parts: {:.1?}", extracting.elapsed()));
        let request = JoinRequest {
            documents: documents.iter().map(DocRef::owned).collect(),
            facts: facts.into_iter().map(Option::unwrap_or_default).collect(),
            rules: rules.clone(),
            options: options.clone(),
        };
        let started = Instant::now();
        let (joined, l) = self.call(plugin, batch, documents.len(), |linked, store| {
            let pre = linked.facts.as_ref().ok_or_else(|| wasmtime::Error::msg("no facts export"))?;
            pre.instantiate(&mut *store)?.opslint_plugin_facts().call_join(store, &request)
        });
        logs.extend(l);
        timings.push(format!("join of {} fact(s): {:.1?}", documents.len(), started.elapsed()));
        match joined {
            Ok(output) => {
                self.results.put_batch(plugin, documents, &rules, &options, &output, &logs);
                logs.extend(timings);
                (Ok(output), logs)
            }
            Err(RunError::InvalidOptions(msgs)) => (Err(RunError::InvalidOptions(msgs)), logs),
            Err(_) => self.check_whole(plugin, documents, rules, options, batch, logs),
        }
    }

    /// The batch through `check`, after the split path failed.
    fn check_whole(
        &self,
        plugin: &Loaded,
        documents: &[DocRef],
        rules: Vec<String>,
        options: String,
        batch: Batch,
        mut logs: Vec<String>,
    ) -> Answer {
        let (result, l) = self.check(plugin, documents, rules, options, batch);
        logs.extend(l);
        (result, logs)
    }
}
