//! The executor: the only code that changes a browser's files. Per profile, right before
//! its changes, it checks that the browser is not running; then it applies each store's
//! removal (SQLite rows in one transaction, session files replaced atomically, cache
//! entry files then the cache index, or a whole blockfile cache) and
//! reports every item. A dry run goes through the same steps and stops before writing.
//! Stores edited in place are backed up first (see `backup`), SQLite stores are checked
//! with `PRAGMA quick_check` after the edit, and `restore` puts backups back.

#![allow(clippy::disallowed_methods)]

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::backup::Session;
use crate::browser::Profile;
use crate::lock::{LockPolicy, LockState};
use crate::plan::ProfilePlan;
use crate::report::{
    Action, Counts, ItemReport, ProfileReport, ProfileStatus, Restored, StoreReport,
};
use crate::stores::sqlite::sidecar;
use crate::stores::{self, ItemKey, Removal, RewriteFormat, StoreScan};

/// How long to wait for a store another process is writing before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// How a run goes: for real or not, and how locks are judged.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunOptions {
    pub dry_run: bool,
    pub locks: LockPolicy,
}

/// Runs the plans; stores are backed up into `backups` right before they change.
pub fn run(plans: Vec<ProfilePlan>, opts: RunOptions, backups: &mut Session) -> Vec<ProfileReport> {
    plans
        .into_iter()
        .map(|p| run_profile(p, opts, backups))
        .collect()
}

fn run_profile(plan: ProfilePlan, opts: RunOptions, backups: &mut Session) -> ProfileReport {
    let dry_run = opts.dry_run;
    // Checked right before this profile's changes, not once at the start.
    let lock = opts.locks.check(&plan.profile.lock);
    let mut items = Vec::new();
    let mut stores = Vec::new();
    let mut reason = match &lock {
        LockState::Stale { detail } => Some(format!("stale lock ignored: {detail}")),
        LockState::Unchecked { detail } => Some(format!("running state not checked: {detail}")),
        _ => None,
    };
    let running = lock.is_running();
    let mut counts = Counts::default();
    for scan in &plan.stores {
        let (scope, store_reason) = match &scan.removal {
            Removal::WholeCache { reason, .. } => ("whole_cache", Some(reason.clone())),
            Removal::Skip { reason } => ("none", Some(reason.clone())),
            _ => ("entries", None),
        };
        let outcomes: Vec<(Action, Option<String>)> = if running {
            vec![(Action::Skipped, None); scan.items.len()]
        } else if let Removal::Skip { .. } = scan.removal {
            vec![(Action::Skipped, None); scan.items.len()]
        } else if dry_run {
            vec![(Action::WouldRemove, None); scan.items.len()]
        } else if scan.items.is_empty() {
            Vec::new()
        } else {
            apply(scan, &plan.profile, backups)
        };
        for (item, (action, error)) in scan.items.iter().zip(outcomes) {
            counts.add(action, item.size);
            items.push(ItemReport {
                store: scan.store.kind.label(),
                file: scan.store.path.clone(),
                item: item.clone(),
                action,
                error,
            });
        }
        counts.unreadable += scan.unreadable.len();
        stores.push(StoreReport {
            store: scan.store.kind.label(),
            file: scan.store.path.clone(),
            scope,
            reason: store_reason,
            unreadable: scan.unreadable.clone(),
        });
    }
    counts.store_errors = plan.errors.len();
    let status = if running {
        if let LockState::Running { detail } = &lock {
            reason = Some(format!(
                "{} is running: {detail}",
                plan.profile.browser.product_name()
            ));
        }
        ProfileStatus::SkippedRunning
    } else if !plan.errors.is_empty() || counts.failed > 0 {
        if reason.is_none() {
            reason = Some(match plan.errors.first() {
                Some(e) => e.error.clone(),
                None => format!(
                    "{} of {} items could not be removed",
                    counts.failed,
                    items.len()
                ),
            });
        }
        ProfileStatus::Failed
    } else if items.is_empty() {
        ProfileStatus::NothingToDo
    } else if counts.skipped == items.len() {
        ProfileStatus::Skipped
    } else if dry_run {
        ProfileStatus::WouldDo
    } else {
        ProfileStatus::Done
    };
    let p = plan.profile;
    ProfileReport {
        browser: p.browser,
        channel: p.channel,
        profile: p.dir_name,
        name: p.display_name,
        path: p.path,
        version: p.version,
        status,
        reason,
        lock,
        stores,
        items,
        errors: plan.errors,
        counts,
    }
}

