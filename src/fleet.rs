//! Runs for management tools (Intune, Jamf, Ansible): `--all-users` (every account's
//! home in turn, one document), and the output forms any run can take — `--summary`
//! (one ASCII line), `--json-out` (the document in a private file) and `--redact` (user
//! names and homes hashed). The commands themselves know nothing of this: each user's
//! run is the run `--home <their home>` would have been.

use std::fmt::Write as _;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use crate::cli::{Cli, Command, SummaryForm};
use crate::output::{clean, look, Output, Style};
use crate::platform::{Layout, Os};
use crate::report::doctor::MachineReport;
use crate::report::{
    BackupsReport, BrowsersReport, CleanReport, Diagnostic, DoctorReport, Exit, ExtensionsReport,
    Meta, Report, RestoreReport, SCHEMA_VERSION,
};
use crate::{commands, fsutil, users, Fatal};

/// The most characters `--summary` prints, tags included (Intune keeps 2048).
pub const SUMMARY_MAX: usize = 2000;

/// Any command's report, so one run (or one user of a fleet) is handled alike.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum AnyReport {
    Browsers(BrowsersReport),
    Clean(CleanReport),
    Extensions(ExtensionsReport),
    Doctor(DoctorReport),
    Backups(BackupsReport),
    Restore(RestoreReport),
    Fix(Box<crate::report::fix::FixReport>),
}

macro_rules! each {
    ($self:ident, $r:ident => $e:expr) => {
        match $self {
            AnyReport::Browsers($r) => $e,
            AnyReport::Clean($r) => $e,
            AnyReport::Extensions($r) => $e,
            AnyReport::Doctor($r) => $e,
            AnyReport::Backups($r) => $e,
            AnyReport::Restore($r) => $e,
            AnyReport::Fix($r) => $e,
        }
    };
}

impl AnyReport {
    /// The user name the report's `user` field carries.
    pub fn user(&self) -> Option<&str> {
        each!(self, r => r.meta.user.as_deref())
    }
}

impl Report for AnyReport {
    fn exit(&self) -> Exit {
        each!(self, r => r.exit())
    }

    fn warnings(&self) -> Vec<String> {
        each!(self, r => r.warnings())
    }

    fn errors(&self) -> Vec<Diagnostic> {
        each!(self, r => r.errors())
    }

    fn render_text(&self, style: &Style) -> String {
        each!(self, r => r.render_text(style))
    }
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
    /// `doctor` and `fix`: the machine-wide findings, checked once for all users.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine: Option<MachineReport>,
}

/// How the exit codes of the users (and the machine) combine: an error of the command
/// line first, then a failure or a finding (1), a running browser (3), something not
/// read or not done (4), success.
pub fn combine(exits: impl IntoIterator<Item = Exit>) -> Exit {
    let rank = |e: Exit| match e {
        // An interrupt ends the whole fleet run: it outranks everything.
        Exit::Interrupted => 5,
        Exit::Usage => 4,
        Exit::Failure => 3,
        Exit::BrowserRunning => 2,
        Exit::Unreadable => 1,
        Exit::Success => 0,
    };
    exits
        .into_iter()
        .max_by_key(|e| rank(*e))
        .unwrap_or(Exit::Success)
}

