use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;

fn main() -> ExitCode {
    let cli = opslint::cli::Cli::parse_from(opslint::cli::normalise_args(std::env::args_os()));
    let color = match cli.color {
        opslint::cli::Color::Always => true,
        opslint::cli::Color::Never => false,
        opslint::cli::Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let done = done.clone();
        std::thread::spawn(move || watch(&done))
    };
    let result = opslint::app::run(&cli, color);
    done.store(true, Ordering::Relaxed);
    // Woken now, so a fast run does not wait for its next tick.
    watcher.thread().unpark();
    let _ = watcher.join();
    match result {
        Ok(out) => {
            let _ = std::io::stdout().write_all(out.stdout.as_bytes());
            let _ = std::io::stderr().write_all(out.stderr.as_bytes());
            ExitCode::from(out.code)
        }
        Err(err) => {
            let code = err.exit_code();
            let _ = writeln!(std::io::stderr(), "{}", opslint::report::human::render_error(&err, color));
            ExitCode::from(code)
        }
    }
}

/// On a terminal, says when plugins are being compiled (a first run,
/// seconds), and outside CI draws a progress line for runs that
/// take over a second; the line is erased before the report is printed.
fn watch(done: &AtomicBool) {
    let stderr_terminal = std::io::stderr().is_terminal();
    let terminal = stderr_terminal && std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false");
    let started = Instant::now();
    let (mut said, mut drawn) = (false, false);
    while !done.load(Ordering::Relaxed) {
        std::thread::park_timeout(Duration::from_millis(100));
        if done.load(Ordering::Relaxed) {
            break;
        }
        let mut err = std::io::stderr().lock();
        // For a person waiting at a terminal; logs and captured output stay as they were.
        if !said && stderr_terminal && opslint::progress::is_compiling() {
            said = true;
            if drawn {
                let _ = write!(err, "\r\x1b[2K");
            }
            let _ = writeln!(
                err,
                "compiling the built-in plugins for this machine (first run only: a few seconds; later runs load them from the cache)"
            );
        }
        // Each (file, plugin) pair is one check; the evidence phase adds its own at the end.
        let (checked, total) = opslint::progress::counts();
        if terminal && total > 0 && started.elapsed() > Duration::from_secs(1) {
            let percent = checked * 100 / total;
            let _ = write!(err, "\r\x1b[2Kchecking… {percent}% ({:.0?})", started.elapsed());
            let _ = err.flush();
            drawn = true;
        }
    }
    if drawn {
        let _ = write!(std::io::stderr(), "\r\x1b[2K");
    }
}