/// Applies one store's removal; one outcome per item, in order. A store that is edited
/// in place is backed up first (unless backups are off); a SQLite store that fails its
/// integrity check after the edit is put back from that backup at once.
fn apply(
    scan: &StoreScan,
    profile: &Profile,
    backups: &mut Session,
) -> Vec<(Action, Option<String>)> {
    let path = &scan.store.path;
    let sqlite = matches!(
        scan.removal,
        Removal::SqliteRows { .. } | Removal::SqliteEntries { .. }
    );
    let edits_in_place = sqlite || matches!(scan.removal, Removal::RewriteFile { .. });
    let mut backup = None;
    if edits_in_place && backups.enabled() {
        match backups.backup(
            path,
            sqlite,
            profile.browser,
            &profile.dir_name,
            &profile.lock,
        ) {
            Ok(n) => backup = Some(n),
            Err(err) => {
                let msg = format!(
                    "{err:#}; nothing was changed (use --no-backup to clean without a backup)"
                );
                return vec![(Action::Failed, Some(msg)); scan.items.len()];
            }
        }
    }
    let result = match &scan.removal {
        Removal::SqliteRows {
            table,
            host_column,
            name_column,
        } => delete_rows(path, table, host_column, name_column, scan),
        Removal::RewriteFile { format, len, hash } => {
            rewrite_file(path, *format, *len, *hash, scan)
        }
        Removal::CacheFiles { index_files } => Ok(remove_cache_entries(scan, index_files)),
        Removal::SqliteEntries { tables, id_column } => {
            delete_entries(path, tables, id_column, scan)
        }
        Removal::WholeCache { dir, .. } => remove_whole_cache(dir, scan),
        Removal::Skip { .. } => Ok(vec![(Action::Skipped, None); scan.items.len()]),
    };
    if sqlite {
        fix_sidecar_owners(path);
    }
    // Only an edit that went through is checked: a failed one was rolled back by SQLite.
    if sqlite && result.is_ok() {
        if let Err(problem) = quick_check(path) {
            let put_back = match backup.and_then(|n| backups.entry(n)) {
                Some((copy, entry)) => match put_back(&copy, path, true, &entry.sha256) {
                    Ok(()) => "the backup was put back".to_string(),
                    Err(e) => format!("putting the backup back failed too: {e:#}"),
                },
                None => "no backup was kept (--no-backup)".to_string(),
            };
            let msg = format!(
                "`{}` failed its integrity check after the edit ({problem}); {put_back}",
                path.display()
            );
            return vec![(Action::Failed, Some(msg)); scan.items.len()];
        }
    }
    let outcomes = match result {
        Ok(outcomes) => outcomes,
        Err(err) => {
            let msg = format!("{err:#}");
            vec![(Action::Failed, Some(msg)); scan.items.len()]
        }
    };
    if backups.enabled() {
        // Cache files are not backed up (they are re-downloadable); the manifest says
        // what went.
        let removed: Vec<crate::backup::Removed> = scan
            .items
            .iter()
            .zip(&outcomes)
            .filter(|(_, (action, _))| *action == Action::Removed)
            .filter_map(|(item, _)| {
                let files = match (&item.key, &scan.removal) {
                    (ItemKey::Files(files) | ItemKey::Entry { files, .. }, _) => files.clone(),
                    (ItemKey::InWholeCache, Removal::WholeCache { dir, .. }) => vec![dir.clone()],
                    _ => return None,
                };
                Some(crate::backup::Removed {
                    files,
                    url: item.url.clone(),
                    size: item.size,
                })
            })
            .collect();
        if let Err(err) = backups.record_removed(removed) {
            let msg = format!("removed, but the backup manifest could not record it: {err:#}");
            return vec![(Action::Failed, Some(msg)); scan.items.len()];
        }
    }
    outcomes
}

