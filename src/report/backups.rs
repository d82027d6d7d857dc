//! The reports of `loginfix backups` (the sets of earlier runs) and `loginfix restore`
//! (what happened to each store of one set), and their text.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{BackupRef, Exit, Report};
use crate::browser::Browser;
use crate::i18n::{t, ta, tn};
use crate::output::{clean, human_bytes, look, Style};

/// `loginfix backups`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BackupsReport {
    pub schema_version: u32,
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub command: crate::worker::statics::Name,
    /// `loginfix_version`, `hostname`, `user`, `time`.
    #[serde(flatten)]
    pub meta: super::Meta,
    pub backup_dir: PathBuf,
    pub sets: Vec<BackupSetInfo>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BackupSetInfo {
    pub id: String,
    pub created: String,
    #[serde(rename = "for_command")]
    pub command: String,
    pub home: PathBuf,
    /// The `--all-users` run that made the set (`loginfix --all-users restore RUN_ID`
    /// restores every user's set of it), or null.
    pub fleet_run: Option<String>,
    /// `browser profile` of each backed-up store, without repeats.
    pub profiles: Vec<String>,
    pub stores: usize,
    pub removed_cache_entries: usize,
    /// Whether the set holds stores to put back (false: only removed cache entries).
    pub restorable: bool,
    /// Bytes of the set on disk.
    pub size: u64,
    pub dir: PathBuf,
}

/// `loginfix restore`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RestoreReport {
    pub schema_version: u32,
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub command: crate::worker::statics::Name,
    /// `loginfix_version`, `hostname`, `user`, `time`.
    #[serde(flatten)]
    pub meta: super::Meta,
    pub dry_run: bool,
    pub id: String,
    pub dir: PathBuf,
    pub stores: Vec<Restored>,
    /// The new set holding the stores this restore replaced (`loginfix restore ID` of it
    /// undoes the restore); null when nothing was replaced.
    pub undo: Option<BackupRef>,
    /// The command that undoes this restore, to paste as it is (null with `undo`).
    pub undo_command: Option<String>,
}

/// What `restore` did with one backed-up store. The executor fills it in; it lives here,
/// with the report, so the report does not depend on the executor.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Restored {
    pub original: PathBuf,
    pub browser: Browser,
    pub profile: String,
    /// `would_restore`, `restored`, `skipped_running` or `failed`.
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub action: crate::worker::statics::Name,
    pub error: Option<String>,
    /// What the store has now that the restore replaces (null for a directory or a
    /// store that is gone).
    pub would_lose: Option<WouldLose>,
}

/// What restoring one store would lose: what is there now and not in the backup.
#[derive(Clone, Debug, Default, serde::Serialize, Deserialize)]
pub struct WouldLose {
    /// The current file differs from the backed-up copy.
    pub differs: bool,
    /// SQLite cookie stores: cookies present now and absent from the backup (compared by
    /// host, name, path and partition), in all and per site (host without a leading dot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookies: Option<u64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sites: BTreeMap<String, u64>,
}

impl Report for BackupsReport {
    /// Listing is not judged: no set at all is an answer, not a failure.
    fn exit(&self) -> Exit {
        Exit::Success
    }

    fn render_text(&self, style: &Style) -> String {
        let mut out = String::new();
        if self.sets.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                ta(
                    "backups-none",
                    &[("dir", &clean(&self.backup_dir.display().to_string()))]
                )
            );
        }
        for s in &self.sets {
            let what = ta(
                "clean-and",
                &[
                    ("a", &tn("backups-stores", s.stores, &[])),
                    ("b", &tn("backups-cache", s.removed_cache_entries, &[])),
                ],
            );
            let _ = writeln!(
                out,
                "{}  {}  {}  {what}  {}",
                style.paint(look::BOLD, &clean(&s.id)),
                clean(&s.created),
                clean(&s.command),
                human_bytes(s.size)
            );
            for p in &s.profiles {
                let _ = writeln!(out, "  {}", clean(p));
            }
        }
        out
    }

    fn summary(&self) -> super::summary::Tally {
        super::summary::Tally::new(super::summary::Counted::Backups {
            sets: self.sets.len(),
        })
    }
}

impl Report for RestoreReport {
    fn exit(&self) -> Exit {
        if self.stores.iter().any(|s| s.action == "failed") {
            Exit::Failure
        } else if self.stores.iter().any(|s| s.action == "skipped_running") {
            Exit::BrowserRunning
        } else {
            Exit::Success
        }
    }

