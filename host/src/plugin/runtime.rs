//! Loading plugins and running one batch of documents in a fresh, capped Store.
use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Config, Engine, Store, Trap};

use super::bindings::facts::LinterFactsPre;
use super::bindings::{self, CheckOutput, CheckRequest, Document, LinterPre, PluginError, PluginMeta, Scope};
use super::cache::{self, CacheDir};
use super::limits::Limiter;
use super::results::{DocRef, Results};
use super::INTERFACE_VERSION;

/// The interfaces of `opslint:plugin` the host implements; any other import is refused.
const PROVIDED: &[&str] = &["host", "types"];
const TICK: Duration = Duration::from_millis(5);
/// Most log lines kept from one batch; a plugin cannot flood the host.
const MAX_LOG_LINES: usize = 200;
/// Most bytes a plugin may hand back from one `check` call over one document
/// (findings, evidence, their strings), counted by wasmtime as it copies them
/// out of the guest: the host's memory for one batch's output is bounded
/// whatever the plugin does. A batch of several documents may return
/// `OUTPUT_BYTES_PER_EXTRA_DOCUMENT` more for each, up to its memory limit
/// (a repository-scope batch holds every manifest of the repository).
pub const MAX_OUTPUT_BYTES: usize = 64 << 20;
const OUTPUT_BYTES_PER_EXTRA_DOCUMENT: usize = 64 << 10;
/// wasmtime's error when a guest's output is over the hostcall fuel.
const OUTPUT_LIMIT_ERROR: &str = "fuel allocated for hostcalls has been exhausted";

pub struct HostState {
    limiter: Limiter,
    logs: Vec<String>,
}

impl bindings::opslint::plugin::host::Host for HostState {
    fn log(&mut self, level: bindings::opslint::plugin::host::Level, message: String) {
        if self.logs.len() < MAX_LOG_LINES {
            let mut message = message;
            message.truncate(4096);
            self.logs.push(format!("{level:?}: {message}"));
        }
    }
}

impl bindings::opslint::plugin::types::Host for HostState {}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Builtin,
    File(PathBuf),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Builtin => f.write_str("built-in"),
            Source::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// A plugin ready to run: its metadata and a pre-linked instance template.
pub struct Loaded {
    pub name: String,
    pub source: Source,
    pub sha256: String,
    pub interface: String,
    pub meta: PluginMeta,
    /// A repository-scope plugin that splits its work (`facts`, 0.1.1):
    /// extract per file on every core, then a join (plugin/split.rs).
    pub facts: bool,
    /// Whether this start compiled it with Cranelift (a cache miss).
    compiled: AtomicBool,
    /// The component: linked at load when its metadata had to be read from
    /// it, else at its first batch (a run the findings cache answers maps none).
    pre: OnceLock<Result<Linked, String>>,
    wasm: Cow<'static, [u8]>,
}

impl Loaded {
    /// Whether this start compiled it with Cranelift (a cache miss).
    pub fn compiled(&self) -> bool {
        self.compiled.load(Ordering::Relaxed)
    }
}

/// A plugin's component linked: its `linter` world, and its `linter-facts`
/// world when it exports `facts`.
pub(super) struct Linked {
    pub linter: LinterPre<HostState>,
    pub facts: Option<LinterFactsPre<HostState>>,
}

/// What a start that compiled a plugin keeps of it for later starts.
#[derive(serde::Serialize, serde::Deserialize)]
struct Described {
    interface: String,
    meta: PluginMeta,
    #[serde(default)]
    facts: bool,
}

/// Why a batch produced no output.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RunError {
    #[error("stopped after {0:?}: time limit exceeded")]
    Timeout(Duration),
    #[error("stopped: memory limit of {0} MiB exceeded")]
    Memory(usize),
    #[error("returned more than {} MiB of findings and evidence (the limit for this batch)", .0 >> 20)]
    OutputTooLarge(usize),
    #[error("trapped: {0}")]
    Trap(String),
    #[error("rejected its options: {}", .0.join("; "))]
    InvalidOptions(Vec<String>),
    #[error("failed{on}: {msg}", on = .0.as_ref().map(|p| format!(" on {p}")).unwrap_or_default(), msg = .1)]
    Failed(Option<String>, String),
}

/// The limits one batch runs under.
#[derive(Debug, Clone, Copy)]
pub struct Batch {
    pub timeout: Duration,
    pub memory_mib: usize,
}

