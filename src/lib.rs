//! loginfix: finds every browser profile and removes only the cookies (and later cache
//! and site data) that belong to the target domains. The binary is a thin wrapper
//! around [`run`]; tests call the same code.
//!
//! Data flows one way: `cli` → `platform` (where things are) → `browser` (profiles and
//! stores) → `stores` (read-only scans) → `plan` → `execute` (the only writer) →
//! `report` → `output`.

// Unit tests build their fixtures freely; the rule of clippy.toml is for product code.
#![cfg_attr(test, allow(clippy::disallowed_methods))]

pub mod browser;
pub mod cli;
pub mod commands;
pub mod confine;
pub mod doctor;
pub mod execute;
pub mod extensions;
pub mod fleet;
pub mod fsutil;
pub mod i18n;
pub mod interrupt;
pub mod lock;
pub mod output;
pub mod plan;
pub mod platform;
pub mod progress;
pub mod report;
pub mod run_lock;
pub mod scratch;
pub mod sqlite_vfs;
pub mod stores;
pub mod targets;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod users;

#[cfg(test)]
mod testutil {
    //! Helpers shared by the unit tests.

    /// Writes a file, creating its parent directories.
    pub fn write(path: &std::path::Path, data: impl AsRef<[u8]>) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, data).unwrap();
    }
}

use std::ffi::OsString;
use std::io;
use std::path::Path;

use browser::Browser;
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
    /// The kind of the error writing the output, when that is what failed: a closed
    /// pipe is told apart by its kind, as the message differs between systems and
    /// languages (Windows says "The pipe is being closed").
    pub output_error: Option<io::ErrorKind>,
}

impl Fatal {
    pub fn usage(message: impl Into<String>) -> Fatal {
        Fatal {
            message: message.into(),
            hints: Vec::new(),
            exit: Exit::Usage,
            output_error: None,
        }
    }

    pub fn failure(message: impl Into<String>) -> Fatal {
        Fatal {
            message: message.into(),
            hints: Vec::new(),
            exit: Exit::Failure,
            output_error: None,
        }
    }

    /// Writing the report or a diagnostic failed.
    pub fn output(error: io::Error) -> Fatal {
        Fatal {
            output_error: Some(error.kind()),
            ..Fatal::failure(format!("could not write the output: {error}"))
        }
    }

    /// The reader of the output went away (`loginfix ... | head`): that is the reader's
    /// choice, not a failure, and there is nobody left to tell.
    pub fn is_broken_pipe(&self) -> bool {
        self.output_error == Some(io::ErrorKind::BrokenPipe)
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Fatal {
        self.hints.push(hint.into());
        self
    }
}

/// Whether text output should be coloured: `--color always|never`, or for `auto` what
/// anstream (the crate clap colours with) decides for stdout: `NO_COLOR` turns colour
/// off, `CLICOLOR_FORCE` on even into a pipe, `CLICOLOR=0` off, and otherwise a terminal
/// gets colour unless `TERM=dumb`.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
        }
    }
}

/// The directories that tell which OS a home was laid out by, most telling first:
/// `AppData` exists only on Windows and `Library/...` only on macOS, while `.config` is
/// made on macOS too by many tools.
const LAYOUT_MARKS: &[(platform::Os, &str)] = &[
    (platform::Os::Windows, "AppData/Local"),
    (platform::Os::Windows, "AppData/Roaming"),
    (platform::Os::Macos, "Library/Application Support"),
    (platform::Os::Macos, "Library/Containers"),
    (platform::Os::Macos, "Library/Safari"),
    (platform::Os::Macos, "Library/Caches"),
    (platform::Os::Linux, ".config"),
    (platform::Os::Linux, ".mozilla"),
    (platform::Os::Linux, ".cache"),
    (platform::Os::Linux, "snap"),
    (platform::Os::Linux, ".var/app"),
];

/// The OS whose layout `home` has, and the directory that told: a mounted disk of
/// another machine is read as that machine's OS lays it out. `None` when `home` holds
/// none of the directories any browser keeps its data under.
pub fn guess_os(home: &std::path::Path) -> Option<(platform::Os, &'static str)> {
    LAYOUT_MARKS
        .iter()
        .find(|(_, rel)| platform::join_rel(home, rel).is_dir())
        .copied()
}

