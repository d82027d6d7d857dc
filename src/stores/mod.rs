//! Store readers: each file under `chromium/`, `firefox/` and `safari/` knows one on-disk
//! format, finds the items in it that belong to the targets (read-only), and says how the
//! executor removes them. A store kind is one [`StoreKind`] descriptor beside its reader;
//! the engine adapters in `browser/` list where each kind lives in a profile. Shared
//! machinery: the model ([`model`]), the parallel entry scanner ([`entry_scan`]), the
//! SQLite helpers ([`sqlite`]) and the SQLite cookie-table reader ([`cookie_table`]).
//! Nothing here writes to disk.

pub mod chromium;
pub mod cookie_table;
pub mod entry_scan;
pub mod firefox;
pub mod model;
pub mod safari;
pub mod site_dirs;
pub mod sqlite;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use model::{fingerprint, Found, Item, ItemKey, Removal, RewriteFormat, Unreadable};

use crate::targets::Targets;

/// What a store holds, as commands select it: `clear-cookies` plans the `cookies`
/// stores, `clear-cache` the `cache` stores, `clear-site-data` the `site_data` stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Cookies,
    Cache,
    SiteData,
}

/// Whether a store is one file or a directory of entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    File,
    Dir,
}

/// A reader: scans one store, read-only, for the targets' items.
pub type Reader = fn(&Path, &Targets, &ScanOptions) -> anyhow::Result<Found>;

/// Everything loginfix knows about one kind of store. Each reader file defines its
/// descriptor next to its `scan`; nothing else has to change to add a kind.
#[derive(Debug)]
pub struct StoreKind {
    /// Stable name in JSON (`chromium_cookies`, `firefox_cache`, ...).
    pub id: &'static str,
    /// What a user would call it in reports (`cookies`, `session_restore`, `cache`).
    pub label: &'static str,
    pub category: Category,
    pub shape: Shape,
    pub read: Reader,
}

impl PartialEq for StoreKind {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for StoreKind {}

impl Serialize for StoreKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id)
    }
}

impl<'de> Deserialize<'de> for &'static StoreKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        KINDS.iter().copied().find(|k| k.id == id).ok_or_else(|| {
            serde::de::Error::custom(format!("unknown store `{}`", id.escape_debug()))
        })
    }
}

/// Every store kind, the one list: its ids are JSON (`browsers`' `store`) and documented
/// in the README, and each engine's table of where they live (`browser::*::STORES`) names
/// only kinds from here (tests check both).
pub static KINDS: &[&StoreKind] = &[
    &chromium::cookies::KIND,
    &firefox::cookies::KIND,
    &firefox::session::KIND,
    &chromium::CACHE,
    &firefox::cache2::KIND,
    &safari::binarycookies::KIND,
    &safari::cache_db::KIND,
    &safari::webkit_cache::KIND,
    &chromium::indexed_db::KIND,
    &chromium::cache_storage::KIND,
    &chromium::local_storage::KIND,
    &chromium::session_storage::KIND,
    &chromium::dom_storage_sqlite::LOCAL_KIND,
    &chromium::dom_storage_sqlite::SESSION_KIND,
    &chromium::service_worker::KIND,
    &chromium::file_system::KIND,
    &chromium::buckets::KIND,
    &firefox::site_storage::KIND,
    &firefox::quota_cache::KIND,
    &firefox::service_workers::KIND,
    &firefox::legacy_local_storage::KIND,
    &firefox::session::STORAGE_KIND,
    &safari::website_data::KIND,
    &safari::local_storage::KIND,
];

/// One store found in a profile.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Store {
    #[serde(rename = "store")]
    pub kind: &'static StoreKind,
    pub path: PathBuf,
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
#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    /// Allow clearing a whole blockfile cache that holds target entries.
    pub whole_cache: bool,
    /// How the planner tells a running browser (whose stores with a live WAL are not
    /// read through a copy).
    pub locks: crate::lock::LockPolicy,
    /// How readers reach files: through directory handles under the home's roots, so a
    /// symlink on the way or swapped in is never followed (the planner sets it from the
    /// layout's roots; the default reaches paths from the file system's root).
    pub fs: std::sync::Arc<crate::confine::Confined>,
    /// Entries listed and read so far by the cache scanners, for progress on a terminal.
    pub count: std::sync::Arc<ScanCount>,
}

