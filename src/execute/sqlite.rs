//! The executor's SQLite writes: open a browser's store the way the browser left it, delete
//! rows or entries in one transaction, and check the store afterwards.

use std::path::Path;

use anyhow::Context;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::files::remove_files;
use super::Outcome;
use crate::confine::Confined;
use crate::report::Action;
use crate::stores::sqlite::sidecar;
use crate::stores::{ItemKey, StoreScan};

/// How long to wait for a store another process is writing before giving up.
pub(super) const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// A store as SQLite opens it (`open`, a path through the directory handle) and as
/// messages name it (`shown`, the store's path in the home); `checked` receives how long
/// the integrity check of the edit took.
#[derive(Clone, Copy)]
pub(super) struct Db<'a> {
    pub open: &'a Path,
    pub shown: &'a Path,
    pub checked: &'a std::cell::Cell<Option<std::time::Duration>>,
}

/// The page cache an edit may use: the whole store up to this size, so that the
/// transaction never spills changed pages into the database before it commits (each
/// spill syncs the journal once more and writes pages twice; a DELETE spread over the
/// table changes nearly every page).
const EDIT_CACHE_MAX: u64 = 256 << 20;

/// The page cache of the integrity check, which reads every page once: SQLite's default.
/// The changed pages stay (they are not spilled, see `open_for_write`); the others are
/// reused as the check goes instead of taking the memory of the whole store, which cost
/// a fifth of a 100,000-cookie check in allocations and a millisecond to free at close.
const CHECK_CACHE_KIB: u64 = 2000;

/// Makes the cache [`CHECK_CACHE_KIB`] for the check, once the edit is done.
fn shrink_for_check(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    // Negative: a size in KiB rather than in pages.
    tx.pragma_update(None, "cache_size", -(CHECK_CACHE_KIB as i64))
}

/// `PRAGMA quick_check` inside the edit's transaction, before it commits: `Err` with
/// SQLite's first complaint. It sees the store as the commit would leave it, so a store
/// that fails is never written (the transaction rolls back).
fn quick_check(tx: &rusqlite::Transaction<'_>) -> anyhow::Result<Result<(), String>> {
    let mut stmt = tx.prepare("PRAGMA quick_check")?;
    let mut rows = stmt.query([])?;
    let mut problems = Vec::new();
    while let Some(row) = rows.next()? {
        let line: String = row.get(0)?;
        // A complaint comes under a "*** in database main ***" heading, on its own line.
        problems.extend(
            line.lines()
                .filter(|l| *l != "ok" && !l.starts_with("*** in database"))
                .map(str::to_string),
        );
    }
    Ok(if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    })
}

/// SQLite may have created a `-wal`, `-shm` or `-journal` beside the store; as root on
/// another user's home those would be root's, and the browser could not open its store.
pub(super) fn fix_sidecar_owners(path: &Path) {
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

/// Opens a SQLite store for writing, the way the browser left it: no file is created,
/// a bounded wait if another program holds it, Chromium's TRUNCATE journal kept, and
/// `secure_delete` so deleted values do not linger in free pages.
pub(super) fn open_for_write(db: Db<'_>) -> anyhow::Result<Connection> {
    open_for_write_inner(db).map_err(|err| {
        let busy = err.chain().any(|e| {
            matches!(
                e.downcast_ref::<rusqlite::Error>()
                    .and_then(rusqlite::Error::sqlite_error_code),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            )
        });
        if busy {
            err.context(crate::i18n::ta(
                "err-locked-by-another-program-waited",
                &[
                    ("file", &db.shown.display().to_string()),
                    ("n", &BUSY_TIMEOUT.as_secs().to_string()),
                ],
            ))
        } else {
            err
        }
    })
}

#[expect(
    clippy::disallowed_methods,
    reason = "the executor opens stores for writing with secure_delete"
)]
fn open_for_write_inner(db: Db<'_>) -> anyhow::Result<Connection> {
    let journal = sidecar(db.open, "-journal");
    let journal_existed = journal.exists();
    let conn = Connection::open_with_flags(
        db.open,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| {
        crate::i18n::ta(
            "err-could-open-for-writing",
            &[("file", &db.shown.display().to_string())],
        )
    })?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // No function named by the schema runs with side effects, and a schema no browser
    // writes (a trigger that deletes other rows) is refused again here: it may have
    // changed since the plan read it.
    conn.pragma_update(None, "trusted_schema", false)?;
    crate::stores::sqlite::refuse_foreign_schema(&conn, db.shown, &[])?;
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if mode.eq_ignore_ascii_case("delete") && journal_existed {
        // Chromium runs its stores with TRUNCATE; keep its empty journal file in place
        // rather than letting SQLite's default delete it.
        conn.query_row("PRAGMA journal_mode=TRUNCATE", [], |_| Ok(()))?;
    }
    conn.execute_batch("PRAGMA secure_delete=ON")?;
    let bytes: i64 = conn.query_row(
        "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
        [],
        |r| r.get(0),
    )?;
    let bytes = u64::try_from(bytes).unwrap_or(0);
    let kib = bytes.min(EDIT_CACHE_MAX) / 1024 + 256;
    conn.execute_batch(&format!("PRAGMA cache_size=-{kib}"))?;
    if bytes <= EDIT_CACHE_MAX {
        // Changed pages stay in memory even once the cache is made smaller for the
        // check (see `CHECK_CACHE_KIB`): at most the whole store. This takes effect
        // outside a transaction only, hence here.
        conn.execute_batch("PRAGMA cache_spill=OFF")?;
    }
    Ok(conn)
}

