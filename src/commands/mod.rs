//! The command table: [`Job`] (a command with its options, what `cli` turns the command
//! line into once), everything known about each command in one exhaustive `match` per
//! question, and [`run_one`], the one place a command is run on a home. One file per
//! command builds its typed report from discovery, plan and executor. Commands take plain
//! option structs, not clap types, so the benchmark and tests call them without a command
//! line, and `fleet` runs them without knowing `cli`.

pub mod backups;
pub mod browsers;
pub mod clean;
pub mod docs;
pub mod doctor;
pub mod extensions;
pub mod fix;
pub mod request;

use std::path::PathBuf;

use crate::browser::{self, Browser, Discovery};
use crate::platform::{Layout, Os};
use crate::report::{AnyReport, BackupRef};
use crate::Fatal;

/// One command to run on a home, with its options.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub enum Job {
    Browsers(browsers::Options),
    /// `clear-cookies`, `clear-cache` and `clear-site-data` (which one: `what`).
    Clean(clean::Options),
    Extensions(extensions::Options),
    Doctor(doctor::Options),
    Backups(backups::ListOptions),
    Restore(backups::RestoreOptions),
    Fix(fix::Options),
    /// `loginfix request`: a clean asked for on this machine (see `request`).
    Request(request::Options),
}

impl Job {
    /// The command's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Job::Browsers(_) => "browsers",
            Job::Clean(o) => o.what.command(),
            Job::Extensions(_) => "extensions",
            Job::Doctor(_) => "doctor",
            Job::Backups(_) => "backups",
            Job::Restore(_) => "restore",
            Job::Fix(_) => "fix",
            Job::Request(_) => "request",
        }
    }

    /// Whether it acts on a selection of browser profiles (the others read backups).
    pub fn takes_profiles(&self) -> bool {
        match self {
            Job::Browsers(_)
            | Job::Clean(_)
            | Job::Extensions(_)
            | Job::Doctor(_)
            | Job::Fix(_) => true,
            Job::Backups(_) | Job::Restore(_) | Job::Request(_) => false,
        }
    }

    /// Whether it changes stores: such a run is never abandoned half-way (`--timeout`
    /// stops it between profiles, see `execute::RunOptions`).
    pub fn writes(&self) -> bool {
        match self {
            Job::Clean(o) => !o.dry_run,
            Job::Fix(o) => !o.dry_run,
            Job::Restore(o) => !o.dry_run,
            Job::Request(o) => o.action != request::Action::Status,
            Job::Browsers(_) | Job::Extensions(_) | Job::Doctor(_) | Job::Backups(_) => false,
        }
    }

    /// Whether `--all-users` applies, and if not, why.
    pub fn fleet_rule(&self) -> Result<(), Fatal> {
        match self {
            Job::Browsers(_)
            | Job::Clean(_)
            | Job::Extensions(_)
            | Job::Doctor(_)
            | Job::Fix(_) => Ok(()),
            // Each user's own sets; one --backup-dir for all would mix them.
            Job::Backups(o) if o.backup_dir.is_none() => Ok(()),
            Job::Backups(_) => Err(Fatal::usage(
                "--all-users lists each user's own backup sets: it does not take --backup-dir",
            )),
            // Each user's own sets, by the --all-users run that made them.
            Job::Restore(o) if o.backup_dir.is_none() => Ok(()),
            Job::Restore(_) => Err(Fatal::usage(
                "--all-users restores each user's own backup sets: it does not take --backup-dir",
            )),
            Job::Request(_) => Err(Fatal::usage(
                "a request is the machine's, not a user's: `loginfix request` takes no --all-users",
            )),
        }
    }

    /// The machine-wide checks a fleet run makes once for all users (`doctor`, `fix`).
    pub fn machine_checks(&self) -> Option<doctor::Options> {
        match self {
            Job::Doctor(o) => Some(o.clone()),
            Job::Fix(o) => Some(fix::doctor_options(o)),
            Job::Browsers(_)
            | Job::Clean(_)
            | Job::Extensions(_)
            | Job::Backups(_)
            | Job::Restore(_)
            | Job::Request(_) => None,
        }
    }
}

/// How one home's run is made: on its own, or as one user of `--all-users`.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// One user of `--all-users`: the home is explicit (`--home` in the undo command)
    /// and doctor leaves the machine-wide checks to the fleet run.
    pub fleet: bool,
    /// `--timeout`: when a clean stops beginning profiles.
    pub deadline: Option<std::time::Instant>,
    /// The global options an undo command repeats.
    pub undo: UndoGlobals,
    /// The `--all-users` run (its `run_id`): stamped on every backup set it makes.
    pub fleet_run: Option<String>,
    /// The machine-wide checks of `doctor` and `fix` are made by another process: this
    /// is a child working in a home, and its parent makes them as root (see `worker`).
    pub machine_elsewhere: bool,
}

/// What of the command line an undo command (`loginfix ... restore ID`) repeats.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct UndoGlobals {
    /// `--home` was given: the undo command names the home.
    pub home: bool,
    pub os: Option<Os>,
}

