//! The findings cache's one file, `<cache dir>/findings-v2.sqlite` (SQLite
//! through rusqlite), in place of one file per entry: a run looks up each
//! batch's keys in one query and writes everything it learnt in ONE
//! transaction at its end (`write_pending`, on a thread of its own while the
//! report is made: plugin/results.rs; none when it learnt nothing; a run's
//! record, app/check/memo.rs, follows in a second one counted as the same
//! run), so the SQL slice of the corpus no longer pays thousands of
//! open/mkdir/rename calls.
//!
//! - **Authenticated**: each value carries a keyed BLAKE3 MAC over its entry
//!   key and bytes, under the per-user key of the compiled-plugin cache
//!   (plugin/cache_key.rs). A store restored from another machine or job, or
//!   edited, could otherwise hide findings: its entries fail the MAC and are
//!   checked again. No key, or a cache directory or file others can write: the
//!   findings cache is not used (warned).
//! - **Bounded**: the store counts the runs that write. An entry not used
//!   for `OPSLINT_FINDINGS_CACHE_RUNS` such runs (default 50) is
//!   deleted, and past `OPSLINT_FINDINGS_CACHE_MIB` MiB of values (default
//!   128) the least recently used runs' entries go first. An entry's last-used
//!   run is rewritten only once it is `STAMP_LAG` runs old, so a rescan that
//!   reuses everything writes nothing; an entry is thus kept for at least
//!   RUNS - STAMP_LAG unused runs.
//! - **Concurrent runs**: SQLite's file locks let any number of runs read and
//!   one write; a run waits for another's commit (busy timeout), and entries
//!   are immutable per key, so two runs never disagree on a value.
//! - **Damage**: a file SQLite cannot read (garbage, truncated, wrong schema)
//!   is deleted and started anew with a warning; a damaged value fails the MAC
//!   or the JSON parse and is checked again. Never a crash, never a finding
//!   from a value this user's opslint did not write.
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, TryLockError};
use std::time::Duration;

use rusqlite::{params, params_from_iter, Connection, ErrorCode, OptionalExtension, TransactionBehavior};

use super::cache_key;

pub const FILE: &str = "findings-v2.sqlite";
/// `PRAGMA user_version` of the schema below; another value is rebuilt.
const SCHEMA: i64 = 2;
const RUNS_KEPT: u64 = 50;
const MAX_MIB: u64 = 128;
const STAMP_LAG: u64 = 5;
/// How long a run waits for another run's write transaction.
const BUSY: Duration = Duration::from_secs(20);
/// Keys per lookup query (well under SQLite's bound on parameters).
const CHUNK: usize = 256;

pub type Key = [u8; 32];

pub struct Store {
    path: PathBuf,
    mac_key: &'static [u8; 32],
    /// `None` after a failure that is not damage (the run goes on uncached).
    conn: Mutex<Option<Connection>>,
    /// More connections, for lookups made while `conn` is busy.
    spare: Mutex<Vec<Connection>>,
    /// The store's run count as last seen: decides which hits are stale enough to re-stamp.
    run: AtomicU64,
    pending: Mutex<Pending>,
}

/// What a run learnt and used, for its one write transaction.
#[derive(Default)]
pub struct Pending {
    new: Vec<(Key, Vec<u8>)>,
    touched: Vec<Key>,
    damaged: bool,
    /// Written as part of the run the last write counted (a run's record
    /// after its batches' entries), not counted as a run of its own.
    pub same_run: bool,
}

impl Pending {
    /// A run that learnt nothing writes nothing (and is not counted): a warm
    /// pre-commit run only reads.
    pub fn is_empty(&self) -> bool {
        self.new.is_empty() && self.touched.is_empty() && !self.damaged
    }
}

impl Store {
    /// The store in `dir`, created if missing; `None` (warned) when it must not be used.
    pub fn open(dir: &Path) -> Option<Store> {
        let mac_key = cache_key::key()?;
        if let Err(why) = cache_key::private_dir(dir) {
            eprintln!("warning: findings cache not used: {why}");
            return None;
        }
        let path = dir.join(FILE);
        if path.exists() {
            if let Err(why) = cache_key::private_file(&path) {
                eprintln!("warning: findings cache not used: {why}");
                return None;
            }
        }
        let conn = match connect(&path) {
            Ok(c) => c,
            Err(e) if damaged(&e) => {
                eprintln!("warning: findings cache {} is damaged ({e}); starting a new one", path.display());
                remove(&path);
                connect(&path).map_err(|e| eprintln!("warning: findings cache not used: {e}")).ok()?
            }
            Err(e) => {
                eprintln!("warning: findings cache not used: {}: {e}", path.display());
                return None;
            }
        };
        let run = last_run(&conn).unwrap_or(0);
        Some(Store {
            path,
            mac_key,
            conn: Mutex::new(Some(conn)),
            spare: Mutex::default(),
            run: AtomicU64::new(run),
            pending: Mutex::default(),
        })
    }