/// Says on stderr what `--home` without `--os` was taken for: with `-v` the layout
/// guessed, and always a hint at `--os` when the home holds nothing any browser uses.
fn tell_layout(cli: &Cli, out: &mut Output) -> Result<(), Fatal> {
    let (Some(home), None) = (&cli.home, cli.os) else {
        return Ok(());
    };
    let told = match guess_os(home) {
        Some((os, mark)) if out.verbose => out.note(&format!(
            "`{}` has {mark}: reading it as a {} home (give --os to choose another layout)",
            home.display(),
            os.name()
        )),
        Some(_) => Ok(()),
        None => out.warn(&format!(
            "`{}` holds none of AppData, Library, .config, .mozilla or .cache, where \
             browsers keep their data: nothing can be found there\n\
             hint: give the user's home directory itself as --home, and --os \
             linux|macos|windows to say how it is laid out",
            home.display(),
        )),
    };
    told.map_err(Fatal::output)
}

/// Resolves the layout from `--home` / `--os`, or the current user's directories.
pub fn layout(cli: &Cli) -> Result<Layout, Fatal> {
    let layout = match &cli.home {
        Some(home) => {
            if !home.is_dir() {
                return Err(Fatal::usage(format!(
                    "the home directory `{}` does not exist or is not a directory",
                    home.display()
                ))
                .hint("give the directory that holds the user's AppData, Library or .config"));
            }
            let os = cli
                .os
                .or_else(|| guess_os(home).map(|(os, _)| os))
                .unwrap_or_else(platform::Os::host);
            // Absolute once, here: every path derived from the home (in reports, in backup
            // manifests, in the undo command) then works from any working directory.
            Ok(Layout::for_home(os, fsutil::absolute(home)))
        }
        None => Layout::current(cli.os).ok_or_else(|| {
            Fatal::failure("could not find the current user's home directory")
                .hint("give it with --home DIR")
        }),
    }?;
    match &cli.root {
        Some(root) if !root.is_dir() => Err(Fatal::usage(format!(
            "the root directory `{}` does not exist or is not a directory",
            root.display()
        ))
        .hint("give the directory a disk of the machine is mounted on, or leave --root out")),
        Some(root) => Ok(layout.with_root(fsutil::absolute(root))),
        None => Ok(layout),
    }
}

/// The name of a subcommand, as typed.
pub fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Fix(_) => "fix",
        Command::Browsers(_) => "browsers",
        Command::ClearCookies(_) => "clear-cookies",
        Command::ClearCache(_) => "clear-cache",
        Command::ClearSiteData(_) => "clear-site-data",
        Command::Extensions(_) => "extensions",
        Command::Doctor(_) => "doctor",
        Command::Backups(_) => "backups",
        Command::Restore(_) => "restore",
        Command::Completions(_) => "completions",
        Command::Man(_) => "man",
    }
}

/// Reports a fatal error: `error:` and `hint:` lines on stderr and, with `--json`, the
/// error document on stdout (unless writing stdout is what failed). Returns its exit code.
pub fn fail(cli: &Cli, fatal: &Fatal, out: &mut Output) -> Exit {
    let home = match &cli.home {
        Some(home) => Some(fsutil::absolute(home)),
        None => Layout::current(cli.os).map(|l| l.home),
    };
    // `--redact` covers errors too: a message may name the home.
    let mut redact = fleet::Redactor::new(cli.redact);
    if let Some(home) = &home {
        let name = platform::home_user(home).unwrap_or_default();
        redact.add_user(&name, home);
    }
    let redacted;
    let fatal = if cli.redact {
        redacted = Fatal {
            message: redact.text(&fatal.message),
            hints: fatal.hints.iter().map(|h| redact.text(h)).collect(),
            exit: fatal.exit,
            output_error: fatal.output_error,
        };
        &redacted
    } else {
        fatal
    };
    let _ = out.error(&fatal.message, &fatal.hints);
    let fleet_output = cli.summary.is_some() || cli.json_out.is_some();
    if (out.json || fleet_output) && fatal.output_error.is_none() {
        let doc = report::ErrorReport::new(
            Some(command_name(&cli.command).to_string()),
            report::Meta::new(home.as_deref()),
            &fatal.message,
            &fatal.hints,
            fatal.exit,
        );
        let json = serde_json::to_string_pretty(&doc)
            .map(|j| redact.json(&j))
            .unwrap_or_default();
        if let Some(path) = &cli.json_out {
            let _ = fleet::write_json_out(path, &json);
        }
        if let Some(form) = cli.summary {
            // A management tool shows the last line of stdout: it must say what failed.
            let text = fleet::error_summary(command_name(&cli.command), &fatal.message, form);
            let _ = out.write_raw(format!("{text}\n").as_bytes());
        } else if out.json {
            let _ = out.write_raw(format!("{json}\n").as_bytes());
        }
    }
    fatal.exit
}

