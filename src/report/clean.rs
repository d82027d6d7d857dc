//! The report of `clear-cookies` and `clear-cache`, profile by profile and item by item,
//! and its text: one line per item, a `=` line per profile, then the summary.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::summary::{CleanTally, Counted, Tally};
use super::{diagnostics, profile_header, Action, Counts, Diagnostic, Exit, Report};
use crate::browser::{Browser, BrowserState, BrowserStatus};
use crate::i18n::{list, t, ta, tn};
use crate::lock::LockState;
use crate::output::{clean, human_bytes, look, Style};
use crate::platform::Os;
use crate::stores::{Item, Unreadable};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ItemReport {
    /// `cookies` or `session_restore`.
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub store: crate::worker::statics::Name,
    /// The store file the item is in.
    pub file: PathBuf,
    #[serde(flatten)]
    pub item: Item,
    pub action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What to do about `error`, when there is advice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// A store that could not be read or changed as a whole.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoreError {
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub store: crate::worker::statics::Name,
    pub file: PathBuf,
    pub error: String,
    /// What to do about it, when there is advice (also printed as `hint:` on stderr).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// SQLite found the file damaged (not a database, or a page failing its checks),
    /// as opposed to locked, forbidden or of a foreign schema: `true` only then.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub damaged: bool,
}

impl StoreError {
    /// A store error, with the advice its cause calls for.
    pub fn new(store: &'static str, file: PathBuf, error: String) -> StoreError {
        let hint = super::diagnostics::store_hint(&error);
        StoreError {
            store,
            file,
            error,
            hint,
            damaged: false,
        }
    }

    /// A store that could not be read, marked `damaged` when SQLite said so (see
    /// `stores::sqlite::is_damage`).
    pub fn of_read(store: &'static str, file: PathBuf, err: &anyhow::Error) -> StoreError {
        StoreError {
            damaged: crate::stores::sqlite::is_damage(err),
            ..StoreError::new(store, file, crate::stores::error_text(err))
        }
    }

    /// Whether `fix` may offer to move the store aside so the browser makes a new one:
    /// a damaged cookie database. Only there does "you are signed out of every site in
    /// that profile" say all it costs; a lock or a permission error is never damage.
    pub fn movable(&self) -> bool {
        self.damaged && self.store == "cookies"
    }
}

/// A damaged store moved into the run's backup set at the person's word (`fix`'s second
/// question, or `--move-damaged`), so that its browser makes a new, empty one.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MovedAside {
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub store: crate::worker::statics::Name,
    pub file: PathBuf,
    /// Every file that went, the store's `-wal`, `-shm` and `-journal` first.
    pub files: Vec<PathBuf>,
    /// Why it could not be moved (then the store is still among the profile's errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One store that was read, and how it is (or would be) changed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoreReport {
    /// `cookies`, `session_restore` or `cache`.
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub store: crate::worker::statics::Name,
    pub file: PathBuf,
    /// `entries` (only the listed items go), `whole_cache` (the whole directory goes,
    /// see `reason`) or `none` (nothing may be removed, see `reason`).
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub scope: crate::worker::statics::Name,
    pub reason: Option<String>,
    /// Entry files that could not be read; they are left alone.
    pub unreadable: Vec<Unreadable>,
    /// How long the change took (shown with `--verbose`; not in the JSON, which says
    /// what happened, not how fast).
    #[serde(skip)]
    pub timings: StoreTimings,
}

