//! The incremental findings cache: a plugin's output for a request it has
//! answered before is reused instead of running the plugin again.
//!
//! A plugin is a pure function of its request (no WASI: no clock, no
//! randomness, no files), so the key is a hash of everything it is given:
//! the plugin's own sha256 (which changes with its version and build), the
//! host version, the enabled rules and the options (the configuration that
//! reaches the plugin) and the documents (path, kind, text).
//!
//! - **File-scope plugins**: one entry per document, so editing a file
//!   re-checks that file only, whatever batch it falls in. A batch's output
//!   is split by the path of each finding and evidence record; if any record
//!   cannot be attributed to one document of the batch, nothing of that batch
//!   is stored.
//! - **Repository-scope and evidence-phase plugins**: one entry per batch,
//!   keyed over all of its documents (for the evidence phase that includes the
//!   synthetic evidence document). Any change to any file the plugin reads
//!   (a Deployment's labels, for a Service's selector) is a new key: no
//!   cross-file invalidation to get wrong, at the price of re-running the
//!   whole batch when one file changes.
//! - A document's text enters the key as its blake3 digest, computed once
//!   when the file is read, so a run whose batches the cache answers neither
//!   hashes nor copies a text again.
//! - Only successful outputs are stored: a trap, timeout or memory overrun
//!   runs again next time. The limits (timeout, memory) are not part of the
//!   key: an output once computed is reused under any limits.
//! - Entries live in one SQLite file (plugin/findings_store.rs: one query per
//!   batch, one write transaction per run, authenticated, bounded, shared by
//!   concurrent runs) as the postcard encoding of the output; a value that fails its MAC or
//!   the parse is checked again and rewritten. `--no-cache` bypasses this
//!   cache and the compiled-plugin cache.
//! - Plugin log lines are kept with batch entries; for per-document entries
//!   they are shown only when the document is actually checked.
//! - A split plugin's facts (plugin/split.rs) are kept per document, and a
//!   large batch's also as one bundle keyed by its documents' paths: a run
//!   after an edit reads thousands of facts in one lookup and the edited
//!   file's on its own. A first scan writes no bundle; the next run that
//!   finds the facts cached does, and a run whose bundle misses more than
//!   one fact in 32 writes it again.
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

use sha2::{Digest, Sha256};

use super::bindings::{CheckOutput, Document, Scope};
use super::findings_store::{Key, Store};
use super::runtime::{Loaded, RunError};
use super::CacheDir;

/// Part of every key: texts keyed by digest (`v2`; by their bytes before), with
/// entries in postcard (`-p`; JSON before), batches keyed with BLAKE3 (`-q`;
/// sha256 before), so an older entry is never decoded as one.
const KEY_VERSION: &str = "findings-v2-q";
/// Before the options in a fact's key: a fact is never read as a findings entry.
const FACT: &str = "fact\0";
/// Before the options in the key that marks a batch's facts all cached.
const ALL_FACTS: &str = "all facts\0";
/// Before the options in the key of a batch's facts kept together (a bundle).
const BUNDLE: &str = "facts bundle\0";
/// Fewest documents of a batch whose facts are also kept as a bundle: below
/// that, looking each fact up costs less than a millisecond.
const BUNDLE_MIN: usize = 64;
/// A bundle is written again once more than one document in this many has
/// a fact it does not hold (each edit looks one fact up on its own until then).
const BUNDLE_STALE: usize = 32;
/// The document kind of the evidence phase's synthetic document (app/check/evidence.rs).
const EVIDENCE_KIND: &str = "evidence";

pub(super) type Answer = (Result<CheckOutput, RunError>, Vec<String>);

/// A document of a batch as the host holds it: borrowed, with its text's
/// blake3 digest. Owned `Document`s are made only for what the cache does not answer.
pub struct DocRef<'a> {
    pub path: &'a str,
    pub kind: std::sync::Arc<str>,
    pub text: &'a str,
    pub digest: &'a [u8; 32],
}

impl DocRef<'_> {
    pub(super) fn owned(&self) -> Document {
        Document { path: self.path.to_string(), kind: self.kind.to_string(), text: self.text.to_string() }
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    output: CheckOutput,
    logs: Vec<String>,
}

/// An [`Entry`] as written: borrowed, so keeping a batch's answer does not
/// copy it first (tens of thousands of findings of a repository-scope batch).
#[derive(serde::Serialize)]
struct EntryRef<'a> {
    output: &'a CheckOutput,
    logs: &'a [String],
}

