//! One invocation: load config and plugins, then check, list or explain.
use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::cli::{Cli, Command, ListFormat};
use crate::config::{self, Layers};
use crate::error::Error;
use crate::plugin::{CacheDir, Loaded, Runtime, Source, BUILTINS};
use crate::report;

mod audit;
mod check;
mod fix;
mod maturity;
mod package;
mod runbook;
mod server;

/// What to print and how to exit; the library itself never prints.
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: u8,
}

/// Plugins, configuration and catalog: what every command starts from.
pub struct Session {
    pub runtime: Runtime,
    pub plugins: Vec<Loaded>,
    pub layers: Layers,
    pub catalog: Catalog,
    pub cwd: PathBuf,
}

pub fn run(cli: &Cli, color: bool) -> Result<Outcome, Error> {
    let cwd = std::env::current_dir().map_err(|e| Error::Internal(format!("no working directory: {e}")))?;
    let first = match &cli.command {
        Command::Check(args) | Command::Floor(args) => args.paths.first().cloned(),
        Command::Baseline(args) => args.paths.first().cloned(),
        Command::Maturity(args) => Some(args.path.clone().unwrap_or_else(|| PathBuf::from("."))),
        Command::Runbook(args) => Some(args.path.clone().unwrap_or_else(|| PathBuf::from("."))),
        _ => None,
    };
    if let Command::Completions { shell } = &cli.command {
        return Ok(completions(*shell));
    }
    if let Command::Man { command } = &cli.command {
        return Ok(Outcome { stdout: man_page(command.as_deref())?, stderr: String::new(), code: 0 });
    }
    if let Command::Server = &cli.command {
        // Loads configuration and plugins itself, for the workspace the client names.
        return server::run(cli);
    }
    if let Command::Plugins(crate::cli::PluginsArgs { action: Some(action), .. }) = &cli.command {
        // Before any configuration: it may pin the previous build of this very plugin.
        return package::run(cli, action, &cwd);
    }
    if let Command::Audit(crate::audit::args::AuditArgs { command: Some(sub), .. }) = &cli.command {
        // Merging reads result files only: no configuration, no plugin.
        let crate::audit::args::AuditCommand::Merge(m) = sub;
        return audit::merge(m, &cwd);
    }
    let session = Session::open(cli, &cwd, first.as_deref())?;
    match &cli.command {
        Command::Check(args) => check::run(&session, args, cli.verbose, color),
        Command::Baseline(args) => check::baseline(&session, args),
        Command::Rules(args) => Ok(Outcome {
            stdout: report::rules::render(&session.catalog, args.format == ListFormat::Json),
            stderr: String::new(),
            code: 0,
        }),
        Command::Explain { rule } => explain(&session.catalog, rule),
        Command::Floor(args) => check::floor(&session, args),
        // Answered above, before any configuration or plugin is loaded.
        Command::Man { command } => {
            Ok(Outcome { stdout: man_page(command.as_deref())?, stderr: String::new(), code: 0 })
        }
        Command::Maturity(args) => {
            let mut out = maturity::run(&session, args)?;
            if args.scaffold {
                let rb = crate::cli::RunbookArgs {
                    path: args.path.clone(),
                    dir: None,
                    check: args.check,
                    dry_run: false,
                    format: args.format,
                };
                let more = runbook::run(&session, &rb)?;
                out.stdout.push_str(&more.stdout);
                out.stderr.push_str(&more.stderr);
                out.code = out.code.max(more.code);
            }
            Ok(out)
        }
        Command::Runbook(args) => runbook::run(&session, args),
        Command::Audit(args) => audit::run(session, args),
        Command::Plugins(args) => Ok(Outcome {
            stdout: report::rules::plugins(&session.plugins, args.format == ListFormat::Json),
            stderr: String::new(),
            code: 0,
        }),
        Command::Completions { shell } => Ok(completions(*shell)),
        Command::Server => server::run(cli),
    }
}

/// A completion script for `shell`, generated from the clap definition so it never drifts.
fn completions(shell: clap_complete::Shell) -> Outcome {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "opslint", &mut script);
    Outcome { stdout: String::from_utf8_lossy(&script).into_owned(), stderr: String::new(), code: 0 }
}

impl Session {
    pub fn open(cli: &Cli, cwd: &Path, first_path: Option<&Path>) -> Result<Session, Error> {
        let config_path = match &cli.config {
            Some(p) => Some(p.clone()),
            None => {
                let start = first_path
                    .map(|p| if p.is_absolute() { p.to_path_buf() } else { cwd.join(p) })
                    .unwrap_or_else(|| cwd.to_path_buf());
                let start = if start.is_dir() {
                    start
                } else {
                    start.parent().map(Path::to_path_buf).unwrap_or_else(|| cwd.to_path_buf())
                };
                config::discover(&start)
            }
        };
        let layers = config::load(config_path.as_deref())?;
        let cache = if cli.no_cache { CacheDir(None) } else { CacheDir::from_env() };
        let runtime =
            Runtime::new(cache).map_err(|e| Error::Internal(format!("cannot start the plugin runtime: {e:#}")))?;
        let plugins = load_plugins(&runtime, &layers)?;
        let catalog = Catalog::new(&plugins);
        Ok(Session { runtime, plugins, layers, catalog, cwd: cwd.to_path_buf() })
    }
}

