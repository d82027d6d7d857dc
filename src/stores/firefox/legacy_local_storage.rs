//! Firefox's legacy localStorage databases, `webappsstore.sqlite` and
//! `storage/ls-archive.sqlite`: one table `webappsstore2(originAttributes, originKey,
//! scope, key, value)` for every origin, `originKey` being the reversed host, `.:`, the
//! scheme and the port (`moc.tpgtahc.:https:443` for `https://chatgpt.com`). Empty in
//! fresh profiles; old ones may still hold pre-LSNG data. A target's rows (its host or a
//! subdomain, or a `partitionKey` naming a target) are deleted with SQLite.

use std::path::Path;

use anyhow::Context;

use super::origin_attributes::top_level_site_of_origin_attributes;
use crate::stores::sqlite::{self, open_read_only};
use crate::stores::{Category, Found, Item, ItemKey, Removal, ScanOptions, Shape, StoreKind};
use crate::targets::Targets;

/// `webappsstore.sqlite` or `storage/ls-archive.sqlite` in a Firefox profile.
pub static KIND: StoreKind = StoreKind {
    id: "firefox_legacy_local_storage",
    label: "local_storage",
    category: Category::SiteData,
    shape: Shape::File,
    read: scan,
};

const TABLE: &str = "webappsstore2";

fn removal() -> Removal {
    Removal::SqliteRows {
        table: TABLE,
        host_column: "originKey",
        name_column: "key",
    }
}

/// `moc.tpgtahc.:https:443` → (`chatgpt.com`, `https://chatgpt.com`); the port is left
/// out of the origin when it is the scheme's default.
pub fn parse_origin_key(key: &str) -> Option<(String, String)> {
    let mut parts = key.rsplitn(3, ':');
    let port = parts.next()?;
    let scheme = parts.next()?;
    let reversed = parts.next()?;
    let reversed = reversed.strip_suffix('.')?;
    if reversed.is_empty()
        || scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    {
        return None;
    }
    let host: String = reversed.chars().rev().collect();
    let origin = match (scheme, port) {
        ("https", "443") | ("http", "80") | (_, "") => format!("{scheme}://{host}"),
        (_, p) if p.bytes().all(|b| b.is_ascii_digit()) => format!("{scheme}://{host}:{p}"),
        _ => return None,
    };
    Some((host, origin))
}

