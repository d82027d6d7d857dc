//! The `loginfix` binary: parse, run the front door (`app::run`), map the outcome to an
//! exit code.

use std::process::ExitCode;

use loginfix::output::Output;
use loginfix::report::Exit;

fn main() -> ExitCode {
    use std::io::IsTerminal;
    // Root's child working in a user's home: it becomes that user before anything else.
    if let Some(code) = loginfix::worker::child_main() {
        return code;
    }
    let holds = loginfix::cli::holds_window(
        std::env::args_os().len(),
        loginfix::platform::alone_on_console(),
        std::io::stdin().is_terminal(),
    );
    let code = run();
    if holds {
        loginfix::cli::wait_for_enter();
    }
    code
}

fn run() -> ExitCode {
    let args = match plain_loginfix() {
        Ok(args) => args,
        Err(code) => return code,
    };
    // Usage errors and `--help` speak the user's language too.
    loginfix::i18n::set(loginfix::cli::early_lang(&args));
    let cli = match loginfix::cli::parse(&args) {
        Ok(cli) => cli,
        Err(err) => return loginfix::app::usage_error(err, args),
    };
    // Copies left by a loginfix that was killed before it could remove them.
    loginfix::scratch::sweep_stale();
    let mut out = Output::new(
        cli.json,
        cli.quiet,
        cli.verbose,
        loginfix::app::use_color(cli.color),
    );
    let exit = match loginfix::app::run(&cli, &mut out) {
        Ok(exit) => exit,
        // A closed pipe (`loginfix ... | head`) is the reader's choice, not a failure.
        Err(fatal) if fatal.is_broken_pipe() => Exit::Success,
        Err(fatal) => loginfix::app::fail(&cli, &fatal, &mut out),
    };
    ExitCode::from(exit as u8)
}

/// The arguments to run. A plain `loginfix` (nothing after it, or only `--lang`) runs the
/// guided `fix` on a terminal; elsewhere a plain `loginfix` prints the short usage (the
/// commands and the first thing to try) on stderr and exits 2, not clap's every option.
fn plain_loginfix() -> Result<Vec<std::ffi::OsString>, ExitCode> {
    let args: Vec<_> = std::env::args_os().collect();
    if let Some(guided) = loginfix::cli::plain_args(&args) {
        return Ok(guided);
    }
    if args.len() > 1 {
        return Ok(args);
    }
    let usage = loginfix::cli::short_usage();
    let _ = std::io::Write::write_all(&mut std::io::stderr(), usage.as_bytes());
    Err(ExitCode::from(Exit::Usage as u8))
}
