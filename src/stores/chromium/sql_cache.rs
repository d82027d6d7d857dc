//! Chromium's SQL disk-cache backend (`net/disk_cache/sql/`, switched on by the
//! `DiskCacheBackendExperiment` field trial, `backend=sql`): in the cache directory a
//! fake `index` (`SQLCache` + `Truncate`/`Wal` + the shard count;
//! `kSqlBackendFakeIndexFileName`) and shards `sqldb0`..`sqldb<N-1>`
//! (`kSqlBackendDatabaseFileNamePrefix`), each a SQLite database with
//! `resources(res_id, cache_key, doomed, bytes_usage, ...)`, the bodies in
//! `blobs(res_id, ...)` and the entry count and size in `meta` (version 8 in Chromium
//! 156; `sql_backend_constants.h`, `sql_persistent_store_queries.h`). `cache_key` is
//! the same key the other backends keep (`HttpCache::GenerateCacheKeyForRequest`).
//! This module reads the keys; target entries go with the whole cache, as with the
//! blockfile backend: `meta`'s totals are trusted by Chromium at start and would have
//! to be rewritten with the rows, which loginfix does not do yet.

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

/// The shards of `dir`, in shard order.
fn shards(fs: &Confined, dir: &Path) -> Vec<PathBuf> {
    (0..MAX_SHARDS)
        .map(|i| dir.join(format!("{SHARD_PREFIX}{i}")))
        .take_while(|p| fs.metadata(p).is_ok_and(|m| m.is_file()))
        .collect()
}

/// The reader of a SQL-backend cache: the target entries of every shard; they go with
/// the whole cache (unless `--no-whole-cache` keeps it). A shard that cannot be read is
/// named as unreadable, and the cache is still cleared whole: that needs no reading.
pub fn scan(dir: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    let mut items = Vec::new();
    let mut unreadable = Vec::new();
    for shard in shards(&opts.fs, dir) {
        match keys(&opts.fs, &shard) {
            Ok(keys) => items.extend(
                keys.iter()
                    .filter_map(|k| cache_key::parse(k))
                    .filter(|k| targets.matches_cache_key(k))
                    .map(|k| cache_item(k, None, ItemKey::InWholeCache)),
            ),
            Err(e) => unreadable.push(Unreadable {
                file: shard,
                reason: e,
            }),
        }
    }
    let removal = if opts.whole_cache {
        Removal::WholeCache {
            dir: dir.to_path_buf(),
            reason: crate::i18n::t("reason-sql-cache-whole"),
        }
    } else {
        Removal::Skip {
            reason: crate::i18n::t("reason-sql-cache-kept"),
        }
    };
    Ok(Found {
        items,
        removal,
        unreadable,
    })
}

/// The live entries' keys of one shard.
fn keys(fs: &Confined, shard: &Path) -> Result<Vec<String>, String> {
    let db = crate::stores::sqlite::open_read_only(fs, shard).map_err(|e| format!("{e:#}"))?;
    let mut stmt = db
        .conn
        .prepare("SELECT cache_key FROM resources WHERE doomed = 0")
        .map_err(|e| e.to_string())?;
    let rows = stmt
        .query_map([], |r| crate::stores::sqlite::text(r, 0))
        .map_err(|e| e.to_string())?;
    rows.collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())
}