/// `PRAGMA quick_check` on a store just edited: `Err` with SQLite's first complaint.
fn quick_check(path: &Path) -> Result<(), String> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| e.to_string())?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| e.to_string())?;
    let result: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if result == "ok" {
        Ok(())
    } else {
        Err(result)
    }
}

/// SQLite may have created a `-wal`, `-shm` or `-journal` beside the store; as root on
/// another user's home those would be root's, and the browser could not open its store.
fn fix_sidecar_owners(path: &Path) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    for suffix in ["-wal", "-shm", "-journal"] {
        let side = sidecar(path, suffix);
        if side.exists() {
            let _ = crate::platform::copy_owner(&meta, &side);
        }
    }
}

/// Puts a backed-up copy back in place of `original` and checks its SHA-256. A SQLite
/// store's WAL, shared-memory file and hot journal belong to the replaced file and would
/// be replayed onto the copy, so they go; an empty journal (Chromium's) stays.
fn put_back(copy: &Path, original: &Path, sqlite: bool, sha256: &str) -> anyhow::Result<()> {
    let bytes = std::fs::read(copy)
        .with_context(|| format!("could not read the backup `{}`", copy.display()))?;
    replace_file(original, &bytes)?;
    if sqlite {
        for suffix in ["-wal", "-shm", "-journal"] {
            let side = sidecar(original, suffix);
            let keep = suffix == "-journal" && std::fs::metadata(&side).is_ok_and(|m| m.len() == 0);
            if !keep {
                remove_files(std::slice::from_ref(&side)).map_err(|e| anyhow::anyhow!(e))?;
            }
        }
    }
    let got = crate::backup::sha256_file(original)?;
    anyhow::ensure!(
        got == sha256,
        "`{}` does not match its backup after the copy (SHA-256 {got}, expected {sha256})",
        original.display()
    );
    Ok(())
}

/// Puts the stores of a backup set back, refusing (per store) while its browser runs.
pub fn restore(
    set_dir: &Path,
    manifest: &crate::backup::Manifest,
    opts: RunOptions,
) -> Vec<Restored> {
    manifest
        .entries
        .iter()
        .map(|entry| {
            let lock = opts.locks.check(&entry.lock);
            let (action, error) = if lock.is_running() {
                let detail = match lock {
                    LockState::Running { detail } => detail,
                    _ => String::new(),
                };
                (
                    "skipped_running",
                    Some(format!(
                        "{} is running: {detail}",
                        entry.browser.product_name()
                    )),
                )
            } else if opts.dry_run {
                ("would_restore", None)
            } else {
                match put_back(
                    &set_dir.join(&entry.file),
                    &entry.original,
                    entry.sqlite,
                    &entry.sha256,
                ) {
                    Ok(()) => ("restored", None),
                    Err(e) => ("failed", Some(format!("{e:#}"))),
                }
            };
            Restored {
                original: entry.original.clone(),
                browser: entry.browser,
                profile: entry.profile.clone(),
                action,
                error,
            }
        })
        .collect()
}

/// Opens a SQLite store for writing, the way the browser left it: no file is created,
/// a bounded wait if another program holds it, Chromium's TRUNCATE journal kept, and
/// `secure_delete` so deleted values do not linger in free pages.
fn open_for_write(path: &Path) -> anyhow::Result<Connection> {
    open_for_write_inner(path).map_err(|err| {
        let busy = err.chain().any(|e| {
            matches!(
                e.downcast_ref::<rusqlite::Error>()
                    .and_then(rusqlite::Error::sqlite_error_code),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            )
        });
        if busy {
            err.context(format!(
                "`{}` is locked by another program (waited {} s); close it and run again",
                path.display(),
                BUSY_TIMEOUT.as_secs()
            ))
        } else {
            err
        }
    })
}