    /// The stored values of those `keys` whose MAC holds. Lookups made at
    /// once (the facts of several split batches) each get a connection.
    pub fn lookup(&self, keys: &[Key]) -> FxHashMap<Key, Vec<u8>> {
        let mut found = FxHashMap::default();
        let mut touched = Vec::new();
        let mut read = |conn: &Connection| self.read(conn, keys, &mut found, &mut touched);
        let result = match self.conn.try_lock() {
            Ok(guard) => guard.as_ref().map(&mut read),
            Err(TryLockError::Poisoned(p)) => p.into_inner().as_ref().map(&mut read),
            Err(TryLockError::WouldBlock) => {
                let spare = self.spare.lock().unwrap_or_else(|p| p.into_inner()).pop();
                match spare.or_else(|| connect(&self.path).ok()) {
                    Some(conn) => {
                        let result = read(&conn);
                        self.spare.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
                        Some(result)
                    }
                    None => self.conn.lock().unwrap_or_else(|p| p.into_inner()).as_ref().map(&mut read),
                }
            }
        };
        let Some(result) = result else { return found };
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        pending.touched.extend(touched);
        if let Err(e) = result {
            pending.damaged |= damaged(&e);
            found.clear();
        }
        found
    }

    fn read(
        &self,
        conn: &Connection,
        keys: &[Key],
        found: &mut FxHashMap<Key, Vec<u8>>,
        touched: &mut Vec<Key>,
    ) -> rusqlite::Result<()> {
        let stale = self.run.load(Ordering::Relaxed).saturating_sub(STAMP_LAG);
        keys.chunks(CHUNK).try_for_each(|chunk| -> rusqlite::Result<()> {
            let marks = vec!["?"; chunk.len()].join(",");
            let sql = format!("SELECT key, used, mac, value FROM entries WHERE key IN ({marks})");
            let mut st = conn.prepare_cached(&sql)?;
            let mut rows = st.query(params_from_iter(chunk.iter().map(|k| &k[..])))?;
            while let Some(row) = rows.next()? {
                let Ok(key) = Key::try_from(row.get_ref(0)?.as_blob()?) else { continue };
                let (used, mac, value) =
                    (row.get::<_, i64>(1)?, row.get_ref(2)?.as_blob()?, row.get_ref(3)?.as_blob()?);
                let Ok(mac) = <[u8; 32]>::try_from(mac) else { continue };
                // `blake3::Hash` compares in constant time.
                if blake3::Hash::from_bytes(mac) != self.mac(&key, value) {
                    continue;
                }
                if (used.max(0) as u64) <= stale {
                    touched.push(key);
                }
                found.insert(key, value.to_vec());
            }
            Ok(())
        })
    }

    /// Queues a value for the end of the run's transaction.
    pub fn put(&self, key: Key, value: Vec<u8>) {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        pending.new.push((key, value));
    }

    /// What the run learnt and used so far, taken for `write_pending`.
    pub fn take_pending(&self) -> Pending {
        std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Writes what a run learnt and used in one transaction, then evicts.
    /// Best effort: a store that cannot be written costs the next run some checks.
    pub fn write_pending(&self, pending: Pending) {
        if pending.is_empty() {
            return;
        }
        let mut guard = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        if pending.damaged {
            self.rebuild(&mut guard, "unreadable during the run");
        }
        let Some(conn) = guard.as_mut() else { return };
        match self.write(conn, &pending) {
            Ok(run) => self.run.store(run, Ordering::Relaxed),
            Err(e) if damaged(&e) => self.rebuild(&mut guard, &e.to_string()),
            Err(_) => {}
        }
        // The one-file-per-entry cache of opslint before this store.
        let old = self.path.with_file_name("findings-v1");
        if old.is_dir() {
            let _ = std::fs::remove_dir_all(old);
        }
    }

    fn write(&self, conn: &mut Connection, pending: &Pending) -> rusqlite::Result<u64> {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let run = last_run(&tx)? + u64::from(!pending.same_run);
        tx.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('run', ?1)", [run as i64])?;
        {
            let mut insert =
                tx.prepare("INSERT OR REPLACE INTO entries (key, used, size, mac, value) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            for (key, value) in &pending.new {
                let mac = self.mac(key, value);
                insert.execute(params![&key[..], run as i64, value.len() as i64, &mac.as_bytes()[..], value])?;
            }
            let mut stamp = tx.prepare("UPDATE entries SET used = ?2 WHERE key = ?1")?;
            for key in &pending.touched {
                stamp.execute(params![&key[..], run as i64])?;
            }
        }
        let runs_kept = setting("OPSLINT_FINDINGS_CACHE_RUNS", RUNS_KEPT);
        tx.execute("DELETE FROM entries WHERE used < ?1", [run.saturating_sub(runs_kept) as i64])?;
        evict_to_size(&tx, setting("OPSLINT_FINDINGS_CACHE_MIB", MAX_MIB) << 20)?;
        tx.commit()?;
        Ok(run)
    }

    fn rebuild(&self, conn: &mut Option<Connection>, why: &str) {
        eprintln!("warning: findings cache {} is damaged ({why}); starting a new one", self.path.display());
        *conn = None;
        self.spare.lock().unwrap_or_else(|p| p.into_inner()).clear();
        remove(&self.path);
        *conn = connect(&self.path).ok();
    }

    fn mac(&self, key: &Key, value: &[u8]) -> blake3::Hash {
        let mut h = blake3::Hasher::new_keyed(self.mac_key);
        h.update(b"opslint findings v2\n");
        h.update(key);
        h.update(value);
        h.finalize()
    }
}

/// Opens (creating if needed) and brings the schema to `SCHEMA`; any read of a
/// file that is not a sound SQLite database fails here.
fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let mut conn = Connection::open(path)?;
    // SQLite creates the file (and its journal, which copies its mode) per the umask.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    conn.busy_timeout(BUSY)?;
    // A rollback journal, not WAL: a run that only reads creates no -wal and
    // -shm files (WAL added about 9 ms to a 30 ms pre-commit run: creating,
    // checkpointing and deleting them); runs wait for one another's short
    // commit through the busy timeout.
    let _: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    // A cache, so no fsync (it was 10-15 ms of a first scan's tail): a
    // crash of opslint loses nothing (SQLite's journal still rolls back);
    // an OS crash or power cut may lose the last run's entries or damage
    // the file, which is then rebuilt, and a damaged value fails its MAC.
    conn.pragma_update(None, "synchronous", "OFF")?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version != SCHEMA {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another run may have created it meanwhile.
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version != SCHEMA {
            tx.execute_batch(&format!(
                "DROP TABLE IF EXISTS entries; DROP TABLE IF EXISTS meta;
                 CREATE TABLE entries (key BLOB PRIMARY KEY, used INTEGER NOT NULL, size INTEGER NOT NULL,
                                       mac BLOB NOT NULL, value BLOB NOT NULL);
                 CREATE INDEX entries_by_use ON entries (used, size);
                 CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                 PRAGMA user_version = {SCHEMA};"
            ))?;
        }
        tx.commit()?;
    }
    Ok(conn)
}

