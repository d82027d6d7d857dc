//! The executor: the only code that changes a browser's files. Per profile, right before
//! its changes, it checks that the browser is not running; then it applies each store's
//! removal (SQLite rows in one transaction, session files replaced atomically, cache
//! entry files then the cache index, or a whole blockfile cache) and
//! reports every item. A dry run goes through the same steps and stops before writing.

#![allow(clippy::disallowed_methods)]

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::lock::{self, LockState};
use crate::plan::ProfilePlan;
use crate::report::{Action, Counts, ItemReport, ProfileReport, ProfileStatus, StoreReport};
use crate::stores::{self, ItemKey, Removal, RewriteFormat, StoreScan};

/// How long to wait for a store another process is writing before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

pub fn run(plans: Vec<ProfilePlan>, dry_run: bool) -> Vec<ProfileReport> {
    plans.into_iter().map(|p| run_profile(p, dry_run)).collect()
}

fn run_profile(plan: ProfilePlan, dry_run: bool) -> ProfileReport {
    let lock = lock::check(&plan.profile.lock);
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
            apply(scan)
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

/// Applies one store's removal; one outcome per item, in order.
fn apply(scan: &StoreScan) -> Vec<(Action, Option<String>)> {
    let result = match &scan.removal {
        Removal::SqliteRows {
            table,
            host_column,
            name_column,
        } => delete_rows(&scan.store.path, table, host_column, name_column, scan),
        Removal::RewriteFile { format, len, hash } => {
            rewrite_file(&scan.store.path, *format, *len, *hash, scan)
        }
        Removal::CacheFiles { index_files } => Ok(remove_cache_entries(scan, index_files)),
        Removal::SqliteEntries { tables, id_column } => {
            delete_entries(&scan.store.path, tables, id_column, scan)
        }
        Removal::WholeCache { dir, .. } => remove_whole_cache(dir, scan),
        Removal::Skip { .. } => Ok(vec![(Action::Skipped, None); scan.items.len()]),
    };
    match result {
        Ok(outcomes) => outcomes,
        Err(err) => {
            let msg = format!("{err:#}");
            vec![(Action::Failed, Some(msg)); scan.items.len()]
        }
    }
}

/// Opens a SQLite store for writing, the way the browser left it: no file is created,
/// a bounded wait if another program holds it, Chromium's TRUNCATE journal kept, and
/// `secure_delete` so deleted values do not linger in free pages.
fn open_for_write(path: &Path) -> anyhow::Result<Connection> {
    let journal = {
        let mut s = path.as_os_str().to_os_string();
        s.push("-journal");
        std::path::PathBuf::from(s)
    };
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

fn delete_rows(
    path: &Path,
    table: &str,
    host_column: &str,
    name_column: &str,
    scan: &StoreScan,
) -> anyhow::Result<Vec<(Action, Option<String>)>> {
    let mut conn = open_for_write(path)?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .with_context(|| format!("`{}` is locked by another program", path.display()))?;
    let mut outcomes = Vec::with_capacity(scan.items.len());
    {
        let sql = format!(
            "DELETE FROM {table} WHERE rowid = ?1 AND {host_column} = ?2 AND {name_column} = ?3"
        );
        let mut stmt = tx.prepare(&sql)?;
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
    }
    tx.commit()
        .with_context(|| format!("could not commit the changes to `{}`", path.display()))?;
    Ok(outcomes)
}

/// Deletes each entry's rows from every table in one transaction; after the commit,
/// removes the files that held the entries' bodies.
fn delete_entries(
    path: &Path,
    tables: &[&str],
    id_column: &str,
    scan: &StoreScan,
) -> anyhow::Result<Vec<(Action, Option<String>)>> {
    let mut conn = open_for_write(path)?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .with_context(|| format!("`{}` is locked by another program", path.display()))?;
    for item in &scan.items {
        let ItemKey::Entry { id, .. } = &item.key else {
            anyhow::bail!("internal error: an entry store was planned without entry ids");
        };
        for table in tables {
            tx.execute(&format!("DELETE FROM {table} WHERE {id_column} = ?1"), [id])
                .with_context(|| format!("could not delete from `{}`", path.display()))?;
        }
    }
    tx.commit()
        .with_context(|| format!("could not commit the changes to `{}`", path.display()))?;
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
        let error = remove_files(files).err();
        match error {
            None => {
                any_removed = true;
                outcomes.push((Action::Removed, None));
            }
            Some(e) => outcomes.push((Action::Failed, Some(e))),
        }
    }
    if any_removed {
        for index in index_files {
            match std::fs::remove_file(index) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    // The browser would trust a stale index: report every entry as failed.
                    let msg = format!(
                        "entries removed, but the index `{}` could not be: {e}",
                        index.display()
                    );
                    return vec![(Action::Failed, Some(msg)); scan.items.len()];
                }
            }
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
    let mut tmp = tempfile::Builder::new()
        .prefix(".loginfix-")
        .tempfile_in(dir)
        .with_context(|| format!("could not create a temporary file in `{}`", dir.display()))?;
    tmp.write_all(contents)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("could not write a temporary file in `{}`", dir.display()))?;
    std::fs::set_permissions(tmp.path(), perms)?;
    tmp.persist(path)
        .with_context(|| format!("could not replace `{}`", path.display()))?;
    crate::platform::sync_dir(dir);
    Ok(())
}
