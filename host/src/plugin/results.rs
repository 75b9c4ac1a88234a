//! The incremental findings cache: a plugin's output for a request it has
//! answered before is reused instead of running the plugin again.
//!
//! A plugin is a pure function of its request (no WASI: no clock, no
//! randomness, no files), so the key is a sha256 over everything it is given:
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
//! - Only successful outputs are stored: a trap, timeout or memory overrun
//!   runs again next time. The limits (timeout, memory) are not part of the
//!   key: an output once computed is reused under any limits.
//! - Entries live in `<cache dir>/findings-v1/<2 hex>/<key>` as a 16-byte xxh3
//!   checksum followed by the JSON of the output; a damaged entry fails the
//!   checksum or the parse, is ignored and is rewritten. Writes go through a
//!   temporary file and a rename, so concurrent runs never see half an entry
//!   (two runs writing the same key write the same bytes). `--no-cache`
//!   bypasses this cache and the compiled-plugin cache. Nothing is ever
//!   evicted: the directory can be deleted at any time.
//! - Plugin log lines are kept with batch entries; for per-document entries
//!   they are shown only when the document is actually checked.
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use super::bindings::{CheckOutput, Document, Scope};
use super::runtime::{Loaded, RunError};
use super::CacheDir;

const VERSION: &str = "findings-v1";
/// The document kind of the evidence phase's synthetic document (app::phases).
const EVIDENCE_KIND: &str = "evidence";
const CHECKSUM: usize = 16;

type Answer = (Result<CheckOutput, RunError>, Vec<String>);

#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    output: CheckOutput,
    logs: Vec<String>,
}

pub struct Results {
    dir: Option<PathBuf>,
    /// Documents answered from the cache, and documents a plugin checked.
    pub reused: AtomicUsize,
    pub checked: AtomicUsize,
}

impl Results {
    pub fn new(cache: &CacheDir) -> Results {
        Results {
            dir: cache.0.as_ref().map(|d| d.join(VERSION)),
            reused: AtomicUsize::new(0),
            checked: AtomicUsize::new(0),
        }
    }

    /// The output for `documents`, from the cache where possible; `run` checks
    /// the documents the cache does not answer for.
    pub fn check(
        &self,
        plugin: &Loaded,
        documents: Vec<Document>,
        rules: &[String],
        options: &str,
        run: impl FnOnce(Vec<Document>) -> Answer,
    ) -> Answer {
        if self.dir.is_none() {
            self.checked.fetch_add(documents.len(), Ordering::Relaxed);
            return run(documents);
        }
        let per_document =
            plugin.meta.scope == Scope::File && !plugin.meta.files.iter().any(|m| m.kind == EVIDENCE_KIND);
        if !per_document {
            let key = key(plugin, rules, options, &documents);
            if let Some(entry) = self.load(&key) {
                self.reused.fetch_add(documents.len(), Ordering::Relaxed);
                return (Ok(entry.output), entry.logs);
            }
            self.checked.fetch_add(documents.len(), Ordering::Relaxed);
            let (result, logs) = run(documents);
            if let Ok(output) = &result {
                self.store(&key, &Entry { output: output.clone(), logs: logs.clone() });
            }
            return (result, logs);
        }

        let keys: Vec<String> =
            documents.iter().map(|d| key(plugin, rules, options, std::slice::from_ref(d))).collect();
        let cached: Vec<Option<Entry>> = keys.iter().map(|k| self.load(k)).collect();
        let missing: Vec<Document> =
            documents.iter().zip(&cached).filter(|(_, c)| c.is_none()).map(|(d, _)| d.clone()).collect();
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
        let asked: HashSet<&str> = missing.iter().map(|d| d.path.as_str()).collect();
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
        let mut by_path: HashMap<String, CheckOutput> = HashMap::new();
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
                    let part = by_path.remove(&doc.path).unwrap_or_else(empty);
                    self.store(key, &Entry { output: part.clone(), logs: Vec::new() });
                    part
                }
            };
            append(&mut out, part);
        }
        (Ok(out), logs)
    }

    fn path(&self, key: &str) -> Option<PathBuf> {
        Some(self.dir.as_ref()?.join(&key[..2]).join(key))
    }

    fn load(&self, key: &str) -> Option<Entry> {
        let bytes = fs::read(self.path(key)?).ok()?;
        let (head, payload) = bytes.split_at_checked(CHECKSUM)?;
        if head != checksum(payload) {
            return None;
        }
        serde_json::from_slice(payload).ok()
    }

    /// Best effort: a cache that cannot be written only costs the next run a check.
    fn store(&self, key: &str, entry: &Entry) {
        let Some(file) = self.path(key) else { return };
        let write = || -> std::io::Result<()> {
            let dir = file.parent().expect("entries sit in a fan-out folder");
            let mut builder = fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir)?;
            let payload = serde_json::to_vec(entry)?;
            let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
            tmp.write_all(&checksum(&payload))?;
            tmp.write_all(&payload)?;
            tmp.persist(&file)?;
            Ok(())
        };
        let _ = write();
    }
}

fn empty() -> CheckOutput {
    CheckOutput { findings: Vec::new(), evidence: Vec::new() }
}

fn append(out: &mut CheckOutput, part: CheckOutput) {
    out.findings.extend(part.findings);
    out.evidence.extend(part.evidence);
}

fn checksum(payload: &[u8]) -> [u8; CHECKSUM] {
    xxhash_rust::xxh3::xxh3_128(payload).to_le_bytes()
}

/// sha256 over everything the plugin's answer depends on, each part length-prefixed.
fn key(plugin: &Loaded, rules: &[String], options: &str, documents: &[Document]) -> String {
    let mut h = Sha256::new();
    let mut part = |s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    part(VERSION);
    part(env!("CARGO_PKG_VERSION"));
    part(&plugin.sha256);
    part(&plugin.name);
    part(&rules.join(","));
    part(options);
    for d in documents {
        part(&d.path);
        part(&d.kind);
        part(&d.text);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