/// Reports a command line clap refused. `--help` and `--version` (and any error without
/// `--json` among `args`) go the way clap prints them; with `--json`, clap's message
/// still goes to stderr and the error document to stdout.
pub fn usage_error(err: clap::Error, args: Vec<OsString>) -> std::process::ExitCode {
    use clap::error::ErrorKind;
    let json = args
        .iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .any(|a| a == "--json");
    if !json
        || matches!(
            err.kind(),
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
        )
    {
        err.exit();
    }
    let _ = err.print();
    let command = raw_command(&args);
    let (message, mut hints) = clap_message(&err);
    if hints.is_empty() {
        let name = command
            .as_deref()
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        hints.push(format!("`loginfix{name} --help` shows the usage"));
    }
    let home = raw_option(&args, "--home")
        .map(|h| fsutil::absolute(Path::new(&h)))
        .or_else(|| Layout::current(None).map(|l| l.home));
    let doc = report::ErrorReport::new(
        command,
        report::Meta::new(home.as_deref()),
        &message,
        &hints,
        Exit::Usage,
    );
    let mut out = Output::new(true, false, false, false);
    let _ = out.json(&doc);
    std::process::ExitCode::from(Exit::Usage as u8)
}

/// Clap's error as a message (its `error:` line) and hints (its `tip:` lines).
fn clap_message(err: &clap::Error) -> (String, Vec<String>) {
    if err.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        return (
            "a command is required".to_string(),
            vec!["`loginfix --help` lists the commands".to_string()],
        );
    }
    let text = err.render().to_string();
    let mut lines = text.lines();
    let message = lines
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .to_string();
    let hints = lines
        .filter_map(|l| l.trim_start().strip_prefix("tip: "))
        .map(str::to_string)
        .collect();
    (message, hints)
}

/// The value of the global option `name` in raw arguments (`--home DIR`, `--home=DIR`).
fn raw_option(args: &[OsString], name: &str) -> Option<OsString> {
    let mut it = args.iter().skip(1).take_while(|a| *a != "--");
    while let Some(a) = it.next() {
        if a == name {
            return it.next().cloned();
        }
        if let Some(v) = a
            .to_str()
            .and_then(|a| a.strip_prefix(name)?.strip_prefix('='))
        {
            return Some(v.into());
        }
    }
    None
}

/// The subcommand named in raw arguments, skipping the values of global options.
fn raw_command(args: &[OsString]) -> Option<String> {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let mut it = args.iter().skip(1).take_while(|a| *a != "--");
    while let Some(a) = it.next() {
        let a = a.to_str()?;
        if matches!(
            a,
            "--home" | "--root" | "--os" | "--color" | "--lang" | "--json-out" | "--timeout"
        ) {
            it.next();
            continue;
        }
        if let Some(sub) = cmd.find_subcommand(a) {
            return Some(sub.get_name().to_string());
        }
    }
    None
}

/// The command that restores `backup`, repeating the `--home`, `--os` and `--backup-dir`
/// the run had (absolute, quoted for the shell) so it works when pasted anywhere; `None`
/// for a set with nothing to restore.
fn undo(
    cli: &Cli,
    ctx: &RunContext,
    layout: &Layout,
    backup_dir: &Option<std::path::PathBuf>,
    backup: Option<&report::BackupRef>,
) -> Option<String> {
    let backup = backup.filter(|b| b.restorable)?;
    let mut globals = Vec::new();
    if cli.home.is_some() || ctx.fleet {
        globals.push("--home".to_string());
        globals.push(layout.home.to_string_lossy().into_owned());
    }
    if let Some(os) = cli.os {
        globals.push("--os".to_string());
        globals.push(os.name().to_string());
    }
    let dir = backup_dir
        .as_ref()
        .map(|_| commands::backups::root(layout, backup_dir));
    Some(report::undo_command(&globals, dir.as_deref(), &backup.id))
}