pub struct Results {
    dir: Option<PathBuf>,
    /// Opened at the first lookup: a command that checks nothing never touches it.
    store: OnceLock<Option<Arc<Store>>>,
    /// The last run's write, in the background while its report is made.
    writing: Mutex<Option<JoinHandle<()>>>,
    /// Documents answered from the cache, and documents a plugin checked.
    pub reused: AtomicUsize,
    pub checked: AtomicUsize,
}

impl Results {
    pub fn new(cache: &CacheDir) -> Results {
        Results {
            dir: cache.0.clone(),
            store: OnceLock::new(),
            writing: Mutex::new(None),
            reused: AtomicUsize::new(0),
            checked: AtomicUsize::new(0),
        }
    }

    /// The output for `documents`, from the cache where possible; `run` checks
    /// the documents the cache does not answer for.
    pub fn check(
        &self,
        plugin: &Loaded,
        documents: &[DocRef],
        rules: &[String],
        options: &str,
        run: impl FnOnce(Vec<Document>) -> Answer,
    ) -> Answer {
        let Some(store) = self.store() else {
            self.checked.fetch_add(documents.len(), Ordering::Relaxed);
            return run(documents.iter().map(DocRef::owned).collect());
        };
        let per_document =
            plugin.meta.scope == Scope::File && !plugin.meta.files.iter().any(|m| m.kind == EVIDENCE_KIND);
        if !per_document {
            let key = key(plugin, rules, options, documents);
            if let Some(entry) = load(store, &[key]).pop().flatten() {
                self.reused.fetch_add(documents.len(), Ordering::Relaxed);
                return (Ok(entry.output), entry.logs);
            }
            self.checked.fetch_add(documents.len(), Ordering::Relaxed);
            let (result, logs) = run(documents.iter().map(DocRef::owned).collect());
            if let Ok(output) = &result {
                put(store, key, &EntryRef { output, logs: &logs });
            }
            return (result, logs);
        }

        let keys = keys_each(plugin, rules, options, documents);
        let cached = load(store, &keys);
        let missing: Vec<Document> =
            documents.iter().zip(&cached).filter(|(_, c)| c.is_none()).map(|(d, _)| d.owned()).collect();
        self.reused.fetch_add(documents.len() - missing.len(), Ordering::Relaxed);
        self.checked.fetch_add(missing.len(), Ordering::Relaxed);
        let (fresh, logs) = match missing.is_empty() {
            true => (Ok(empty()), Vec::new()),
            false => run(missing.clone()),
        };
        let fresh = match fresh {
            Ok(output) => output,
            Err(e) => return (Err(e), logs),
        };
        let asked: FxHashSet<&str> = missing.iter().map(|d| d.path.as_str()).collect();
        let attributable = fresh.findings.iter().all(|f| asked.contains(f.path.as_str()))
            && fresh.evidence.iter().all(|e| e.path.as_deref().is_some_and(|p| asked.contains(p)));
        let mut out = empty();
        if !attributable {
            for entry in cached.into_iter().flatten() {
                append(&mut out, entry.output);
            }
            append(&mut out, fresh);
            return (Ok(out), logs);
        }
        let mut by_path: FxHashMap<String, CheckOutput> = Default::default();
        for f in fresh.findings {
            by_path.entry(f.path.clone()).or_insert_with(empty).findings.push(f);
        }
        for e in fresh.evidence {
            by_path.entry(e.path.clone().unwrap_or_default()).or_insert_with(empty).evidence.push(e);
        }
        for ((doc, key), entry) in documents.iter().zip(&keys).zip(cached) {
            let part = match entry {
                Some(entry) => entry.output,
                None => {
                    let part = by_path.remove(doc.path).unwrap_or_else(empty);
                    put(store, *key, &EntryRef { output: &part, logs: &[] });
                    part
                }
            };
            append(&mut out, part);
        }
        (Ok(out), logs)
    }

    /// A repository batch's output, when the cache has it (a split plugin's join).
    pub fn batch_hit(&self, plugin: &Loaded, documents: &[DocRef], rules: &[String], options: &str) -> Option<Answer> {
        let entry = load(self.store()?, &[key(plugin, rules, options, documents)]).pop().flatten()?;
        self.reused.fetch_add(documents.len(), Ordering::Relaxed);
        Some((Ok(entry.output), entry.logs))
    }

    /// Keeps a repository batch's output (a split plugin's join).
    pub fn put_batch(
        &self,
        plugin: &Loaded,
        documents: &[DocRef],
        rules: &[String],
        options: &str,
        output: &CheckOutput,
        logs: &[String],
    ) {
        if let Some(store) = self.store() {
            put(store, key(plugin, rules, options, documents), &EntryRef { output, logs });
        }
    }

