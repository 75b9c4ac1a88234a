use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = opslint::cli::Cli::parse_from(opslint::cli::normalise_args(std::env::args_os()));
    let color = match cli.color {
        opslint::cli::Color::Always => true,
        opslint::cli::Color::Never => false,
        opslint::cli::Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    match opslint::app::run(&cli, color) {
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
