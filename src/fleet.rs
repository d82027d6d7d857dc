//! `--all-users`: every account's home in turn, one document. Each user's run is the run
//! `--home <their home>` would have been (`commands::run_one`); the machine-wide checks of
//! `doctor` and `fix` are made once. It knows neither the command line (`cli`) nor the
//! front door (`app`): it gets a `Job`, the fleet's options and the output forms.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::commands::{self, Context, Job, UndoGlobals};
use crate::fatal::Fatal;
use crate::output::forms::{self, Finished, Forms, Redactor};
use crate::output::{clean, look, Output, Style};
use crate::platform::{Layout, Os};
use crate::report::doctor::MachineReport;
use crate::report::summary::{Tally, Users};
use crate::report::{combine, AnyReport, Exit, Meta, Report, SCHEMA_VERSION};
use crate::{fsutil, users};

/// What `--all-users` runs with besides the job: the layout's OS, `--root` and
/// `--timeout`.
#[derive(Clone, Debug)]
pub struct FleetOptions {
    pub os: Os,
    /// `--os` as given (repeated in each user's undo command).
    pub os_given: Option<Os>,
    pub root: Option<PathBuf>,
    pub timeout: Option<Duration>,
}

/// One account of an `--all-users` run.
#[derive(Debug, Serialize)]
pub struct UserEntry {
    pub name: String,
    /// Lossy where not UTF-8, so that one such home cannot stop the whole document.
    pub home: String,
    /// The numeric uid (null on Windows, or where unknown).
    pub uid: Option<u32>,
    /// `done`; `failed` (the command stopped with an error for this user); `unreadable`
    /// (the home could not be read); `skipped` (a home loginfix refuses to enter: a
    /// symlink, or outside the root); `timed_out` (`--timeout` was reached).
    pub status: &'static str,
    /// Why, for any status but `done`.
    pub reason: Option<String>,
    pub hints: Vec<String>,
    /// The exit code a run on this user alone would have had.
    pub exit_code: u8,
    /// The command's usual report (null when the user was not run, or not to the end).
    pub report: Option<AnyReport>,
}

/// How many users ended which way.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct FleetSummary {
    pub users: usize,
    /// What the run changed, all users together: items removed, stores restored (0 for
    /// a dry run or a command that only reads); a playbook's `changed`.
    pub changed: usize,
    pub done: usize,
    pub failed: usize,
    pub unreadable: usize,
    pub skipped: usize,
    pub timed_out: usize,
}

/// The document of an `--all-users` run.
#[derive(Debug, Serialize)]
pub struct FleetReport {
    pub schema_version: u32,
    pub command: &'static str,
    /// `loginfix_version`, `hostname`, `user` (null: many), `time`.
    #[serde(flatten)]
    pub meta: Meta,
    pub all_users: bool,
    pub os: Os,
    /// Where the accounts and machine-wide files were read (`--root`).
    pub root: PathBuf,
    pub summary: FleetSummary,
    pub users: Vec<UserEntry>,
    /// This run's id, stamped on every backup set it made (a run that may change
    /// stores): `loginfix --all-users restore RUN_ID` takes the whole run back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// `restore`: the `--all-users` run whose sets were put back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restored_run: Option<String>,
    /// `doctor` and `fix`: the machine-wide findings, checked once for all users.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine: Option<MachineReport>,
}

impl FleetReport {
    pub fn exit(&self) -> Exit {
        combine(
            self.users
                .iter()
                .map(|u| match (u.status, &u.report) {
                    ("done", Some(r)) => r.exit(),
                    ("failed", _) => crate::worker::exit_of(u.exit_code),
                    (_, Some(r)) => combine([r.exit(), Exit::Unreadable]),
                    // Refused homes carry 4; a user with nothing to restore, 0.
                    _ => crate::worker::exit_of(u.exit_code),
                })
                // `doctor` exits on its findings; `fix` on its clean alone, as for one home.
                .chain(
                    self.machine
                        .as_ref()
                        .filter(|_| self.command == "doctor")
                        .map(MachineReport::exit),
                ),
        )
    }

