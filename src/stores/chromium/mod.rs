//! Chromium-family store formats (Chrome, Edge, Chromium, Brave, Vivaldi, Opera): the
//! cookie database, the HTTP and code caches (simple cache, or the blockfile cache of
//! Chrome and Edge on Windows), the grammar of their cache keys, and the per-site storage
//! directories (IndexedDB, Cache Storage) with the names Chromium gives an origin.

pub mod blockfile;
pub mod buckets;
pub mod cache_key;
pub mod cache_storage;
pub mod cookies;
pub mod dom_storage_sqlite;
pub mod file_system;
pub mod indexed_db;
pub mod leveldb;
pub mod local_storage;
pub mod protobuf;
pub mod service_worker;
pub mod session_storage;
pub mod simple_cache;
pub mod sql_cache;
pub mod storage_key;

use std::path::Path;

use super::{Category, Found, ScanOptions, Shape, StoreKind};
use crate::targets::Targets;

/// A Chromium cache directory: the HTTP cache (`Cache/Cache_Data`, simple or blockfile
/// format) or a code cache (`Code Cache/js`, `Code Cache/wasm`, simple format).
pub static CACHE: StoreKind = StoreKind {
    id: "chromium_cache",
    label: "cache",
    category: Category::Cache,
    shape: Shape::Dir,
    read: scan_cache,
};

/// The three backends live at the same paths; the blockfile index's magic and the SQL
/// backend's fake index and shards tell them apart.
fn scan_cache(dir: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    if blockfile::is_blockfile(&opts.fs, dir) {
        blockfile::scan(dir, targets, opts)
    } else if sql_cache::is_sql_cache(&opts.fs, dir) {
        sql_cache::scan(dir, targets, opts)
    } else {
        simple_cache::scan(dir, targets, opts)
    }
}
