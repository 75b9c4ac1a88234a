//! The command line.
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::finding::Severity;

#[derive(Debug, Parser)]
#[command(
    name = "opslint",
    version,
    about = "Reads a repository the way an SRE reviews it before production",
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Configuration file (default: opslint.toml found from the first path upwards).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Use no cache: compile plugins in memory and run every plugin (no compiled-plugin or findings cache).
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// Show plugin log lines and timings on stderr.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Colour in human output.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and directories (default: the current directory).
    Check(CheckArgs),
    /// Write the current findings to a baseline file, which `check --baseline` then hides.
    Baseline(BaselineArgs),
    /// List every rule with its severity, default state and aliases.
    Rules(RulesArgs),
    /// Print a rule's documentation (by id or by another tool's id, e.g. DL3007).
    Explain { rule: String },
    /// List loaded plugins with version, source, hash and rule count; `plugins package` makes one.
    Plugins(PluginsArgs),
    /// Assess operational maturity against the rubric and write maturity-assessment.md
    /// (also `opslint --maturity [PATH]`; docs/maturity.md).
    Maturity(MaturityArgs),
    /// Audit many repositories (paths, git URLs, a list file, a folder of checkouts), sharded;
    /// `audit merge` makes one scorecard of the results (docs/fleet.md).
    Audit(crate::audit::args::AuditArgs),
    /// Write the missing core runbook documents (docs/ops-runbook/…) filled from the
    /// evidence, or refresh opslint's block in those it wrote (docs/runbook.md).
    Runbook(RunbookArgs),
    /// Print a shell completion script (e.g. `opslint completions bash > ~/.local/share/bash-completion/completions/opslint`).
    Completions { shell: clap_complete::Shell },
    /// Run the language server on standard input and output (LSP), for editors (docs/editors.md).
    Server,
    /// Print the manual page, generated from this command line (`opslint man check | man -l -`).
    Man {
        /// A subcommand's page (`check`) instead of opslint's.
        command: Option<String>,
    },
    /// Benchmark floor: walk, route and read like `check`, run no plugin.
    #[command(hide = true)]
    Floor(CheckArgs),
}

#[derive(Debug, Default, Clone, Args)]
pub struct CheckArgs {
    /// Files or directories; `-` reads standard input (with --stdin-filename).
    /// Directories are walked honouring .gitignore and .opslintignore; files
    /// named here are checked even if git-ignored ([files] exclude still applies)
    /// or in a folder left out by default (fixtures, testdata, tests, examples…).
    pub paths: Vec<PathBuf>,
    /// The name standard input is checked as (e.g. `rendered.yaml` for `helm template . | opslint check -`).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Show the source line under each finding in human output (the default).
    #[arg(long, overrides_with = "no_show_source")]
    pub show_source: bool,
    /// Findings without their source lines.
    #[arg(long, overrides_with = "show_source")]
    pub no_show_source: bool,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print findings only: no summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print nothing; the exit code says the result.
    #[arg(short, long, conflicts_with = "quiet")]
    pub silent: bool,
    /// Print how many findings each rule produced instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Apply the fixes marked safe, then report the findings left.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff: apply the fixes that may change behaviour too.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing; exit 1 when there is one.
    #[arg(long, conflicts_with_all = ["fix", "statistics"])]
    pub diff: bool,
    /// Hide findings listed in this baseline file (written by `opslint baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Ignore the `baseline` set in the configuration.
    #[arg(long, conflicts_with = "baseline")]
    pub no_baseline: bool,
    /// Check only files changed since this git revision (and untracked files).
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Exit 1 when a finding has at least this severity (overrides the config).
    #[arg(long, value_parser = parse_severity, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
    /// Run only these rules, plugins or aliases (comma-separated), replacing the config's selection.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Enable these rules, plugins or aliases too (comma-separated), e.g. rules off by default.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Disable rules, plugins or aliases (comma-separated), after the config.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Leave out test inputs, samples and vendored code ([files] default-exclude)
    /// even from files named here (for hooks that pass every changed file).
    #[arg(long)]
    pub force_exclude: bool,
    /// Run every active plugin for its evidence, even with no rule enabled (the maturity assessment).
    #[arg(skip)]
    pub all_evidence: bool,
    /// A file (canonical path) left out of the run: the maturity report itself.
    #[arg(skip)]
    pub skip_file: Option<PathBuf>,
    /// Folder names left out below the first path (the maturity assessment's test inputs and samples).
    #[arg(skip)]
    pub skip_dirs: Vec<String>,
    /// Texts read instead of the file at this absolute path (the passes of `--fix`).
    #[arg(skip)]
    pub texts: std::collections::HashMap<PathBuf, String>,
}

