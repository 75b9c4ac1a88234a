//! What opslint knows about how services are run, kept in one place.
//!
//! Plugins and the host used to carry their own copies of these lists (a
//! database image list in the backup plugin, another in the k8s plugin, skip
//! folders in the maturity plugin and the host…), and the copies drifted:
//! drift is wrong verdicts. Every list lives here once, with the small
//! matching functions that go with it, and tests of labelled real examples.
//!
//! No dependencies, no allocation-heavy work: it builds for wasm32 (inside
//! plugins) and natively (the host, native tests).
#![forbid(unsafe_code)]

pub mod backup;
pub mod blocks;
pub mod ci;
pub mod commands;
pub mod databases;
pub mod images;
pub mod packages;
pub mod paths;
pub mod platforms;
pub mod secrets;
pub mod stateful;
pub mod words;
