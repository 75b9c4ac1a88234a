//! Batches: per plugin, its documents in path order, split so every core has
//! work, each with the plugin's enabled rules, options and limits.
use std::sync::Arc;
use std::time::Duration;

use super::evidence;
use super::plan::Plan;
use super::read::Read;
use crate::plugin::{bindings, Batch, Loaded};
use crate::route::{is_context, FOLDER_SCOPE_KIND};

const DEFAULT_TIMEOUT_SECS: f64 = 10.0;
const DEFAULT_MEMORY_MIB: usize = 512;
/// Most bytes of text in one file-scope batch. Each batch is a fresh Store
/// and instance, so small files go together by bytes, not by count (5,226
/// SQL migrations of 200 bytes were 164 instances; they are now 8).
const BATCH_BYTES: usize = 1 << 20;
/// What one document costs a batch beyond its text (its path, its parse), in bytes.
pub(super) const DOCUMENT_COST: usize = 256;
/// Below this many bytes (with [`DOCUMENT_COST`]) a folder-scope plugin's
/// documents stay in one batch: more instances would cost more than they save.
const FOLDER_SPLIT_MIN: usize = 64 << 10;
/// The batches a folder-scope plugin's larger repository is spread over. A
/// folder's batch follows from its name alone, not from the core count or
/// file sizes, so an edit re-runs (and its cache entry changes for) the
/// batch of the edited file's folder only, on any machine.
const FOLDER_BATCHES: u64 = 8;

/// One call of one plugin.
#[derive(Clone)]
pub(super) struct Work<'a> {
    pub plugin: &'a Loaded,
    /// Index of `plugin` among the active plugins.
    pub index: usize,
    /// Indices in the run's sources.
    pub docs: Vec<usize>,
    pub rules: Vec<String>,
    pub options: String,
    pub limits: Batch,
    /// Evidence phase: other files the plugin may point findings at.
    pub reach: Vec<usize>,
}

/// (plugin index, source index) → the kind the plugin reads that document
/// as (tens of thousands in a large repository: shared strings, a cheap hash).
pub(super) type Kinds = rustc_hash::FxHashMap<(usize, usize), Arc<str>>;

/// The batches of a run and the kind of each document in them.
pub(super) fn batches<'s>(plan: &Plan<'s>, read: &Read, all_evidence: bool) -> (Vec<Work<'s>>, Kinds) {
    let Plan { settings, active, routed, context, named_only, .. } = plan;
    let Read { sources, source_of, .. } = read;
    let named_only = *named_only;
    let threads = rayon::current_num_threads().max(1);
    let mut work: Vec<Work> = Vec::new();
    let evidence_read =
        active.iter().any(|p| evidence::is_evidence_plugin(p) && evidence::has_enabled_rule(p, settings));
    // Each plugin's documents (by source index), in one pass over the routes.
    let mut by_plugin: Vec<Vec<usize>> = vec![Vec::new(); active.len()];
    let mut kinds = Kinds::default();
    kinds.reserve(routed.len());
    for (p, t, kind) in routed {
        if let Some(&s) = source_of.get(t) {
            by_plugin[*p].push(s);
            kinds.insert((*p, s), kind.clone());
        }
    }
    for ((pi, &plugin), mut docs) in active.iter().enumerate().zip(by_plugin) {
        // Path order, as a whole-repository walk gives it: a run over named
        // files (named first, then the rest) asks a repository-scope plugin
        // the same request, so it shares the full scan's findings cache entry.
        docs.sort_by(|&a, &b| sources[a].rel.cmp(&sources[b].rel));
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
        if rules.is_empty() && (second || !evidence_read) && !all_evidence {
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
        // Repository scope: one batch, so cross-file rules see every document;
        // whole folders per batch for a plugin whose rules look no further.
        let chunks: Vec<Vec<usize>> = match plugin.meta.scope {
            _ if second || docs.is_empty() => vec![docs],
            bindings::Scope::Repository if plugin.meta.files.iter().any(|m| m.kind == FOLDER_SCOPE_KIND) => {
                by_folder(&docs, |d| (sources[d].rel.as_str(), sources[d].text.len()))
            }
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
    (work, kinds)
}

/// Splits documents (in path order) into batches of about equal bytes: at
/// least four per thread, so every core has work to the end, and more when
/// that would put over BATCH_BYTES in one.
pub(super) fn by_bytes(docs: &[usize], len: impl Fn(usize) -> usize, threads: usize) -> Vec<Vec<usize>> {
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

/// A folder-scope plugin's documents (in path order) as batches of whole
/// folders, by a hash of each folder's lowercased path (folders that differ
/// only in case may be one to the plugin): [`FOLDER_BATCHES`] at most, one
/// below [`FOLDER_SPLIT_MIN`] bytes. Each batch keeps path order.
pub(super) fn by_folder<'s>(docs: &[usize], doc: impl Fn(usize) -> (&'s str, usize)) -> Vec<Vec<usize>> {
    let total: usize = docs.iter().map(|&d| doc(d).1 + DOCUMENT_COST).sum();
    if total < FOLDER_SPLIT_MIN {
        return vec![docs.to_vec()];
    }
    let mut batches = vec![Vec::new(); FOLDER_BATCHES as usize];
    for &d in docs {
        let folder = doc(d).0.rsplit_once('/').map_or("", |(folder, _)| folder);
        // FNV-1a: the same on every machine and in every version.
        let hash = folder.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
        });
        batches[(hash % FOLDER_BATCHES) as usize].push(d);
    }
    batches.retain(|b| !b.is_empty());
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folders_of(paths: &[&str], batches: &[Vec<usize>]) -> Vec<std::collections::BTreeSet<String>> {
        let folder = |p: &str| p.rsplit_once('/').map_or("", |(f, _)| f).to_ascii_lowercase();
        batches.iter().map(|b| b.iter().map(|&d| folder(paths[d])).collect()).collect()
    }

    #[test]
    fn a_folder_scope_batch_holds_whole_folders_whatever_the_sizes() {
        let mut paths: Vec<String> = Vec::new();
        for f in 0..40 {
            for i in 0..25 {
                paths.push(format!("svc{f}/db/migrations/V{i}__x.sql"));
            }
        }
        paths.push("svc3/db/Migrations/V99__y.sql".into());
        paths.push("root.sql".into());
        paths.sort();
        let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
        let docs: Vec<usize> = (0..paths.len()).collect();
        let split = |size: usize| by_folder(&docs, |d| (paths[d], size + d % 7));
        let batches = split(300);
        assert!(batches.len() > 1 && batches.len() <= FOLDER_BATCHES as usize, "{}", batches.len());
        // Every document once, path order kept within a batch.
        let mut all: Vec<usize> = batches.concat();
        assert!(batches.iter().all(|b| b.windows(2).all(|w| w[0] < w[1])));
        all.sort();
        assert_eq!(all, docs);
        // No folder (compared lowercased) in two batches.
        let sets = folders_of(&paths, &batches);
        for (i, a) in sets.iter().enumerate() {
            for b in &sets[i + 1..] {
                assert!(a.is_disjoint(b), "{a:?} / {b:?}");
            }
        }
        // Sizes move no folder to another batch: an edit re-runs its own folder's batch only.
        assert_eq!(split(900), batches);
        // A small repository stays one batch.
        assert_eq!(by_folder(&docs[..10], |d| (paths[d], 100)), vec![docs[..10].to_vec()]);
    }
}