/// How far the cache scanners are in the store being read: entries listed (`total`) and
/// read (`done`). Updated by the reader threads, read by whoever shows progress.
#[derive(Debug, Default)]
pub struct ScanCount {
    pub total: std::sync::atomic::AtomicUsize,
    pub done: std::sync::atomic::AtomicUsize,
}

impl ScanCount {
    /// Starts a new store.
    pub fn reset(&self) {
        use std::sync::atomic::Ordering::Relaxed;
        self.total.store(0, Relaxed);
        self.done.store(0, Relaxed);
    }
}

/// Reads one store and lists the targets' items in it.
pub fn scan(store: &Store, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<StoreScan> {
    let found = (store.kind.read)(&store.path, targets, opts)
        .map_err(|err| with_access_hint(err, &store.path))?;
    Ok(StoreScan {
        store: store.clone(),
        items: found.items,
        removal: found.removal,
        unreadable: found.unreadable,
    })
}

/// An error and its causes as one line, `a: b: c`, each cause said once. rusqlite's
/// `SqliteFailure` shows SQLite's message and then, as its source, the same text again
/// as `Error code 26: file is not a database`: that source is left out, and a bare
/// `Error code N: ` prefix is dropped.
pub fn error_text(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut after_sqlite_failure = false;
    for cause in err.chain() {
        if after_sqlite_failure && cause.downcast_ref::<rusqlite::ffi::Error>().is_some() {
            after_sqlite_failure = false;
            continue;
        }
        after_sqlite_failure = matches!(
            cause.downcast_ref::<rusqlite::Error>(),
            Some(rusqlite::Error::SqliteFailure(..))
        );
        let text = cause.to_string();
        let text = strip_error_code(&text).to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

/// `file is not a database` from `Error code 26: file is not a database`.
fn strip_error_code(text: &str) -> &str {
    text.strip_prefix("Error code ")
        .and_then(|rest| rest.split_once(": "))
        .filter(|(code, _)| !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()))
        .map_or(text, |(_, message)| message)
}

/// A permission error on Safari's data means macOS's privacy protection, not file modes:
/// say how to lift it.
fn with_access_hint(err: anyhow::Error, path: &Path) -> anyhow::Error {
    let denied = err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::PermissionDenied)
    });
    if denied && path.to_string_lossy().contains("com.apple.Safari") {
        // The steps to lift it are the error's hint (see `report::diagnostics`).
        err.context(crate::i18n::t("err-macos-protects-safari-data-your"))
    } else {
        err
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids are JSON (`browsers`' `store`), documented in the README: they must not
    /// drift, and no two kinds share one.
    #[test]
    fn store_kind_ids_are_unique_and_documented() {
        let ids: Vec<&str> = KINDS.iter().map(|k| k.id).collect();
        for (i, id) in ids.iter().enumerate() {
            assert!(!ids[..i].contains(id), "{id} twice");
        }
        assert_eq!(ids.len(), 24);
        let readme = include_str!("../../README.md");
        for id in ids {
            assert!(
                readme.contains(&format!("`{id}`")),
                "{id} is not in the README"
            );
        }
    }

    #[test]
    fn sqlite_causes_are_said_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cookies");
        std::fs::write(&path, b"this is not a database, just some text").unwrap();
        let err = sqlite::open_read_only(&Default::default(), &path)
            .err()
            .unwrap();
        let text = error_text(&err);
        assert_eq!(
            text,
            format!(
                "`{}` is not a readable SQLite database: file is not a database",
                path.display()
            )
        );
        let bare = anyhow::Error::new(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(5),
            None,
        ))
        .context("could not edit `Cookies`");
        assert_eq!(
            error_text(&bare),
            "could not edit `Cookies`: database is locked"
        );
        assert_eq!(strip_error_code("Error code x: y"), "Error code x: y");
    }

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
                "macOS protects Safari's data (your terminal app needs Full Disk Access)"
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
