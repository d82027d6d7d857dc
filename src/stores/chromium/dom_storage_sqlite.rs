//! Chromium's SQLite DOM-storage backend: the files `LocalStorage` and `SessionStorage`
//! in the profile (beside, or instead of, the LevelDBs `Local Storage/leveldb` and
//! `Session Storage`; which one a profile uses is decided by field trials, so both are
//! looked for by the files present). Schema (Chromium `local_storage_sqlite.cc`,
//! `map_entries_table.cc`): `maps(row_id, storage_key BLOB UNIQUE, last_accessed,
//! last_modified, total_size)` and `map_entries(map_id, key BLOB, value BLOB,
//! PRIMARY KEY(map_id, key)) WITHOUT ROWID`. A target's map (its `storage_key`, the
//! serialized StorageKey, naming a target origin or a target top-level site) goes with
//! all its entries, in one transaction — the effect of Chromium's own `PurgeOrigins`.

use std::path::Path;

use anyhow::Context;

use super::storage_key::parse_storage_key;
use crate::stores::sqlite::{self, open_read_only};
use crate::stores::{Category, Found, Item, ItemKey, Removal, ScanOptions, Shape, StoreKind};
use crate::targets::{url_host, Targets};

/// `LocalStorage` (SQLite) in a Chromium profile.
pub static LOCAL_KIND: StoreKind = StoreKind {
    id: "chromium_local_storage_sqlite",
    label: "local_storage",
    category: Category::SiteData,
    shape: Shape::File,
    read: scan,
};

/// `SessionStorage` (SQLite) in a Chromium profile.
pub static SESSION_KIND: StoreKind = StoreKind {
    id: "chromium_session_storage_sqlite",
    label: "session_storage",
    category: Category::SiteData,
    shape: Shape::File,
    read: scan,
};

const TABLES: &[&str] = &["maps", "map_entries"];

/// A map's entries first, then the map itself.
const ENTRY_TABLES: &[(&str, &str)] = &[("map_entries", "map_id"), ("maps", "row_id")];

fn removal() -> Removal {
    Removal::SqliteEntries {
        tables: ENTRY_TABLES,
    }
}

pub fn scan(file: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    if sqlite::is_empty_file(&opts.fs, file) {
        return Ok(Found::new(Vec::new(), removal()));
    }
    let db = open_read_only(&opts.fs, file)?;
    sqlite::refuse_foreign_schema(&db.conn, file, TABLES)?;
    let has = |table: &str, needed: &[&str]| -> anyhow::Result<bool> {
        let columns = sqlite::columns(&db.conn, table).with_context(|| {
            crate::i18n::ta(
                "err-could-read-schema",
                &[("file", &file.display().to_string())],
            )
        })?;
        if columns.is_empty() {
            return Ok(false);
        }
        for n in needed {
            if !columns.iter().any(|c| c == n) {
                anyhow::bail!(
                    "{}",
                    crate::i18n::ta(
                        "err-dom-storage-database-this-tool",
                        &[
                            ("file", &file.display().to_string()),
                            ("table", table),
                            ("column", n)
                        ]
                    )
                );
            }
        }
        Ok(true)
    };
    let maps = has("maps", &["row_id", "storage_key"])?;
    let entries = has("map_entries", &["map_id", "key", "value"])?;
    if !maps {
        return Ok(Found::new(Vec::new(), removal()));
    }
    let size_sql = if entries {
        "(SELECT coalesce(sum(length(key) + length(value)), 0) FROM map_entries WHERE map_id = m.row_id)"
    } else {
        "0"
    };
    let sql = format!(
        "SELECT m.row_id, CAST(m.storage_key AS BLOB), {size_sql} FROM maps m ORDER BY m.row_id"
    );
    let read = || -> rusqlite::Result<Vec<Item>> {
        let mut stmt = db.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut items = Vec::new();
        while let Some(row) = rows.next()? {
            let raw: Option<Vec<u8>> = row.get(1)?;
            let Some(key) = raw
                .as_deref()
                .and_then(|b| std::str::from_utf8(b).ok())
                .and_then(parse_storage_key)
            else {
                continue;
            };
            if !targets.matches_storage(&key.origin, key.top_site.as_deref()) {
                continue;
            }
            let size: i64 = row.get(2)?;
            items.push(Item {
                host: url_host(&key.origin).unwrap_or_default().to_string(),
                name: None,
                path: None,
                url: Some(key.origin),
                partition: key.top_site,
                size: Some(size.max(0) as u64),
                key: ItemKey::Entry {
                    id: row.get(0)?,
                    files: Vec::new(),
                },
            });
        }
        Ok(items)
    };
    let items = read().with_context(|| {
        crate::i18n::ta(
            "err-could-read-dom-storage-maps",
            &[("file", &file.display().to_string())],
        )
    })?;
    Ok(Found::new(items, removal()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::quota::dom_storage_sqlite;

    /// (storage key, goes).
    const MAPS: [(&str, bool); 8] = [
        ("https://chatgpt.com/", true),
        ("https://auth.openai.com/", true),
        ("https://other.test/^0https://chatgpt.com", true),
        ("https://chatgpt.com/^0https://other.test", true),
        ("https://cdn.oaistatic.com/^0https://example.org", false),
        ("https://notchatgpt.com/", false),
        ("https://chatgpt.com.evil.org/", false),
        ("not a storage key", false),
    ];

    #[test]
    fn target_maps_by_origin_and_top_level_site() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("LocalStorage");
        let maps: Vec<_> = MAPS.iter().map(|m| m.0).collect();
        dom_storage_sqlite(&file, &maps).unwrap();
        let found = scan(&file, &Targets::default(), &ScanOptions::default()).unwrap();
        let got: Vec<_> = found
            .items
            .iter()
            .map(|i| (i.host.as_str(), i.partition.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("chatgpt.com", None),
                ("auth.openai.com", None),
                ("other.test", Some("https://chatgpt.com")),
                ("chatgpt.com", Some("https://other.test")),
            ]
        );
        let ids: Vec<_> = found
            .items
            .iter()
            .map(|i| match i.key {
                ItemKey::Entry { id, .. } => id,
                _ => panic!(),
            })
            .collect();
        assert_eq!(ids, [1, 2, 3, 4]);
        // Two entries of ("k<n>", "lfxsecret") per map, stored as UTF-16.
        assert!(found.items.iter().all(|i| i.size.unwrap() > 0));
        assert_eq!(found.removal, removal());
    }

    #[test]
    fn damaged_or_foreign_databases_are_named() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("SessionStorage");
        std::fs::write(
            &file,
            b"SQLite format 3\0 and then nonsense for a while....",
        )
        .unwrap();
        let err = format!(
            "{:#}",
            scan(&file, &Targets::default(), &ScanOptions::default()).unwrap_err()
        );
        assert!(err.contains("SessionStorage"), "{err}");
        std::fs::remove_file(&file).unwrap();
        rusqlite::Connection::open(&file)
            .unwrap()
            .execute_batch("CREATE TABLE maps(id, storage_key)")
            .unwrap();
        let err = format!(
            "{:#}",
            scan(&file, &Targets::default(), &ScanOptions::default()).unwrap_err()
        );
        assert!(
            err.contains("SessionStorage") && err.contains("maps.row_id"),
            "{err}"
        );
        std::fs::remove_file(&file).unwrap();
        std::fs::write(&file, b"").unwrap();
        assert!(scan(&file, &Targets::default(), &ScanOptions::default())
            .unwrap()
            .items
            .is_empty());
    }
}
