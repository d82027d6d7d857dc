//! Typed results of each command. The output layer renders them as text or JSON; the
//! exit code is derived from them. Changing a field name here changes the JSON schema
//! (see README, "JSON output"): new fields and new enum values are not breaking,
//! anything else bumps `SCHEMA_VERSION`.

use std::path::PathBuf;

use serde::Serialize;

use crate::browser::{Browser, BrowserStatus, Store};
use crate::lock::LockState;
use crate::platform::Os;
use crate::stores::{Item, Unreadable};

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

/// What happened, or would happen, to one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    WouldRemove,
    Removed,
    Skipped,
    Failed,
}

#[derive(Clone, Debug, Serialize)]
pub struct ItemReport {
    /// `cookies` or `session_restore`.
    pub store: &'static str,
    /// The store file the item is in.
    pub file: PathBuf,
    #[serde(flatten)]
    pub item: Item,
    pub action: Action,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A store that could not be read or changed as a whole.
#[derive(Clone, Debug, Serialize)]
pub struct StoreError {
    pub store: &'static str,
    pub file: PathBuf,
    pub error: String,
}

/// One store that was read, and how it is (or would be) changed.
#[derive(Clone, Debug, Serialize)]
pub struct StoreReport {
    /// `cookies`, `session_restore` or `cache`.
    pub store: &'static str,
    pub file: PathBuf,
    /// `entries` (only the listed items go), `whole_cache` (the whole directory goes,
    /// see `reason`) or `none` (nothing may be removed, see `reason`).
    pub scope: &'static str,
    pub reason: Option<String>,
    /// Entry files that could not be read; they are left alone.
    pub unreadable: Vec<Unreadable>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileStatus {
    Done,
    WouldDo,
    NothingToDo,
    /// Every item was skipped because of an option (`--no-whole-cache`).
    Skipped,
    SkippedRunning,
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

#[derive(Clone, Debug, Serialize)]
pub struct ProfileReport {
    pub browser: Browser,
    pub channel: &'static str,
    /// Directory name (`Default`, `abcd1234.default-release`).
    pub profile: String,
    /// Display name, when the browser records one.
    pub name: Option<String>,
    pub path: PathBuf,
    pub version: Option<String>,
    pub status: ProfileStatus,
    /// Why the profile was skipped or failed; a stale lock is mentioned here too.
    pub reason: Option<String>,
    pub lock: LockState,
    pub stores: Vec<StoreReport>,
    pub items: Vec<ItemReport>,
    pub errors: Vec<StoreError>,
    pub counts: Counts,
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub profiles: usize,
    #[serde(flatten)]
    pub counts: Counts,
}

/// The report of `clear-cookies` and `clear-cache`.
#[derive(Clone, Debug, Serialize)]
pub struct CleanReport {
    pub schema_version: u32,
    pub command: &'static str,
    pub dry_run: bool,
    pub targets: Vec<String>,
    pub os: Os,
    pub home: PathBuf,
    pub profiles: Vec<ProfileReport>,
    pub browsers: Vec<BrowserStatus>,
    pub warnings: Vec<String>,
    pub summary: Summary,
    /// The backup set holding copies of the stores this run changed (null when nothing
    /// was changed or `--no-backup` was given).
    pub backup: Option<BackupRef>,
}

#[derive(Clone, Debug, Serialize)]
pub struct BackupRef {
    pub id: String,
    pub dir: PathBuf,
}

/// `loginfix backups`.
#[derive(Clone, Debug, Serialize)]
pub struct BackupsReport {
    pub schema_version: u32,
    pub command: &'static str,
    pub backup_dir: PathBuf,
    pub sets: Vec<BackupSetInfo>,
}

#[derive(Clone, Debug, Serialize)]
pub struct BackupSetInfo {
    pub id: String,
    pub created: String,
    #[serde(rename = "for_command")]
    pub command: String,
    pub home: PathBuf,
    /// `browser profile` of each backed-up store, without repeats.
    pub profiles: Vec<String>,
    pub stores: usize,
    pub removed_cache_entries: usize,
    /// Bytes of the set on disk.
    pub size: u64,
    pub dir: PathBuf,
}

/// `loginfix restore`.
#[derive(Clone, Debug, Serialize)]
pub struct RestoreReport {
    pub schema_version: u32,
    pub command: &'static str,
    pub dry_run: bool,
    pub id: String,
    pub dir: PathBuf,
    pub stores: Vec<crate::execute::Restored>,
    /// The new set holding the stores this restore replaced (`loginfix restore ID` of it
    /// undoes the restore); null when nothing was replaced.
    pub undo: Option<BackupRef>,
}

impl RestoreReport {
    pub fn exit(&self) -> Exit {
        if self.stores.iter().any(|s| s.action == "failed") {
            Exit::Failure
        } else if self.stores.iter().any(|s| s.action == "skipped_running") {
            Exit::BrowserRunning
        } else {
            Exit::Success
        }
    }
}

impl CleanReport {
    pub fn exit(&self) -> Exit {
        let failed = self.profiles.iter().any(|p| {
            p.status == ProfileStatus::Failed || p.counts.failed > 0 || p.counts.store_errors > 0
        });
        if failed {
            Exit::Failure
        } else if self
            .profiles
            .iter()
            .any(|p| p.status == ProfileStatus::SkippedRunning)
        {
            Exit::BrowserRunning
        } else {
            Exit::Success
        }
    }
}

/// One profile's extensions, as `loginfix extensions` lists them.
#[derive(Clone, Debug, Serialize)]
pub struct ExtensionsProfile {
    pub browser: Browser,
    pub channel: &'static str,
    pub profile: String,
    pub name: Option<String>,
    pub path: PathBuf,
    pub extensions: Vec<crate::extensions::Installed>,
    /// Why the profile's extensions could not be read, if they could not.
    pub error: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExtensionsReport {
    pub schema_version: u32,
    pub command: &'static str,
    pub all: bool,
    pub os: Os,
    pub home: PathBuf,
    pub profiles: Vec<ExtensionsProfile>,
    pub browsers: Vec<BrowserStatus>,
    pub warnings: Vec<String>,
}

impl ExtensionsReport {
    /// Scripts read the JSON; finding extensions is not a failure, an unreadable
    /// profile is.
    pub fn exit(&self) -> Exit {
        if self.profiles.iter().any(|p| p.error.is_some()) {
            Exit::Failure
        } else {
            Exit::Success
        }
    }
}

/// One profile as `loginfix browsers` lists it.
#[derive(Clone, Debug, Serialize)]
pub struct ProfileInfo {
    pub profile: String,
    pub name: Option<String>,
    pub channel: &'static str,
    pub path: PathBuf,
    pub version: Option<String>,
    pub stores: Vec<Store>,
    pub running: bool,
    pub lock: LockState,
}

#[derive(Clone, Debug, Serialize)]
pub struct BrowserEntry {
    #[serde(flatten)]
    pub status: BrowserStatus,
    pub profiles: Vec<ProfileInfo>,
}

#[derive(Clone, Debug, Serialize)]
pub struct BrowsersReport {
    pub schema_version: u32,
    pub command: &'static str,
    pub os: Os,
    pub home: PathBuf,
    pub browsers: Vec<BrowserEntry>,
    pub warnings: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_stable() {
        assert_eq!(Exit::Success as i32, 0);
        assert_eq!(Exit::Failure as i32, 1);
        assert_eq!(Exit::Usage as i32, 2);
        assert_eq!(Exit::BrowserRunning as i32, 3);
    }
}
