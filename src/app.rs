//! The front door: resolves the layout and the language, then runs the `Job` on one home
//! (`commands::run_one`, or streamed and interactive for a person) or on every user
//! (`fleet::run`), and writes what happened through `output`, in the forms asked for.
//! Fatal errors and refused command lines are reported here too.

use std::ffi::OsString;
use std::io;
use std::path::Path;

use crate::browser::{self, Browser};
use crate::cli::{Cli, ColorChoice, Command};
use crate::commands::{self, Context, Job, UndoGlobals};
use crate::i18n::{t, ta};
use crate::output::forms::{self, Finished, Forms, Redactor};
use crate::output::shown::Shown;
use crate::output::Output;
use crate::platform::{self, Layout};
use crate::report::summary::{self, Users};
use crate::report::{self, AnyReport, Exit, Report};
use crate::worker::{self, wire::Told, Place, Ran};
use crate::{fleet, fsutil, i18n, progress, users, Fatal};

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
        Some((os, mark)) if out.verbose => out.note(&ta(
            "note-layout-guessed",
            &[
                ("dir", &home.display().to_string()),
                ("name", mark),
                ("os", os.name()),
            ],
        )),
        Some(_) => Ok(()),
        None => out.warn(&format!(
            "{}\nhint: {}",
            ta("warning-no-layout", &[("dir", &home.display().to_string())]),
            t("hint-no-layout")
        )),
    };
    told.map_err(Fatal::output)
}

/// Resolves the layout from `--home` / `--os`, or the current user's directories.
pub fn layout(cli: &Cli) -> Result<Layout, Fatal> {
    let layout = match &cli.home {
        Some(home) => {
            if !home.is_dir() {
                return Err(Fatal::usage(ta(
                    "error-home-missing",
                    &[("dir", &home.display().to_string())],
                ))
                .hint(t("hint-home-missing")));
            }
            let os = cli
                .os
                .or_else(|| guess_os(home).map(|(os, _)| os))
                .unwrap_or_else(platform::Os::host);
            // Absolute once, here: every path derived from the home (in reports, in backup
            // manifests, in the undo command) then works from any working directory.
            Ok(Layout::for_home(os, fsutil::absolute(home)))
        }
        None => Layout::current(cli.os)
            .ok_or_else(|| Fatal::failure(t("error-no-home")).hint(t("hint-no-home"))),
    }?;
    match &cli.root {
        Some(root) if !root.is_dir() => Err(Fatal::usage(ta(
            "error-root-missing",
            &[("dir", &root.display().to_string())],
        ))
        .hint(t("hint-root-missing"))),
        Some(root) => Ok(layout.with_root(fsutil::absolute(root))),
        None => Ok(layout),
    }
}