    fn render_text(&self, style: &Style) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", ta("restore-set", &[("id", &clean(&self.id))]));
        // Without `-v`, one line per profile and outcome ("Restored  chrome Default: 14
        // files, 3 changed since the backup"); a file with more to say (a failure, cookies
        // set since the backup) keeps its own line.
        let own_line = |s: &Restored| {
            s.error.is_some()
                || s.would_lose
                    .as_ref()
                    .is_some_and(|l| l.cookies.unwrap_or(0) > 0)
        };
        if !style.verbose && !style.quiet {
            let mut groups: Vec<(&str, String, usize, usize)> = Vec::new();
            for s in self.stores.iter().filter(|s| !own_line(s)) {
                let whose = whose(s);
                // As the per-file listing says it: a file whose changes are not cookies.
                let changed = usize::from(
                    s.would_lose
                        .as_ref()
                        .is_some_and(|l| l.cookies.is_none() && l.differs),
                );
                match groups
                    .iter_mut()
                    .find(|(a, w, ..)| *a == s.action && *w == whose)
                {
                    Some(g) => {
                        g.2 += 1;
                        g.3 += changed;
                    }
                    None => groups.push((s.action, whose, 1, changed)),
                }
            }
            for (action, whose, n, changed) in &groups {
                let verb = verb(style, action);
                let changed = match *changed {
                    0 => String::new(),
                    _ if *action == "skipped_running" => String::new(),
                    c if self.dry_run => tn("restore-changed-would", c, &[]),
                    c => tn("restore-changed", c, &[]),
                };
                let line = ta(
                    "restore-line",
                    &[
                        ("whose", whose),
                        ("files", &tn("restore-files", *n, &[])),
                        ("changed", &changed),
                    ],
                );
                let _ = writeln!(out, "  {verb}  {line}");
            }
        }
        for s in &self.stores {
            // `-q`: only what failed, then the summary.
            if style.quiet && s.action != "failed" {
                continue;
            }
            if !style.verbose && !style.quiet && !own_line(s) {
                continue;
            }
            let verb = verb(style, s.action);
            let mut line = format!(
                "  {verb}  {}  {}",
                whose(s),
                clean(&s.original.display().to_string())
            );
            if let Some(e) = &s.error {
                let _ = write!(line, ": {}", clean(e));
            }
            let _ = writeln!(out, "{line}");
            if let Some(lose) = &s.would_lose {
                let said = match lose.cookies {
                    Some(n) if n > 0 => {
                        let key = if self.dry_run {
                            "restore-lose-cookies-would"
                        } else {
                            "restore-lose-cookies"
                        };
                        Some(ta(
                            key,
                            &[
                                ("cookies", &tn("restore-cookies", n as usize, &[])),
                                ("sites", &tn("restore-sites", lose.sites.len(), &[])),
                            ],
                        ))
                    }
                    None if lose.differs => Some(t(if self.dry_run {
                        "restore-differs-would"
                    } else {
                        "restore-differs"
                    })),
                    _ => None,
                };
                if let Some(said) = said {
                    let _ = writeln!(out, "    {said}");
                }
            }
        }
        let count = |action: &str| self.stores.iter().filter(|s| s.action == action).count();
        let _ = writeln!(
            out,
            "{}",
            tn(
                if self.dry_run {
                    "restore-summary-dry"
                } else {
                    "restore-summary"
                },
                count("restored") + count("would_restore"),
                &[
                    ("skipped", &count("skipped_running").to_string()),
                    ("failed", &count("failed").to_string()),
                ],
            )
        );
        if let Some(undo) = &self.undo {
            let command = self
                .undo_command
                .clone()
                .unwrap_or_else(|| super::undo_command(&[], None, &undo.id));
            let _ = writeln!(
                out,
                "{}",
                ta("restore-undo", &[("command", &clean(&command))])
            );
        }
        if self.dry_run {
            let _ = writeln!(out, "{}", t("fix-dry-run"));
        }
        out
    }

    fn summary(&self) -> super::summary::Tally {
        let count = |action: &str| self.stores.iter().filter(|s| s.action == action).count();
        let mut t = super::summary::Tally::new(super::summary::Counted::Restore {
            dry_run: self.dry_run,
            of: format!("set {}", self.id),
            restored: count(if self.dry_run {
                "would_restore"
            } else {
                "restored"
            }),
            skipped_running: count("skipped_running"),
            failed: count("failed"),
        });
        t.items = self
            .stores
            .iter()
            .filter(|s| matches!(s.action, "failed" | "skipped_running"))
            .map(|s| format!("{}/{}:{}", s.browser.name(), s.profile, s.action))
            .collect();
        t
    }
}

/// The verb of a restored file's line, coloured by its outcome.
fn verb(style: &Style, action: &str) -> String {
    let (look, key) = match action {
        "would_restore" => (look::PENDING, "restore-verb-would"),
        "restored" => (look::DONE, "restore-verb-restored"),
        "skipped_running" => (look::SKIPPED, "clean-verb-skipped"),
        _ => (look::FAILED, "clean-verb-failed"),
    };
    style.paint(look, &t(key)).into_owned()
}

/// Whose file it is: the browser and profile, as every report's header names them.
fn whose(s: &Restored) -> String {
    ta(
        "profile-header",
        &[
            ("id", s.browser.name()),
            ("product", s.browser.product_name()),
            ("dir", &clean(&s.profile)),
        ],
    )
}