pub struct Runtime {
    engine: Engine,
    linker: Linker<HostState>,
    cache: CacheDir,
    pub(super) results: Results,
    stop: Arc<AtomicBool>,
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Runtime {
    /// The cache directory, unless the cache is off (`--no-cache`, no home).
    pub fn cache_dir(&self) -> Option<&std::path::Path> {
        self.cache.0.as_deref()
    }

    pub fn new(cache: CacheDir) -> wasmtime::Result<Runtime> {
        let mut config = Config::new();
        config.wasm_component_model(true).epoch_interruption(true).parallel_compilation(true);
        let engine = Engine::new(&config)?;
        let mut linker = Linker::new(&engine);
        bindings::Linter::add_to_linker::<_, HasSelf<HostState>>(&mut linker, |s| s)?;
        let stop = Arc::new(AtomicBool::new(false));
        let (ticking, flag) = (engine.clone(), stop.clone());
        std::thread::Builder::new().name("opslint-epoch".into()).spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(TICK);
                ticking.increment_epoch();
            }
        })?;
        let results = Results::new(&cache);
        Ok(Runtime { engine, linker, cache, results, stop })
    }

    /// Compiles (or loads from cache), checks the interface and imports, links,
    /// and reads the plugin's metadata.
    /// `sha256` is that of `wasm`, computed by the caller (at build time for built-ins).
    pub fn load(&self, wasm: Cow<'static, [u8]>, sha256: String, source: Source) -> wasmtime::Result<Loaded> {
        if let Some(Described { interface, meta, facts }) = cache::cached_meta(&self.engine, &sha256, &self.cache) {
            if check_meta(&meta).is_ok() {
                let name = meta.name.clone();
                let compiled = AtomicBool::new(false);
                let pre = OnceLock::new();
                return Ok(Loaded { name, source, sha256, interface, meta, facts, compiled, pre, wasm });
            }
        }
        let (linked, compiled, interface) = self.link(&wasm, &sha256)?;
        let mut store = self.store(Batch { timeout: Duration::from_secs(10), memory_mib: 256 });
        let linter = linked.linter.instantiate(&mut store)?;
        let meta = linter.opslint_plugin_plugin().call_metadata(&mut store)?;
        check_meta(&meta).map_err(wasmtime::Error::msg)?;
        // A plugin that does not split its work answers an empty extract with an error.
        let facts = meta.scope == Scope::Repository
            && linked.facts.as_ref().is_some_and(|pre| {
                let mut store = self.store(Batch { timeout: Duration::from_secs(10), memory_mib: 256 });
                let empty = CheckRequest { documents: Vec::new(), rules: Vec::new(), options: String::new() };
                pre.instantiate(&mut store)
                    .and_then(|p| p.opslint_plugin_facts().call_extract(&mut store, &empty))
                    .is_ok_and(|r| r.is_ok())
            });
        let described = Described { interface, meta, facts };
        cache::store_meta(&self.engine, &sha256, &self.cache, &described);
        let Described { interface, meta, facts } = described;
        let name = meta.name.clone();
        let compiled = AtomicBool::new(compiled);
        Ok(Loaded { name, source, sha256, interface, meta, facts, compiled, pre: OnceLock::from(Ok(linked)), wasm })
    }

    /// The component compiled (or mapped from the cache), its interface checked, linked.
    fn link(&self, wasm: &[u8], sha256: &str) -> wasmtime::Result<(Linked, bool, String)> {
        let (component, compiled) = cache::component(&self.engine, wasm, sha256, &self.cache)?;
        let interface = self.check_interface(&component)?;
        let mut linker = self.linker.clone();
        // A wasm32-wasip2 build imports WASI it must never get: calling it traps.
        linker.define_unknown_imports_as_traps(&component)?;
        let pre = linker.instantiate_pre(&component)?;
        let facts = LinterFactsPre::new(pre.clone()).ok();
        Ok((Linked { linter: LinterPre::new(pre)?, facts }, compiled, interface))
    }

    /// The plugin's linked component, linked now if this start has not yet.
    pub(super) fn pre<'p>(&self, plugin: &'p Loaded) -> Result<&'p Linked, RunError> {
        let linked = plugin.pre.get_or_init(|| {
            let (pre, compiled, _) = self.link(&plugin.wasm, &plugin.sha256).map_err(|e| format!("{e:#}"))?;
            plugin.compiled.store(compiled, Ordering::Relaxed);
            Ok(pre)
        });
        linked.as_ref().map_err(|e| RunError::Failed(None, format!("could not be loaded: {e}")))
    }

    /// The version of `opslint:plugin/plugin` the component exports; refuses
    /// other versions and imports the host does not provide (WASI aside).
    fn check_interface(&self, component: &Component) -> wasmtime::Result<String> {
        let ty = component.component_type();
        let (want_major, want_minor, _) = INTERFACE_VERSION;
        let supported = format!("{want_major}.{want_minor}.x");
        let mut found = None;
        for (name, _) in ty.exports(&self.engine) {
            if let Some(version) = name.strip_prefix("opslint:plugin/plugin@") {
                found = Some(version.to_string());
            }
        }
        let Some(version) = found else {
            return Err(wasmtime::Error::msg("it does not export opslint:plugin/plugin (is it an opslint plugin?)"));
        };
        let mut parts = version.split('.').map(|p| p.parse::<u64>().unwrap_or(u64::MAX));
        let (major, minor) = (parts.next().unwrap_or(u64::MAX), parts.next().unwrap_or(u64::MAX));
        if major != want_major || (want_major == 0 && minor != want_minor) {
            let hint = if (major, minor) < (want_major, want_minor) {
                "rebuild it with a newer opslint-sdk"
            } else {
                "upgrade opslint"
            };
            return Err(wasmtime::Error::msg(format!(
                "it speaks interface opslint:plugin@{version}; this opslint supports {supported}: {hint}"
            )));
        }
        for (name, item) in ty.imports(&self.engine) {
            let ours =
                name.strip_prefix("opslint:plugin/").and_then(|n| n.split_once('@')).is_some_and(|(iface, v)| {
                    PROVIDED.contains(&iface) && v.starts_with(&format!("{want_major}.{want_minor}."))
                });
            if ours || name.starts_with("wasi:") {
                continue;
            }
            let what = match item.ty {
                ComponentItem::ComponentFunc(_) | ComponentItem::CoreFunc(_) => "function",
                ComponentItem::ComponentInstance(_) => "interface",
                _ => "item",
            };
            return Err(wasmtime::Error::msg(format!(
                "it imports {what} `{name}`, which opslint does not provide (plugins get no host access)"
            )));
        }
        Ok(version)
    }

    fn store(&self, batch: Batch) -> Store<HostState> {
        let state =
            HostState { limiter: Limiter { memory_cap: batch.memory_mib << 20, memory_hit: false }, logs: Vec::new() };
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.limiter);
        store.set_hostcall_fuel(MAX_OUTPUT_BYTES);
        let ticks = (batch.timeout.as_millis() / TICK.as_millis()).max(1) as u64;
        store.set_epoch_deadline(ticks);
        store.epoch_deadline_trap();
        store
    }

    /// The output of `check` over one batch and the plugin's log lines: from
    /// the findings cache (plugin/results.rs) for documents it has seen, the
    /// rest run in a fresh Store.
    pub fn check(
        &self,
        plugin: &Loaded,
        documents: &[DocRef],
        rules: Vec<String>,
        options: String,
        batch: Batch,
    ) -> (Result<CheckOutput, RunError>, Vec<String>) {
        let (r, o) = (rules.clone(), options.clone());
        self.results.check(plugin, documents, &r, &o, |docs| self.run(plugin, docs, rules, options, batch))
    }

    /// Documents whose output came from the findings cache, and documents a plugin checked, so far.
    /// Whether the findings cache is in use this run.
    pub fn caches_findings(&self) -> bool {
        self.results.available()
    }

    /// The findings cache's record of a whole run (app/check/memo.rs).
    pub fn run_record(&self, key: [u8; 32]) -> Option<Vec<u8>> {
        self.results.run_record(key)
    }

    pub fn put_run_record(&self, key: [u8; 32], record: Vec<u8>) {
        self.results.put_run_record(key, record);
    }

    /// Counts `n` documents as answered from the cache (a run answered whole).
    pub fn count_reused(&self, n: usize) {
        self.results.reused.fetch_add(n, Ordering::Relaxed);
    }

    pub fn cache_counts(&self) -> (usize, usize) {
        (self.results.reused.load(Ordering::Relaxed), self.results.checked.load(Ordering::Relaxed))
    }

    /// Ends a run: the findings cache writes what the run learnt in one
    /// transaction, in the background (dropping the runtime waits for it).
    pub fn finish_run(&self) {
        self.results.flush();
    }

    /// Writes what the run kept since `finish_run` (its record), as part of the same run.
    pub fn finish_run_record(&self) {
        self.results.flush_more();
    }

    /// Runs `check` over one batch in a fresh Store; returns the output and the plugin's log lines.
    fn run(
        &self,
        plugin: &Loaded,
        documents: Vec<Document>,
        rules: Vec<String>,
        options: String,
        batch: Batch,
    ) -> (Result<CheckOutput, RunError>, Vec<String>) {
        let count = documents.len();
        let request = CheckRequest { documents, rules, options };
        self.call(plugin, batch, count, |linked, store| {
            linked.linter.instantiate(&mut *store)?.opslint_plugin_plugin().call_check(store, &request)
        })
    }

    /// Calls the plugin once in a fresh Store under `batch`'s limits (its
    /// output bounded for `documents` documents); returns what it answered,
    /// or why it did not, and its log lines.
    pub(super) fn call<T>(
        &self,
        plugin: &Loaded,
        batch: Batch,
        documents: usize,
        f: impl FnOnce(&Linked, &mut Store<HostState>) -> wasmtime::Result<Result<T, PluginError>>,
    ) -> (Result<T, RunError>, Vec<String>) {
        // Linked before the Store exists: mapping or compiling is not the plugin's time.
        let linked = match self.pre(plugin) {
            Ok(linked) => linked,
            Err(e) => return (Err(e), Vec::new()),
        };
        let mut store = self.store(batch);
        let limit = output_limit(documents, batch.memory_mib);
        store.set_hostcall_fuel(limit);
        let result = f(linked, &mut store);
        let state = store.into_data();
        let result = match result {
            Ok(Ok(out)) => Ok(out),
            Ok(Err(PluginError::InvalidOptions(msgs))) => Err(RunError::InvalidOptions(msgs)),
            Ok(Err(PluginError::Failed((path, msg)))) => Err(RunError::Failed(path, msg)),
            Err(_) if state.limiter.memory_hit => Err(RunError::Memory(batch.memory_mib)),
            Err(e) if e.downcast_ref::<Trap>() == Some(&Trap::Interrupt) => Err(RunError::Timeout(batch.timeout)),
            Err(e) if e.chain().any(|c| c.to_string().contains(OUTPUT_LIMIT_ERROR)) => {
                Err(RunError::OutputTooLarge(limit))
            }
            Err(e) => Err(RunError::Trap(first_line(&e))),
        };
        (result, state.logs)
    }
}