/// Runs a clean and writes its report. As text, each profile's lines are printed when that
/// profile is done and the summary and undo line at the end; as JSON, one document at
/// the end. Progress is drawn on stderr when a person watches (see `Output::watched`).
fn clean(
    cli: &Cli,
    ctx: &RunContext,
    layout: &Layout,
    options: &commands::clean::Options,
    backup_dir: &Option<std::path::PathBuf>,
    out: &mut Output,
) -> Result<io::Result<Exit>, Fatal> {
    use commands::clean::Event;
    let stream = !out.json;
    let mut progress = if out.watched() {
        progress::Progress::on_terminal()
    } else {
        progress::Progress::hidden()
    };
    let style = out.style();
    // A reader that went away does not stop the run half-way: the run goes on to its
    // end (or its interrupt) and the error is reported then.
    let mut write_error: Option<io::Error> = None;
    let mut tell = |event: Event| {
        if !stream || write_error.is_some() {
            return Ok(());
        }
        let text = match event {
            Event::Browsers(browsers) => report::CleanReport::render_header(browsers, &style),
            Event::Profile(p) => report::CleanReport::render_profile(p, &style),
        };
        if let Err(e) = progress.suspend(|| out.text(&text)) {
            write_error = Some(e);
        }
        Ok(())
    };
    let options = commands::clean::Options {
        deadline: ctx.deadline,
        ..options.clone()
    };
    let result = commands::clean::run_live(layout, &options, &progress, &mut tell);
    progress.finish();
    let mut report = result?;
    if let Some(e) = write_error {
        return Err(Fatal::output(e));
    }
    report.undo_command = undo(cli, ctx, layout, backup_dir, report.backup.as_ref());
    Ok(if stream {
        out.emit(&report::Streamed(&report))
    } else {
        out.emit(&report)
    })
}

/// How one home's run is made: on its own, or as one user of `--all-users`.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunContext {
    /// One user of `--all-users`: the home is explicit (`--home` in the undo command)
    /// and doctor leaves the machine-wide checks to the fleet run.
    pub fleet: bool,
    /// `--timeout`: when a clean stops beginning profiles.
    pub deadline: Option<std::time::Instant>,
}

/// Runs the command of `cli` on `layout`'s home and returns its report.
pub fn run_one(cli: &Cli, layout: &Layout, ctx: &RunContext) -> Result<fleet::AnyReport, Fatal> {
    use fleet::AnyReport;
    enter_home(layout)?;
    let locks = cli.locks();
    let clean = |options: commands::clean::Options, dir: &Option<std::path::PathBuf>| {
        let options = commands::clean::Options {
            deadline: ctx.deadline,
            ..options
        };
        let mut report = commands::clean::run(layout, &options)?;
        report.undo_command = undo(cli, ctx, layout, dir, report.backup.as_ref());
        Ok::<_, Fatal>(AnyReport::Clean(report))
    };
    Ok(match &cli.command {
        Command::Browsers(a) => {
            AnyReport::Browsers(commands::browsers::run(layout, &a.options(locks))?)
        }
        Command::ClearCookies(a) => clean(a.options(locks), &a.backup.backup_dir)?,
        Command::ClearCache(a) => clean(a.options(locks), &a.clear.backup.backup_dir)?,
        Command::ClearSiteData(a) => clean(a.options(locks), &a.clear.backup.backup_dir)?,
        Command::Extensions(a) => {
            AnyReport::Extensions(commands::extensions::run(layout, &a.options())?)
        }
        Command::Doctor(a) => {
            let options = commands::doctor::Options {
                machine: !ctx.fleet,
                ..a.options(locks)
            };
            AnyReport::Doctor(commands::doctor::run(layout, &options)?)
        }
        Command::Backups(a) => AnyReport::Backups(commands::backups::list(layout, &a.options())?),
        Command::Restore(a) => {
            let mut report = commands::backups::restore(layout, &a.options(locks))?;
            report.undo_command = undo(cli, ctx, layout, &a.backup_dir, report.undo.as_ref());
            AnyReport::Restore(report)
        }
        Command::Fix(a) => {
            // One user of a fleet run, or a report for --summary/--json-out/--redact: the
            // script's way, never waiting nor asking.
            let options = commands::fix::Options {
                machine: !ctx.fleet,
                ..a.options(locks)
            };
            let dir = &a.backup.backup_dir;
            let undo = |b: Option<&report::BackupRef>| undo(cli, ctx, layout, dir, b);
            AnyReport::Fix(Box::new(commands::fix::build(layout, &options, &undo)?))
        }
        Command::Completions(_) | Command::Man(_) => {
            return Err(Fatal::usage("this command acts on no home"))
        }
    })
}

