//! Reading a SQLite cookie table of either engine: the formats differ only in table and
//! column names and in how a partition is written, so one reader serves both.

use std::path::Path;

use anyhow::Context;
use rusqlite::types::{Value, ValueRef};

use super::sqlite::{self, open_read_only};
use super::{Found, Item, ItemKey, Removal};

/// Where a cookie table keeps what matching needs. Values are never selected.
pub struct CookieTable {
    /// What the file is, for messages ("a Chromium cookie database").
    pub what: &'static str,
    pub table: &'static str,
    pub host: &'static str,
    pub name: &'static str,
    pub path: &'static str,
    /// Column with the partition (top-level site); absent in old schemas.
    pub partition: &'static str,
}

/// Pages SQLite keeps while a plan walks a cookie database (the walk reads each once).
const PLAN_CACHE_PAGES: i64 = 32;

/// Lists the rows whose host is a target's (`host_matches`) or that were stored under a
/// target as the top-level site (`under_target`, given the stored partition);
/// `shown_partition` turns a stored partition into the site reported to the user.
pub fn scan(
    fs: &crate::confine::Confined,
    file: &Path,
    spec: &CookieTable,
    host_matches: impl Fn(&str) -> bool,
    under_target: impl Fn(&str) -> bool,
    shown_partition: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<Found> {
    // SQLite reads a zero-length file as an empty database; it holds no cookies, and
    // an error would only alarm (tools that probe a path with SQLite create these).
    if sqlite::is_empty_file(fs, file) {
        return Ok(Found::new(Vec::new(), removal(spec)));
    }
    let db = open_read_only(fs, file)?;
    // The plan reads each page once, in order: a few cached pages are reused where
    // SQLite's default 2 MiB would allocate (and fault in) a new one for each page read,
    // which was 2 ms of a 100,000-cookie plan.
    db.conn
        .pragma_update(None, "cache_size", PLAN_CACHE_PAGES)
        .with_context(|| {
            crate::i18n::ta(
                "error-could-not-open",
                &[("file", &file.display().to_string())],
            )
        })?;
    sqlite::refuse_foreign_schema(&db.conn, file, &[spec.table])?;
    let columns = sqlite::columns(&db.conn, spec.table).with_context(|| {
        crate::i18n::ta(
            "err-could-read-schema",
            &[("file", &file.display().to_string())],
        )
    })?;
    if columns.is_empty() {
        anyhow::bail!(
            "{}",
            crate::i18n::ta(
                "err-has-no-table",
                &[
                    ("file", &file.display().to_string()),
                    ("what", spec.what),
                    ("table", spec.table)
                ]
            )
        );
    }
    for needed in [spec.host, spec.name, spec.path] {
        if !columns.iter().any(|c| c == needed) {
            anyhow::bail!(
                "{}",
                crate::i18n::ta(
                    "err-has-unknown-schema-table-has",
                    &[
                        ("file", &file.display().to_string()),
                        ("table", spec.table),
                        ("name", needed)
                    ]
                )
            );
        }
    }
    let partition = if columns.iter().any(|c| c == spec.partition) {
        spec.partition
    } else {
        "''"
    };
    let read = || -> rusqlite::Result<Vec<(i64, Item)>> {
        let mut matcher = Matcher::new(&host_matches, &under_target, &shown_partition);
        let pairs = pairs_query(spec, partition);
        if sqlite::index_serves(&db.conn, &pairs)? {
            by_pairs(&db.conn, spec, partition, &pairs, &mut matcher)
        } else {
            by_rows(&db.conn, spec, partition, &mut matcher)
        }
    };
    let mut items = read().with_context(|| {
        crate::i18n::ta(
            "err-could-read-cookies-from",
            &[("file", &file.display().to_string())],
        )
    })?;
    items.sort_unstable_by_key(|(rowid, _)| *rowid);
    // A row is listed once even where a pair came up twice (a value equal to another of
    // a different type sorts among it, which splits a run).
    items.dedup_by_key(|(rowid, _)| *rowid);
    let items = items.into_iter().map(|(_, item)| item).collect();
    Ok(Found::new(items, removal(spec)))
}

/// Each distinct (host, partition) pair. BINARY: a column declared NOCASE would merge
/// hosts the matcher tells apart; an index of another collation then cannot serve it,
/// and the rows are read one by one instead.
fn pairs_query(spec: &CookieTable, partition: &str) -> String {
    format!(
        "SELECT DISTINCT {} COLLATE BINARY, {partition} COLLATE BINARY FROM {}",
        spec.host, spec.table
    )
}

/// What decides a row: the tests `scan` was given, and the verdict on the last host
/// seen (both readers go in index order, where a host's rows, or pairs, follow one
/// another).
struct Matcher<'a> {
    host_matches: &'a dyn Fn(&str) -> bool,
    under_target: &'a dyn Fn(&str) -> bool,
    shown_partition: &'a dyn Fn(&str) -> Option<String>,
    last: Option<(Vec<u8>, bool)>,
}