    /// Each document's fact key, and its fact: `known` or from the cache
    /// (`extract`'s output for that document alone: it depends on nothing
    /// else). Counts the facts found as reused, the others as checked.
    ///
    /// A large batch's facts come from its bundle (one entry holding every
    /// fact of the batch's documents, written by [`Results::keep_bundle`]):
    /// one read instead of thousands of lookups. The facts the bundle does
    /// not hold (a file edited since) are looked up one by one.
    pub fn facts(
        &self,
        plugin: &Loaded,
        documents: &[DocRef],
        rules: &[String],
        options: &str,
        mut known: Vec<Option<Vec<u8>>>,
    ) -> Facts {
        let keyed = format!("{FACT}{options}");
        let keys = keys_each(plugin, rules, &keyed, documents);
        // A batch whose facts an earlier phase of the run gave has no use for it.
        let unknown = known.iter().filter(|k| k.is_none()).count();
        let mut bundle = Bundle::Skipped;
        if let (true, Some(store)) = (unknown >= BUNDLE_MIN, self.store()) {
            let key = bundle_key(plugin, rules, options, documents);
            let found = store.lookup(&[key]).remove(&key);
            let held = found.as_deref().and_then(|bytes| unbundle(bytes, &keys));
            bundle = match held {
                Some(held) => Bundle::Stale(self.fill_from(held, &mut known)),
                None => Bundle::Absent,
            };
        }
        let asked: Vec<Key> = keys.iter().zip(&known).filter(|(_, k)| k.is_none()).map(|(k, _)| *k).collect();
        let mut found = match (asked.is_empty(), self.store()) {
            (false, Some(store)) => store.lookup(&asked),
            _ => Default::default(),
        };
        let (mut hits, mut asked_count) = (0, 0);
        for (k, f) in keys.iter().zip(known.iter_mut()) {
            if f.is_none() {
                asked_count += 1;
                *f = found.remove(k);
                hits += f.is_some() as usize;
            }
        }
        self.reused.fetch_add(hits, Ordering::Relaxed);
        self.checked.fetch_add(asked_count - hits, Ordering::Relaxed);
        Facts { keys, facts: known, bundle }
    }

    /// Fills the unknown facts a bundle holds; how many documents it holds none for.
    fn fill_from(&self, held: Vec<Option<&[u8]>>, known: &mut [Option<Vec<u8>>]) -> usize {
        let (mut missing, mut filled) = (0, 0);
        for (k, h) in known.iter_mut().zip(held) {
            match h {
                None => missing += 1,
                Some(fact) if k.is_none() => {
                    *k = Some(fact.to_vec());
                    filled += 1;
                }
                Some(_) => {}
            }
        }
        // Counted once: batches on both cores fill thousands each.
        self.reused.fetch_add(filled, Ordering::Relaxed);
        missing
    }

    /// Keeps the batch's facts as one bundle, when it is large and its
    /// bundle misses more than one fact in [`BUNDLE_STALE`], or it has none
    /// and this run extracted at most that share (`fresh`): a first scan,
    /// which extracts them all, writes none (a CI runner's only run pays
    /// nothing for it); the next run that finds the facts cached does.
    pub fn keep_bundle(
        &self,
        plugin: &Loaded,
        documents: &[DocRef],
        rules: &[String],
        options: &str,
        (keys, facts): (&[Key], &[&[u8]]),
        (bundle, fresh): (Bundle, usize),
    ) {
        let n = documents.len();
        let due = match bundle {
            Bundle::Skipped => false,
            Bundle::Absent => fresh * BUNDLE_STALE <= n,
            Bundle::Stale(missing) => missing * BUNDLE_STALE > n,
        };
        if !due {
            return;
        }
        let Some(store) = self.store() else { return };
        let mut bytes = Vec::with_capacity(facts.iter().map(|f| f.len() + 36).sum());
        for (key, fact) in keys.iter().zip(facts) {
            bytes.extend_from_slice(key);
            bytes.extend_from_slice(&(fact.len() as u32).to_le_bytes());
            bytes.extend_from_slice(fact);
        }
        store.put(bundle_key(plugin, rules, options, documents), bytes);
    }

    /// Whether there is a store to look up and keep entries in (none with
    /// `--no-cache`, or when the cache directory is refused).
    pub fn available(&self) -> bool {
        self.store().is_some()
    }

    /// A whole run's record (app/check/memo.rs) under `key`, if stored.
    pub fn run_record(&self, key: Key) -> Option<Vec<u8>> {
        self.store()?.lookup(&[key]).remove(&key)
    }