/// Confines this thread's reads to `layout`'s home (see `fsutil::confine_reads_to`) and
/// refuses a home that is someone else's to act on with a base folder a third user owns.
fn enter_home(layout: &Layout) -> Result<(), Fatal> {
    fsutil::confine_reads_to(layout.confinement());
    match confine::check_home(layout).refused {
        Some(why) => Err(Fatal::failure(why).hint(
            "give the folder back to the home's owner (chown), or move it aside, then run again",
        )),
        None => Ok(()),
    }
}

/// Whether the command acts on a selection of browser profiles.
fn takes_profiles(command: &Command) -> bool {
    matches!(
        command,
        Command::Browsers(_)
            | Command::ClearCookies(_)
            | Command::ClearCache(_)
            | Command::ClearSiteData(_)
            | Command::Extensions(_)
            | Command::Doctor(_)
            | Command::Fix(_)
    )
}

/// Run as root (a management tool's default) on root's own home, with no browser
/// profile there: almost surely not the account meant, and reporting "nothing found"
/// would tell the fleet a success that never happened.
fn refuse_root_home(cli: &Cli, layout: &Layout) -> Result<(), Fatal> {
    if cli.home.is_some() || !takes_profiles(&cli.command) || !users::running_as_root() {
        return Ok(());
    }
    let found = browser::discover(layout, &Browser::all().collect::<Vec<_>>());
    if !found.profiles.is_empty() {
        return Ok(());
    }
    Err(Fatal::usage(format!(
        "running as root, and root's home `{}` has no browser profile: this is probably \
         not the account you meant",
        layout.home.display()
    ))
    .hint("give --all-users to act on every user of this machine, or --home DIR for one"))
}