/// Runs `edit` in one IMMEDIATE transaction on a store opened by [`open_for_write`],
/// checks the store as the edit leaves it (`PRAGMA quick_check`) and commits; an error
/// or a failed check rolls everything back.
pub(super) fn in_transaction<T>(
    db: Db<'_>,
    edit: impl FnOnce(&rusqlite::Transaction<'_>) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut conn = open_for_write(db)?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .with_context(|| {
            crate::i18n::ta(
                "err-locked-by-another-program",
                &[("file", &db.shown.display().to_string())],
            )
        })?;
    let result = edit(&tx)?;
    shrink_for_check(&tx)?;
    let started = std::time::Instant::now();
    let checked = quick_check(&tx).with_context(|| {
        crate::i18n::ta(
            "err-could-check",
            &[("file", &db.shown.display().to_string())],
        )
    })?;
    db.checked.set(Some(started.elapsed()));
    if let Err(problem) = checked {
        anyhow::bail!(
            "{}",
            crate::i18n::ta(
                "err-fails-sqlite-integrity-check-edit",
                &[
                    ("file", &db.shown.display().to_string()),
                    ("detail", &problem.to_string())
                ]
            )
        );
    }
    tx.commit().with_context(|| {
        crate::i18n::ta(
            "err-could-commit-changes",
            &[("file", &db.shown.display().to_string())],
        )
    })?;
    Ok(result)
}

#[expect(clippy::disallowed_methods, reason = "the executor's row deletion")]
pub(super) fn delete_rows(
    db: Db<'_>,
    table: &str,
    host_column: &str,
    name_column: &str,
    scan: &StoreScan,
) -> anyhow::Result<Vec<Outcome>> {
    in_transaction(db, |tx| {
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
                .with_context(|| {
                    crate::i18n::ta(
                        "err-could-delete-from",
                        &[("file", &db.shown.display().to_string())],
                    )
                })?;
            outcomes.push(if changed == 1 {
                (Action::Removed, None)
            } else {
                (
                    Action::Failed,
                    Some("the row changed in the store after it was read".to_string()),
                )
            });
        }
        Ok(outcomes)
    })
}

/// Firefox's `storage.sqlite`: deletes each item's `origin` row of the default repository
/// (by rowid, guarded by its `origin` value) and marks the cache invalid, in one
/// transaction — what Firefox's `InvalidateCache` does, so it rescans `storage/`.
#[expect(clippy::disallowed_methods, reason = "the executor's quota-cache edit")]
pub(super) fn invalidate_quota_cache(db: Db<'_>, scan: &StoreScan) -> anyhow::Result<Vec<Outcome>> {
    in_transaction(db, |tx| {
        let mut stmt = tx.prepare(
            "DELETE FROM origin WHERE rowid = ?1 AND repository_id = ?2 AND origin = ?3",
        )?;
        let mut outcomes = Vec::with_capacity(scan.items.len());
        for item in &scan.items {
            let ItemKey::Row { rowid, host, .. } = &item.key else {
                anyhow::bail!("internal error: the quota cache was planned without row keys");
            };
            let changed = stmt
                .execute(rusqlite::params![
                    rowid,
                    crate::stores::firefox::quota_cache::DEFAULT_REPOSITORY,
                    host
                ])
                .with_context(|| {
                    crate::i18n::ta(
                        "err-could-delete-from",
                        &[("file", &db.shown.display().to_string())],
                    )
                })?;
            outcomes.push(if changed == 1 {
                (Action::Removed, None)
            } else {
                (
                    Action::Failed,
                    Some("the row changed in the store after it was read".to_string()),
                )
            });
        }
        tx.execute("UPDATE cache SET valid = 0", [])
            .with_context(|| {
                crate::i18n::ta(
                    "err-could-mark-invalid",
                    &[("file", &db.shown.display().to_string())],
                )
            })?;
        Ok(outcomes)
    })
}