impl<'a> Matcher<'a> {
    fn new(
        host_matches: &'a dyn Fn(&str) -> bool,
        under_target: &'a dyn Fn(&str) -> bool,
        shown_partition: &'a dyn Fn(&str) -> Option<String>,
    ) -> Matcher<'a> {
        Matcher {
            host_matches,
            under_target,
            shown_partition,
            last: None,
        }
    }

    /// Whether the row whose host and partition are in columns `host` and `part` is a
    /// target's; its partition as reported when it is.
    fn kept(
        &mut self,
        row: &rusqlite::Row<'_>,
        host: usize,
        part: usize,
    ) -> rusqlite::Result<Option<Option<String>>> {
        let partition = sqlite::value_text(row.get_ref(part)?);
        let kept = self.host_matched(row.get_ref(host)?) || (self.under_target)(&partition);
        Ok(kept.then(|| (self.shown_partition)(&partition)))
    }

    fn host_matched(&mut self, host: ValueRef<'_>) -> bool {
        let raw = match host {
            ValueRef::Text(t) | ValueRef::Blob(t) => Some(t),
            _ => None,
        };
        if let (Some((bytes, matched)), Some(t)) = (&self.last, raw) {
            if bytes.as_slice() == t {
                return *matched;
            }
        }
        let matched = (self.host_matches)(&sqlite::value_text(host));
        if let Some(t) = raw {
            let (bytes, verdict) = self.last.get_or_insert_with(|| (Vec::new(), false));
            bytes.clear();
            bytes.extend_from_slice(t);
            *verdict = matched;
        }
        matched
    }
}

fn item(rowid: i64, host: String, name: String, path: String, partition: Option<String>) -> Item {
    Item {
        key: ItemKey::Row {
            rowid,
            host: host.clone(),
            name: name.clone(),
        },
        host,
        name: Some(name),
        path: Some(path),
        url: None,
        partition,
        size: None,
    }
}

/// The statement that reads the rows of one (host, partition) pair, for [`rows_of_pair`].
fn rows_of_statement<'c>(
    conn: &'c rusqlite::Connection,
    spec: &CookieTable,
    partition: &str,
) -> rusqlite::Result<rusqlite::Statement<'c>> {
    // `IS`, not `=`: a NULL host or partition (a store no browser wrote) is still found.
    // BINARY, as `DISTINCT` compared them; each row's values are checked again below.
    conn.prepare(&format!(
        "SELECT rowid, {name}, {path}, {host}, {partition} FROM {table} \
         WHERE {host} IS ?1 COLLATE BINARY AND {partition} IS ?2 COLLATE BINARY",
        name = spec.name,
        path = spec.path,
        host = spec.host,
        table = spec.table,
    ))
}

/// Adds the rows whose host and partition are exactly `key` (same type, same bytes) to
/// `items`, reported under partition `shown`.
fn rows_of_pair(
    rows_of: &mut rusqlite::Statement<'_>,
    key: (Stored, Stored),
    shown: Option<String>,
    items: &mut Vec<(i64, Item)>,
) -> rusqlite::Result<()> {
    let host = sqlite::value_text(key.0.as_ref()).into_owned();
    let mut cookies = rows_of.query((&key.0, &key.1))?;
    while let Some(cookie) = cookies.next()? {
        // A column declared with another collation matches more than these bytes.
        if !key.0.is(cookie.get_ref(3)?) || !key.1.is(cookie.get_ref(4)?) {
            continue;
        }
        let rowid: i64 = cookie.get(0)?;
        let (name, path) = (sqlite::text(cookie, 1)?, sqlite::text(cookie, 2)?);
        items.push((rowid, item(rowid, host.clone(), name, path, shown.clone())));
    }
    Ok(())
}