/// How long each step of a store's change took; `None` for a step it did not have.
#[derive(Clone, Copy, Debug, Default)]
pub struct StoreTimings {
    pub backup: Option<std::time::Duration>,
    /// The change itself, without the backup and the check; `None` when nothing was
    /// changed (a dry run, a skipped store).
    pub edit: Option<std::time::Duration>,
    /// SQLite's integrity check of the edit, before it commits.
    pub check: Option<std::time::Duration>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileStatus {
    Done,
    WouldDo,
    NothingToDo,
    /// Every item was skipped because of an option (`--no-whole-cache`).
    Skipped,
    SkippedRunning,
    Failed,
    /// The run was interrupted while changing this profile: what is listed was done,
    /// the rest left as it was (see `reason` and `counts.not_reached`).
    Interrupted,
    /// Not begun: `--timeout` was reached first; nothing in it changed.
    TimedOut,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProfileReport {
    pub browser: Browser,
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub channel: crate::worker::statics::Name,
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
    /// Damaged stores moved aside (see [`MovedAside`]); absent when none was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub moved_aside: Vec<MovedAside>,
    pub counts: Counts,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Summary {
    pub profiles: usize,
    #[serde(flatten)]
    pub counts: Counts,
}

/// The report of `clear-cookies` and `clear-cache`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CleanReport {
    pub schema_version: u32,
    #[serde(deserialize_with = "crate::worker::statics::name")]
    pub command: crate::worker::statics::Name,
    /// `loginfix_version`, `hostname`, `user`, `time`.
    #[serde(flatten)]
    pub meta: super::Meta,
    pub dry_run: bool,
    /// The run was interrupted (Ctrl-C, SIGTERM) and stopped at a boundary: `profiles`
    /// holds what was done (a dry run: what was read); the rest was left as it was.
    /// Present, as `true`, only in the JSON of an interrupted run.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
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
    /// The command that undoes this run, to paste as it is (null when there is nothing
    /// to restore: no backup, or one that only records removed cache entries).
    pub undo_command: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BackupRef {
    pub id: String,
    pub dir: PathBuf,
    /// Whether the set holds stores to put back; false for a set that only records
    /// removed cache entries (browsers download them again).
    pub restorable: bool,
    /// How long removing the oldest sets beyond `--keep` took, after the run (shown with
    /// `--verbose`, beside the stores' backup times; not in the JSON).
    #[serde(skip)]
    pub pruning: Option<std::time::Duration>,
}

impl Report for CleanReport {
    fn exit(&self) -> Exit {
        if self.interrupted {
            return Exit::Interrupted;
        }
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
        } else if self
            .profiles
            .iter()
            .any(|p| p.status == ProfileStatus::TimedOut)
        {
            // Not all of it was done: partial, as for a doctor that could not read all.
            Exit::Unreadable
        } else {
            Exit::Success
        }
    }

    fn warnings(&self) -> Vec<String> {
        let mut warnings = self.warnings.clone();
        let skipped: Vec<&ProfileReport> = self
            .profiles
            .iter()
            .filter(|p| p.status == ProfileStatus::SkippedRunning)
            .collect();
        for (i, p) in skipped.iter().enumerate() {
            let hint = p.lock.way_out(p.browser.product_name());
            let mut warning = ta(
                "warning-skipped-profile",
                &[
                    ("browser", p.browser.name()),
                    ("product", p.browser.product_name()),
                    ("profile", &p.profile),
                    (
                        "reason",
                        &p.reason
                            .clone()
                            .unwrap_or_else(|| t("clean-browser-running")),
                    ),
                ],
            );
            // The way out is said once per browser, after its last skipped profile.
            let said_later = skipped[i + 1..].iter().any(|q| {
                q.browser == p.browser && q.lock.way_out(q.browser.product_name()) == hint
            });
            if !said_later {
                let _ = write!(warning, "\nhint: {hint}");
            }
            warnings.push(warning);
        }
        warnings
    }

    /// Each store that could not be read, and each store whose edit failed (once, not
    /// once per item), with its hint. A skipped profile's stores were not touched.
    fn errors(&self) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = Vec::new();
        for p in &self.profiles {
            for e in &p.errors {
                out.push(Diagnostic {
                    message: diagnostics::store_message(&e.file, &e.error),
                    hints: e.hint.iter().cloned().collect(),
                });
            }
            for item in &p.items {
                let Some(error) = &item.error else { continue };
                let d = Diagnostic {
                    message: diagnostics::store_message(&item.file, error),
                    hints: item.hint.iter().cloned().collect(),
                };
                if !out.contains(&d) {
                    out.push(d);
                }
            }
        }
        out
    }

    fn render_text(&self, style: &Style) -> String {
        let mut out = CleanReport::render_header(&self.browsers, style);
        for p in &self.profiles {
            out.push_str(&CleanReport::render_profile(p, style));
        }
        out.push_str(&self.render_footer(style));
        out
    }

    fn summary(&self) -> Tally {
        let (clean, items) = self.tally();
        Tally {
            counted: Counted::Clean(clean),
            items,
        }
    }
}

/// The text is made of pieces so that a run can print each profile when it is done
/// (streaming) with the very lines the whole report prints at once.
impl CleanReport {
    /// The lines before the profiles: with `-v`, each browser not found and where it was
    /// looked for.
    pub fn render_header(browsers: &[BrowserStatus], style: &Style) -> String {
        let mut out = String::new();
        for b in browsers {
            match b.status {
                BrowserState::NotFound if style.verbose => {
                    out.push_str(&super::not_found_lines(b, true));
                }
                _ => {}
            }
        }
        out
    }

