//! Store readers: each file here knows one on-disk format, finds the items in it that
//! belong to the targets (read-only), and describes how the executor removes them.
//! Nothing here writes to disk.

pub mod chromium_cookies;
pub mod cookie_db;
pub mod firefox_cookies;
pub mod firefox_session;
pub mod mozlz4;
pub mod sqlite;

use serde::Serialize;

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
    /// The top-level site the item was stored under, when it is partitioned.
    pub partition: Option<String>,
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
    /// The n-th cookie of a session-restore file, in reading order.
    SessionCookie(usize),
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
    /// Rewrite a mozLz4 session file without the listed cookies, if the file is still
    /// exactly the one that was read (same length and hash).
    SessionFile { len: u64, hash: u64 },
}

/// The result of reading one store.
#[derive(Clone, Debug)]
pub struct StoreScan {
    pub store: Store,
    pub items: Vec<Item>,
    pub removal: Removal,
}

/// Reads one cookie store and lists the target's items in it.
pub fn scan_cookies(store: &Store, targets: &Targets) -> anyhow::Result<StoreScan> {
    let (items, removal) = match store.kind {
        StoreKind::ChromiumCookies => chromium_cookies::scan(&store.path, targets)?,
        StoreKind::FirefoxCookies => firefox_cookies::scan(&store.path, targets)?,
        StoreKind::FirefoxSession => firefox_session::scan(&store.path, targets)?,
        StoreKind::ChromiumCache | StoreKind::FirefoxCache => {
            anyhow::bail!("`{}` is a cache, not a cookie store", store.path.display())
        }
    };
    Ok(StoreScan {
        store: store.clone(),
        items,
        removal,
    })
}