/// Decides each distinct (host, partition) pair once, then reads the rows of the pairs
/// kept. Used where an index begins with those two columns (Chromium's unique index), so
/// that SQLite walks the index without a sort and hands over one row per pair rather than
/// one per cookie: a site has many cookies, and the rows kept are few.
fn by_pairs(
    conn: &rusqlite::Connection,
    spec: &CookieTable,
    partition: &str,
    pairs: &str,
    matcher: &mut Matcher<'_>,
) -> rusqlite::Result<Vec<(i64, Item)>> {
    let mut rows_of = rows_of_statement(conn, spec, partition)?;
    let mut stmt = conn.prepare(pairs)?;
    let mut rows = stmt.query([])?;
    let mut items = Vec::new();
    while let Some(row) = rows.next()? {
        let Some(shown) = matcher.kept(row, 0, 1)? else {
            continue;
        };
        let key = (Stored::of(row.get_ref(0)?), Stored::of(row.get_ref(1)?));
        rows_of_pair(&mut rows_of, key, shown, &mut items)?;
    }
    Ok(items)
}

/// A value read from the store, kept to be bound again as it was: text that is not
/// UTF-8 stays those bytes (a `rusqlite::Value` would refuse it).
enum Stored {
    Text(Vec<u8>),
    Blob(Vec<u8>),
    Other(Value),
}

impl Stored {
    fn of(value: ValueRef<'_>) -> Stored {
        match value {
            ValueRef::Text(t) => Stored::Text(t.to_vec()),
            ValueRef::Blob(b) => Stored::Blob(b.to_vec()),
            ValueRef::Null => Stored::Other(Value::Null),
            ValueRef::Integer(i) => Stored::Other(Value::Integer(i)),
            ValueRef::Real(f) => Stored::Other(Value::Real(f)),
        }
    }

    fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Stored::Text(t) => ValueRef::Text(t),
            Stored::Blob(b) => ValueRef::Blob(b),
            Stored::Other(v) => v.into(),
        }
    }

    /// The same type and the same bytes.
    fn is(&self, other: ValueRef<'_>) -> bool {
        match (self.as_ref(), other) {
            (ValueRef::Real(a), ValueRef::Real(b)) => a.to_bits() == b.to_bits(),
            (a, b) => a == b,
        }
    }
}

impl rusqlite::ToSql for Stored {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::Borrowed(self.as_ref()))
    }
}

