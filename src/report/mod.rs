//! Typed results of each command, one module per command, each beside its text
//! rendering so a field and the line that shows it change together. The output layer
//! writes a report as JSON or as that text; the exit code is derived from it. Changing
//! a field name here changes the JSON schema (see README, "JSON output"): new fields and
//! new enum values are not breaking, anything else bumps `SCHEMA_VERSION`.

pub mod backups;
pub mod browsers;
pub mod clean;
pub mod extensions;

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::browser::Browser;
use crate::output::{clean, look, Style};

// The executor, the planner and the commands name these as `crate::report::X`.
pub use backups::{BackupSetInfo, BackupsReport, RestoreReport, Restored, WouldLose};
pub use browsers::{BrowserEntry, BrowsersReport, ProfileInfo};
pub use clean::{
    BackupRef, CleanReport, ItemReport, ProfileReport, ProfileStatus, StoreError, StoreReport,
    Summary,
};
pub use extensions::{ExtensionsProfile, ExtensionsReport};

pub const SCHEMA_VERSION: u32 = 1;

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

    /// The report as text for people; `style` says what to show and how to colour it.
    fn render_text(&self, style: &Style) -> String;
}

/// What happened, or would happen, to one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    WouldRemove,
    Removed,
    Skipped,
    Failed,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
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
    let name = name
        .map(|n| format!(" \"{}\"", clean(n)))
        .unwrap_or_default();
    let header = format!("{} {}{name}", browser.name(), clean(profile));
    let path = shorten_middle(&clean(&path.display().to_string()), max_path);
    let gap = if header.chars().count() + 2 + path.chars().count() > WIDTH {
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
    fn exit_codes_are_stable() {
        assert_eq!(Exit::Success as i32, 0);
        assert_eq!(Exit::Failure as i32, 1);
        assert_eq!(Exit::Usage as i32, 2);
        assert_eq!(Exit::BrowserRunning as i32, 3);
    }
}
