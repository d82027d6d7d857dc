//! Chromium's storage buckets: `WebStorage/QuotaManager` (SQLite, `buckets(id,
//! storage_key, host, name, …)`) and the `WebStorage/<bucket id>/` directory of every
//! non-default or partitioned bucket (its IndexedDB, Cache Storage and file system).
//! A target's bucket is its directory and its row, removed together
//! ([`Removal::Buckets`]): the row names the directory, and Chromium does not expect one
//! without the other. The site is read from `storage_key` (the `host` column names the
//! origin's host even for a partitioned bucket, so it would miss partitions).

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::storage_key::parse_storage_key;
use crate::stores::site_dirs::tree_size;
use crate::stores::sqlite::{self, open_read_only};
use crate::stores::{
    Category, Found, Item, ItemKey, Removal, ScanOptions, Shape, StoreKind, Unreadable,
};
use crate::targets::{url_host, Targets};

/// A Chromium profile's `WebStorage/QuotaManager`, with the bucket directories beside it.
pub static KIND: StoreKind = StoreKind {
    id: "chromium_buckets",
    label: "bucket",
    category: Category::SiteData,
    shape: Shape::File,
    read: scan,
};

/// One item per target bucket row: its id and storage key (both checked again when the
/// row is deleted) and its `WebStorage/<id>` directory when there is one (first-party
/// default buckets keep their data in the legacy directories and have none).
pub fn scan(file: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    if sqlite::is_empty_file(&opts.fs, file) {
        return Ok(Found::new(Vec::new(), Removal::Buckets));
    }
    let db = open_read_only(&opts.fs, file)?;
    sqlite::refuse_foreign_schema(&db.conn, file, &["buckets"])?;
    let columns = sqlite::columns(&db.conn, "buckets").with_context(|| {
        crate::i18n::ta(
            "err-could-read-schema",
            &[("file", &file.display().to_string())],
        )
    })?;
    for needed in ["id", "storage_key", "name"] {
        if !columns.iter().any(|c| c == needed) {
            anyhow::bail!(
                "{}",
                crate::i18n::ta(
                    "err-chromium-quotamanager-database-table-buckets",
                    &[("file", &file.display().to_string()), ("name", needed)]
                )
            );
        }
    }
    let rows = || -> rusqlite::Result<Vec<(i64, String, String)>> {
        let mut stmt = db
            .conn
            .prepare("SELECT id, storage_key, name FROM buckets ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, sqlite::text(r, 1)?, sqlite::text(r, 2)?))
        })?;
        rows.collect()
    };
    let rows = rows().with_context(|| {
        crate::i18n::ta(
            "err-could-read-buckets",
            &[("file", &file.display().to_string())],
        )
    })?;
    let web_storage = file.parent().unwrap_or(Path::new("."));
    let mut items = Vec::new();
    let mut unreadable = Vec::new();
    for (id, storage_key, name) in rows {
        let Some(key) = parse_storage_key(&storage_key) else {
            continue;
        };
        if !targets.matches_storage(&key.origin, key.top_site.as_deref()) {
            continue;
        }
        let dir = web_storage.join(id.to_string());
        let dirs = match opts.fs.metadata(&dir) {
            Ok(meta) if meta.is_dir() => vec![dir],
            Ok(meta) => {
                // Neither the row nor what stands in for its directory is touched.
                let reason = if meta.file_type().is_symlink() {
                    "a symlink; not followed (the bucket is left alone)"
                } else {
                    "not a directory (the bucket is left alone)"
                };
                unreadable.push(Unreadable {
                    file: dir,
                    reason: reason.to_string(),
                });
                continue;
            }
            Err(_) => Vec::new(),
        };
        items.push(bucket_item(
            &opts.fs,
            id,
            storage_key,
            name,
            &key.origin,
            key.top_site,
            dirs,
        ));
    }
    Ok(Found {
        items,
        removal: Removal::Buckets,
        unreadable,
    })
}

