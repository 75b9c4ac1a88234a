//! The fleet audit (`opslint audit`, docs/fleet.md): many repositories judged
//! with one configuration and rubric, one result file per repository, shards
//! that split the list by a stable hash, and `audit merge`, which turns result
//! files into one scorecard (Markdown, a self-contained HTML page, JSON).
//! Data flows one way: list → shard → fetch → (check + maturity) → result → merge → render.
pub mod args;
pub mod fetch;
pub mod html;
pub mod list;
pub mod markdown;
pub mod merge;
pub mod result;
pub mod shard;
