//! loginfix: finds every browser profile and removes only the cookies (and later cache
//! and site data) that belong to the target domains. The binary is a thin wrapper
//! around [`run`]; tests call the same code.
//!
//! Data flows one way: `cli` → `platform` (where things are) → `browser` (profiles and
//! stores) → `stores` (read-only scans) → `plan` → `execute` (the only writer) →
//! `report` → `output`.

pub mod backup;
pub mod browser;
pub mod cli;
pub mod commands;
pub mod execute;
pub mod extensions;
pub mod fsutil;
pub mod lock;
pub mod output;
pub mod plan;
pub mod platform;
pub mod report;
pub mod stores;
pub mod targets;

#[cfg(test)]
mod testutil {
    //! Helpers shared by the unit tests.

    /// Writes a file, creating its parent directories.
    pub fn write(path: &std::path::Path, data: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, data).unwrap();
    }
}

use std::io::IsTerminal;

use cli::{Cli, ColorChoice, Command};
use output::Output;
use platform::Layout;
use report::Exit;

/// An error that ends the command: a message, hints for the user, and the exit code.
#[derive(Debug)]
pub struct Fatal {
    pub message: String,
    pub hints: Vec<String>,
    pub exit: Exit,
}

impl Fatal {
    pub fn usage(message: impl Into<String>) -> Fatal {
        Fatal {
            message: message.into(),
            hints: Vec::new(),
            exit: Exit::Usage,
        }
    }

    pub fn failure(message: impl Into<String>) -> Fatal {
        Fatal {
            message: message.into(),
            hints: Vec::new(),
            exit: Exit::Failure,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Fatal {
        self.hints.push(hint.into());
        self
    }
}

/// Whether text output should be coloured.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
        }
    }
}

/// Resolves the layout from `--home` / `--os`, or the current user's directories.
pub fn layout(cli: &Cli) -> Result<Layout, Fatal> {
    match &cli.home {
        Some(home) => {
            if !home.is_dir() {
                return Err(Fatal::usage(format!(
                    "the home directory `{}` does not exist or is not a directory",
                    home.display()
                ))
                .hint("give the directory that holds the user's AppData, Library or .config"));
            }
            Ok(Layout::for_home(
                cli.os.unwrap_or_else(platform::Os::host),
                home,
            ))
        }
        None => Layout::current(cli.os).ok_or_else(|| {
            Fatal::failure("could not find the current user's home directory")
                .hint("give it with --home DIR")
        }),
    }
}

/// Runs a parsed command line, writing its report through `out`.
pub fn run(cli: &Cli, out: &mut Output) -> Result<Exit, Fatal> {
    let layout = layout(cli)?;
    let locks = cli.locks();
    let exit = match &cli.command {
        Command::Browsers(a) => out.emit(&commands::browsers::run(&layout, &a.options(locks))?),
        Command::ClearCookies(a) => out.emit(&commands::clean::run(&layout, &a.options(locks))?),
        Command::ClearCache(a) => out.emit(&commands::clean::run(&layout, &a.options(locks))?),
        Command::Extensions(a) => out.emit(&commands::extensions::run(&layout, &a.options())?),
        Command::Backups(a) => out.emit(&commands::backups::list(&layout, &a.options())?),
        Command::Restore(a) => out.emit(&commands::backups::restore(&layout, &a.options(locks))?),
    };
    exit.map_err(|e| Fatal::failure(format!("could not write the output: {e}")))
}
