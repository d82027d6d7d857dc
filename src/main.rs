//! The `loginfix` binary: parse, run the library, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use loginfix::cli::Cli;
use loginfix::output::Output;
use loginfix::report::Exit;

fn main() -> ExitCode {
    if let Some(code) = plain_loginfix() {
        return code;
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return loginfix::usage_error(err, std::env::args_os().collect()),
    };
    // Copies left by a loginfix that was killed before it could remove them.
    loginfix::scratch::sweep_stale();
    let mut out = Output::new(
        cli.json,
        cli.quiet,
        cli.verbose,
        loginfix::use_color(cli.color),
    );
    let exit = match loginfix::run(&cli, &mut out) {
        Ok(exit) => exit,
        // A closed pipe (`loginfix ... | head`) is the reader's choice, not a failure.
        Err(fatal) if fatal.is_broken_pipe() => Exit::Success,
        Err(fatal) => loginfix::fail(&cli, &fatal, &mut out),
    };
    ExitCode::from(exit as u8)
}

/// A plain `loginfix`, nothing after it: the short usage (the commands and the first
/// thing to try) on stderr and exit 2, instead of clap's every option.
fn plain_loginfix() -> Option<ExitCode> {
    if std::env::args_os().len() > 1 {
        return None;
    }
    let usage = loginfix::cli::short_usage();
    let _ = std::io::Write::write_all(&mut std::io::stderr(), usage.as_bytes());
    Some(ExitCode::from(Exit::Usage as u8))
}