/// Deletes each entry's rows from every table in one transaction; after the commit,
/// removes the files that held the entries' bodies.
#[expect(clippy::disallowed_methods, reason = "the executor's entry deletion")]
pub(super) fn delete_entries(
    confined: &Confined,
    db: Db<'_>,
    tables: &[(&str, &str)],
    scan: &StoreScan,
) -> anyhow::Result<Vec<Outcome>> {
    in_transaction(db, |tx| {
        for item in &scan.items {
            let ItemKey::Entry { id, .. } = &item.key else {
                anyhow::bail!("internal error: an entry store was planned without entry ids");
            };
            for (table, id_column) in tables {
                tx.execute(&format!("DELETE FROM {table} WHERE {id_column} = ?1"), [id])
                    .with_context(|| {
                        crate::i18n::ta(
                            "err-could-delete-from",
                            &[("file", &db.shown.display().to_string())],
                        )
                    })?;
            }
        }
        Ok(())
    })?;
    let mut outcomes = Vec::with_capacity(scan.items.len());
    for item in &scan.items {
        let ItemKey::Entry { files, .. } = &item.key else {
            continue;
        };
        outcomes.push(match remove_files(confined, files) {
            Ok(()) => (Action::Removed, None),
            Err(e) => (
                Action::Failed,
                Some(crate::i18n::ta(
                    "err-rows-removed-but",
                    &[("detail", &e.to_string())],
                )),
            ),
        });
    }
    Ok(outcomes)
}

/// Removes entries of Chromium's SQL-backend cache: per shard, in one transaction, each
/// entry's `blobs` and `resources` rows (guarded by the key that was read), then `meta`'s
/// `EntryCount` and `TotalSize` recomputed over the live rows as Chromium's
/// `RecalculateStoreStatusAndCommitTransaction` does. A shard whose edit fails keeps
/// all its rows; the others are done.
#[expect(
    clippy::disallowed_methods,
    reason = "the executor's cache row deletion"
)]
pub(super) fn delete_cache_rows(
    confined: &Confined,
    scan: &StoreScan,
) -> anyhow::Result<Vec<Outcome>> {
    let mut outcomes = vec![(Action::Failed, None); scan.items.len()];
    let mut shards: Vec<&Path> = Vec::new();
    for item in &scan.items {
        let ItemKey::CacheRow { shard, .. } = &item.key else {
            anyhow::bail!("internal error: a SQL cache was planned without its rows");
        };
        if !shards.contains(&shard.as_path()) {
            shards.push(shard);
        }
    }
    for shard in shards {
        let mine: Vec<usize> = (0..scan.items.len())
            .filter(
                |&i| matches!(&scan.items[i].key, ItemKey::CacheRow { shard: s, .. } if s == shard),
            )
            .collect();
        let result = (|| -> anyhow::Result<()> {
            let (handle, name) = confined.split(shard)?;
            let through = crate::platform::path_through(&handle, &name, shard);
            let checked = std::cell::Cell::new(None);
            let db = Db {
                open: &through,
                shown: shard,
                checked: &checked,
            };
            let done = in_transaction(db, |tx| {
                for &i in &mine {
                    let ItemKey::CacheRow { res_id, key, .. } = &scan.items[i].key else {
                        continue;
                    };
                    let gone = |sql: &str| {
                        tx.execute(sql, rusqlite::params![res_id, key])
                            .with_context(|| {
                                crate::i18n::ta(
                                    "err-could-delete-from",
                                    &[("file", &shard.display().to_string())],
                                )
                            })
                    };
                    gone(
                        "DELETE FROM blobs WHERE res_id = ?1 AND EXISTS \
                          (SELECT 1 FROM resources WHERE res_id = ?1 AND cache_key = ?2)",
                    )?;
                    gone("DELETE FROM resources WHERE res_id = ?1 AND cache_key = ?2")?;
                }
                for (meta, value) in [
                    (
                        "EntryCount",
                        "SELECT COUNT(*) FROM resources WHERE doomed = 0",
                    ),
                    (
                        "TotalSize",
                        "SELECT COALESCE(SUM(bytes_usage), 0) FROM resources WHERE doomed = 0",
                    ),
                ] {
                    let n: i64 = tx.query_row(value, [], |r| r.get(0))?;
                    tx.execute(
                        "UPDATE meta SET value = ?2 WHERE key = ?1",
                        rusqlite::params![meta, n],
                    )
                    .with_context(|| {
                        crate::i18n::ta(
                            "err-could-update",
                            &[("file", &shard.display().to_string())],
                        )
                    })?;
                }
                Ok(())
            });
            fix_sidecar_owners(&through);
            done
        })();
        for &i in &mine {
            outcomes[i] = match &result {
                Ok(()) => (Action::Removed, None),
                Err(e) => (Action::Failed, Some(crate::stores::error_text(e))),
            };
        }
    }
    Ok(outcomes)
}