    /// The summary line's counts (every user's added up, the machine's findings first)
    /// and its users, names redacted as the rest.
    pub fn tally(&self, redact: &Redactor) -> (Option<Tally>, Users) {
        let mut total: Option<Tally> = None;
        let mut users = Users {
            found: self.users.len(),
            ..Users::default()
        };
        for u in &self.users {
            let who = redact.name(&u.name);
            if u.status == "done" {
                users.done += 1;
            } else {
                users.not_done.push(format!("user {who}:{}", u.status));
            }
            let Some(r) = &u.report else { continue };
            let mut t = r.summary();
            t.items = t.items.iter().map(|i| redact.item(i)).collect();
            match &mut total {
                None => total = Some(t.of_user(&who)),
                Some(all) => all.add(&t, Some(&who)),
            }
        }
        if let (Some(all), Some(m)) = (&mut total, &self.machine) {
            all.add_machine(&m.summary());
        }
        if let (
            Some(Tally {
                counted: crate::report::summary::Counted::Restore { of, .. },
                ..
            }),
            Some(run),
        ) = (&mut total, &self.restored_run)
        {
            *of = format!("run {run}");
        }
        (total, users)
    }

    /// Text grouped by user, a header line per user; the machine first for doctor and fix.
    pub fn render_text(&self, style: &Style, redact: &Redactor) -> String {
        let mut out = String::new();
        if let Some(m) = &self.machine {
            out.push_str(&m.render_text(style));
        }
        for u in &self.users {
            let uid = u.uid.map(|u| format!(" (uid {u})")).unwrap_or_default();
            let header = format!("== user {}{uid}", clean(&redact.name(&u.name)));
            let _ = write!(
                out,
                "{}  {}",
                style.paint(look::BOLD, &header),
                clean(&u.home)
            );
            if u.status != "done" {
                let _ = write!(out, ": {}", u.status.replace('_', " "));
                if let Some(reason) = &u.reason {
                    let _ = write!(out, ": {}", clean(reason));
                }
            }
            out.push('\n');
            if let Some(r) = &u.report {
                out.push_str(&r.render_text(style));
            }
        }
        let s = &self.summary;
        let _ = writeln!(
            out,
            "Users: {} ({} done, {} failed, {} unreadable, {} skipped, {} timed out)",
            s.users, s.done, s.failed, s.unreadable, s.skipped, s.timed_out
        );
        out
    }
}

/// The root the accounts are read under: `--root`, else the system's.
fn root_of(options: &FleetOptions) -> Result<PathBuf, Fatal> {
    match &options.root {
        Some(root) if !root.is_dir() => Err(Fatal::usage(crate::i18n::ta(
            "error-root-missing",
            &[("dir", &root.display().to_string())],
        ))),
        Some(root) => Ok(fsutil::absolute(root)),
        None => Ok(Layout::for_home(options.os, PathBuf::new()).root),
    }
}