fn open_for_write_inner(path: &Path) -> anyhow::Result<Connection> {
    let journal = sidecar(path, "-journal");
    let journal_existed = journal.exists();
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("could not open `{}` for writing", path.display()))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if mode.eq_ignore_ascii_case("delete") && journal_existed {
        // Chromium runs its stores with TRUNCATE; keep its empty journal file in place
        // rather than letting SQLite's default delete it.
        conn.query_row("PRAGMA journal_mode=TRUNCATE", [], |_| Ok(()))?;
    }
    conn.execute_batch("PRAGMA secure_delete=ON")?;
    Ok(conn)
}

/// Runs `edit` in one IMMEDIATE transaction on a store opened by [`open_for_write`] and
/// commits it; any error rolls everything back.
fn in_transaction<T>(
    path: &Path,
    edit: impl FnOnce(&rusqlite::Transaction<'_>) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut conn = open_for_write(path)?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .with_context(|| format!("`{}` is locked by another program", path.display()))?;
    let result = edit(&tx)?;
    tx.commit()
        .with_context(|| format!("could not commit the changes to `{}`", path.display()))?;
    Ok(result)
}

fn delete_rows(
    path: &Path,
    table: &str,
    host_column: &str,
    name_column: &str,
    scan: &StoreScan,
) -> anyhow::Result<Vec<(Action, Option<String>)>> {
    in_transaction(path, |tx| {
        let sql = format!(
            "DELETE FROM {table} WHERE rowid = ?1 AND {host_column} = ?2 AND {name_column} = ?3"
        );
        let mut stmt = tx.prepare(&sql)?;
        let mut outcomes = Vec::with_capacity(scan.items.len());
        for item in &scan.items {
            let ItemKey::Row { rowid, host, name } = &item.key else {
                anyhow::bail!("internal error: a SQLite store was planned without row keys");
            };
            let changed = stmt
                .execute(rusqlite::params![rowid, host, name])
                .with_context(|| format!("could not delete from `{}`", path.display()))?;
            outcomes.push(if changed == 1 {
                (Action::Removed, None)
            } else {
                (
                    Action::Failed,
                    Some("the cookie changed in the store after it was read".to_string()),
                )
            });
        }
        Ok(outcomes)
    })
}

/// Deletes each entry's rows from every table in one transaction; after the commit,
/// removes the files that held the entries' bodies.
fn delete_entries(
    path: &Path,
    tables: &[&str],
    id_column: &str,
    scan: &StoreScan,
) -> anyhow::Result<Vec<(Action, Option<String>)>> {
    in_transaction(path, |tx| {
        for item in &scan.items {
            let ItemKey::Entry { id, .. } = &item.key else {
                anyhow::bail!("internal error: an entry store was planned without entry ids");
            };
            for table in tables {
                tx.execute(&format!("DELETE FROM {table} WHERE {id_column} = ?1"), [id])
                    .with_context(|| format!("could not delete from `{}`", path.display()))?;
            }
        }
        Ok(())
    })?;
    let mut outcomes = Vec::with_capacity(scan.items.len());
    for item in &scan.items {
        let ItemKey::Entry { files, .. } = &item.key else {
            continue;
        };
        outcomes.push(match remove_files(files) {
            Ok(()) => (Action::Removed, None),
            Err(e) => (Action::Failed, Some(format!("rows removed, but {e}"))),
        });
    }
    Ok(outcomes)
}

/// Removes files; one that is already gone is fine.
fn remove_files(files: &[std::path::PathBuf]) -> Result<(), String> {
    for file in files {
        match std::fs::remove_file(file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("could not remove `{}`: {e}", file.display())),
        }
    }
    Ok(())
}

