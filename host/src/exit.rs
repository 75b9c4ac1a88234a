//! Exit codes: the contract a CI gate relies on.
pub const CLEAN: u8 = 0;
/// Findings at or above `fail-on`.
pub const FINDINGS: u8 = 1;
/// Usage or configuration error.
pub const USAGE: u8 = 2;
/// A plugin failed (trap, timeout, memory) or could not be loaded.
pub const PLUGIN_FAILURE: u8 = 3;
/// An internal error: a bug in opslint.
pub const INTERNAL: u8 = 4;