#[derive(Debug, Args)]
pub struct MaturityArgs {
    /// The repository to assess (default: the current directory).
    pub path: Option<PathBuf>,
    /// Where to write the report (default: `[maturity] report`, else
    /// docs/ops-runbook/maturity-assessment.md under PATH).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Exit 1 when the level reached is below N (default: `[maturity] min-level`).
    #[arg(long, value_name = "N")]
    pub min_level: Option<u32>,
    /// Write nothing; exit 1 when the report on disk is not what this run would write.
    #[arg(long)]
    pub check: bool,
    /// Rubric file instead of `[maturity] rubric` or the built-in policies/maturity.toml
    /// (`strict`: the built-in policies/maturity-strict.toml, every criterion gating).
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// `human`: print a summary and write the Markdown report; `json`: print the
    /// verdicts as a versioned JSON document and write nothing.
    #[arg(long, value_enum, default_value_t = ListFormat::Human, conflicts_with = "check")]
    pub format: ListFormat,
    /// Also write the missing core runbook documents, as `opslint runbook PATH` does.
    #[arg(long, conflicts_with = "format")]
    pub scaffold: bool,
}

#[derive(Debug, Args)]
pub struct RunbookArgs {
    /// The repository (default: the current directory).
    pub path: Option<PathBuf>,
    /// The runbook folder (default: the one the repository uses, else docs/ops-runbook/ under PATH).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Write nothing; exit 1 when a document is missing or its opslint block is stale.
    #[arg(long, conflicts_with = "dry_run")]
    pub check: bool,
    /// Print what would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// `json`: print the facts and the plan, and write nothing.
    #[arg(long, value_enum, default_value_t = ListFormat::Human, conflicts_with_all = ["check", "dry_run"])]
    pub format: ListFormat,
}

/// `opslint --maturity [PATH] …` is `opslint maturity [PATH] …`: the flag
/// form is rewritten before clap parses, when no subcommand comes before it.
pub fn normalise_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = args.into_iter().collect();
    let mut i = 1;
    while i < args.len() {
        let Some(a) = args[i].to_str() else { break };
        if a == "--maturity" {
            args[i] = "maturity".into();
            break;
        }
        if let Some(path) = a.strip_prefix("--maturity=") {
            let path = std::ffi::OsString::from(path);
            args[i] = "maturity".into();
            args.insert(i + 1, path);
            break;
        }
        match a {
            "--config" | "--color" => i += 2,
            "--" => break,
            _ if a.starts_with('-') => i += 1,
            // A subcommand: `--maturity` after it is that subcommand's business.
            _ => break,
        }
    }
    args
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Files or directories (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Where to write (default: `baseline` from the config, else .opslint-baseline.json in the project root).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PluginsArgs {
    #[command(subcommand)]
    pub action: Option<PluginsAction>,
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Subcommand)]
pub enum PluginsAction {
    /// Turn a plugin's wasm32 build into a component, check that it loads, and print its sha256 pin.
    Package {
        /// The core module cargo built (target/wasm32-unknown-unknown/release/<crate>.wasm), or a component.
        module: PathBuf,
        /// Where to write the component (default: `<plugin name>.wasm` in the current directory).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings grouped by file, with their source lines.
    #[default]
    Human,
    /// One line per finding: `path:line:col: severity rule message`.
    Concise,
    Json,
    /// SARIF 2.1.0 (code scanning).
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// GitLab Code Quality report.
    Gitlab,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    #[default]
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("`{s}` is not a severity (info, low, medium, high)"))
}
