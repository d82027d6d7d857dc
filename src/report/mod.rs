//! Typed results of each command, one module per command, each beside its text
//! rendering so a field and the line that shows it change together. The output layer
//! writes a report as JSON or as that text; the exit code is derived from it. Changing
//! a field name here changes the JSON schema (see README, "JSON output"): new fields and
//! new enum values are not breaking, anything else bumps `SCHEMA_VERSION`.

pub mod backups;
pub mod browsers;
pub mod clean;
pub mod diagnostics;
pub mod doctor;
pub mod error;
pub mod extensions;
pub mod fix;
pub mod request;
pub mod summary;

use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::browser::Browser;
use crate::output::{clean, look, Style};

// The executor, the planner and the commands name these as `crate::report::X`.
pub use backups::{BackupSetInfo, BackupsReport, RestoreReport, Restored, WouldLose};
pub use browsers::{BrowserEntry, BrowsersReport, ProfileInfo};
pub use clean::{
    BackupRef, CleanReport, ItemReport, MovedAside, ProfileReport, ProfileStatus, StoreError,
    StoreReport, StoreTimings, Streamed, Summary,
};
pub use diagnostics::Diagnostic;
pub use doctor::DoctorReport;
pub use error::{ErrorInfo, ErrorReport};
pub use extensions::{ExtensionsProfile, ExtensionsReport};

pub const SCHEMA_VERSION: u32 = 1;

/// What every JSON document carries so a fleet can file it: which loginfix wrote it, on
/// which machine, for which user, and when. Flattened into each report after `command`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Meta {
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub loginfix_version: crate::worker::statics::Name,
    /// This machine's host name (null when the OS does not say).
    pub hostname: Option<String>,
    /// The user whose home was acted on (see `platform::home_user`).
    pub user: Option<String>,
    /// When the run started, UTC, RFC 3339 (to the second).
    pub time: String,
}

impl Meta {
    /// The fields for a run on `home` (`None` when no home was resolved), timed now.
    pub fn new(home: Option<&Path>) -> Meta {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Meta {
            loginfix_version: env!("CARGO_PKG_VERSION"),
            hostname: crate::platform::hostname(),
            user: home.and_then(crate::platform::home_user),
            time: crate::extensions::rfc3339(now.as_secs() as i64),
        }
    }

    pub fn for_layout(layout: &crate::platform::Layout) -> Meta {
        Meta::new(Some(&layout.home))
    }
}

/// `s` as one word of a POSIX shell (and PowerShell) command line: as it is when it
/// holds only characters no shell treats specially, else in single quotes (a `'` inside
/// becomes `'\''`).
pub fn shell_quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./:@%+=,".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The `loginfix restore` command that puts back the set `id`: `globals` are the global
/// options the run had (`--home DIR`, `--os OS`), `backup_dir` its `--backup-dir`.
pub fn undo_command(globals: &[String], backup_dir: Option<&Path>, id: &str) -> String {
    let mut words = vec!["loginfix".to_string()];
    words.extend(globals.iter().map(|g| shell_quote(g)));
    words.push("restore".to_string());
    if let Some(dir) = backup_dir {
        words.push("--backup-dir".to_string());
        words.push(shell_quote(&dir.to_string_lossy()));
    }
    words.push(shell_quote(id));
    words.join(" ")
}

/// Process exit codes, documented in the README.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Everything planned was done (also when nothing matched).
    Success = 0,
    /// An error, or at least one item or store failed.
    Failure = 1,
    /// The command line was wrong.
    Usage = 2,
    /// At least one profile was skipped because its browser is running.
    BrowserRunning = 3,
    /// `doctor`: part of what it had to read could not be read, and nothing of severity
    /// warning or worse was found in the rest.
    Unreadable = 4,
    /// A run was interrupted (Ctrl-C, SIGTERM): a clean stopped at a boundary with every
    /// store whole, what was done reported and undoable; `fix` waiting for a browser to
    /// close, or at its question, stopped with nothing changed. 130 is what a shell gives
    /// a process ended by SIGINT.
    Interrupted = 130,
}

/// How exit codes combine (the users of a fleet, a report and the forms): an interrupt
/// first, then an error of the command line, a failure or a finding (1), a running
/// browser (3), something not read or not done (4), success.
pub fn combine(exits: impl IntoIterator<Item = Exit>) -> Exit {
    let rank = |e: Exit| match e {
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

/// What the output layer needs from every command's report: the JSON comes from
/// `Serialize`, the rest from here, so `Output::emit` treats all commands alike.
pub trait Report: Serialize {
    /// The process exit code this outcome maps to.
    fn exit(&self) -> Exit;

    /// Diagnostics for stderr. They are written in JSON mode too: stdout then holds
    /// only the document, and a person watching a script still sees them.
    fn warnings(&self) -> Vec<String> {
        Vec::new()
    }

    /// Errors for stderr (`error:` and its `hint:` lines), written whatever `-q` and
    /// `--json` say: what could not be read or changed, and what to do about it.
    fn errors(&self) -> Vec<Diagnostic> {
        Vec::new()
    }

    /// The report as text for people; `style` says what to show and how to colour it.
    fn render_text(&self, style: &Style) -> String;

    /// What the `--summary` line says of this report (see `summary`).
    fn summary(&self) -> summary::Tally;
}

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
    Fix(Box<fix::FixReport>),
    Request(request::RequestReport),
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
            AnyReport::Request($r) => $e,
        }
    };
}

impl AnyReport {
    /// The user name the report's `user` field carries.
    pub fn user(&self) -> Option<&str> {
        each!(self, r => r.meta.user.as_deref())
    }

    /// The command the report is of.
    pub fn command(&self) -> &'static str {
        each!(self, r => r.command)
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