/// Reads every row and keeps the targets': for tables whose indexes do not begin with
/// the host and partition (Firefox's unique index begins with the name).
fn by_rows(
    conn: &rusqlite::Connection,
    spec: &CookieTable,
    partition: &str,
    matcher: &mut Matcher<'_>,
) -> rusqlite::Result<Vec<(i64, Item)>> {
    // No `ORDER BY`: the unique index holds every column read here, so SQLite may scan
    // it instead of the table (a third fewer pages, no value bytes); the few rows kept
    // are put in row order afterwards. Each row's guard in the executor (`rowid`, host
    // and name) is checked against the table itself.
    let sql = format!(
        "SELECT rowid, {}, {}, {}, {partition} FROM {}",
        spec.host, spec.name, spec.path, spec.table
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut items = Vec::new();
    while let Some(row) = rows.next()? {
        let Some(shown) = matcher.kept(row, 1, 4)? else {
            continue;
        };
        let rowid: i64 = row.get(0)?;
        let host = sqlite::text(row, 1)?;
        let (name, path) = (sqlite::text(row, 2)?, sqlite::text(row, 3)?);
        items.push((rowid, item(rowid, host, name, path, shown)));
    }
    Ok(items)
}

fn removal(spec: &CookieTable) -> Removal {
    Removal::SqliteRows {
        table: spec.table,
        host_column: spec.host,
        name_column: spec.name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::chromium::cookies::TABLE as CHROMIUM;
    use crate::stores::firefox::cookies::TABLE as FIREFOX;
    use rusqlite::Connection;

    // Chromium's table and unique index, without NOT NULL: a store no browser wrote.
    const LOOSE_CHROMIUM: &str = "
        CREATE TABLE cookies(host_key TEXT, top_frame_site_key TEXT, name TEXT, path TEXT,
          has_cross_site_ancestor INTEGER, source_scheme INTEGER, source_port INTEGER);
        CREATE UNIQUE INDEX cookies_unique_index ON cookies(host_key, top_frame_site_key,
          has_cross_site_ancestor, name, path, source_scheme, source_port);";

    fn found(items: Vec<(i64, Item)>) -> Vec<(i64, String, Option<String>, Option<String>)> {
        let mut rows: Vec<_> = items
            .into_iter()
            .map(|(rowid, item)| (rowid, item.host, item.name, item.partition))
            .collect();
        rows.sort();
        rows
    }

    #[test]
    fn reading_by_pairs_finds_the_rows_a_full_read_finds() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(LOOSE_CHROMIUM).unwrap();
        conn.execute_batch(
            "INSERT INTO cookies VALUES
               ('.chatgpt.com', '', 'a', '/', 0, 2, 443),
               ('.chatgpt.com', '', 'b', '/', 0, 2, 443),
               ('.chatgpt.com', 'https://example.org', 'c', '/', 1, 2, 443),
               ('.chatgpt.com', NULL, 'd', '/', 0, 2, 443),
               ('site.example', '', 'e', '/', 0, 2, 443),
               ('site.example', 'https://chatgpt.com', 'f', '/', 1, 2, 443),
               ('site.example', 'https://chatgpt.com', 'g', '/', 1, 2, 443),
               ('other.example', 'https://other.example', 'h', '/', 1, 2, 443),
               (NULL, 'https://chatgpt.com', 'i', '/', 1, 2, 443),
               (NULL, '', 'j', '/', 0, 2, 443),
               (CAST('auth.openai.com' AS BLOB), '', 'k', '/', 0, 2, 443),
               ('auth.openai.com', '', 'l', '/p', 0, 2, 443),
               (CAST(x'ff2e636861746770742e636f6d' AS TEXT), '', 'm', '/', 0, 2, 443),
               ('x.chatgpt.com', CAST(x'ff' AS TEXT), 'n', '/', 0, 2, 443);",
        )
        .unwrap();
        let host = |h: &str| h.ends_with("chatgpt.com") || h.ends_with("openai.com");
        let under = |p: &str| p == "https://chatgpt.com";
        let shown = |p: &str| (!p.is_empty()).then(|| p.to_string());
        let pairs = pairs_query(&CHROMIUM, "top_frame_site_key");
        assert!(sqlite::index_serves(&conn, &pairs).unwrap());
        let part = "top_frame_site_key";
        let a = by_pairs(
            &conn,
            &CHROMIUM,
            part,
            &pairs,
            &mut Matcher::new(&host, &under, &shown),
        );
        let b = by_rows(
            &conn,
            &CHROMIUM,
            part,
            &mut Matcher::new(&host, &under, &shown),
        );
        let (a, b) = (found(a.unwrap()), found(b.unwrap()));
        let names: Vec<_> = a.iter().filter_map(|r| r.2.as_deref()).collect();
        assert_eq!(
            names,
            ["a", "b", "c", "d", "f", "g", "i", "k", "l", "m", "n"]
        );
        assert_eq!(a, b);
    }

    #[test]
    fn a_host_column_of_another_collation_is_read_row_by_row() {
        let conn = Connection::open_in_memory().unwrap();
        let schema = LOOSE_CHROMIUM.replace("host_key TEXT", "host_key TEXT COLLATE NOCASE");
        conn.execute_batch(&schema).unwrap();
        let pairs = pairs_query(&CHROMIUM, "top_frame_site_key");
        assert!(!sqlite::index_serves(&conn, &pairs).unwrap());
        // Were the pairs read off that index after all, a row spelled otherwise is still
        // not taken for the pair's.
        conn.execute_batch(
            "INSERT INTO cookies VALUES ('CHATGPT.COM', '', 'a', '/', 0, 2, 443),
                                        ('chatgpt.com', '', 'b', '/', 0, 2, 443);",
        )
        .unwrap();
        let host = |h: &str| h == "chatgpt.com";
        let (under, shown) = (|_: &str| false, |_: &str| None);
        let mut matcher = Matcher::new(&host, &under, &shown);
        let a = by_pairs(&conn, &CHROMIUM, "top_frame_site_key", &pairs, &mut matcher);
        let names: Vec<_> = found(a.unwrap()).into_iter().filter_map(|r| r.2).collect();
        assert_eq!(names, ["b"]);
    }

    #[test]
    fn firefox_cookies_are_read_row_by_row_its_index_begins_with_the_name() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE moz_cookies (id INTEGER PRIMARY KEY, originAttributes TEXT NOT NULL
               DEFAULT '', name TEXT, value TEXT, host TEXT, path TEXT,
               CONSTRAINT moz_uniqueid UNIQUE (name, host, path, originAttributes));",
        )
        .unwrap();
        let pairs = pairs_query(&FIREFOX, FIREFOX.partition);
        assert!(!sqlite::index_serves(&conn, &pairs).unwrap());
    }
}
