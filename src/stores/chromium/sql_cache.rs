//! Chromium's SQL disk-cache backend (`net/disk_cache/sql/`, switched on by the
//! `DiskCacheBackendExperiment` field trial, `backend=sql`): in the cache directory a
//! fake `index` (`SQLCache` + `Truncate`/`Wal` + the shard count;
//! `kSqlBackendFakeIndexFileName`) and shards `sqldb0`..`sqldb<N-1>`
//! (`kSqlBackendDatabaseFileNamePrefix`), each a SQLite database with
//! `resources(res_id, cache_key, doomed, bytes_usage, ...)`, the bodies in
//! `blobs(res_id, ...)` and the entry count and size in `meta` (version 8 in Chromium
//! 156; `sql_backend_constants.h`, `sql_persistent_store_queries.h`). `cache_key` is
//! the same key the other backends keep (`HttpCache::GenerateCacheKeyForRequest`).
//! The target entries' rows are deleted from their shards and `meta`'s `EntryCount` and
//! `TotalSize` set to what is left (Chromium trusts them at start and rebuilds its
//! in-memory index from `resources`; `sql_persistent_store_backend.cc`), which the real
//! Chromium reads back with the other sites' entries still cached (tests/real_browsers).
//! A shard of another schema version, or the renderer-accessible shared cache
//! (`shared_index`, `SharedCacheEnabled`), is not edited: that cache goes whole, as a
//! blockfile cache does.

use std::path::{Path, PathBuf};

use super::cache_key;
use crate::confine::Confined;
use crate::stores::entry_scan::{cache_item, read_at};
use crate::stores::{Found, ItemKey, Removal, ScanOptions, Unreadable};
use crate::targets::Targets;

/// The fake index's first bytes.
const INDEX_PREFIX: &[u8] = b"SQLCache";
/// The shards' name prefix.
const SHARD_PREFIX: &str = "sqldb";
/// Chromium caps the shard count at 255 (`GetShardCount`).
const MAX_SHARDS: usize = 255;

/// True when `dir` holds a SQL-backend cache: its fake index, or its first shard.
pub fn is_sql_cache(fs: &Confined, dir: &Path) -> bool {
    if let Ok(f) = fs.open_file(&dir.join("index")) {
        let mut head = [0u8; 8];
        if matches!(read_at(&f, 0, &mut head, 8), Ok(8)) && head == INDEX_PREFIX {
            return true;
        }
    }
    fs.metadata(&dir.join(format!("{SHARD_PREFIX}0")))
        .is_ok_and(|m| m.is_file())
}

/// The schema version this module edits (`kSqlBackendCurrentDatabaseVersion`, Chromium
/// 156); Chromium razes a database below it and refuses one whose compatible version is
/// above it.
const VERSION: i64 = 8;

/// One shard as read: its target rows, or why it is not edited in place.
struct Shard {
    path: PathBuf,
    rows: Vec<(i64, String, i64)>,
    editable: Result<(), String>,
}

/// The reader of a SQL-backend cache: the target entries of every shard, removed row by
/// row; the whole cache when a shard is of a version or kind not edited here (unless
/// `--no-whole-cache` keeps it). A shard that cannot be read is named as unreadable.
pub fn scan(dir: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    let mut shards = Vec::new();
    let mut unreadable = Vec::new();
    for path in shard_paths(&opts.fs, dir) {
        match read_shard(&opts.fs, &path) {
            Ok(shard) => shards.push(shard),
            Err(e) => unreadable.push(Unreadable {
                file: path,
                reason: e,
            }),
        }
    }
    let shared = opts.fs.metadata(&dir.join("shared_index")).is_ok();
    let foreign = shards
        .iter()
        .find_map(|s| s.editable.clone().err())
        .or_else(|| {
            shared.then(|| "the renderer-accessible shared cache (shared_index)".to_string())
        });
    let mut items = Vec::new();
    for shard in &shards {
        for (res_id, key, size) in &shard.rows {
            let Some(parsed) = cache_key::parse(key) else {
                continue;
            };
            if !targets.matches_cache_key(&parsed) {
                continue;
            }
            let item_key = if foreign.is_some() {
                ItemKey::InWholeCache
            } else {
                ItemKey::CacheRow {
                    shard: shard.path.clone(),
                    res_id: *res_id,
                    key: key.clone(),
                }
            };
            items.push(cache_item(parsed, u64::try_from(*size).ok(), item_key));
        }
    }
    let removal = match foreign {
        None => Removal::SqlCacheRows,
        Some(what) if opts.whole_cache => Removal::WholeCache {
            dir: dir.to_path_buf(),
            reason: crate::i18n::ta("reason-sql-cache-whole", &[("detail", &what)]),
        },
        Some(_) => Removal::Skip {
            reason: crate::i18n::t("reason-sql-cache-kept"),
        },
    };
    Ok(Found {
        items,
        removal,
        unreadable,
    })
}

/// The shards of `dir`, in shard order.
fn shard_paths(fs: &Confined, dir: &Path) -> Vec<PathBuf> {
    (0..MAX_SHARDS)
        .map(|i| dir.join(format!("{SHARD_PREFIX}{i}")))
        .take_while(|p| fs.metadata(p).is_ok_and(|m| m.is_file()))
        .collect()
}

/// One shard's live entries (`res_id`, key, bytes) and whether it is of the schema
/// edited here.
fn read_shard(fs: &Confined, path: &Path) -> Result<Shard, String> {
    let db = crate::stores::sqlite::open_read_only(fs, path).map_err(|e| format!("{e:#}"))?;
    let meta = |key: &str| -> Option<i64> {
        db.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| {
                r.get::<_, rusqlite::types::Value>(0)
            })
            .ok()
            .and_then(|v| match v {
                rusqlite::types::Value::Integer(i) => Some(i),
                rusqlite::types::Value::Text(t) => t.trim().parse().ok(),
                _ => None,
            })
    };
    let (version, compatible) = (meta("version"), meta("last_compatible_version"));
    let editable = if version != Some(VERSION) || !compatible.is_some_and(|c| c <= VERSION) {
        Err(format!(
            "schema version {} (loginfix edits version {VERSION})",
            version.map_or("unknown".to_string(), |v| v.to_string())
        ))
    } else if meta("SharedCacheEnabled").is_some_and(|v| v != 0) {
        Err("the renderer-accessible shared cache (SharedCacheEnabled)".to_string())
    } else {
        Ok(())
    };
    let mut stmt = db
        .conn
        .prepare("SELECT res_id, cache_key, bytes_usage FROM resources WHERE doomed = 0")
        .map_err(|e| e.to_string())?;
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, crate::stores::sqlite::text(r, 1)?, r.get(2)?))
        })
        .map_err(|e| e.to_string())?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    Ok(Shard {
        path: path.to_path_buf(),
        rows,
        editable,
    })
}