    /// Keeps a whole run's record under `key`.
    pub fn put_run_record(&self, key: Key, record: Vec<u8>) {
        if let Some(store) = self.store() {
            store.put(key, record);
        }
    }

    /// Whether every fact of `documents` was cached by an earlier run (one
    /// lookup: a rescan then skips fetching them before the evidence phase).
    pub fn all_facts_cached(&self, plugin: &Loaded, documents: &[DocRef], rules: &[String], options: &str) -> bool {
        let Some(store) = self.store() else { return false };
        !store.lookup(&[all_facts_key(plugin, rules, options, documents)]).is_empty()
    }

    /// Records that every fact of `documents` is cached.
    pub fn put_all_facts_cached(&self, plugin: &Loaded, documents: &[DocRef], rules: &[String], options: &str) {
        if let Some(store) = self.store() {
            store.put(all_facts_key(plugin, rules, options, documents), Vec::new());
        }
    }

    pub fn put_fact(&self, key: Key, fact: &[u8]) {
        if let Some(store) = self.store() {
            store.put(key, fact.to_vec());
        }
    }

    fn store(&self) -> Option<&Store> {
        self.store.get_or_init(|| Store::open(self.dir.as_ref()?).map(Arc::new)).as_deref()
    }

    /// Ends a run, or a part of one: what it learnt so far goes to the store
    /// in one transaction, on a thread of its own, so the report is sorted
    /// and rendered meanwhile (`wait`, or dropping the runtime, waits for
    /// it). A write still going on is waited for by the new one's thread, not
    /// by the caller: transactions stay in order and the run goes on.
    pub fn flush(&self) {
        self.write(false);
    }

    /// What the run learnt since [`Results::flush`], written as part of that run.
    pub fn flush_more(&self) {
        self.write(true);
    }

    fn write(&self, same_run: bool) {
        let Some(Some(store)) = self.store.get() else { return };
        let mut pending = store.take_pending();
        pending.same_run = same_run;
        if pending.is_empty() {
            return;
        }
        let writer = store.clone();
        let mut writing = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        let before = writing.take();
        // Best effort, like the write itself: without a thread, the next run checks again.
        let spawned = std::thread::Builder::new().name("findings-cache".into()).spawn(move || {
            if let Some(before) = before {
                let _ = before.join();
            }
            writer.write_pending(pending)
        });
        *writing = spawned.ok();
    }

    /// Waits for the last run's write to the store.
    pub fn wait(&self) {
        let handle = self.writing.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }
}

impl Drop for Results {
    fn drop(&mut self) {
        self.wait();
    }
}

/// The entries of `keys`, in order; `None` where there is none or it does not parse.
fn load(store: &Store, keys: &[Key]) -> Vec<Option<Entry>> {
    let mut found = store.lookup(keys);
    keys.iter().map(|k| found.remove(k).and_then(|bytes| postcard::from_bytes(&bytes).ok())).collect()
}

fn put(store: &Store, key: Key, entry: &EntryRef) {
    if let Ok(bytes) = postcard::to_stdvec(entry) {
        store.put(key, bytes);
    }
}

fn empty() -> CheckOutput {
    CheckOutput { findings: Vec::new(), evidence: Vec::new() }
}

fn append(out: &mut CheckOutput, part: CheckOutput) {
    out.findings.extend(part.findings);
    out.evidence.extend(part.evidence);
}

/// A batch's facts as [`Results::facts`] found them, and its bundle.
pub struct Facts {
    pub keys: Vec<Key>,
    pub facts: Vec<Option<Vec<u8>>>,
    pub bundle: Bundle,
}

/// What [`Results::facts`] made of a batch's bundle.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Bundle {
    /// Not looked for: too few facts to look up (or no cache).
    Skipped,
    /// Looked for, not there (or not this batch's).
    Absent,
    /// There; holding no fact for this many documents.
    Stale(usize),
}

/// The key of a batch's bundle: its documents by path and kind (their texts
/// change with each edit; the facts in it are matched by their own keys).
fn bundle_key(plugin: &Loaded, rules: &[String], options: &str, documents: &[DocRef]) -> Key {
    batch_key(key_prefix(plugin, rules, &format!("{BUNDLE}{options}")), documents, false)
}