/// Reports a fatal error: `error:` and `hint:` lines on stderr and, with `--json`, the
/// error document on stdout (unless writing stdout is what failed); with `--summary`, one
/// summary line saying the error. Returns its exit code.
pub fn fail(cli: &Cli, fatal: &Fatal, out: &mut Output) -> Exit {
    let home = match &cli.home {
        Some(home) => Some(fsutil::absolute(home)),
        None => Layout::current(cli.os).map(|l| l.home),
    };
    // `--redact` covers errors too: a message may name the home.
    let mut redact = Redactor::new(cli.redact);
    if let Some(home) = &home {
        let name = platform::home_user(home).unwrap_or_default();
        redact.add_user(&name, home);
    }
    let message = redact.text(&fatal.message);
    let hints: Vec<String> = fatal.hints.iter().map(|h| redact.text(h)).collect();
    let _ = out.error(&message, &hints);
    let forms = cli.forms();
    if (out.json || !forms.plain()) && fatal.output_error.is_none() {
        let command = cli.command.name();
        let doc = report::ErrorReport::new(
            Some(command.to_string()),
            report::Meta::new(home.as_deref()),
            &message,
            &hints,
            fatal.exit,
        );
        let json = serde_json::to_string_pretty(&doc)
            .map(|j| redact.json(&j))
            .unwrap_or_default();
        // Not when the file is what could not be written (checked before the run).
        if let Some(path) = forms
            .json_out
            .as_ref()
            .filter(|_| fatal.exit != Exit::Usage)
        {
            let _ = forms::write_json_out(path, &json);
        }
        if let Some(form) = forms.summary {
            // A management tool shows the last line of stdout: it must say what failed.
            let line = summary::error_line(command, &message, fatal.exit, form);
            let _ = out.write_raw(format!("{line}\n").as_bytes());
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
    let globals: Vec<&OsString> = args.iter().skip(1).take_while(|a| *a != "--").collect();
    let json = globals.iter().any(|a| *a == "--json");
    // `--summary` or `--summary=FORM`: a management tool reads one line, even now.
    let summary = globals.iter().find_map(|a| match a.to_str() {
        Some("--summary" | "--summary=plain") => Some(summary::SummaryForm::Plain),
        Some("--summary=jamf") => Some(summary::SummaryForm::Jamf),
        _ => None,
    });
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        err.exit();
    }
    if !json && summary.is_none() {
        match told_usage_error(&err) {
            Some((message, hints)) => {
                let mut out = Output::new(false, false, false, use_color(ColorChoice::Auto));
                let _ = out.error(&message, &hints);
                return std::process::ExitCode::from(Exit::Usage as u8);
            }
            None => err.exit(),
        }
    }
    let _ = err.print();
    let command = raw_command(&args);
    let (message, mut hints) = clap_message(&err);
    if let Some(form) = summary {
        let name = command.as_deref().unwrap_or("loginfix");
        let line = summary::error_line(name, &message, Exit::Usage, form);
        let mut out = Output::new(false, false, false, false);
        let _ = out.write_raw(format!("{line}\n").as_bytes());
        return std::process::ExitCode::from(Exit::Usage as u8);
    }
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

/// The usage errors people make most, said in Japanese (clap says them in English):
/// an unknown command or option (with the one meant, when clap has a suggestion), a
/// value not among the choices, a missing value. `None`: clap's own words.
fn told_usage_error(err: &clap::Error) -> Option<(String, Vec<String>)> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if i18n::current() != i18n::Lang::Ja {
        return None;
    }
    let get = |kind: ContextKind| {
        match err.get(kind) {
            Some(ContextValue::String(s)) => Some(s.clone()),
            Some(ContextValue::Strings(v)) if !v.is_empty() => Some(i18n::list(v)),
            _ => None,
        }
        .filter(|s| !s.is_empty())
    };
    let more = || t("usage-error-more");
    let (message, mut hints) = match err.kind() {
        ErrorKind::InvalidSubcommand => (
            ta(
                "usage-error-command",
                &[("name", &get(ContextKind::InvalidSubcommand)?)],
            ),
            vec![t("usage-error-commands")],
        ),
        ErrorKind::UnknownArgument => (
            ta(
                "usage-error-option",
                &[("name", &get(ContextKind::InvalidArg)?)],
            ),
            vec![more()],
        ),
        ErrorKind::InvalidValue if get(ContextKind::InvalidValue).is_none() => (
            ta(
                "usage-error-missing",
                &[("name", &get(ContextKind::InvalidArg)?)],
            ),
            vec![more()],
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => (
            ta(
                "usage-error-value",
                &[
                    ("value", &get(ContextKind::InvalidValue)?),
                    ("name", &get(ContextKind::InvalidArg)?),
                ],
            ),
            vec![get(ContextKind::ValidValue)
                .map_or_else(more, |v| ta("usage-error-choices", &[("list", &v)]))],
        ),
        ErrorKind::MissingRequiredArgument => (
            ta(
                "usage-error-missing",
                &[("name", &get(ContextKind::InvalidArg)?)],
            ),
            vec![more()],
        ),
        ErrorKind::ArgumentConflict => (
            ta(
                "usage-error-conflict",
                &[
                    ("a", &get(ContextKind::InvalidArg)?),
                    ("b", &get(ContextKind::PriorArg)?),
                ],
            ),
            vec![more()],
        ),
        _ => return None,
    };
    let suggested =
        get(ContextKind::SuggestedSubcommand).or_else(|| get(ContextKind::SuggestedArg));
    if let Some(s) = suggested {
        hints.insert(0, ta("usage-error-did-you-mean", &[("name", &s)]));
    }
    Some((message, hints))
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

/// Runs a clean and writes its report. As text, each profile's lines are printed when that
/// profile is done and the summary and undo line at the end; as JSON, one document at
/// the end. Progress is drawn on stderr when a person watches (see `Output::watched`).
fn clean(
    ctx: &Context,
    layout: &Layout,
    options: &commands::clean::Options,
    out: &mut Output,
    place: Place,
) -> Result<Exit, Fatal> {
    let stream = !out.json;
    let mut progress = if out.watched() {
        progress::Progress::on_terminal()
    } else {
        progress::Progress::hidden()
    };
    let options = commands::clean::Options {
        deadline: ctx.deadline,
        ..options.clone()
    };
    let (result, failed) = {
        let mut shown = Shown::new(out, &progress, stream);
        let result = match place {
            Place::Here => commands::enter_home(layout).and_then(|()| {
                let mut r = commands::clean::run_live(layout, &options, &progress, &mut shown)?;
                r.undo_command =
                    commands::undo(ctx, layout, &options.backup_dir, r.backup.as_ref());
                Ok(r)
            }),
            // Its progress is not drawn: the child's events say each profile as it ends.
            Place::AsOwner(owner) => worker::run_as_owner(
                &Job::Clean(options.clone()),
                layout,
                ctx,
                Told::Clean,
                &mut shown,
                owner,
            )
            .and_then(|ran| match ran {
                Ran::Report(AnyReport::Clean(r)) => Ok(r),
                _ => Err(Fatal::failure("the run in the home gave no clean report")),
            }),
        };
        (result, shown.failed)
    };
    progress.finish();
    let report = result?;
    if let Some(e) = failed {
        return Err(Fatal::output(e));
    }
    if stream {
        out.emit(&report::Streamed(&report))
    } else {
        out.emit(&report)
    }
    .map_err(Fatal::output)
}

/// Run as root (a management tool's default) on root's own home, with no browser
/// profile there: almost surely not the account meant, and reporting "nothing found"
/// would tell the fleet a success that never happened.
fn refuse_root_home(cli: &Cli, job: &Job, layout: &Layout) -> Result<(), Fatal> {
    if cli.home.is_some() || !job.takes_profiles() || !users::running_as_root() {
        return Ok(());
    }
    let found = browser::discover(layout, &Browser::all().collect::<Vec<_>>());
    if !found.profiles.is_empty() {
        return Ok(());
    }
    Err(Fatal::usage(ta(
        "error-root-home-empty",
        &[("dir", &layout.home.display().to_string())],
    ))
    .hint(t("hint-root-home-empty")))
}

/// Runs a parsed command line, writing its report through `out`.
pub fn run(cli: &Cli, out: &mut Output) -> Result<Exit, Fatal> {
    let Some(job) = cli.job() else {
        // Generated from the clap definitions; they need no home.
        let doc = match &cli.command {
            Command::Completions(a) => {
                commands::docs::completions(<Cli as clap::CommandFactory>::command(), a.shell)
            }
            Command::Man(a) => commands::docs::man(
                <Cli as clap::CommandFactory>::command(),
                a.command.as_deref(),
            )
            .map_err(Fatal::output)?,
            _ => Vec::new(),
        };
        out.write_raw(&doc).map_err(Fatal::output)?;
        return Ok(Exit::Success);
    };
    i18n::set(i18n::detect(cli.lang, |v| std::env::var(v).ok()));
    let forms = cli.forms();
    forms.check()?;
    // `fix --if-requested`: a scheduled remediation cleans only when support asked, once.
    let served = match &job {
        Job::Fix(o) if o.if_requested => {
            let machine = machine_layout(cli)?;
            let mut warnings = Vec::new();
            let since = commands::request::requested(&machine, &mut warnings)?;
            for w in &warnings {
                out.warn(w).map_err(Fatal::output)?;
            }
            if since.is_none() {
                let status = commands::request::Options {
                    action: commands::request::Action::Status,
                };
                let report = AnyReport::Request(commands::request::run(&machine, &status)?);
                return if forms.plain() {
                    out.emit(&report).map_err(Fatal::output)
                } else {
                    emit_forms(&forms, out, &machine, &report)
                };
            }
            (!o.dry_run).then_some(machine)
        }
        _ => None,
    };
    let exit = dispatch(cli, &job, &forms, out)?;
    if let Some(machine) = served {
        // The requested clean ran (whatever it found): the request is served.
        let mut warnings = Vec::new();
        commands::request::served(&machine, &mut warnings);
        for w in &warnings {
            out.warn(w).map_err(Fatal::output)?;
        }
    }
    Ok(exit)
}

/// The machine `--root` (or this one) names, for what belongs to the machine rather than
/// to a home (the request of a clean).
fn machine_layout(cli: &Cli) -> Result<Layout, Fatal> {
    let os = cli.os.unwrap_or_else(platform::Os::host);
    let layout = Layout::for_home(os, std::path::PathBuf::new());
    match &cli.root {
        Some(root) if !root.is_dir() => Err(Fatal::usage(ta(
            "error-root-missing",
            &[("dir", &root.display().to_string())],
        ))),
        Some(root) => Ok(layout.with_root(fsutil::absolute(root))),
        None => Ok(layout),
    }
}

/// Runs `job` on every user, or on one home for a person (streamed, interactive) or a
/// script (the whole report, in the forms asked for).
fn dispatch(cli: &Cli, job: &Job, forms: &Forms, out: &mut Output) -> Result<Exit, Fatal> {
    if cli.all_users {
        let options = fleet::FleetOptions {
            os: cli.os.unwrap_or_else(platform::Os::host),
            os_given: cli.os,
            root: cli.root.clone(),
            timeout: cli.timeout.map(std::time::Duration::from_secs_f64),
        };
        return fleet::run(job, &options, forms, out);
    }
    let layout = layout(cli)?;
    // As root on a user's home, the work in it runs as that user (see `worker`).
    let (place, how) = worker::place_noted(&layout);
    if matches!(place, Place::Here) {
        commands::enter_home(&layout)?;
    }
    tell_layout(cli, out)?;
    if let Some(how) = how.filter(|_| out.verbose) {
        out.note(&how).map_err(Fatal::output)?;
    }
    refuse_root_home(cli, job, &layout)?;
    let ctx = Context {
        fleet: false,
        deadline: cli
            .timeout
            .map(|t| std::time::Instant::now() + std::time::Duration::from_secs_f64(t)),
        undo: UndoGlobals {
            home: cli.home.is_some(),
            os: cli.os,
        },
        fleet_run: None,
        machine_elsewhere: false,
    };
    // Output for a person or a plain script: a clean streams its profiles (with progress
    // on a terminal) and `fix` may wait and ask. The management tools' forms (--summary,
    // --json-out, --redact) take the whole report at the end instead.
    if forms.plain() {
        match job {
            Job::Fix(o) => {
                let mut options = o.clone();
                options.interactive = commands::fix::on_a_terminal(o.yes, out.json);
                let hidden = progress::Progress::hidden();
                // The clean's progress, as `clear-*` draws it, when a person watches.
                let watched = out.watched();
                let progress = move || {
                    if watched {
                        progress::Progress::on_terminal()
                    } else {
                        progress::Progress::hidden()
                    }
                };
                let outcome = {
                    let mut shown = Shown::new(out, &hidden, false);
                    match place {
                        Place::Here => {
                            let undo = |b: Option<&report::BackupRef>| {
                                commands::undo(&ctx, &layout, &o.backup_dir, b)
                            };
                            match commands::fix::run(
                                &layout, &options, &mut shown, &undo, &progress,
                            )? {
                                commands::fix::Outcome::Report(r) => Ran::Report(AnyReport::Fix(r)),
                                commands::fix::Outcome::Stopped(exit) => Ran::Stopped(exit),
                            }
                        }
                        Place::AsOwner(owner) => worker::run_as_owner(
                            &Job::Fix(options),
                            &layout,
                            &ctx,
                            Told::Fix,
                            &mut shown,
                            owner,
                        )?,
                    }
                };
                return match outcome {
                    Ran::Report(report) => out.emit(&report).map_err(Fatal::output),
                    Ran::Stopped(exit) => Ok(exit),
                };
            }
            Job::Clean(o) => return clean(&ctx, &layout, o, out, place),
            _ => {}
        }
    }
    let report = worker::run_placed(job, &layout, &ctx, place)?;
    if forms.plain() {
        return out.emit(&report).map_err(Fatal::output);
    }
    emit_forms(forms, out, &layout, &report)
}

/// Writes one home's report in the forms asked for (see `output::forms`).
fn emit_forms(
    forms: &Forms,
    out: &mut Output,
    layout: &Layout,
    report: &AnyReport,
) -> Result<Exit, Fatal> {
    let mut redact = Redactor::new(forms.redact);
    let name = report
        .user()
        .map(str::to_string)
        .or_else(|| platform::home_user(&layout.home));
    redact.add_user(name.as_deref().unwrap_or_default(), &layout.home);
    for w in report.warnings() {
        out.warn(&redact.text(&w)).map_err(Fatal::output)?;
    }
    for e in report.errors() {
        let hints: Vec<String> = e.hints.iter().map(|h| redact.text(h)).collect();
        out.error(&redact.text(&e.message), &hints)
            .map_err(Fatal::output)?;
    }
    let json = serde_json::to_string_pretty(report)
        .map_err(|e| Fatal::failure(format!("could not make the JSON document: {e}")))?;
    let mut tally = report.summary();
    tally.items = tally.items.iter().map(|i| redact.item(i)).collect();
    let undo = match report {
        AnyReport::Clean(r) => r.undo_command.clone(),
        AnyReport::Fix(r) => r.clean.undo_command.clone(),
        AnyReport::Restore(r) => r.undo_command.clone(),
        _ => None,
    };
    forms::finish(
        forms,
        out,
        Finished {
            command: report.command(),
            json: redact.json(&json),
            text: redact.text(&report.render_text(&out.style())),
            tally: Some(tally),
            users: Users::one(),
            exit: report.exit(),
            undo: undo.map(|u| redact.text(&u)),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;
    use crate::testutil::Shared;
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
                let Some(Job::Clean(options)) = cli.job() else {
                    unreachable!()
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