/// Runs a parsed command line, writing its report through `out`.
pub fn run(cli: &Cli, out: &mut Output) -> Result<Exit, Fatal> {
    // Generated from the clap definitions; they need no home.
    let doc = match &cli.command {
        Command::Completions(a) => Some(commands::docs::completions(
            <Cli as clap::CommandFactory>::command(),
            a.shell,
        )),
        Command::Man(a) => Some(
            commands::docs::man(
                <Cli as clap::CommandFactory>::command(),
                a.command.as_deref(),
            )
            .map_err(Fatal::output)?,
        ),
        _ => None,
    };
    if let Some(doc) = doc {
        out.write_raw(&doc).map_err(Fatal::output)?;
        return Ok(Exit::Success);
    }
    i18n::set(i18n::detect(cli.lang, |v| std::env::var(v).ok()));
    if cli.all_users {
        return fleet::run(cli, out);
    }
    let layout = layout(cli)?;
    enter_home(&layout)?;
    tell_layout(cli, out)?;
    refuse_root_home(cli, &layout)?;
    let ctx = RunContext {
        fleet: false,
        deadline: cli
            .timeout
            .map(|t| std::time::Instant::now() + std::time::Duration::from_secs_f64(t)),
    };
    let locks = cli.locks();
    // Output for a person or a plain script: a clean streams its profiles (with progress
    // on a terminal) and `fix` may wait and ask. The management tools' forms (--summary,
    // --json-out, --redact) take the whole report at the end instead.
    let plain = cli.summary.is_none() && cli.json_out.is_none() && !cli.redact;
    if plain {
        match &cli.command {
            Command::Fix(a) => {
                let mut options = a.options(locks);
                options.interactive = commands::fix::on_a_terminal(a.yes, out.json);
                let dir = &a.backup.backup_dir;
                let undo = |b: Option<&report::BackupRef>| undo(cli, &ctx, &layout, dir, b);
                return commands::fix::run(&layout, &options, out, &undo);
            }
            Command::ClearCookies(a) => {
                let dir = &a.backup.backup_dir;
                return clean(cli, &ctx, &layout, &a.options(locks), dir, out)?
                    .map_err(Fatal::output);
            }
            Command::ClearCache(a) => {
                let dir = &a.clear.backup.backup_dir;
                return clean(cli, &ctx, &layout, &a.options(locks), dir, out)?
                    .map_err(Fatal::output);
            }
            Command::ClearSiteData(a) => {
                let dir = &a.clear.backup.backup_dir;
                return clean(cli, &ctx, &layout, &a.options(locks), dir, out)?
                    .map_err(Fatal::output);
            }
            _ => {}
        }
    }
    let report = run_one(cli, &layout, &ctx)?;
    fleet::emit_single(cli, out, &layout, &report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;
    use clap::Parser;

    /// A stdout whose reader has gone, saying so the way Windows does: only the kind
    /// tells it apart from any other failure.
    struct ClosedPipe;

    impl io::Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "The pipe is being closed.",
            ))
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_is_recognised_by_its_kind_in_text_and_json() {
        let home = tempfile::tempdir().unwrap();
        let home = home.path().to_str().unwrap();
        let cli = Cli::parse_from(["loginfix", "--home", home, "--os", "linux", "browsers"]);
        for json in [false, true] {
            let mut out = Output::with_writers(
                json,
                false,
                false,
                false,
                Box::new(ClosedPipe),
                Box::new(io::sink()),
            );
            let fatal = run(&cli, &mut out).unwrap_err();
            assert!(fatal.is_broken_pipe(), "json {json}: {fatal:?}");
            assert_eq!(fatal.exit, Exit::Failure);
        }
    }

    /// A writer whose bytes the test can read afterwards.
    #[derive(Clone, Default)]
    struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl io::Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// The streamed text (profile by profile, then the footer) is byte for byte the text
    /// the whole report renders at once, with `-v` (the header) and `-q` too.
    #[test]
    fn streamed_text_is_the_whole_reports_text() {
        let home = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/linux");
        let home = home.to_str().unwrap();
        for (verbose, quiet) in [(false, false), (true, false), (false, true)] {
            for command in ["clear-cookies", "clear-cache", "clear-site-data"] {
                let mut args = vec!["loginfix", "--home", home, "--os", "linux"];
                if verbose {
                    args.push("-v");
                }
                if quiet {
                    args.push("-q");
                }
                args.extend([command, "--dry-run"]);
                let cli = Cli::parse_from(&args);
                let stdout = Shared::default();
                let mut out = Output::with_writers(
                    false,
                    quiet,
                    verbose,
                    false,
                    Box::new(stdout.clone()),
                    Box::new(io::sink()),
                );
                run(&cli, &mut out).unwrap();
                let streamed = String::from_utf8(stdout.0.borrow().clone()).unwrap();
                let layout = layout(&cli).unwrap();
                let options = match &cli.command {
                    Command::ClearCookies(a) => a.options(cli.locks()),
                    Command::ClearCache(a) => a.options(cli.locks()),
                    Command::ClearSiteData(a) => a.options(cli.locks()),
                    _ => unreachable!(),
                };
                let whole = commands::clean::run(&layout, &options)
                    .unwrap()
                    .render_text(&out.style());
                assert!(streamed.contains("Dry run: nothing was changed."));
                if !quiet && command == "clear-cookies" {
                    assert!(streamed.contains("Would remove"), "{streamed}");
                }
                assert_eq!(streamed, whole, "{args:?}");
            }
        }
    }

    #[test]
    fn only_a_closed_pipe_is_a_closed_pipe() {
        let named = Fatal::failure("could not read `x`: Broken pipe (os error 32)");
        assert!(!named.is_broken_pipe());
        assert!(!Fatal::output(io::Error::from(io::ErrorKind::WriteZero)).is_broken_pipe());
        assert!(Fatal::output(io::Error::from(io::ErrorKind::BrokenPipe)).is_broken_pipe());
    }
}