/// Per document, the fact a bundle holds for it, if its key is `keys[i]`;
/// `None` for a bundle that is not one of these documents'.
fn unbundle<'b>(mut bytes: &'b [u8], keys: &[Key]) -> Option<Vec<Option<&'b [u8]>>> {
    let mut held = Vec::with_capacity(keys.len());
    for key in keys {
        let (k, rest) = bytes.split_first_chunk::<32>()?;
        let (len, rest) = rest.split_first_chunk::<4>()?;
        let len = u32::from_le_bytes(*len) as usize;
        let fact = rest.get(..len)?;
        bytes = &rest[len..];
        held.push((k == key).then_some(fact));
    }
    bytes.is_empty().then_some(held)
}

/// The key of the marker that says every fact of `documents` is cached.
fn all_facts_key(plugin: &Loaded, rules: &[String], options: &str, documents: &[DocRef]) -> Key {
    key(plugin, rules, &format!("{ALL_FACTS}{options}"), documents)
}

/// A hash of everything the plugin's answer depends on, each part
/// length-prefixed; a document's text by its digest.
fn key(plugin: &Loaded, rules: &[String], options: &str, documents: &[DocRef]) -> Key {
    batch_key(key_prefix(plugin, rules, options), documents, true)
}

/// A batch's key: the prefix's sha256, then its documents (path, kind and
/// digest, or without the digest) hashed in one piece with BLAKE3, which
/// hashes a large input on every SIMD lane: a run computes a dozen of these
/// over thousands of documents, where sha256 part by part took milliseconds.
fn batch_key(prefix: Sha256, documents: &[DocRef], digests: bool) -> Key {
    let mut bytes = Vec::with_capacity(32 + documents.len() * 112);
    bytes.extend_from_slice(&prefix.finalize());
    let mut part = |s: &[u8]| {
        bytes.extend_from_slice(&(s.len() as u64).to_le_bytes());
        bytes.extend_from_slice(s);
    };
    for d in documents {
        part(d.path.as_bytes());
        part(d.kind.as_bytes());
        if digests {
            part(d.digest);
        }
    }
    blake3::hash(&bytes).into()
}

/// The keys of each document on its own (sha256: short inputs): what they
/// share is hashed once (the options name every context file of a batch).
fn keys_each(plugin: &Loaded, rules: &[String], options: &str, documents: &[DocRef]) -> Vec<Key> {
    let prefix = key_prefix(plugin, rules, options);
    let key = |d: &DocRef| {
        let mut h = prefix.clone();
        part(&mut h, d.path);
        part(&mut h, &d.kind);
        h.update(d.digest);
        h.finalize().into()
    };
    documents.iter().map(key).collect()
}

fn part(h: &mut Sha256, s: &str) {
    h.update((s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
}

fn key_prefix(plugin: &Loaded, rules: &[String], options: &str) -> Sha256 {
    let mut h = Sha256::new();
    for s in [KEY_VERSION, env!("CARGO_PKG_VERSION"), &plugin.sha256, &plugin.name, &rules.join(","), options] {
        part(&mut h, s);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bundle gives each document the fact written under its key, none
    /// where the key differs, and nothing at all for bytes of another shape.
    #[test]
    fn a_bundle_holds_the_facts_written_under_the_documents_keys() {
        let keys: Vec<Key> = (0..3u8).map(|i| [i; 32]).collect();
        let mut bytes = Vec::new();
        for (key, fact) in [([0u8; 32], &b"a"[..]), ([9; 32], b"bb"), ([2; 32], b"")] {
            bytes.extend_from_slice(&key);
            bytes.extend_from_slice(&(fact.len() as u32).to_le_bytes());
            bytes.extend_from_slice(fact);
        }
        assert_eq!(unbundle(&bytes, &keys), Some(vec![Some(&b"a"[..]), None, Some(&b""[..])]));
        assert_eq!(unbundle(&bytes[..bytes.len() - 1], &keys), None);
        assert_eq!(unbundle(&bytes, &keys[..2]), None);
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(unbundle(&longer, &keys), None);
    }

    /// The write runs on its own thread: dropping the runtime's results
    /// (what ends a process) waits for it, so no entry is lost at exit.
    #[test]
    fn dropping_the_results_waits_for_the_background_write() {
        let dir = tempfile::tempdir().unwrap();
        let results = Results::new(&CacheDir(Some(dir.path().to_path_buf())));
        let Some(store) = results.store() else { return }; // no per-user key on this machine
        for i in 0..4000u32 {
            let mut key = [0u8; 32];
            key[..4].copy_from_slice(&i.to_le_bytes());
            store.put(key, vec![7; 512]);
        }
        results.flush();
        drop(results);
        let db = rusqlite::Connection::open(dir.path().join(super::super::findings_store::FILE)).unwrap();
        let n: i64 = db.query_row("SELECT COUNT(*) FROM entries", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 4000);
    }
}