/// Runs `job` on `layout`'s home and returns its report, never waiting nor asking (the
/// script's way; `app` runs `fix` interactively and streams a clean for a person).
pub fn run_one(job: &Job, layout: &Layout, ctx: &Context) -> Result<AnyReport, Fatal> {
    enter_home(layout)?;
    let undo = |dir: &Option<PathBuf>, b: Option<&BackupRef>| undo(ctx, layout, dir, b);
    Ok(match job {
        Job::Browsers(o) => AnyReport::Browsers(browsers::run(layout, o)?),
        Job::Clean(o) => {
            let o = clean::Options {
                deadline: ctx.deadline,
                fleet_run: ctx.fleet_run.clone(),
                ..o.clone()
            };
            let mut report = clean::run(layout, &o)?;
            report.undo_command = undo(&o.backup_dir, report.backup.as_ref());
            AnyReport::Clean(report)
        }
        Job::Extensions(o) => AnyReport::Extensions(extensions::run(layout, o)?),
        Job::Doctor(o) => {
            let o = doctor::Options {
                machine: !ctx.fleet && !ctx.machine_elsewhere,
                ..o.clone()
            };
            AnyReport::Doctor(doctor::run(layout, &o)?)
        }
        Job::Backups(o) => AnyReport::Backups(backups::list(layout, o)?),
        Job::Restore(o) => {
            let o = backups::RestoreOptions {
                stamp: ctx.fleet_run.clone(),
                ..o.clone()
            };
            let mut report = backups::restore(layout, &o)?;
            report.undo_command = undo(&o.backup_dir, report.undo.as_ref());
            AnyReport::Restore(report)
        }
        Job::Fix(o) => {
            let o = fix::Options {
                machine: !ctx.fleet && !ctx.machine_elsewhere,
                interactive: false,
                fleet_run: ctx.fleet_run.clone(),
                ..o.clone()
            };
            let undo = |b: Option<&BackupRef>| undo(&o.backup_dir, b);
            AnyReport::Fix(Box::new(fix::build(layout, &o, &undo)?))
        }
        Job::Request(o) => AnyReport::Request(request::run(layout, o)?),
    })
}

/// The command that restores `backup`, repeating the `--home`, `--os` and `--backup-dir`
/// the run had (absolute, quoted for the shell) so it works when pasted anywhere; `None`
/// for a set with nothing to restore.
pub fn undo(
    ctx: &Context,
    layout: &Layout,
    backup_dir: &Option<PathBuf>,
    backup: Option<&BackupRef>,
) -> Option<String> {
    let backup = backup.filter(|b| b.restorable)?;
    let mut globals = Vec::new();
    if ctx.undo.home || ctx.fleet {
        globals.push("--home".to_string());
        globals.push(layout.home.to_string_lossy().into_owned());
    }
    if let Some(os) = ctx.undo.os {
        globals.push("--os".to_string());
        globals.push(os.name().to_string());
    }
    let dir = backup_dir
        .as_ref()
        .map(|_| backups::root(layout, backup_dir));
    Some(crate::report::undo_command(
        &globals,
        dir.as_deref(),
        &backup.id,
    ))
}

/// Refuses a home that is someone else's to act on with a base folder a third user owns
/// (every read and write inside the home then goes through a `Confined` of its policy,
/// `Layout::confinement`).
pub fn enter_home(layout: &Layout) -> Result<(), Fatal> {
    match crate::confine::check_home(layout).refused {
        Some(why) => Err(Fatal::failure(why).hint(crate::i18n::t("hint-give-back-folder"))),
        None => Ok(()),
    }
}

/// Which browsers and profiles a command acts on.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Selection {
    /// The browsers to discover, exactly these: `cli` turns "none given" into all of
    /// them, so an empty list here really means none.
    pub browsers: Vec<Browser>,
    /// Profile directory or display names; empty means every profile.
    pub profiles: Vec<String>,
}

impl Selection {
    /// Every browser and every profile, as when no `--browser` or `--profile` is given.
    pub fn all() -> Selection {
        Selection {
            browsers: Browser::all().collect(),
            profiles: Vec::new(),
        }
    }
}

/// Discovers the selected browsers and keeps the selected profiles. A `--profile` that
/// matches no profile of any selected browser is an error: a script asked for
/// something that is not there.
pub fn select(layout: &Layout, selection: &Selection) -> Result<Discovery, Fatal> {
    let mut found = browser::discover(layout, &selection.browsers);
    if selection.profiles.is_empty() {
        return Ok(found);
    }
    for wanted in &selection.profiles {
        if !found.profiles.iter().any(|p| p.is_named(wanted)) {
            let known: Vec<String> = found
                .profiles
                .iter()
                .map(|p| format!("{} `{}`", p.browser.name(), p.dir_name))
                .collect();
            let hint = if known.is_empty() {
                crate::i18n::t("hint-no-profile-at-all")
            } else {
                crate::i18n::ta(
                    "hint-profiles-found",
                    &[("list", &crate::i18n::list(&known))],
                )
            };
            return Err(Fatal::failure(crate::i18n::ta(
                "error-no-such-profile",
                &[("name", wanted)],
            ))
            .hint(hint));
        }
    }
    found
        .profiles
        .retain(|p| selection.profiles.iter().any(|w| p.is_named(w)));
    Ok(found)
}

/// Takes the home's run lock (see `run_lock`): `Ok(None)` with a warning when the lock
/// file cannot be made, an error when another run keeps it.
pub fn lock_home(
    layout: &Layout,
    warnings: &mut Vec<String>,
) -> Result<Option<crate::run_lock::RunLock>, Fatal> {
    use crate::run_lock::{acquire, LockError, WAIT};
    match acquire(layout, WAIT) {
        Ok(lock) => Ok(Some(lock)),
        Err(LockError::Busy(message)) => {
            Err(Fatal::failure(message).hint(crate::i18n::t("hint-run-lock")))
        }
        Err(LockError::Unavailable(err)) => {
            warnings.push(format!(
                "could not take the lock that keeps other loginfix runs off this home: {err:#}"
            ));
            Ok(None)
        }
    }
}