fn load_plugins(runtime: &Runtime, layers: &Layers) -> Result<Vec<Loaded>, Error> {
    use rayon::prelude::*;
    let external = layers.external_plugins()?;
    let mut sources: Vec<(String, Cow<[u8]>, String, Source)> = BUILTINS
        .iter()
        .map(|(n, b, sha)| (n.to_string(), Cow::Borrowed(*b), sha.to_string(), Source::Builtin))
        .collect();
    for ext in external {
        if BUILTINS.iter().any(|(n, _, _)| *n == ext.name) {
            return Err(Error::usage(format!(
                "`[plugins.{}] path` would replace the built-in plugin of that name; choose another name",
                ext.name
            )));
        }
        let bytes = std::fs::read(&ext.path)
            .map_err(|e| Error::Io { path: ext.path.display().to_string(), message: e.to_string() })?;
        let actual = crate::plugin::sha256_hex(&bytes);
        match &ext.sha256 {
            Some(want) if *want == actual => {}
            Some(want) => {
                return Err(Error::Usage {
                    message: format!(
                        "plugin `{}` ({}): sha256 mismatch: the configuration pins {want}, the file is {actual}",
                        ext.name,
                        ext.path.display()
                    ),
                    help: Some("if the new file is trusted, update `sha256` in opslint.toml".into()),
                });
            }
            None => {
                return Err(Error::Usage {
                    message: format!("plugin `{}` ({}) has no `sha256` pin", ext.name, ext.path.display()),
                    help: Some(format!("add `sha256 = \"{actual}\"` to its [plugins] section once you trust the file")),
                });
            }
        }
        sources.push((ext.name, Cow::Owned(bytes), actual, Source::File(ext.path)));
    }
    let loaded: Vec<Result<Loaded, Error>> = sources
        .into_par_iter()
        .map(|(name, bytes, sha256, source)| {
            let fail = |message: String| Error::PluginLoad {
                name: name.clone(),
                source_desc: source.to_string(),
                message,
                help: None,
            };
            let plugin = runtime.load(bytes, sha256, source.clone()).map_err(|e| fail(format!("{e:#}")))?;
            if plugin.name != name {
                return Err(fail(format!(
                    "it calls itself `{}`; its rule ids must carry the name it is configured under",
                    plugin.name
                )));
            }
            Ok(plugin)
        })
        .collect();
    let mut plugins = loaded.into_iter().collect::<Result<Vec<_>, _>>()?;
    plugins.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(plugins)
}

/// The roff manual page of opslint, or of one of its subcommands (`opslint-check(1)`).
pub fn man_page(sub: Option<&str>) -> Result<String, Error> {
    use clap::CommandFactory;
    let root = Cli::command();
    let (cmd, title) = match sub {
        None => (root, "opslint".to_string()),
        Some(name) => {
            let Some(found) = root.find_subcommand(name).filter(|c| !c.is_hide_set()) else {
                let names: Vec<&str> =
                    root.get_subcommands().filter(|c| !c.is_hide_set()).map(|c| c.get_name()).collect();
                return Err(Error::Usage {
                    message: format!("no subcommand `{name}`"),
                    help: Some(format!("one of: {}", names.join(", "))),
                });
            };
            (found.clone().version(env!("CARGO_PKG_VERSION")), format!("opslint-{name}"))
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd).title(title).render(&mut out).map_err(|e| Error::Internal(format!("man page: {e}")))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn explain(catalog: &Catalog, rule: &str) -> Result<Outcome, Error> {
    if let Some(which) = catalog.ambiguous(rule) {
        return Err(Error::Usage { message: format!("which rule is `{rule}`?"), help: Some(which) });
    }
    let mut found = catalog.select(rule);
    if found.is_empty() {
        // A bare rule name is enough when one plugin has it.
        found = catalog.by_local_name(rule);
        if found.len() > 1 {
            found.clear();
        }
    }
    if found.is_empty() && rule != "all" {
        // Not a rule: a maturity criterion (`manual-backup`, `maturity/manual-backup`), or all of them.
        let text = if rule == "maturity" {
            Some(crate::maturity::explain::all())
        } else {
            crate::maturity::explain::criterion(rule)
        };
        if let Some(stdout) = text {
            return Ok(Outcome { stdout, stderr: String::new(), code: 0 });
        }
    }
    if found.is_empty() || rule == "all" {
        let help = Some(catalog.unknown_help(rule));
        return Err(Error::Usage { message: format!("unknown rule `{rule}`"), help });
    }
    let stdout = found.iter().map(|r| report::rules::explain(r)).collect::<Vec<_>>().join("\n");
    Ok(Outcome { stdout, stderr: String::new(), code: 0 })
}
