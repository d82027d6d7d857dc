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