    fn summary(&self) -> summary::Tally {
        each!(self, r => r.summary())
    }
}

/// What happened, or would happen, to one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    WouldRemove,
    Removed,
    Skipped,
    Failed,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub would_remove: usize,
    pub removed: usize,
    pub skipped: usize,
    pub failed: usize,
    /// Bytes on disk of the cache entries removed or that would be removed.
    pub bytes: u64,
    /// Cache entry files that could not be read and were left alone.
    pub unreadable: usize,
    /// Stores that could not be read at all (see `errors`); nothing in them changed.
    pub store_errors: usize,
    /// Items planned but not reached because the run was interrupted; left as they were
    /// (only in the JSON of an interrupted run).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub not_reached: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Counts {
    pub fn add(&mut self, action: Action, size: Option<u64>) {
        match action {
            Action::WouldRemove => self.would_remove += 1,
            Action::Removed => self.removed += 1,
            Action::Skipped => self.skipped += 1,
            Action::Failed => self.failed += 1,
        }
        if matches!(action, Action::WouldRemove | Action::Removed) {
            self.bytes += size.unwrap_or(0);
        }
    }

    pub fn merge(&mut self, other: &Counts) {
        self.would_remove += other.would_remove;
        self.removed += other.removed;
        self.skipped += other.skipped;
        self.failed += other.failed;
        self.bytes += other.bytes;
        self.unreadable += other.unreadable;
        self.store_errors += other.store_errors;
        self.not_reached += other.not_reached;
    }
}

/// The widest a line of text output gets, in characters, where the data allows (a
/// path is never cut: it goes on a line of its own instead).
pub(crate) const WIDTH: usize = 100;

/// `s` cut to at most `max` characters for a table cell, ending in `…` when cut (a name
/// from disk can be any length; the full value is in the JSON).
pub(crate) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `chrome Default "Person 1"  /path/to/profile`, the first line of every profile in
/// the reports that go profile by profile; the path goes on the next line when both
/// would not fit in [`WIDTH`].
/// `s` cut to at most `max` characters by replacing its middle with `…`: the start and
/// the end of a path say the most.
pub(crate) fn shorten_middle(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let head = max.saturating_sub(1) / 3;
    let tail = max.saturating_sub(1) - head;
    let mut out: String = s.chars().take(head).collect();
    out.push('…');
    out.extend(s.chars().skip(n - tail));
    out
}

/// "chrome: not found", and with `searched` the directories looked in, one a line.
pub(crate) fn not_found_lines(b: &crate::browser::BrowserStatus, searched: bool) -> String {
    let mut out = format!(
        "{}\n",
        crate::i18n::ta("doctor-not-found", &[("browser", b.browser.name())])
    );
    for dir in b.searched.iter().filter(|_| searched) {
        let path = clean(&dir.display().to_string()).into_owned();
        let _ = writeln!(
            out,
            "  {}",
            crate::i18n::ta("clean-looked-in", &[("path", &path)])
        );
    }
    out
}

pub(crate) fn profile_header(
    style: &Style,
    out: &mut String,
    browser: Browser,
    profile: &str,
    name: Option<&str>,
    path: &Path,
) {
    profile_header_cut(style, out, browser, profile, name, path, usize::MAX);
}

/// [`profile_header`] with the path cut in the middle (`…`) to at most `max_path`
/// characters, for the tables that must fit [`WIDTH`] (the JSON has the whole path).
pub(crate) fn profile_header_cut(
    style: &Style,
    out: &mut String,
    browser: Browser,
    profile: &str,
    name: Option<&str>,
    path: &Path,
    max_path: usize,
) {
    use unicode_width::UnicodeWidthStr;
    let args = [
        ("id", browser.name()),
        ("product", browser.product_name()),
        ("dir", &clean(profile)),
        ("name", &clean(name.unwrap_or_default())),
    ];
    let header = match name {
        Some(_) => crate::i18n::ta("profile-header-named", &args),
        None => crate::i18n::ta("profile-header", &args),
    };
    let path = shorten_middle(&clean(&path.display().to_string()), max_path);
    let gap = if header.width() + 2 + path.width() > WIDTH {
        "\n  "
    } else {
        "  "
    };
    let _ = writeln!(out, "{}{gap}{path}", style.paint(look::BOLD, &header));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_cells_are_cut() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcd", 3), "ab…");
        assert_eq!(shorten(&"é".repeat(70_000), 60).chars().count(), 60);
        assert_eq!(shorten_middle("abcdefghij", 10), "abcdefghij");
        assert_eq!(shorten_middle("abcdefghijk", 10), "abc…fghijk");
    }

    #[test]
    fn undo_commands_are_quoted_for_the_shell() {
        assert_eq!(shell_quote("/home/ana"), "/home/ana");
        assert_eq!(shell_quote("/tmp/a b"), "'/tmp/a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("$HOME"), "'$HOME'");
        let globals = ["--home", "/tmp/a b", "--os", "windows"].map(String::from);
        assert_eq!(
            undo_command(&globals, Some(Path::new("/b k")), "20261123T221846Z-1-2-0"),
            "loginfix --home '/tmp/a b' --os windows restore --backup-dir '/b k' 20261123T221846Z-1-2-0"
        );
        assert_eq!(undo_command(&[], None, "x"), "loginfix restore x");
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

    #[test]
    fn exit_codes_are_stable() {
        assert_eq!(Exit::Success as i32, 0);
        assert_eq!(Exit::Failure as i32, 1);
        assert_eq!(Exit::Usage as i32, 2);
        assert_eq!(Exit::BrowserRunning as i32, 3);
        assert_eq!(Exit::Interrupted as i32, 130);
    }
}
