//! The shared model of every store reader: what one removable item is ([`Item`]), how the
//! executor finds it again ([`ItemKey`]), how a store's items are removed ([`Removal`]),
//! and what a reader returns ([`Found`]). Readers build these; only the executor acts on
//! them.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// One removable thing, as reported. Never holds a cookie value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub host: String,
    /// Cookie name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Cookie path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A cache entry's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The top-level site the item was stored under, when it is partitioned.
    pub partition: Option<String>,
    /// Bytes on disk (cache entries, the files of a site's storage directories).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    // A report read back from a child (see `worker`) is shown, never executed.
    #[serde(skip, default = "ItemKey::read_back")]
    pub key: ItemKey,
}

/// How the executor finds an item again in its store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemKey {
    /// A SQLite row: its rowid plus the values that must still be there (guards
    /// against a rowid reused between planning and applying).
    Row {
        rowid: i64,
        host: String,
        name: String,
    },
    /// The n-th cookie of a file that is rewritten whole (a session-restore file, a
    /// binarycookies file), in reading order.
    Element(usize),
    /// The files of one cache entry.
    Files(Vec<PathBuf>),
    /// An entry spread over several SQLite tables by id, and files that go with it.
    Entry { id: i64, files: Vec<PathBuf> },
    /// An entry of a cache that can only be removed whole.
    InWholeCache,
    /// An entry of a Chromium SQL-backend cache: its shard, its `res_id`, and the key it
    /// must still have.
    CacheRow {
        shard: PathBuf,
        res_id: i64,
        key: String,
    },
    /// The directories of one site's entry in a per-site store (an IndexedDB
    /// `.leveldb` and `.blob` pair, one Cache Storage or Firefox origin directory),
    /// removed whole.
    Trees(Vec<PathBuf>),
    /// One site's keys in a shared LevelDB (the store's directory), dropped when the
    /// database is rebuilt without them, with the files and directory trees that belong
    /// to them outside the database (service-worker scripts, a file system's directory).
    LevelDbKeys {
        keys: Vec<Vec<u8>>,
        files: Vec<PathBuf>,
        trees: Vec<PathBuf>,
    },
    /// A Chromium storage bucket: its `QuotaManager` row (by id, guarded by its storage
    /// key) and its `WebStorage/<id>` directory, if it has one.
    Bucket {
        id: i64,
        storage_key: String,
        dirs: Vec<PathBuf>,
    },
}

/// How a store's items are removed. The executor is the only code that applies it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Removal {
    /// Delete rows from a SQLite table by rowid, guarded by the host and name columns.
    SqliteRows {
        table: &'static str,
        host_column: &'static str,
        name_column: &'static str,
    },
    /// Rewrite a file without the listed elements, if it is still exactly the one that
    /// was read (same length and hash).
    RewriteFile {
        format: RewriteFormat,
        len: u64,
        hash: u64,
    },
    /// Delete each entry's rows (by id) from every listed `(table, id column)` in one
    /// transaction, in the listed order, then its files.
    SqliteEntries {
        tables: &'static [(&'static str, &'static str)],
    },
    /// Remove each entry's files, then the index files so the browser rebuilds its index.
    CacheFiles { index_files: Vec<PathBuf> },
    /// Chromium's SQL-backend cache: in one transaction per shard, each entry's `blobs`
    /// and `resources` rows deleted (guarded by its key), then `meta`'s `EntryCount` and
    /// `TotalSize` set to what is left, as Chromium's own recalculation writes them (it
    /// trusts them at start). Not backed up: a cache is re-downloadable.
    SqlCacheRows,
    /// Remove the whole cache directory (a format that cannot be edited per entry).
    WholeCache { dir: PathBuf, reason: String },
    /// Remove each item's directory trees (site storage): backed up first (site data is
    /// not re-downloadable), then removed without following a symlink.
    Trees,
    /// Rebuild the shared LevelDB that is the store's directory without every item's keys,
    /// the way Chromium's own `RewriteDB` does: the old database backed up whole, a new one
    /// built beside it (`<db>__tmp_for_rebuild`), flushed to disk and swapped in; then
    /// each item's files and trees removed (backed up first).
    LevelDbKeys,
    /// Chromium storage buckets: every item's directories are backed up, then in one
    /// transaction each bucket's row is deleted and its directories removed; a bucket
    /// whose directory cannot be removed keeps its row (the row never goes without the
    /// directory, nor the directory without the row).
    Buckets,
    /// Remove each item's files (site data kept in single files, `ItemKey::Files`): each
    /// backed up first (not re-downloadable), then removed without following a symlink.
    SiteFiles,
    /// Firefox's QuotaManager cache `storage.sqlite`: in one transaction, each item's
    /// `origin` row of the default repository is deleted (by rowid, guarded by its
    /// `origin`) and the cache is marked invalid (`UPDATE cache SET valid = 0`), as
    /// Firefox's own `InvalidateCache` does.
    QuotaCache,
    /// Nothing may be removed from this store; `reason` says why.
    Skip { reason: String },
}

impl Removal {
    /// Whether the store is a SQLite database edited in place.
    pub fn is_sqlite(&self) -> bool {
        matches!(
            self,
            Removal::SqliteRows { .. }
                | Removal::SqliteEntries { .. }
                | Removal::Buckets
                | Removal::QuotaCache
        )
    }

    /// Whether the store is changed in place (and so backed up first), rather than
    /// losing re-downloadable files.
    pub fn edits_in_place(&self) -> bool {
        self.is_sqlite() || matches!(self, Removal::RewriteFile { .. })
    }
}

/// A file format the executor rewrites whole to drop some of its elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RewriteFormat {
    FirefoxSession,
    BinaryCookies,
    /// Firefox's `serviceworker.txt`: the listed registration records cut out.
    FirefoxServiceWorkers,
    /// A Firefox session file: the listed sessionStorage origin entries cut out.
    FirefoxSessionStorage,
}

impl RewriteFormat {
    /// The file `bytes` without the elements numbered in `remove`; pure, no I/O.
    pub fn rewrite(self, bytes: &[u8], remove: &[usize]) -> anyhow::Result<Vec<u8>> {
        match self {
            RewriteFormat::FirefoxSession => super::firefox::session::rewrite(bytes, remove),
            RewriteFormat::FirefoxSessionStorage => {
                super::firefox::session::rewrite_storage(bytes, remove)
            }
            RewriteFormat::FirefoxServiceWorkers => {
                super::firefox::service_workers::rewrite(bytes, remove)
            }
            RewriteFormat::BinaryCookies => {
                Ok(super::safari::binarycookies::rewrite(bytes, remove)?)
            }
        }
    }
}

/// Length and hash of a file's bytes: the executor replaces a file only if it is still
/// the one that was planned from.
pub fn fingerprint(bytes: &[u8]) -> (u64, u64) {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    (bytes.len() as u64, h.finish())
}

/// Why an entry file was left alone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unreadable {
    pub file: PathBuf,
    pub reason: String,
}

/// What a reader found in one store: the targets' items, how they are removed, and the
/// entry files it could not read (left alone).
#[derive(Clone, Debug)]
pub struct Found {
    pub items: Vec<Item>,
    pub removal: Removal,
    pub unreadable: Vec<Unreadable>,
}

impl Found {
    /// A store read whole, with nothing left unread.
    pub fn new(items: Vec<Item>, removal: Removal) -> Found {
        Found {
            items,
            removal,
            unreadable: Vec::new(),
        }
    }
}

impl ItemKey {
    /// The key of an item read back from a child's report: it is shown, never executed.
    pub fn read_back() -> ItemKey {
        ItemKey::InWholeCache
    }
}