impl FleetReport {
    pub fn exit(&self) -> Exit {
        combine(
            self.users
                .iter()
                .map(|u| match (u.status, &u.report) {
                    ("done", Some(r)) => r.exit(),
                    ("failed", _) => exit_of(u.exit_code),
                    (_, Some(r)) => combine([r.exit(), Exit::Unreadable]),
                    _ => Exit::Unreadable,
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

fn exit_of(code: u8) -> Exit {
    match code {
        0 => Exit::Success,
        2 => Exit::Usage,
        3 => Exit::BrowserRunning,
        4 => Exit::Unreadable,
        _ => Exit::Failure,
    }
}

/// Whether `--all-users` applies to `command`; the others are refused with a reason.
fn fleet_command(command: &Command) -> Result<(), Fatal> {
    match command {
        Command::Browsers(_)
        | Command::ClearCookies(_)
        | Command::ClearCache(_)
        | Command::ClearSiteData(_)
        | Command::Extensions(_)
        | Command::Doctor(_)
        | Command::Fix(_) => Ok(()),
        // Each user's own sets; one --backup-dir for all would mix them.
        Command::Backups(a) if a.backup_dir.is_none() => Ok(()),
        Command::Backups(_) => Err(Fatal::usage(
            "--all-users lists each user's own backup sets: it does not take --backup-dir",
        )),
        other => Err(Fatal::usage(format!(
            "--all-users does not apply to `{}`",
            crate::command_name(other)
        ))
        .hint(
            "it works with browsers, clear-cookies, clear-cache, clear-site-data, fix, \
             extensions, doctor and backups; give --home DIR to restore one user's backup set",
        )),
    }
}

/// Whether the command changes stores (a clean that is not a dry run): such a run is
/// never abandoned half-way, it stops at the next profile (see `execute::RunOptions`).
fn writes(command: &Command) -> bool {
    match command {
        Command::ClearCookies(a) => !a.dry_run,
        Command::ClearCache(a) => !a.clear.dry_run,
        Command::ClearSiteData(a) => !a.clear.dry_run,
        Command::Fix(a) => !a.dry_run,
        _ => false,
    }
}

/// The root the accounts are read under: `--root`, else the system's.
fn root_of(cli: &Cli, os: Os) -> Result<PathBuf, Fatal> {
    match &cli.root {
        Some(root) if !root.is_dir() => Err(Fatal::usage(format!(
            "the root directory `{}` does not exist or is not a directory",
            root.display()
        ))),
        Some(root) => Ok(fsutil::absolute(root)),
        None => Ok(Layout::for_home(os, PathBuf::new()).root),
    }
}

/// `--all-users`: every account's home, one after another, in one document.
pub fn run(cli: &Cli, out: &mut Output) -> Result<Exit, Fatal> {
    fleet_command(&cli.command)?;
    let os = cli.os.unwrap_or_else(Os::host);
    let root = root_of(cli, os)?;
    // Could not check (4), not "findings" (1): a detection script must not remediate.
    let candidates = users::enumerate(os, &root).map_err(|e| Fatal {
        exit: Exit::Unreadable,
        ..Fatal::failure(format!("could not list the user accounts: {e}"))
            .hint("give --root the directory the machine's disk is mounted on, and --os its OS")
    })?;
    if candidates.is_empty() {
        // Nothing done is not success: the tool that ran this must not record one.
        return Err(Fatal {
            exit: Exit::Unreadable,
            ..Fatal::failure(format!(
                "no user account with a home was found under `{}`",
                root.display()
            ))
            .hint("check --root and --os; give --home DIR to act on one home")
        });
    }
    let timeout = cli.timeout.map(Duration::from_secs_f64);
    let mut summary = FleetSummary::default();
    let mut entries = Vec::new();
    for c in candidates {
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
        if let Some(refused) = c.refused {
            entry.status = refused.status;
            entry.reason = Some(refused.reason);
            entry.exit_code = Exit::Unreadable as u8;
        } else {
            let layout = Layout::for_home(os, account.home).with_root(root.clone());
            run_user(cli, layout, timeout, &mut entry);
        }
        summary.users += 1;
        match entry.status {
            "done" => summary.done += 1,
            "failed" => summary.failed += 1,
            "unreadable" => summary.unreadable += 1,
            "timed_out" => summary.timed_out += 1,
            _ => summary.skipped += 1,
        }
        entries.push(entry);
    }
    // Checked once for the machine, not once per user.
    let machine_options = match &cli.command {
        Command::Doctor(a) => Some(a.options(cli.locks())),
        Command::Fix(a) => Some(commands::fix::doctor_options(&a.options(cli.locks()))),
        _ => None,
    };
    let machine = match machine_options {
        Some(options) => {
            let layout = Layout::for_home(os, root.clone()).with_root(root.clone());
            Some(commands::doctor::machine(&layout, &options)?)
        }
        None => None,
    };
    let report = FleetReport {
        schema_version: SCHEMA_VERSION,
        command: crate::command_name(&cli.command),
        meta: Meta::new(None),
        all_users: true,
        os,
        root,
        summary,
        users: entries,
        machine,
    };
    let mut redact = Redactor::new(cli.redact);
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
    finish(cli, out, &redact.json(&json), &text)?;
    Ok(report.exit())
}

/// Runs one user's command on a thread, waiting at most `timeout`. A read-only run that
/// overstays is left behind (it writes nothing; the process ends it on exit); a clean
/// carries the same deadline into the executor, which stops between profiles, and is
/// waited for so that no store is left half-written.
fn run_user(cli: &Cli, layout: Layout, timeout: Option<Duration>, entry: &mut UserEntry) {
    let deadline = timeout.map(|t| Instant::now() + t);
    let writes = writes(&cli.command);
    let (tx, rx) = mpsc::channel();
    let cli_copy = cli.clone();
    let spawned = std::thread::Builder::new()
        .name("loginfix-user".to_string())
        // The main thread's usual size: the readers were written for it.
        .stack_size(8 << 20)
        .spawn(move || {
            let per_user = crate::RunContext {
                fleet: true,
                deadline,
            };
            let _ = tx.send(crate::run_one(&cli_copy, &layout, &per_user));
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

/// Writes the report of a run on one home, with the fleet options applied.
pub fn emit_single(
    cli: &Cli,
    out: &mut Output,
    layout: &Layout,
    report: &AnyReport,
) -> Result<Exit, Fatal> {
    let plain = !cli.redact && cli.summary.is_none() && cli.json_out.is_none();
    if plain {
        return out.emit(report).map_err(Fatal::output);
    }
    let mut redact = Redactor::new(cli.redact);
    let name = report
        .user()
        .map(str::to_string)
        .or_else(|| crate::platform::home_user(&layout.home));
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
    let text = redact.text(&report.render_text(&out.style()));
    finish(cli, out, &redact.json(&json), &text)?;
    Ok(report.exit())
}

/// Stdout (the summary line, the JSON, or the text) and the `--json-out` file.
fn finish(cli: &Cli, out: &mut Output, json: &str, text: &str) -> Result<(), Fatal> {
    if let Some(path) = &cli.json_out {
        write_json_out(path, json).map_err(|e| {
            Fatal::failure(format!(
                "could not write the JSON document to `{}`: {e}",
                path.display()
            ))
        })?;
    }
    let stdout = if let Some(form) = cli.summary {
        let doc: Value = serde_json::from_str(json).unwrap_or(Value::Null);
        format!("{}\n", summary_line(&doc, form))
    } else if out.json {
        format!("{json}\n")
    } else {
        text.to_string()
    };
    out.write_raw(stdout.as_bytes()).map_err(Fatal::output)
}

/// Writes `json` to `path` through a private temporary file beside it, renamed over it:
/// a collector never reads half a document, and the file is 0600 from its first byte.
#[expect(
    clippy::disallowed_methods,
    reason = "loginfix's own report file (--json-out), not a browser store"
)]
pub fn write_json_out(path: &Path, json: &str) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // tempfile creates the file 0600 on Unix.
    let mut tmp = tempfile::Builder::new()
        .prefix(".loginfix-json-")
        .tempfile_in(&dir)?;
    tmp.write_all(json.as_bytes())?;
    tmp.write_all(b"\n")?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The stable stand-in for a user name or home path: its SHA-256's first 12 hex digits.
pub fn hash12(value: &str) -> String {
    crate::execute::backup::sha256_bytes(value.as_bytes())[..12].to_string()
}

/// Replaces user names and home paths by their hashes (`--redact`), or nothing.
#[derive(Debug, Default)]
pub struct Redactor {
    on: bool,
    /// Home paths, longest first, so that `/home/ana2` is not cut at `/home/ana`.
    homes: Vec<String>,
    names: Vec<String>,
}

impl Redactor {
    pub fn new(on: bool) -> Redactor {
        Redactor {
            on,
            ..Redactor::default()
        }
    }

    pub fn add_user(&mut self, name: &str, home: &Path) {
        self.add_name(name);
        let home = home.to_string_lossy().into_owned();
        if !home.is_empty() && !self.homes.contains(&home) {
            self.homes.push(home);
            self.homes.sort_by_key(|h| std::cmp::Reverse(h.len()));
        }
    }

    pub fn add_name(&mut self, name: &str) {
        if !name.is_empty() && !self.names.iter().any(|n| n == name) {
            self.names.push(name.to_string());
        }
    }

    /// A user name as shown.
    pub fn name(&self, name: &str) -> String {
        if self.on {
            hash12(name)
        } else {
            name.to_string()
        }
    }

    /// Text: every home path (followed by a separator, a quote, a space or the end)
    /// replaced. Names in text are only in the lines that call [`Redactor::name`].
    pub fn text(&self, s: &str) -> String {
        if !self.on {
            return s.to_string();
        }
        let mut s = s.to_string();
        for home in &self.homes {
            s = replace_bounded(&s, home, &hash12(home));
        }
        s
    }

    /// A JSON document's text: homes inside strings (in their escaped form) and names
    /// that are a whole string value replaced.
    pub fn json(&self, doc: &str) -> String {
        if !self.on {
            return doc.to_string();
        }
        let inner = |s: &str| {
            let quoted = serde_json::to_string(s).unwrap_or_default();
            quoted[1..quoted.len().saturating_sub(1).max(1)].to_string()
        };
        let mut doc = doc.to_string();
        for home in &self.homes {
            doc = replace_bounded(&doc, &inner(home), &hash12(home));
        }
        for name in &self.names {
            let quoted = format!("\"{}\"", inner(name));
            doc = doc.replace(&quoted, &format!("\"{}\"", hash12(name)));
        }
        doc
    }
}

/// `hay` with each `needle` followed by a path separator, a quote, a space, `:` or the
/// end replaced by `with` (so a longer sibling path is left alone).
fn replace_bounded(hay: &str, needle: &str, with: &str) -> String {
    if needle.is_empty() {
        return hay.to_string();
    }
    let mut out = String::with_capacity(hay.len());
    let mut rest = hay;
    while let Some(i) = rest.find(needle) {
        let after = &rest[i + needle.len()..];
        let bounded = after.chars().next().map_or(true, |c| {
            matches!(c, '/' | '\\' | '"' | '\'' | ':' | ',' | ')' | '`') || c.is_whitespace()
        });
        out.push_str(&rest[..i]);
        out.push_str(if bounded { with } else { needle });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The one `--summary` line of a document (already redacted): the counts, then the first
/// findings or users with a problem; ASCII only, at most [`SUMMARY_MAX`] characters.
pub fn summary_line(doc: &Value, form: SummaryForm) -> String {
    let command = doc["command"].as_str().unwrap_or("loginfix");
    let fleet = doc["all_users"].as_bool().unwrap_or(false);
    // (user, report) pairs: the users of a fleet, or the one report.
    let reports: Vec<(Option<&str>, &Value)> = if fleet {
        doc["users"]
            .as_array()
            .map(|u| {
                u.iter()
                    .filter(|u| !u["report"].is_null())
                    .map(|u| (u["name"].as_str(), &u["report"]))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        vec![(None, doc)]
    };
    let prefix = |user: Option<&str>| user.map(|u| format!("{u}:")).unwrap_or_default();
    let mut head = format!("loginfix {command}: ");
    let mut items: Vec<String> = Vec::new();
    let profiles: usize = reports
        .iter()
        .map(|(_, r)| {
            r["profiles"]
                .as_array()
                .map_or(0, Vec::len)
                .max(r["browsers"].as_array().map_or(0, |b| {
                    b.iter()
                        .map(|b| b["profiles"].as_array().map_or(0, Vec::len))
                        .sum()
                }))
        })
        .sum();
    let of_users = if fleet {
        format!(
            " of {} user(s)",
            doc["summary"]["users"].as_u64().unwrap_or(0)
        )
    } else {
        String::new()
    };
    match command {
        "doctor" => {
            let mut n = [0u64; 4];
            let mut add = |s: &Value| {
                for (i, k) in ["errors", "warnings", "info", "unread"].iter().enumerate() {
                    n[i] += s[k].as_u64().unwrap_or(0);
                }
            };
            if let Some(m) = doc.get("machine") {
                add(&m["summary"]);
                for f in m["findings"].as_array().into_iter().flatten() {
                    finding_item(&mut items, "", f);
                }
            }
            for (user, r) in &reports {
                add(&r["summary"]);
                for f in r["findings"].as_array().into_iter().flatten() {
                    finding_item(&mut items, &prefix(*user), f);
                }
            }
            let _ = write!(
                head,
                "{} error(s), {} warning(s), {} info, {} unreadable in {profiles} profile(s){of_users}",
                n[0], n[1], n[2], n[3]
            );
        }
        "clear-cookies" | "clear-cache" | "clear-site-data" => {
            let sum = |k: &str| -> u64 {
                reports
                    .iter()
                    .map(|(_, r)| r["summary"][k].as_u64().unwrap_or(0))
                    .sum()
            };
            let dry = reports.iter().any(|(_, r)| r["dry_run"] == true);
            let (verb, n) = if dry {
                ("would remove", sum("would_remove"))
            } else {
                ("removed", sum("removed"))
            };
            let _ = write!(
                head,
                "{verb} {n} items in {profiles} profile(s){of_users}; {} skipped, {} failed",
                sum("skipped"),
                sum("failed")
            );
            for (user, r) in &reports {
                for p in r["profiles"].as_array().into_iter().flatten() {
                    let status = p["status"].as_str().unwrap_or_default();
                    if matches!(status, "failed" | "skipped_running" | "timed_out") {
                        items.push(format!(
                            "{}{}/{}:{status}",
                            prefix(*user),
                            p["browser"].as_str().unwrap_or("?"),
                            p["profile"].as_str().unwrap_or("?")
                        ));
                    }
                }
            }
        }
        "fix" => {
            let sum = |k: &str| -> u64 {
                reports
                    .iter()
                    .map(|(_, r)| r["clean"]["summary"][k].as_u64().unwrap_or(0))
                    .sum()
            };
            let fixed: usize = reports
                .iter()
                .map(|(_, r)| r["clean"]["profiles"].as_array().map_or(0, Vec::len))
                .sum();
            let dry = reports.iter().any(|(_, r)| r["dry_run"] == true);
            let (verb, n) = if dry {
                ("would remove", sum("would_remove"))
            } else {
                ("removed", sum("removed"))
            };
            let mut findings = 0;
            // The machine's findings (checked once under --all-users), then each user's.
            let machine = doc.get("machine").map(|m| (None, &m["findings"]));
            let users = reports.iter().map(|(u, r)| (*u, &r["doctor"]["findings"]));
            for (user, found) in machine.into_iter().chain(users) {
                for f in found.as_array().into_iter().flatten() {
                    findings += usize::from(f["severity"] != "info");
                    finding_item(&mut items, &prefix(user), f);
                }
            }
            let _ = write!(
                head,
                "{verb} {n} items in {fixed} profile(s){of_users}; {} failed; {findings} finding(s) to act on",
                sum("failed")
            );
        }
        "extensions" => {
            let mut n = 0;
            for (user, r) in &reports {
                for p in r["profiles"].as_array().into_iter().flatten() {
                    for e in p["extensions"].as_array().into_iter().flatten() {
                        n += 1;
                        let name = e["name"].as_str().or(e["id"].as_str()).unwrap_or("?");
                        items.push(format!(
                            "{}{}/{}:{name}",
                            prefix(*user),
                            p["browser"].as_str().unwrap_or("?"),
                            p["profile"].as_str().unwrap_or("?")
                        ));
                    }
                }
            }
            let _ = write!(head, "{n} extension(s) in {profiles} profile(s){of_users}");
        }
        "backups" => {
            let sets: usize = reports
                .iter()
                .map(|(_, r)| r["sets"].as_array().map_or(0, Vec::len))
                .sum();
            let _ = write!(head, "{sets} backup set(s){of_users}");
        }
        _ => {
            let _ = write!(head, "{profiles} profile(s){of_users}");
        }
    }
    for u in doc["users"].as_array().into_iter().flatten() {
        let status = u["status"].as_str().unwrap_or_default();
        if status != "done" {
            items.push(format!(
                "user {}:{status}",
                u["name"].as_str().unwrap_or("?")
            ));
        }
    }
    wrap(&head, &items, form)
}

/// The `--summary` line of a run that ended in an error.
pub fn error_summary(command: &str, message: &str, form: SummaryForm) -> String {
    wrap(&format!("loginfix {command}: error: {message}"), &[], form)
}

/// `head: item; item ...`, ASCII, cut to fit [`SUMMARY_MAX`], in `form`'s wrapper.
fn wrap(head: &str, items: &[String], form: SummaryForm) -> String {
    let (open, close) = match form {
        SummaryForm::Plain => ("", ""),
        SummaryForm::Jamf => ("<result>", "</result>"),
    };
    let budget = SUMMARY_MAX - open.len() - close.len();
    let mut line = ascii(head);
    let mut sep = ": ";
    for item in items {
        let item = ascii(item);
        if line.len() + sep.len() + item.len() > budget.saturating_sub(4) {
            line.push_str(" ...");
            break;
        }
        line.push_str(sep);
        line.push_str(&item);
        sep = "; ";
    }
    line.truncate(budget);
    format!("{open}{line}{close}")
}

/// `chrome/Default:cookies_blocked chatgpt.com`, `system:proxy_system 10.0.0.1:3128`
/// for a finding of severity warning or worse.
fn finding_item(items: &mut Vec<String>, user: &str, f: &Value) {
    if !matches!(f["severity"].as_str(), Some("error" | "warning")) {
        return;
    }
    let id = f["id"].as_str().unwrap_or("?");
    let place = match (
        f["scope"].as_str(),
        f["browser"].as_str(),
        f["profile"].as_str(),
    ) {
        (Some("machine"), _, _) | (_, None, None) => "system".to_string(),
        (_, Some(b), Some(p)) => format!("{b}/{p}"),
        (_, Some(b), None) => b.to_string(),
        (_, None, Some(p)) => p.to_string(),
    };
    let params = &f["params"];
    let detail = ["site", "host", "server", "extension", "version"]
        .iter()
        .find_map(|k| params[*k].as_str())
        .or_else(|| {
            params
                .as_object()
                .and_then(|o| o.values().find_map(Value::as_str))
        })
        .map(|d| format!(" {d}"))
        .unwrap_or_default();
    items.push(format!("{user}{place}:{id}{detail}"));
}

/// `s` with every character outside printable ASCII replaced (`?`; controls by a space),
/// and `<` `>` too, so that a `<result>` wrapper cannot be closed early.
fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '<' | '>' => '?',
            ' '..='~' => c,
            c if c.is_control() => ' ',
            _ => '?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homes_are_replaced_only_whole() {
        let mut r = Redactor::new(true);
        r.add_user("ana", Path::new("/home/ana"));
        let h = hash12("/home/ana");
        assert_eq!(
            r.text("/home/ana/.config and /home/anabel and `/home/ana`"),
            format!("{h}/.config and /home/anabel and `{h}`")
        );
        let doc = r#"{"user": "ana", "home": "/home/ana", "x": "banana"}"#;
        assert_eq!(
            r.json(doc),
            format!(
                r#"{{"user": "{}", "home": "{h}", "x": "banana"}}"#,
                hash12("ana")
            )
        );
        assert_eq!(Redactor::new(false).text("/home/ana"), "/home/ana");
    }

    #[test]
    fn summary_is_ascii_and_bounded() {
        let findings: Vec<Value> = (0..500)
            .map(|i| {
                serde_json::json!({"id": "cookies_blocked", "severity": "warning", "scope": "profile",
                    "browser": "chrome", "profile": format!("Profil\u{e9} {i}"), "params": {"site": "chatgpt.com"}})
            })
            .collect();
        let doc = serde_json::json!({"command": "doctor", "summary": {"warnings": 500},
            "findings": findings, "profiles": []});
        let line = summary_line(&doc, SummaryForm::Jamf);
        assert!(line.len() <= SUMMARY_MAX, "{}", line.len());
        assert!(line.is_ascii());
        assert!(line.starts_with("<result>loginfix doctor: 0 error(s), 500 warning(s)"));
        assert!(line.contains("chrome/Profil? 0:cookies_blocked chatgpt.com; "));
        assert!(line.ends_with(" ...</result>"), "{line}");
    }

    #[test]
    fn exits_combine_worst_first() {
        assert_eq!(combine([]), Exit::Success);
        assert_eq!(combine([Exit::Unreadable, Exit::Failure]), Exit::Failure);
        assert_eq!(
            combine([Exit::Unreadable, Exit::BrowserRunning]),
            Exit::BrowserRunning
        );
        assert_eq!(combine([Exit::Success, Exit::Unreadable]), Exit::Unreadable);
    }
}
