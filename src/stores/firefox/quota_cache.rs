//! Firefox's QuotaManager cache `storage.sqlite`: `cache(valid, build_id)` and one
//! `origin(repository_id, suffix, group_, origin, …, PRIMARY KEY(repository_id, origin))`
//! row per origin directory, `origin` being the origin with its suffix
//! (`https://other.test^partitionKey=%28https%2Cchatgpt.com%29`). Once the targets'
//! `storage/default` directories are removed (the store is planned after them), their rows
//! of the default repository (`repository_id = 2`) are deleted and the cache is marked
//! invalid in the same transaction — Firefox's own `InvalidateCache`
//! (`UPDATE cache SET valid = 0`), which makes it rescan `storage/` on its next start.

use std::path::Path;

use anyhow::Context;

use super::origin_attributes::top_level_site_of_origin_attributes;
use crate::stores::sqlite::{self, open_read_only};
use crate::stores::{Category, Found, Item, ItemKey, Removal, ScanOptions, Shape, StoreKind};
use crate::targets::{url_host, Targets};

/// A Firefox profile's `storage.sqlite`.
pub static KIND: StoreKind = StoreKind {
    id: "firefox_quota_cache",
    label: "quota_cache",
    category: Category::SiteData,
    shape: Shape::File,
    read: scan,
};

const TABLES: &[&str] = &["cache", "origin"];

/// The repository of `storage/default`.
pub const DEFAULT_REPOSITORY: i64 = 2;

pub fn scan(file: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    if sqlite::is_empty_file(&opts.fs, file) {
        return Ok(Found::new(Vec::new(), Removal::QuotaCache));
    }
    let db = open_read_only(&opts.fs, file)?;
    sqlite::refuse_foreign_schema(&db.conn, file, TABLES)?;
    for (table, needed) in [
        ("cache", &["valid"][..]),
        ("origin", &["repository_id", "origin"][..]),
    ] {
        let columns = sqlite::columns(&db.conn, table).with_context(|| {
            crate::i18n::ta(
                "err-could-read-schema",
                &[("file", &file.display().to_string())],
            )
        })?;
        for n in needed {
            if !columns.iter().any(|c| c == n) {
                anyhow::bail!(
                    "{}",
                    crate::i18n::ta(
                        "err-quotamanager-cache-this-tool-understands",
                        &[
                            ("file", &file.display().to_string()),
                            ("table", table),
                            ("column", n)
                        ]
                    )
                );
            }
        }
    }
    let read = || -> rusqlite::Result<Vec<Item>> {
        let mut stmt = db
            .conn
            .prepare("SELECT rowid, origin FROM origin WHERE repository_id = ?1 ORDER BY rowid")?;
        let mut rows = stmt.query([DEFAULT_REPOSITORY])?;
        let mut items = Vec::new();
        while let Some(row) = rows.next()? {
            let full = sqlite::text(row, 1)?;
            let (origin, suffix) = match full.find('^') {
                Some(i) => full.split_at(i),
                None => (full.as_str(), ""),
            };
            if !origin.contains("://") {
                continue;
            }
            let partition = top_level_site_of_origin_attributes(suffix);
            if !targets.matches_storage(origin, partition.as_deref()) {
                continue;
            }
            items.push(Item {
                host: url_host(origin).unwrap_or_default().to_string(),
                name: None,
                path: None,
                url: Some(origin.to_string()),
                partition,
                size: None,
                key: ItemKey::Row {
                    rowid: row.get(0)?,
                    host: full.clone(),
                    name: String::new(),
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
    Ok(Found::new(items, Removal::QuotaCache))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::quota::firefox_storage_sqlite;

    /// (repository, origin, goes).
    const ROWS: [(i64, &str, bool); 8] = [
        (2, "https://chatgpt.com", true),
        (2, "https://auth.openai.com^userContextId=1", true),
        (
            2,
            "https://other.test^partitionKey=%28https%2Cchatgpt.com%29",
            true,
        ),
        (
            2,
            "https://cdn.oaistatic.com^partitionKey=%28https%2Cexample.org%29",
            false,
        ),
        (2, "https://notchatgpt.com", false),
        (2, "https://chatgpt.com.evil.org", false),
        (0, "https://chatgpt.com", false),
        (1, "https://chatgpt.com", false),
    ];

    #[test]
    fn target_rows_of_the_default_repository() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("storage.sqlite");
        let rows: Vec<_> = ROWS.iter().map(|r| (r.0, r.1)).collect();
        firefox_storage_sqlite(&file, &rows).unwrap();
        let found = scan(&file, &Targets::default(), &ScanOptions::default()).unwrap();
        let got: Vec<_> = found
            .items
            .iter()
            .map(|i| match &i.key {
                ItemKey::Row { host, .. } => (host.as_str(), i.partition.as_deref()),
                _ => panic!(),
            })
            .collect();
        assert_eq!(
            got,
            [
                ("https://chatgpt.com", None),
                ("https://auth.openai.com^userContextId=1", None),
                (
                    "https://other.test^partitionKey=%28https%2Cchatgpt.com%29",
                    Some("https://chatgpt.com")
                ),
            ]
        );
        assert_eq!(found.removal, Removal::QuotaCache);
    }

    #[test]
    fn damaged_or_foreign_databases_are_named() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("storage.sqlite");
        std::fs::write(
            &file,
            b"SQLite format 3\0 and then nonsense for a while....",
        )
        .unwrap();
        let err = format!(
            "{:#}",
            scan(&file, &Targets::default(), &ScanOptions::default()).unwrap_err()
        );
        assert!(err.contains("storage.sqlite"), "{err}");
        std::fs::remove_file(&file).unwrap();
        rusqlite::Connection::open(&file)
            .unwrap()
            .execute_batch("CREATE TABLE cache(valid); CREATE TABLE origin(origin)")
            .unwrap();
        let err = format!(
            "{:#}",
            scan(&file, &Targets::default(), &ScanOptions::default()).unwrap_err()
        );
        assert!(err.contains("origin.repository_id"), "{err}");
    }
}