fn rewrite_file(
    path: &Path,
    format: RewriteFormat,
    len: u64,
    hash: u64,
    scan: &StoreScan,
) -> anyhow::Result<Vec<(Action, Option<String>)>> {
    let bytes = crate::fsutil::read_bounded(path, len.saturating_add(1))
        .with_context(|| format!("could not read `{}`", path.display()))?;
    if stores::fingerprint(&bytes) != (len, hash) {
        anyhow::bail!(
            "`{}` changed after it was read; run loginfix again",
            path.display()
        );
    }
    let remove: Vec<usize> = scan
        .items
        .iter()
        .filter_map(|i| match i.key {
            ItemKey::Element(n) => Some(n),
            _ => None,
        })
        .collect();
    let new = format
        .rewrite(&bytes, &remove)
        .with_context(|| format!("could not rewrite `{}`", path.display()))?;
    replace_file(path, &new)?;
    Ok(vec![(Action::Removed, None); scan.items.len()])
}

/// Removes each entry's files, then the index files (only if an entry went), so the
/// browser rebuilds its index from the entries that remain.
fn remove_cache_entries(
    scan: &StoreScan,
    index_files: &[std::path::PathBuf],
) -> Vec<(Action, Option<String>)> {
    let mut outcomes = Vec::with_capacity(scan.items.len());
    let mut any_removed = false;
    for item in &scan.items {
        let ItemKey::Files(files) = &item.key else {
            outcomes.push((
                Action::Failed,
                Some("internal error: no files planned".to_string()),
            ));
            continue;
        };
        match remove_files(files) {
            Ok(()) => {
                any_removed = true;
                outcomes.push((Action::Removed, None));
            }
            Err(e) => outcomes.push((Action::Failed, Some(e))),
        }
    }
    if any_removed {
        if let Err(e) = remove_files(index_files) {
            // The browser would trust a stale index: report every entry as failed.
            let msg = format!("entries removed, but the index was not: {e}");
            return vec![(Action::Failed, Some(msg)); scan.items.len()];
        }
    }
    outcomes
}

/// Removes a whole cache directory; the browser recreates it empty. A symlink is
/// removed itself, never followed.
fn remove_whole_cache(
    dir: &Path,
    scan: &StoreScan,
) -> anyhow::Result<Vec<(Action, Option<String>)>> {
    let meta = std::fs::symlink_metadata(dir)
        .with_context(|| format!("could not read `{}`", dir.display()))?;
    if meta.file_type().is_symlink() {
        anyhow::bail!(
            "`{}` is a symlink; not removing what it points to",
            dir.display()
        );
    }
    std::fs::remove_dir_all(dir)
        .with_context(|| format!("could not remove `{}`", dir.display()))?;
    Ok(vec![(Action::Removed, None); scan.items.len()])
}

/// Replaces `path` atomically: a temporary file in the same directory, flushed to disk,
/// given the original's permissions, then renamed over it.
fn replace_file(path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .context("a store file has no parent directory")?;
    let perms = std::fs::metadata(path)
        .with_context(|| format!("could not read `{}`", path.display()))?
        .permissions();
    let owner = std::fs::metadata(path).ok();
    let mut tmp = tempfile::Builder::new()
        .prefix(".loginfix-")
        .tempfile_in(dir)
        .with_context(|| format!("could not create a temporary file in `{}`", dir.display()))?;
    tmp.write_all(contents)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("could not write a temporary file in `{}`", dir.display()))?;
    std::fs::set_permissions(tmp.path(), perms)?;
    if let Some(owner) = &owner {
        crate::platform::copy_owner(owner, tmp.path())
            .with_context(|| format!("could not give `{}` its owner back", path.display()))?;
    }
    tmp.persist(path)
        .with_context(|| format!("could not replace `{}`", path.display()))?;
    crate::platform::sync_dir(dir);
    Ok(())
}
