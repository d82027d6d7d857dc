//! Store readers: each file here knows one on-disk format, finds the items in it that
//! belong to the targets (read-only), and describes how the executor removes them.
//! Nothing here writes to disk.

pub mod binarycookies;
pub mod blockfile;
pub mod cache_files;
pub mod chromium_cache;
pub mod chromium_cookies;
pub mod cookie_db;
pub mod firefox_cache;
pub mod firefox_cookies;
pub mod firefox_session;
pub mod mozlz4;
pub mod safari_cache_db;
pub mod sqlite;
pub mod webkit_cache;

use std::path::PathBuf;

use anyhow::Context;
use serde::Serialize;

pub use cache_files::Unreadable;

use crate::browser::{Store, StoreKind};
use crate::targets::Targets;

/// One removable thing, as reported. Never holds a cookie value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Item {
    pub host: String,
    /// Cookie name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Cookie path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A cache entry's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The top-level site the item was stored under, when it is partitioned.
    pub partition: Option<String>,
    /// Bytes on disk (cache entries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(skip)]
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
    /// Delete each entry's rows (by id) from every listed table in one transaction, then
    /// its files.
    SqliteEntries {
        tables: &'static [&'static str],
        id_column: &'static str,
    },
    /// Remove each entry's files, then the index files so the browser rebuilds its index.
    CacheFiles { index_files: Vec<PathBuf> },
    /// Remove the whole cache directory (a format that cannot be edited per entry).
    WholeCache { dir: PathBuf, reason: String },
    /// Nothing may be removed from this store; `reason` says why.
    Skip { reason: String },
}

/// A file format the executor rewrites whole to drop some of its elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RewriteFormat {
    FirefoxSession,
    BinaryCookies,
}

impl RewriteFormat {
    /// The file `bytes` without the elements numbered in `remove`; pure, no I/O.
    pub fn rewrite(self, bytes: &[u8], remove: &[usize]) -> anyhow::Result<Vec<u8>> {
        match self {
            RewriteFormat::FirefoxSession => firefox_session::rewrite(bytes, remove),
            RewriteFormat::BinaryCookies => Ok(binarycookies::rewrite(bytes, remove)?),
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

/// The result of reading one store.
#[derive(Clone, Debug)]
pub struct StoreScan {
    pub store: Store,
    pub items: Vec<Item>,
    pub removal: Removal,
    /// Entry files that could not be read; they are left alone.
    pub unreadable: Vec<Unreadable>,
}

/// Options that change what a scan plans.
#[derive(Clone, Copy, Debug, Default)]
pub struct ScanOptions {
    /// Allow clearing a whole blockfile cache that holds target entries.
    pub whole_cache: bool,
}

/// Reads one store and lists the targets' items in it.
pub fn scan(store: &Store, targets: &Targets, opts: ScanOptions) -> anyhow::Result<StoreScan> {
    scan_store(store, targets, opts).map_err(|err| with_access_hint(err, &store.path))
}

/// A permission error on Safari's data means macOS's privacy protection, not file modes:
/// say how to lift it.
fn with_access_hint(err: anyhow::Error, path: &std::path::Path) -> anyhow::Error {
    let denied = err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::PermissionDenied)
    });
    if denied && path.to_string_lossy().contains("com.apple.Safari") {
        err.context(
            "macOS protects Safari's data: give your terminal app Full Disk Access \
             (System Settings → Privacy & Security → Full Disk Access), then run loginfix again",
        )
    } else {
        err
    }
}

