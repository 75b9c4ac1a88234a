//! The `opslint audit` command line (kept here so `cli.rs` only names it).
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::shard::Shard;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: Option<AuditCommand>,
    /// Repositories: local directories, or git URLs (https://, ssh://, git@host:path, file://)
    /// cloned shallowly into the work directory.
    pub repos: Vec<String>,
    /// A file listing repositories, one per line (blank lines and `#` comments ignored;
    /// relative paths are relative to the file). Repeatable.
    #[arg(long = "from", value_name = "FILE")]
    pub lists: Vec<PathBuf>,
    /// A folder whose subfolders are repository checkouts, each audited. Repeatable.
    #[arg(long, value_name = "DIR")]
    pub checkouts: Vec<PathBuf>,
    /// Where the results go: one JSON file per repository.
    #[arg(short, long, value_name = "DIR", default_value = "audit-results")]
    pub out: PathBuf,
    /// Where git URLs are cloned; clones are kept there and reused at the same
    /// commit (default: a temporary folder, each clone deleted after its run).
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,
    /// Audit only this worker's share of the list: I of N (1-based), by a stable
    /// hash of each repository's name, so N workers cover the list exactly once.
    #[arg(long, value_name = "I/N", value_parser = super::shard::parse)]
    pub shard: Option<Shard>,
    /// Rubric file instead of `[maturity] rubric` or the built-in one (`strict`: the built-in strict rubric).
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// Run every repository again, even when a result for the same commit and versions is there.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// One scorecard from result files (or folders of them): scorecard.md, scorecard.html, scorecard.json.
    Merge(MergeArgs),
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Result files written by `opslint audit`, or folders holding them.
    #[arg(required = true)]
    pub results: Vec<PathBuf>,
    /// Where the scorecard files go.
    #[arg(short, long, value_name = "DIR", default_value = "scorecard")]
    pub out: PathBuf,
    /// A date (or any text) shown as the scorecard's time; none by default, so
    /// the same results always merge to the same bytes.
    #[arg(long, value_name = "TEXT")]
    pub generated_at: Option<String>,
    /// The scorecard's title.
    #[arg(long, default_value = "Operational maturity scorecard")]
    pub title: String,
}