/// `--all-users`: every account's home, one after another, in one document.
pub fn run(
    job: &Job,
    options: &FleetOptions,
    forms: &Forms,
    out: &mut Output,
) -> Result<Exit, Fatal> {
    job.fleet_rule()?;
    let os = options.os;
    let root = root_of(options)?;
    // Could not check (4), not "findings" (1): a detection script must not remediate.
    let candidates = users::enumerate(os, &root).map_err(|e| Fatal {
        exit: Exit::Unreadable,
        ..Fatal::failure(crate::i18n::ta(
            "error-no-accounts-list",
            &[("reason", &e.to_string())],
        ))
        .hint(crate::i18n::t("hint-no-accounts-list"))
    })?;
    if candidates.is_empty() {
        // Nothing done is not success: the tool that ran this must not record one.
        return Err(Fatal {
            exit: Exit::Unreadable,
            ..Fatal::failure(crate::i18n::ta(
                "error-no-accounts",
                &[("dir", &root.display().to_string())],
            ))
            .hint(crate::i18n::t("hint-no-accounts"))
        });
    }
    let run_id = job.writes().then(new_run_id);
    // `restore`: the fleet runs each home keeps sets of (listed once), and the one to put
    // back: the one named, or the last one made.
    let kept: Vec<Vec<String>> = match job {
        Job::Restore(_) => candidates
            .iter()
            .map(|c| match c.refused {
                Some(_) => Vec::new(),
                None => fleet_runs(
                    &Layout::for_home(os, c.account.home.clone()).with_root(root.clone()),
                    options.timeout,
                ),
            })
            .collect(),
        _ => Vec::new(),
    };
    let restored_run = match job {
        Job::Restore(o) => Some(match &o.id {
            Some(id) => id.clone(),
            None => last_fleet_run(&kept)?,
        }),
        _ => None,
    };
    let mut summary = FleetSummary::default();
    let mut entries = Vec::new();
    let mut interrupted = false;
    for (i, c) in candidates.into_iter().enumerate() {
        let account = c.account;
        let mut entry = UserEntry {
            name: account.name.clone(),
            home: account.home.to_string_lossy().into_owned(),
            uid: account.uid,
            status: "done",
            reason: None,
            hints: Vec::new(),
            exit_code: 0,
            report: None,
        };
        if interrupted {
            entry.status = "skipped";
            entry.reason = Some("not begun: the run was interrupted (Ctrl-C)".to_string());
            entry.exit_code = Exit::Interrupted as u8;
        } else if let Some(refused) = c.refused {
            entry.status = refused.status;
            entry.reason = Some(refused.reason);
            entry.exit_code = Exit::Unreadable as u8;
        } else {
            let layout = Layout::for_home(os, account.home).with_root(root.clone());
            match (job, &restored_run) {
                (Job::Restore(o), Some(run)) if kept[i].contains(run) => {
                    let here = Job::Restore(commands::backups::RestoreOptions {
                        fleet_run: Some(run.clone()),
                        id: None,
                        ..o.clone()
                    });
                    run_user(&here, options, layout, run_id.clone(), &mut entry);
                }
                (Job::Restore(_), Some(run)) => {
                    // Not cleaned by that run (no browser then, or not run): nothing of it
                    // to put back, and nothing wrong.
                    entry.status = "skipped";
                    entry.reason = Some(format!(
                        "no backup set of the --all-users run `{run}` in this home"
                    ));
                }
                _ => run_user(job, options, layout, run_id.clone(), &mut entry),
            }
        }
        // Ctrl-C reached this user's run: the person means the whole run.
        interrupted |= entry.exit_code == Exit::Interrupted as u8;
        summary.users += 1;
        match entry.status {
            "done" => summary.done += 1,
            "failed" => summary.failed += 1,
            "unreadable" => summary.unreadable += 1,
            "timed_out" => summary.timed_out += 1,
            _ => summary.skipped += 1,
        }
        summary.changed += entry.report.as_ref().map_or(0, |r| r.summary().changed());
        entries.push(entry);
    }
    // Checked once for the machine, not once per user.
    let machine = match job.machine_checks() {
        Some(options) => {
            let layout = Layout::for_home(os, root.clone()).with_root(root.clone());
            Some(commands::doctor::machine(&layout, &options)?)
        }
        None => None,
    };
    let report = FleetReport {
        schema_version: SCHEMA_VERSION,
        command: job.name(),
        meta: Meta::new(None),
        all_users: true,
        os,
        root,
        summary,
        users: entries,
        run_id,
        restored_run,
        machine,
    };
    let mut redact = Redactor::new(forms.redact);
    for u in &report.users {
        redact.add_user(&u.name, Path::new(&u.home));
        if let Some(user) = u.report.as_ref().and_then(AnyReport::user) {
            redact.add_name(user);
        }
    }
    for u in &report.users {
        let who = redact.name(&u.name);
        if let Some(r) = &u.report {
            for w in r.warnings() {
                out.warn(&redact.text(&format!("user {who}: {w}")))
                    .map_err(Fatal::output)?;
            }
            for e in r.errors() {
                let hints: Vec<String> = e.hints.iter().map(|h| redact.text(h)).collect();
                out.error(&redact.text(&format!("user {who}: {}", e.message)), &hints)
                    .map_err(Fatal::output)?;
            }
        }
        if u.status != "done" {
            let reason = u.reason.as_deref().unwrap_or_default();
            let hints: Vec<String> = u.hints.iter().map(|h| redact.text(h)).collect();
            out.error(
                &redact.text(&format!("user {who}: {}: {reason}", u.status)),
                &hints,
            )
            .map_err(Fatal::output)?;
        }
    }
    let json = serde_json::to_string_pretty(&report)
        .map_err(|e| Fatal::failure(format!("could not make the JSON document: {e}")))?;
    let text = redact.text(&report.render_text(&out.style(), &redact));
    let (tally, users) = report.tally(&redact);
    forms::finish(
        forms,
        out,
        Finished {
            command: job.name(),
            json: redact.json(&json),
            text,
            tally,
            users,
            exit: report.exit(),
            undo: None,
        },
    )
}
/// A new fleet run's id: sortable by time, as backup set ids are.
fn new_run_id() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let stamp = crate::extensions::rfc3339(now.as_secs() as i64).replace([':', '-'], "");
    format!("{stamp}-{:09}-{}", now.subsec_nanos(), std::process::id())
}