fn scan_store(store: &Store, targets: &Targets, opts: ScanOptions) -> anyhow::Result<StoreScan> {
    let path = &store.path;
    let mut unreadable = Vec::new();
    let (items, removal) = match store.kind {
        StoreKind::ChromiumCookies => chromium_cookies::scan(path, targets)?,
        StoreKind::FirefoxCookies => firefox_cookies::scan(path, targets)?,
        StoreKind::FirefoxSession => firefox_session::scan(path, targets)?,
        StoreKind::SafariCookies => binarycookies::scan(path, targets)?,
        StoreKind::SafariCacheDb => safari_cache_db::scan(path, targets)?,
        StoreKind::SafariWebKitCache => {
            let files = webkit_cache::record_files(path)
                .with_context(|| format!("could not list `{}`", path.display()))?;
            let mut items = Vec::new();
            for file in files {
                match webkit_cache::read_record_key(&file) {
                    Ok(key) => {
                        // The partition is the top-level site's registrable domain.
                        let top = (!key.partition.is_empty()).then_some(key.partition);
                        let cache_key = crate::targets::CacheKey {
                            url: key.identifier,
                            top_site: top,
                            other_sites: Vec::new(),
                        };
                        if targets.matches_cache_key(&cache_key) {
                            let (parts, size) =
                                cache_files::existing(webkit_cache::record_parts(&file));
                            items.push(cache_item(cache_key, Some(size), ItemKey::Files(parts)));
                        }
                    }
                    Err(reason) => unreadable.push(Unreadable { file, reason }),
                }
            }
            // WebKit re-reads `Records/` when it starts; there is no index to remove.
            (
                items,
                Removal::CacheFiles {
                    index_files: Vec::new(),
                },
            )
        }
        StoreKind::ChromiumCache if blockfile::is_blockfile(path) => {
            let keys = blockfile::read_keys(path).map_err(|e| anyhow::anyhow!(e))?;
            let items: Vec<Item> = keys
                .iter()
                .filter_map(|k| crate::targets::chromium_cache_key(k))
                .filter(|k| targets.matches_cache_key(k))
                .map(|k| cache_item(k, None, ItemKey::InWholeCache))
                .collect();
            let removal = if opts.whole_cache {
                Removal::WholeCache {
                    dir: path.clone(),
                    reason: "a blockfile cache (Chrome and Edge on Windows) cannot be edited per entry; \
                             it holds target entries, so the whole HTTP cache is cleared (this costs only re-downloads)"
                        .to_string(),
                }
            } else {
                Removal::Skip {
                    reason: "a blockfile cache can only be cleared whole, and --no-whole-cache was given".to_string(),
                }
            };
            (items, removal)
        }
        StoreKind::ChromiumCache => {
            let scan = chromium_cache::scan(path, targets)
                .with_context(|| format!("could not list `{}`", path.display()))?;
            unreadable = scan.unreadable;
            let items = scan
                .entries
                .into_iter()
                .map(|e| cache_item(e.key, Some(e.size), ItemKey::Files(e.files)))
                .collect();
            (
                items,
                Removal::CacheFiles {
                    index_files: scan.index_files,
                },
            )
        }
        StoreKind::FirefoxCache => {
            let scan = firefox_cache::scan(path, targets)
                .with_context(|| format!("could not list `{}`", path.display()))?;
            unreadable = scan.unreadable;
            let items = scan
                .entries
                .into_iter()
                .map(|e| cache_item(e.key, Some(e.size), ItemKey::Files(vec![e.file])))
                .collect();
            (
                items,
                Removal::CacheFiles {
                    index_files: scan.index_files,
                },
            )
        }
    };
    Ok(StoreScan {
        store: store.clone(),
        items,
        removal,
        unreadable,
    })
}

fn cache_item(key: crate::targets::CacheKey, size: Option<u64>, item_key: ItemKey) -> Item {
    Item {
        host: crate::targets::url_host(&key.url)
            .unwrap_or_default()
            .to_string(),
        name: None,
        path: None,
        url: Some(key.url),
        partition: key.top_site,
        size,
        key: item_key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_errors_on_safari_data_say_how_to_grant_access() {
        let denied = || {
            anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::PermissionDenied))
                .context("could not read `Cookies.binarycookies`")
        };
        let safari = std::path::Path::new(
            "/Users/a/Library/Containers/com.apple.Safari/Data/Library/Cookies/Cookies.binarycookies",
        );
        let text = format!("{:#}", with_access_hint(denied(), safari));
        assert!(
            text.starts_with(
                "macOS protects Safari's data: give your terminal app Full Disk Access"
            ),
            "{text}"
        );
        assert!(text.contains("could not read"), "{text}");
        let chrome = std::path::Path::new("/home/a/.config/google-chrome/Default/Cookies");
        assert!(!format!("{:#}", with_access_hint(denied(), chrome)).contains("Full Disk Access"));
        let other = anyhow::anyhow!("not a database");
        assert!(!format!("{:#}", with_access_hint(other, safari)).contains("Full Disk Access"));
    }
}