/// The output limit of a batch of `documents` under a memory limit of `memory_mib`.
fn output_limit(documents: usize, memory_mib: usize) -> usize {
    let scaled = MAX_OUTPUT_BYTES + documents.saturating_sub(1) * OUTPUT_BYTES_PER_EXTRA_DOCUMENT;
    scaled.min((memory_mib << 20).max(MAX_OUTPUT_BYTES))
}

fn first_line(e: &wasmtime::Error) -> String {
    let trap = e.downcast_ref::<Trap>().map(|t| t.to_string());
    trap.unwrap_or_else(|| e.to_string().lines().next().unwrap_or("").to_string())
}

/// A plugin's rule ids are local (the host prefixes the plugin's name), so an
/// id holding `/` or anything but lowercase letters, digits and dashes, or
/// declared twice, would name a rule outside the plugin: refused. So is an
/// evidence key outside `<name>/`.
fn check_meta(meta: &PluginMeta) -> Result<(), String> {
    let kebab = |s: &str| {
        !s.is_empty()
            && !s.starts_with('-')
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let mut seen = std::collections::BTreeSet::new();
    for rule in &meta.rules {
        if !kebab(&rule.id) {
            return Err(format!(
                "it declares rule id `{}`; rule ids are local to the plugin (lowercase letters, digits and dashes; \
                 the host adds `{}/`), so a plugin cannot declare another plugin's rules",
                rule.id.escape_debug(),
                meta.name.escape_debug()
            ));
        }
        if !seen.insert(rule.id.as_str()) {
            return Err(format!("it declares rule `{}` twice", rule.id));
        }
    }
    let prefix = format!("{}/", meta.name);
    if let Some(e) = meta.evidence.iter().find(|e| !e.key.starts_with(&prefix)) {
        return Err(format!("it declares evidence `{}`, outside its own `{prefix}`", e.key.escape_debug()));
    }
    Ok(())
}