/// The `--all-users` runs whose restorable sets `layout`'s home keeps.
fn fleet_runs(layout: &Layout, timeout: Option<Duration>) -> Vec<String> {
    let job = Job::Backups(commands::backups::ListOptions { backup_dir: None });
    let ctx = Context {
        deadline: timeout.map(|t| Instant::now() + t),
        ..Context::default()
    };
    match crate::worker::run_one(&job, layout, &ctx) {
        Ok(AnyReport::Backups(r)) => r
            .sets
            .into_iter()
            .filter(|s| s.restorable)
            .filter_map(|s| s.fleet_run)
            .collect(),
        _ => Vec::new(),
    }
}

/// The last `--all-users` run that left a set to restore in any home (`kept`: the runs
/// of each home).
fn last_fleet_run(kept: &[Vec<String>]) -> Result<String, Fatal> {
    kept.iter().flatten().max().cloned().ok_or_else(|| {
        Fatal::failure(crate::i18n::t("error-no-fleet-set"))
            .hint(crate::i18n::t("hint-no-fleet-set"))
    })
}

/// Runs one user's command on a thread, waiting at most `timeout`. A read-only run that
/// overstays is left behind (it writes nothing; the process ends it on exit); a clean
/// carries the same deadline into the executor, which stops between profiles, and is
/// waited for so that no store is left half-written.
fn run_user(
    job: &Job,
    options: &FleetOptions,
    layout: Layout,
    fleet_run: Option<String>,
    entry: &mut UserEntry,
) {
    let timeout = options.timeout;
    let deadline = timeout.map(|t| Instant::now() + t);
    let writes = job.writes();
    let (tx, rx) = mpsc::channel();
    let job = job.clone();
    let per_user = Context {
        fleet: true,
        deadline,
        undo: UndoGlobals {
            home: true,
            os: options.os_given,
        },
        fleet_run,
        machine_elsewhere: false,
    };
    let spawned = std::thread::Builder::new()
        .name("loginfix-user".to_string())
        // The main thread's usual size: the readers were written for it.
        .stack_size(8 << 20)
        .spawn(move || {
            let _ = tx.send(crate::worker::run_one(&job, &layout, &per_user));
        });
    if let Err(e) = spawned {
        entry.status = "failed";
        entry.reason = Some(format!("could not start the run: {e}"));
        entry.exit_code = Exit::Failure as u8;
        return;
    }
    let got = match timeout {
        None => rx.recv().map_err(|_| false),
        Some(t) => match rx.recv_timeout(t) {
            Ok(r) => Ok(r),
            Err(mpsc::RecvTimeoutError::Timeout) if writes => {
                entry.status = "timed_out";
                rx.recv().map_err(|_| false)
            }
            Err(mpsc::RecvTimeoutError::Timeout) => Err(true),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(false),
        },
    };
    match got {
        // A report that cannot be JSON (a path that is not UTF-8 in that home) is left out
        // rather than failing the document of every user.
        Ok(Ok(report)) if serde_json::to_string(&report).is_err() => {
            entry.status = "failed";
            entry.reason = Some(
                "the report of this home cannot be written as JSON (a path in it is not UTF-8)"
                    .to_string(),
            );
            entry.exit_code = Exit::Unreadable as u8;
        }
        Ok(Ok(report)) => {
            let timed_out = matches!(&report, AnyReport::Clean(c) if c.profiles.iter().any(
                |p| p.status == crate::report::ProfileStatus::TimedOut));
            if timed_out || entry.status == "timed_out" {
                entry.status = "timed_out";
                entry.reason = Some(
                    "--timeout was reached; the profiles not begun by then were left alone"
                        .to_string(),
                );
            }
            entry.exit_code = report.exit() as u8;
            entry.report = Some(report);
        }
        Ok(Err(fatal)) => {
            entry.status = "failed";
            entry.reason = Some(fatal.message);
            entry.hints = fatal.hints;
            entry.exit_code = fatal.exit as u8;
        }
        Err(true) => {
            entry.status = "timed_out";
            entry.reason = Some(format!(
                "not done within --timeout {}s; nothing was changed",
                timeout.map_or(0.0, |t| t.as_secs_f64())
            ));
            entry.exit_code = Exit::Unreadable as u8;
        }
        Err(false) => {
            entry.status = "failed";
            entry.reason = Some("internal error: the run for this user stopped".to_string());
            entry.exit_code = Exit::Failure as u8;
        }
    }
}