fn bucket_item(
    fs: &crate::confine::Confined,
    id: i64,
    storage_key: String,
    name: String,
    origin: &str,
    partition: Option<String>,
    dirs: Vec<PathBuf>,
) -> Item {
    Item {
        host: url_host(origin).unwrap_or_default().to_string(),
        name: Some(name),
        path: None,
        url: Some(origin.to_string()),
        partition,
        size: Some(dirs.iter().map(|d| tree_size(fs, d)).sum()),
        key: ItemKey::Bucket {
            id,
            storage_key,
            dirs,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::quota::quota_manager;

    fn write(path: &Path, data: impl AsRef<[u8]>) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, data).unwrap();
    }

    /// (id, storage key, host, name, has a directory, goes).
    pub(crate) const BUCKETS: [(i64, &str, &str, &str, bool, bool); 9] = [
        (
            1,
            "https://chatgpt.com/",
            "chatgpt.com",
            "_default",
            false,
            true,
        ),
        (
            2,
            "https://chatgpt.com/",
            "chatgpt.com",
            "drafts",
            true,
            true,
        ),
        (
            3,
            "https://other.test/^0https://chatgpt.com",
            "other.test",
            "_default",
            true,
            true,
        ),
        (
            4,
            "https://chatgpt.com/^0https://other.test",
            "chatgpt.com",
            "_default",
            true,
            true,
        ),
        (
            5,
            "https://cdn.oaistatic.com/^0https://example.org",
            "cdn.oaistatic.com",
            "_default",
            true,
            false,
        ),
        (
            6,
            "https://notchatgpt.com/",
            "notchatgpt.com",
            "b",
            true,
            false,
        ),
        (
            7,
            "https://chatgpt.com.evil.org/",
            "chatgpt.com.evil.org",
            "b",
            true,
            false,
        ),
        // A lying `host` column: the storage key decides.
        (8, "https://other.test/", "chatgpt.com", "b", true, false),
        (
            9,
            "https://auth.openai.com:8443/",
            "auth.openai.com",
            "b",
            true,
            true,
        ),
    ];

    pub(crate) fn web_storage(dir: &Path) -> PathBuf {
        let ws = dir.join("WebStorage");
        std::fs::create_dir_all(&ws).unwrap();
        let rows: Vec<_> = BUCKETS.iter().map(|b| (b.0, b.1, b.2, b.3)).collect();
        quota_manager(&ws.join("QuotaManager"), &rows).unwrap();
        for (id, _, _, _, has_dir, _) in BUCKETS {
            if has_dir {
                write(
                    &ws.join(format!("{id}/IndexedDB/indexeddb.leveldb/000003.log")),
                    vec![1u8; 100],
                );
                write(&ws.join(format!("{id}/CacheStorage/index.txt")), b"x");
            }
        }
        ws.join("QuotaManager")
    }

    #[test]
    fn target_buckets_by_storage_key_with_their_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let qm = web_storage(tmp.path());
        let found = scan(&qm, &Targets::default(), &ScanOptions::default()).unwrap();
        assert_eq!(found.removal, Removal::Buckets);
        let got: Vec<_> = found
            .items
            .iter()
            .map(|i| match &i.key {
                ItemKey::Bucket { id, dirs, .. } => (*id, i.partition.clone(), dirs.len(), i.size),
                _ => panic!(),
            })
            .collect();
        let ws = tmp.path().join("WebStorage");
        assert_eq!(
            got,
            [
                (1, None, 0, Some(0)),
                (2, None, 1, Some(101)),
                (3, Some("https://chatgpt.com".to_string()), 1, Some(101)),
                (4, Some("https://other.test".to_string()), 1, Some(101)),
                (9, None, 1, Some(101)),
            ]
        );
        let ItemKey::Bucket {
            dirs, storage_key, ..
        } = &found.items[2].key
        else {
            panic!()
        };
        assert_eq!(dirs, &[ws.join("3")]);
        assert_eq!(storage_key, "https://other.test/^0https://chatgpt.com");
        assert_eq!(
            found.items[4].url.as_deref(),
            Some("https://auth.openai.com:8443")
        );
        assert_eq!(found.items[1].name.as_deref(), Some("drafts"));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_bucket_directory_leaves_the_bucket_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let qm = web_storage(tmp.path());
        let ws = tmp.path().join("WebStorage");
        std::fs::remove_dir_all(ws.join("2")).unwrap();
        std::os::unix::fs::symlink(tmp.path(), ws.join("2")).unwrap();
        let found = scan(&qm, &Targets::default(), &ScanOptions::default()).unwrap();
        assert!(!found
            .items
            .iter()
            .any(|i| matches!(i.key, ItemKey::Bucket { id: 2, .. })));
        assert_eq!(found.unreadable.len(), 1);
        assert!(found.unreadable[0].reason.contains("symlink"));
    }

    #[test]
    fn damaged_databases_are_named() {
        let tmp = tempfile::tempdir().unwrap();
        let qm = tmp.path().join("QuotaManager");
        std::fs::write(&qm, b"SQLite format 3\0 but then garbage, garbage, garbage").unwrap();
        let err = format!(
            "{:#}",
            scan(&qm, &Targets::default(), &ScanOptions::default()).unwrap_err()
        );
        assert!(err.contains("QuotaManager"), "{err}");
        let other = tmp.path().join("Other");
        rusqlite::Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE buckets(x)")
            .unwrap();
        let err = format!(
            "{:#}",
            scan(&other, &Targets::default(), &ScanOptions::default()).unwrap_err()
        );
        assert!(
            err.contains("not a Chromium QuotaManager") && err.contains("Other"),
            "{err}"
        );
        std::fs::write(&qm, b"").unwrap();
        assert!(scan(&qm, &Targets::default(), &ScanOptions::default())
            .unwrap()
            .items
            .is_empty());
    }
}
