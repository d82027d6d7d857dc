//! The `loginfix` binary: parse, run the library, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;
use loginfix::cli::Cli;
use loginfix::output::Output;
use loginfix::report::Exit;

fn main() -> ExitCode {
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