/// Removes Chromium storage buckets: every bucket directory is backed up first (through
/// `backup_tree`); then, in one transaction, each bucket's row is deleted (by id, if it
/// still has the storage key that was read) and its directories removed. A bucket whose
/// backup, row or directory fails is rolled back to its savepoint: its row stays. Should
/// the commit itself fail, the directories already removed are in the backup set and
/// every row stays, which Chromium reads as buckets with no data yet (as it does the
/// first-party default buckets, which have no directory); so does a database that fails
/// the integrity check before the commit.
#[expect(clippy::disallowed_methods, reason = "the executor's bucket deletion")]
pub(super) fn delete_buckets(
    confined: &Confined,
    db: Db<'_>,
    scan: &StoreScan,
    backup_tree: &mut dyn FnMut(&Path) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<Outcome>> {
    let mut backed_up = Vec::with_capacity(scan.items.len());
    for item in &scan.items {
        let ItemKey::Bucket { dirs, .. } = &item.key else {
            anyhow::bail!("internal error: a bucket store was planned without bucket ids");
        };
        let mut result = Ok(());
        for dir in dirs.iter().filter(|d| std::fs::symlink_metadata(d).is_ok()) {
            if let Err(err) = backup_tree(dir) {
                result = Err(crate::i18n::ta(
                    "err-nothing-removed-use-no-backup",
                    &[("detail", &format!("{err:#}"))],
                ));
                break;
            }
        }
        backed_up.push(result);
    }
    in_transaction(db, |tx| {
        let mut outcomes = Vec::with_capacity(scan.items.len());
        for (item, backed_up) in scan.items.iter().zip(backed_up) {
            let ItemKey::Bucket {
                id,
                storage_key,
                dirs,
            } = &item.key
            else {
                unreachable!("checked above");
            };
            if let Err(msg) = backed_up {
                outcomes.push((Action::Failed, Some(msg)));
                continue;
            }
            tx.execute_batch("SAVEPOINT bucket")?;
            let changed = tx
                .execute(
                    "DELETE FROM buckets WHERE id = ?1 AND storage_key = ?2",
                    rusqlite::params![id, storage_key],
                )
                .with_context(|| {
                    crate::i18n::ta(
                        "err-could-delete-from",
                        &[("file", &db.shown.display().to_string())],
                    )
                })?;
            let outcome = if changed != 1 {
                Err("the bucket changed in the database after it was read; nothing of it was removed"
                    .to_string())
            } else {
                dirs.iter()
                    .filter(|d| std::fs::symlink_metadata(d).is_ok())
                    .try_for_each(|d| super::files::remove_tree_in(confined, d))
                    .map_err(|e| crate::i18n::ta("err-row-kept", &[("detail", &format!("{e:#}"))]))
            };
            match outcome {
                Ok(()) => {
                    tx.execute_batch("RELEASE bucket")?;
                    outcomes.push((Action::Removed, None));
                }
                Err(msg) => {
                    tx.execute_batch("ROLLBACK TO bucket; RELEASE bucket")?;
                    outcomes.push((Action::Failed, Some(msg)));
                }
            }
        }
        Ok(outcomes)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An edit that changes more pages than the check's cache holds: the check reads the
    /// whole store, yet the store's file is untouched until the commit (nothing spilled:
    /// a spill would sync the journal again and write those pages twice).
    #[test]
    fn the_check_does_not_spill_the_edit_into_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db");
        Connection::open(&path)
            .unwrap()
            .execute_batch(
                "CREATE TABLE t(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 \
                 FROM n WHERE i < 20000) INSERT INTO t SELECT randomblob(300) FROM n;",
            )
            .unwrap();
        let before = std::fs::read(&path).unwrap();
        assert!(before.len() as u64 > 2 * CHECK_CACHE_KIB * 1024);
        let checked = std::cell::Cell::new(None);
        let db = Db {
            open: &path,
            shown: &path,
            checked: &checked,
        };
        let mut conn = open_for_write(db).unwrap();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .unwrap();
        let deleted = tx.execute("DELETE FROM t WHERE rowid % 2 = 0", []).unwrap();
        assert_eq!(deleted, 10_000);
        shrink_for_check(&tx).unwrap();
        assert_eq!(quick_check(&tx).unwrap(), Ok(()));
        assert!(
            std::fs::read(&path).unwrap() == before,
            "the edit was written into the store before the commit"
        );
        tx.commit().unwrap();
        drop(conn);
        let left: i64 = Connection::open(&path)
            .unwrap()
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 10_000);
    }
}
