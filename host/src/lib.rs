//! opslint: an operations linter whose checks run as sandboxed WebAssembly plugins.
//!
//! The library never prints or exits: [`app::run`] returns what to show and
//! the exit code, and `main` does the rest.
#![deny(unsafe_code)] // the one exception is plugin::cache (deserialising bytes this binary wrote)

pub mod app;
pub mod audit;
pub mod baseline;
pub mod catalog;
pub mod changed;
pub mod cli;
pub mod config;
pub mod error;
pub mod exit;
pub mod finding;
pub mod host_rules;
pub mod locate;
pub mod maturity;
pub mod options;
pub mod output;
pub mod plugin;
pub mod progress;
pub mod report;
pub mod route;
pub mod runbook;
pub mod suppress;
pub mod walk;
pub mod walk_cache;
