//! Safari's CFNetwork URL cache `Cache.db` (SQLite, WAL): one row per entry in
//! `cfurl_cache_response` (`request_key` = the URL, `partition` on newer schemas), its
//! blobs in `cfurl_cache_blob_data` and its body in `cfurl_cache_receiver_data`, or, when
//! `isDataOnFS` is 1, in the file `fsCachedData/<receiver_data>` beside the database.
//! Schema from CFNetwork's `NSURLStorageURLCacheDB` (../shared/reference/store-formats.md).

use std::path::Path;

use anyhow::Context;

use crate::fsutil::is_plain_component;
use crate::stores::sqlite::{self, open_read_only};
use crate::stores::{Category, Found, Item, ItemKey, Removal, ScanOptions, Shape, StoreKind};
use crate::targets::{url_host, Targets};

/// CFNetwork's URL cache database, with its `fsCachedData/` bodies.
pub static KIND: StoreKind = StoreKind {
    id: "safari_cache_db",
    label: "cache",
    category: Category::Cache,
    shape: Shape::File,
    read: scan,
};

/// Every table that holds a part of an entry, keyed by `entry_ID`.
pub const TABLES: &[&str] = &[
    "cfurl_cache_receiver_data",
    "cfurl_cache_blob_data",
    "cfurl_cache_response",
];

/// [`TABLES`] with the column that holds the entry id in each.
const ENTRY_TABLES: &[(&str, &str)] = &[
    ("cfurl_cache_receiver_data", "entry_ID"),
    ("cfurl_cache_blob_data", "entry_ID"),
    ("cfurl_cache_response", "entry_ID"),
];

pub fn scan(file: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    let db = open_read_only(&opts.fs, file)?;
    sqlite::refuse_foreign_schema(&db.conn, file, TABLES)?;
    let columns = sqlite::columns(&db.conn, "cfurl_cache_response").with_context(|| {
        crate::i18n::ta(
            "err-could-read-schema",
            &[("file", &file.display().to_string())],
        )
    })?;
    for needed in ["entry_ID", "request_key"] {
        if !columns.iter().any(|c| c == needed) {
            anyhow::bail!(
                "{}",
                crate::i18n::ta(
                    "err-safari-cache-database-this-tool",
                    &[("file", &file.display().to_string()), ("name", needed)]
                )
            );
        }
    }
    let partition = if columns.iter().any(|c| c == "partition") {
        "r.partition"
    } else {
        "''"
    };
    let receiver = !sqlite::columns(&db.conn, "cfurl_cache_receiver_data")?.is_empty();
    let sql = if receiver {
        format!(
            "SELECT r.entry_ID, r.request_key, {partition}, d.isDataOnFS, d.receiver_data, length(d.receiver_data)
             FROM cfurl_cache_response r LEFT JOIN cfurl_cache_receiver_data d ON d.entry_ID = r.entry_ID
             ORDER BY r.entry_ID"
        )
    } else {
        format!("SELECT entry_ID, request_key, {partition}, 0, NULL, 0 FROM cfurl_cache_response r ORDER BY entry_ID")
    };
    let fs_dir = file.with_file_name("fsCachedData");
    let read = || -> rusqlite::Result<Vec<Item>> {
        let mut stmt = db.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut items = Vec::new();
        while let Some(row) = rows.next()? {
            // Some keys carry a `[host]` suffix after the URL.
            let key = sqlite::text(row, 1)?;
            let url = key.split(' ').next().unwrap_or("").to_string();
            let part = sqlite::text(row, 2)?;
            let partitioned_under_target = !part.is_empty() && targets.matches_site(&part);
            if !targets.matches_url(&url) && !partitioned_under_target {
                continue;
            }
            let on_fs = row.get::<_, Option<i64>>(3)?.unwrap_or(0) == 1;
            let mut files = Vec::new();
            let mut size = row.get::<_, Option<i64>>(5)?.unwrap_or(0).max(0) as u64;
            if on_fs {
                let name = sqlite::text(row, 4)?;
                if is_plain_component(&name) {
                    let path = fs_dir.join(&name);
                    size = opts.fs.metadata(&path).map_or(0, |m| m.len());
                    files.push(path);
                }
            }
            items.push(Item {
                host: url_host(&url).unwrap_or_default().to_string(),
                name: None,
                path: None,
                url: Some(url),
                partition: (!part.is_empty()).then_some(part),
                size: Some(size),
                key: ItemKey::Entry {
                    id: row.get(0)?,
                    files,
                },
            });
        }
        Ok(items)
    };
    let items = read().with_context(|| {
        crate::i18n::ta(
            "error-could-not-read",
            &[("file", &file.display().to_string())],
        )
    })?;
    Ok(Found::new(
        items,
        Removal::SqliteEntries {
            tables: ENTRY_TABLES,
        },
    ))
}