pub fn scan(file: &Path, targets: &Targets, opts: &ScanOptions) -> anyhow::Result<Found> {
    if sqlite::is_empty_file(&opts.fs, file) {
        return Ok(Found::new(Vec::new(), removal()));
    }
    let db = open_read_only(&opts.fs, file)?;
    sqlite::refuse_foreign_schema(&db.conn, file, &[TABLE])?;
    let columns = sqlite::columns(&db.conn, TABLE).with_context(|| {
        crate::i18n::ta(
            "err-could-read-schema",
            &[("file", &file.display().to_string())],
        )
    })?;
    if columns.is_empty() {
        // An archive Firefox created but never filled may have no table yet.
        return Ok(Found::new(Vec::new(), removal()));
    }
    for needed in ["originAttributes", "originKey", "key"] {
        if !columns.iter().any(|c| c == needed) {
            anyhow::bail!(
                "{}",
                crate::i18n::ta(
                    "err-has-unknown-schema-table-has-2",
                    &[
                        ("file", &file.display().to_string()),
                        ("table", TABLE),
                        ("name", needed)
                    ]
                )
            );
        }
    }
    let read = || -> rusqlite::Result<Vec<Item>> {
        let mut stmt = db.conn.prepare(
            "SELECT rowid, originAttributes, originKey, key FROM webappsstore2 ORDER BY rowid",
        )?;
        let mut rows = stmt.query([])?;
        let mut items = Vec::new();
        while let Some(row) = rows.next()? {
            let attrs = sqlite::text(row, 1)?;
            let origin_key = sqlite::text(row, 2)?;
            let Some((host, origin)) = parse_origin_key(&origin_key) else {
                continue;
            };
            let partition = top_level_site_of_origin_attributes(&attrs);
            if !targets.matches_storage(&origin, partition.as_deref()) {
                continue;
            }
            let key = sqlite::text(row, 3)?;
            items.push(Item {
                key: ItemKey::Row {
                    rowid: row.get(0)?,
                    host: origin_key,
                    name: key.clone(),
                },
                host,
                name: Some(key),
                path: None,
                url: Some(origin),
                partition,
                size: None,
            });
        }
        Ok(items)
    };
    let items = read().with_context(|| {
        crate::i18n::ta(
            "err-could-read-localstorage-rows-from",
            &[("file", &file.display().to_string())],
        )
    })?;
    Ok(Found::new(items, removal()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::quota::webappsstore;

    #[test]
    fn origin_keys() {
        let p = |k| parse_origin_key(k);
        assert_eq!(
            p("moc.tpgtahc.:https:443"),
            Some(("chatgpt.com".into(), "https://chatgpt.com".into()))
        );
        assert_eq!(
            p("moc.ianepo.htua.:https:8443"),
            Some((
                "auth.openai.com".into(),
                "https://auth.openai.com:8443".into()
            ))
        );
        assert_eq!(
            p("tsohlacol.:http:80"),
            Some(("localhost".into(), "http://localhost".into()))
        );
        for bad in [
            "",
            "moc.tpgtahc",
            "moc.tpgtahc:https:443",
            ".:https:443",
            "moc.x.:https:x",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }

    /// (originAttributes, originKey, goes).
    const ROWS: [(&str, &str, bool); 8] = [
        ("", "moc.tpgtahc.:https:443", true),
        ("^userContextId=1", "moc.tpgtahc.htua.:https:443", true),
        (
            "^partitionKey=%28https%2Cchatgpt.com%29",
            "tset.rehto.:https:443",
            true,
        ),
        (
            "^partitionKey=%28https%2Cexample.org%29",
            "moc.citatsiao.ndc.:https:443",
            false,
        ),
        ("", "moc.tpgtahcton.:https:443", false),
        ("", "gro.live.moc.tpgtahc.:https:443", false),
        ("", "tset.rehto.:https:443", false),
        ("", "garbage", false),
    ];

    #[test]
    fn target_rows_by_reversed_host_and_partition() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("webappsstore.sqlite");
        let rows: Vec<_> = ROWS
            .iter()
            .map(|(a, k, _)| (*a, *k, "token", "secret"))
            .collect();
        webappsstore(&file, &rows).unwrap();
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
                ("auth.chatgpt.com", None),
                ("other.test", Some("https://chatgpt.com")),
            ]
        );
        assert_eq!(found.removal, removal());
        let ItemKey::Row { host, name, .. } = &found.items[0].key else {
            panic!()
        };
        assert_eq!(
            (host.as_str(), name.as_str()),
            ("moc.tpgtahc.:https:443", "token")
        );
    }

    #[test]
    fn damaged_or_foreign_databases_are_named() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("ls-archive.sqlite");
        std::fs::write(
            &file,
            b"SQLite format 3\0 and then nonsense for a while....",
        )
        .unwrap();
        let err = format!(
            "{:#}",
            scan(&file, &Targets::default(), &ScanOptions::default()).unwrap_err()
        );
        assert!(err.contains("ls-archive.sqlite"), "{err}");
        std::fs::remove_file(&file).unwrap();
        rusqlite::Connection::open(&file)
            .unwrap()
            .execute_batch("CREATE TABLE webappsstore2(originKey, key)")
            .unwrap();
        let err = format!(
            "{:#}",
            scan(&file, &Targets::default(), &ScanOptions::default()).unwrap_err()
        );
        assert!(
            err.contains("ls-archive.sqlite") && err.contains("originAttributes"),
            "{err}"
        );
        std::fs::remove_file(&file).unwrap();
        rusqlite::Connection::open(&file)
            .unwrap()
            .execute_batch("CREATE TABLE other(x)")
            .unwrap();
        assert!(scan(&file, &Targets::default(), &ScanOptions::default())
            .unwrap()
            .items
            .is_empty());
    }
}
