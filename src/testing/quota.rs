//! Writers of site-storage databases, for tests only (built with the `test-support`
//! feature): Chromium's `WebStorage/QuotaManager` (v11 schema, as Chromium 156 writes
//! it) and Firefox's legacy localStorage `webappsstore2` table.

use std::path::Path;

/// Writes a `QuotaManager` database with `buckets` rows `(id, storage_key, host, name)`.
pub fn quota_manager(path: &Path, buckets: &[(i64, &str, &str, &str)]) -> rusqlite::Result<()> {
    let conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(
        "CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
         INSERT INTO meta VALUES ('version', '11'), ('last_compatible_version', '11'),
           ('IsBucketsBootstrapped', '1'), ('IsMediaLicenseDatabaseRemoved', '1');
         CREATE TABLE buckets(id INTEGER PRIMARY KEY AUTOINCREMENT, storage_key TEXT NOT NULL,
           host TEXT NOT NULL, name TEXT NOT NULL, use_count INTEGER NOT NULL,
           last_accessed INTEGER NOT NULL, last_modified INTEGER NOT NULL,
           expiration INTEGER NOT NULL, quota INTEGER NOT NULL, persistent INTEGER NOT NULL,
           durability INTEGER NOT NULL);
         CREATE UNIQUE INDEX buckets_by_storage_key ON buckets(storage_key, name);
         CREATE INDEX buckets_by_host ON buckets(host);",
    )?;
    for (id, key, host, name) in buckets {
        conn.execute(
            "INSERT INTO buckets VALUES (?1, ?2, ?3, ?4, 1, 0, 0, 0, 0, 0, 1)",
            rusqlite::params![id, key, host, name],
        )?;
    }
    Ok(())
}

/// Writes a legacy Firefox localStorage database (`webappsstore.sqlite`,
/// `ls-archive.sqlite`) with rows `(originAttributes, originKey, key, value)`.
pub fn webappsstore(path: &Path, rows: &[(&str, &str, &str, &str)]) -> rusqlite::Result<()> {
    let conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(
        "CREATE TABLE webappsstore2 (originAttributes TEXT, originKey TEXT, scope TEXT,
           key TEXT, value TEXT);
         CREATE UNIQUE INDEX origin_key_index ON webappsstore2(originAttributes, originKey, key);",
    )?;
    for (attrs, origin_key, key, value) in rows {
        conn.execute(
            "INSERT INTO webappsstore2 VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![
                attrs,
                origin_key,
                format!("{attrs}:{origin_key}"),
                key,
                value
            ],
        )?;
    }
    Ok(())
}

/// Writes a Chromium SQLite DOM-storage database (`LocalStorage`, `SessionStorage`): one
/// map per storage key (`row_id` 1, 2, … in order, the key stored as a BLOB), each with
/// two entries `k1`, `k2` whose values are `lfxsecret` (UTF-16LE, as Chromium stores
/// them).
pub fn dom_storage_sqlite(path: &Path, storage_keys: &[&str]) -> rusqlite::Result<()> {
    let conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(
        "CREATE TABLE maps(row_id INTEGER PRIMARY KEY AUTOINCREMENT,
           storage_key BLOB NOT NULL UNIQUE, last_accessed INTEGER, last_modified INTEGER,
           total_size INTEGER);
         CREATE TABLE map_entries(map_id INTEGER NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,
           PRIMARY KEY(map_id, key)) WITHOUT ROWID;",
    )?;
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    for (i, key) in storage_keys.iter().enumerate() {
        let id = i as i64 + 1;
        conn.execute(
            "INSERT INTO maps VALUES (?1, ?2, 0, 0, 0)",
            rusqlite::params![id, key.as_bytes()],
        )?;
        for k in ["k1", "k2"] {
            conn.execute(
                "INSERT INTO map_entries VALUES (?1, ?2, ?3)",
                rusqlite::params![id, utf16(k), utf16("lfxsecret")],
            )?;
        }
    }
    Ok(())
}

/// Writes a Firefox QuotaManager cache (`storage.sqlite`, cache version 3, `valid` = 1)
/// with `origin` rows `(repository_id, origin with suffix)`.
pub fn firefox_storage_sqlite(path: &Path, origins: &[(i64, &str)]) -> rusqlite::Result<()> {
    let conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(
        "CREATE TABLE database(cache_version INTEGER NOT NULL DEFAULT 0);
         INSERT INTO database VALUES (3);
         CREATE TABLE cache(valid INTEGER NOT NULL DEFAULT 0, build_id TEXT NOT NULL DEFAULT '');
         INSERT INTO cache VALUES (1, '20260101000000');
         CREATE TABLE repository(id INTEGER PRIMARY KEY, name TEXT NOT NULL);
         INSERT INTO repository VALUES (0, 'persistent'), (1, 'temporary'), (2, 'default'),
           (3, 'private');
         CREATE TABLE origin(repository_id INTEGER NOT NULL, suffix TEXT, group_ TEXT NOT NULL,
           origin TEXT NOT NULL, client_usages TEXT NOT NULL, usage INTEGER NOT NULL,
           last_access_time INTEGER NOT NULL, last_maintenance_date INTEGER NOT NULL,
           accessed INTEGER NOT NULL, persisted INTEGER NOT NULL,
           PRIMARY KEY(repository_id, origin),
           FOREIGN KEY(repository_id) REFERENCES repository(id));",
    )?;
    for (repo, origin) in origins {
        let suffix = origin.find('^').map_or("", |i| &origin[i..]);
        conn.execute(
            "INSERT INTO origin VALUES (?1, ?2, 'group', ?3, '', 10, 0, 0, 1, 0)",
            rusqlite::params![repo, suffix, origin],
        )?;
    }
    Ok(())
}
