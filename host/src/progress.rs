//! What a long run is doing, for the progress line `main` draws on a
//! terminal. The library never prints: it only sets these counters.
use std::sync::atomic::{AtomicUsize, Ordering};

/// Plugins being compiled now (they load in parallel).
static COMPILING: AtomicUsize = AtomicUsize::new(0);
static TOTAL: AtomicUsize = AtomicUsize::new(0);
static DONE: AtomicUsize = AtomicUsize::new(0);

/// A built-in plugin is being compiled into the cache (a first run).
pub fn compiling(on: bool) {
    match on {
        true => COMPILING.fetch_add(1, Ordering::Relaxed),
        false => COMPILING.fetch_sub(1, Ordering::Relaxed),
    };
}

pub fn is_compiling() -> bool {
    COMPILING.load(Ordering::Relaxed) > 0
}

/// Documents about to be checked (added to, across phases).
pub fn add_total(n: usize) {
    TOTAL.fetch_add(n, Ordering::Relaxed);
}

/// Documents checked.
pub fn add_done(n: usize) {
    DONE.fetch_add(n, Ordering::Relaxed);
}

/// (checked, to check).
pub fn counts() -> (usize, usize) {
    (DONE.load(Ordering::Relaxed), TOTAL.load(Ordering::Relaxed))
}