fn last_run(conn: &Connection) -> rusqlite::Result<u64> {
    let run: Option<i64> = conn.query_row("SELECT value FROM meta WHERE name = 'run'", [], |r| r.get(0)).optional()?;
    Ok(run.unwrap_or(0).max(0) as u64)
}

/// Deletes the entries of the oldest runs until the values fit in `bound` bytes.
fn evict_to_size(conn: &Connection, bound: u64) -> rusqlite::Result<()> {
    let total: i64 = conn.query_row("SELECT COALESCE(SUM(size), 0) FROM entries", [], |r| r.get(0))?;
    if (total.max(0) as u64) <= bound {
        return Ok(());
    }
    // Newest runs first: keep whole runs while they fit.
    let mut per_run = conn.prepare("SELECT used, SUM(size) FROM entries GROUP BY used ORDER BY used DESC")?;
    let mut kept = 0u64;
    let mut cutoff = None;
    let mut rows = per_run.query([])?;
    while let Some(row) = rows.next()? {
        let (used, size): (i64, i64) = (row.get(0)?, row.get(1)?);
        kept += size.max(0) as u64;
        if kept > bound {
            cutoff = Some(used);
            break;
        }
    }
    drop(rows);
    if let Some(used) = cutoff {
        conn.execute("DELETE FROM entries WHERE used <= ?1", [used])?;
    }
    Ok(())
}

/// A number from the environment, else the default.
fn setting(var: &str, default: u64) -> u64 {
    std::env::var(var).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

/// Whether an error means the file is not a sound store of ours (garbage,
/// truncated, another schema): everything but contention and the environment.
fn damaged(e: &rusqlite::Error) -> bool {
    !matches!(
        e.sqlite_error_code(),
        Some(
            ErrorCode::DatabaseBusy
                | ErrorCode::DatabaseLocked
                | ErrorCode::CannotOpen
                | ErrorCode::PermissionDenied
                | ErrorCode::ReadOnly
                | ErrorCode::DiskFull
                | ErrorCode::OutOfMemory
                | ErrorCode::OperationInterrupted
        )
    )
}

fn remove(path: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lookups made at once (split batches starting on every core) do not
    /// queue behind one connection: one made while it is busy opens another.
    #[test]
    fn a_lookup_while_the_first_connection_is_busy_reads_through_another() {
        let dir = tempfile::tempdir().unwrap();
        let Some(store) = Store::open(dir.path()) else { return }; // no per-user key on this machine
        let key = [9u8; 32];
        store.put(key, b"value".to_vec());
        store.write_pending(store.take_pending());
        let busy = store.conn.lock().unwrap();
        let found = std::thread::scope(|s| s.spawn(|| store.lookup(&[key])).join().unwrap());
        drop(busy);
        assert_eq!(found.get(&key).map(Vec::as_slice), Some(&b"value"[..]));
        assert_eq!(store.spare.lock().unwrap().len(), 1, "kept for the next lookup");
    }
}