    /// One profile's lines: its header, its items, its `=` line and notes.
    pub fn render_profile(p: &ProfileReport, style: &Style) -> String {
        let mut out = String::new();
        profile_text(style, &mut out, p);
        out
    }

    /// The lines after the profiles: the summary, the backup and its undo command, and
    /// the dry-run and interrupt notes.
    pub fn render_footer(&self, style: &Style) -> String {
        let mut out = String::new();
        let s = &self.summary;
        let c = &s.counts;
        let mut what = if self.dry_run {
            tn("clean-would-remove", c.would_remove, &[])
        } else {
            tn("clean-removed", c.removed, &[])
        };
        if c.bytes > 0 {
            what = ta(
                "clean-with-size",
                &[("what", &what), ("size", &human_bytes(c.bytes))],
            );
        }
        if c.unreadable > 0 {
            what = ta(
                "clean-and",
                &[
                    ("a", &what),
                    ("b", &tn("clean-unreadable-left", c.unreadable, &[])),
                ],
            );
        }
        // A store that could not be read counts as failed, as it does in the exit code.
        let stores = tn("clean-stores-unread", c.store_errors, &[]);
        let failed = match (c.failed, c.store_errors) {
            (_, 0) => tn("clean-failed", c.failed, &[]),
            (0, _) => tn(
                "clean-failed-because",
                c.store_errors,
                &[("reason", &stores)],
            ),
            (n, _) => tn(
                "clean-failed-because",
                n + c.store_errors,
                &[(
                    "reason",
                    &ta(
                        "clean-semicolon",
                        &[("a", &tn("clean-items", n, &[])), ("b", &stores)],
                    ),
                )],
            ),
        };
        let mut parts = vec![what, tn("clean-skipped", c.skipped, &[]), failed];
        if c.not_reached > 0 {
            parts.push(tn("clean-not-reached", c.not_reached, &[]));
        }
        let _ = writeln!(
            out,
            "{}",
            tn("clean-summary", s.profiles, &[("list", &list(&parts))])
        );
        if self.interrupted {
            let rest = if self.dry_run {
                "clean-interrupted-dry"
            } else if self.profiles.is_empty() {
                "clean-interrupted-reading"
            } else {
                "clean-interrupted"
            };
            let _ = writeln!(out, "{}", t(rest));
        } else if s.profiles == 0 {
            let _ = writeln!(out, "{}", t("clean-no-profile"));
        }
        if let Some(b) = &self.backup {
            let dir = clean(&b.dir.display().to_string()).into_owned();
            let line = match &self.undo_command {
                Some(undo) => ta(
                    "clean-backup-undo",
                    &[("dir", &dir), ("command", &clean(undo))],
                ),
                None if !b.restorable => ta("clean-backup-cache", &[("dir", &dir)]),
                None => ta("clean-backup", &[("dir", &dir)]),
            };
            let _ = writeln!(out, "{line}");
            if let Some(took) = b.pruning.filter(|_| style.verbose) {
                let _ = writeln!(out, "  {}", ta("time-pruning", &[("value", &ms(took))]));
            }
        }
        if self.dry_run {
            let _ = writeln!(out, "{}", t("fix-dry-run"));
        }
        out
    }
}

/// A step's time, as `-v` shows it: `21.0 ms`.
fn ms(d: std::time::Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// "backup 21.0 ms, edit 9.8 ms, integrity check 31.2 ms": the steps a change had.
fn timings_text(t: &StoreTimings) -> Option<String> {
    let edit = t.edit?;
    let step = |key: &str, d: std::time::Duration| ta(key, &[("value", &ms(d))]);
    let mut parts = Vec::new();
    if let Some(backup) = t.backup {
        parts.push(step("time-backup", backup));
    }
    parts.push(step("time-edit", edit));
    if let Some(check) = t.check {
        parts.push(step("time-check", check));
    }
    Some(list(&parts))
}

fn profile_text(style: &Style, out: &mut String, p: &ProfileReport) {
    profile_header(
        style,
        out,
        p.browser,
        &p.profile,
        p.name.as_deref(),
        &p.path,
    );
    if style.verbose {
        if let Some(v) = &p.version {
            let version = ta("browsers-version", &[("version", &clean(v))]);
            let _ = writeln!(out, "  {version}");
        }
        if let LockState::Running { detail, .. } | LockState::Stale { detail } = &p.lock {
            let _ = writeln!(out, "  {}", ta("clean-lock", &[("detail", &clean(detail))]));
        }
    }
    for store in &p.stores {
        if let Some(reason) = &store.reason {
            let note = ta(
                "clean-store-note",
                &[
                    ("file", &clean(&store.file.display().to_string())),
                    ("reason", &clean(reason)),
                ],
            );
            let _ = writeln!(out, "  {note}");
        }
        if style.verbose {
            if let Some(took) = timings_text(&store.timings) {
                let file = store.file.display().to_string();
                let line = ta("time-store", &[("file", &clean(&file)), ("list", &took)]);
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    if !style.quiet {
        for item in &p.items {
            item_line(style, out, item);
        }
        for store in &p.stores {
            for u in &store.unreadable {
                let label = style
                    .paint(look::PENDING, &t("clean-verb-unreadable"))
                    .into_owned();
                let line = ta(
                    "clean-unreadable-line",
                    &[
                        ("file", &clean(&u.file.display().to_string())),
                        ("reason", &clean(&u.reason)),
                    ],
                );
                let _ = writeln!(out, "  {label}  {line}");
            }
        }
    }
    for e in &p.errors {
        let label = style
            .paint(look::FAILED, &t("clean-verb-failed"))
            .into_owned();
        let _ = writeln!(out, "  {label}  {}", clean(&e.error));
    }
    let status = match p.status {
        ProfileStatus::NothingToDo => t("clean-nothing-to-remove"),
        ProfileStatus::Skipped => tn("clean-skipped", p.counts.skipped, &[]),
        ProfileStatus::TimedOut => t("clean-timed-out"),
        ProfileStatus::SkippedRunning => ta(
            "clean-skipped-because",
            &[(
                "reason",
                &p.reason
                    .clone()
                    .unwrap_or_else(|| t("clean-browser-running")),
            )],
        ),
        ProfileStatus::Failed if p.items.is_empty() => t("clean-profile-failed"),
        _ => {
            let c = &p.counts;
            let mut parts = Vec::new();
            if c.would_remove > 0 {
                parts.push(tn("clean-would-remove", c.would_remove, &[]));
            }
            if c.removed > 0 {
                parts.push(tn("clean-removed", c.removed, &[]));
            }
            if c.skipped > 0 {
                parts.push(tn("clean-skipped", c.skipped, &[]));
            }
            if c.failed > 0 {
                parts.push(tn("clean-failed", c.failed, &[]));
            }
            if c.bytes > 0 {
                parts.push(human_bytes(c.bytes));
            }
            list(&parts)
        }
    };
    let _ = writeln!(out, "  = {}", clean(&status));
    // A reason that is a store error printed above is not said again.
    if p.status != ProfileStatus::SkippedRunning {
        if let Some(reason) = p
            .reason
            .as_ref()
            .filter(|r| !p.errors.iter().any(|e| &e.error == *r))
        {
            let _ = writeln!(out, "  {}", ta("clean-note", &[("reason", &clean(reason))]));
        }
    }
}

fn item_line(style: &Style, out: &mut String, item: &ItemReport) {
    let verb = match item.action {
        Action::WouldRemove => style
            .paint(look::PENDING, &t("clean-verb-would-remove"))
            .into_owned(),
        Action::Removed => style
            .paint(look::DONE, &t("clean-verb-removed"))
            .into_owned(),
        Action::Skipped => style
            .paint(look::SKIPPED, &t("clean-verb-skipped"))
            .into_owned(),
        Action::Failed => style
            .paint(look::FAILED, &t("clean-verb-failed"))
            .into_owned(),
    };
    let i = &item.item;
    // Written into `out` piece by piece: a run that removes thousands of cookies prints
    // a line for each.
    let _ = write!(out, "  {verb}  {}", clean(&i.host));
    if let Some(url) = &i.url {
        let _ = write!(out, "  {}", clean(url));
    }
    if let Some(name) = &i.name {
        let _ = write!(out, "  {}", clean(name));
    }
    if let Some(path) = &i.path {
        let _ = write!(out, "  path={}", clean(path));
    }
    if let Some(part) = &i.partition {
        let _ = write!(out, "  partition={}", clean(part));
    }
    if let Some(size) = i.size {
        let _ = write!(out, "  {}", human_bytes(size));
    }
    out.push_str("  [");
    out.push_str(&crate::i18n::store_label(item.store));
    // Several session-restore files hold the same cookie: name the file.
    if item.store == "session_restore" {
        if let Some(name) = item.file.file_name() {
            let _ = write!(out, ": {}", clean(&name.to_string_lossy()));
        }
    }
    out.push(']');
    if let Some(err) = &item.error {
        let _ = write!(out, ": {}", clean(err));
    }
    out.push('\n');
}

/// A report whose header and profiles were already printed as the run went (see
/// `commands::clean`): its text is only the footer; its JSON, exit code and diagnostics
/// are the report's own.
#[derive(Serialize)]
#[serde(transparent)]
pub struct Streamed<'a>(pub &'a CleanReport);

impl Report for Streamed<'_> {
    fn exit(&self) -> Exit {
        self.0.exit()
    }

    fn warnings(&self) -> Vec<String> {
        self.0.warnings()
    }

    fn errors(&self) -> Vec<Diagnostic> {
        self.0.errors()
    }

    fn render_text(&self, style: &Style) -> String {
        self.0.render_footer(style)
    }

    fn summary(&self) -> Tally {
        self.0.summary()
    }
}

impl CleanReport {
    /// The counts of the summary line, and the profiles not finished as its items.
    pub fn tally(&self) -> (CleanTally, Vec<String>) {
        let mut t = CleanTally {
            dry_run: self.dry_run,
            profiles: self.profiles.len(),
            ..CleanTally::default()
        };
        let mut items = Vec::new();
        for p in &self.profiles {
            let c = &p.counts;
            t.items += if self.dry_run {
                c.would_remove
            } else {
                c.removed
            };
            let failed = c.failed + c.store_errors;
            t.failed += failed;
            if failed == 0 && p.status == ProfileStatus::Failed {
                t.failed += 1;
            }
            t.not_reached += c.not_reached;
            let status = match p.status {
                ProfileStatus::SkippedRunning => {
                    t.skipped_running += 1;
                    "skipped_running"
                }
                ProfileStatus::Failed => "failed",
                ProfileStatus::TimedOut => "timed_out",
                ProfileStatus::Interrupted => "interrupted",
                _ if failed > 0 => "failed",
                _ => continue,
            };
            items.push(format!("{}/{}:{status}", p.browser.name(), p.profile));
        }
        (t, items)
    }
}
