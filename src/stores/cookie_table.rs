//! Reading a SQLite cookie table of either engine: the formats differ only in table and
//! column names and in how a partition is written, so one reader serves both.

use std::path::Path;

use anyhow::Context;

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
    sqlite::refuse_foreign_schema(&db.conn, file, &[spec.table])?;
    let columns = sqlite::columns(&db.conn, spec.table)
        .with_context(|| format!("could not read the schema of `{}`", file.display()))?;
    if columns.is_empty() {
        anyhow::bail!(
            "`{}` is not {} (it has no `{}` table)",
            file.display(),
            spec.what,
            spec.table
        );
    }
    for needed in [spec.host, spec.name, spec.path] {
        if !columns.iter().any(|c| c == needed) {
            anyhow::bail!(
                "`{}` has an unknown schema: table `{}` has no `{needed}` column",
                file.display(),
                spec.table
            );
        }
    }
    let partition = if columns.iter().any(|c| c == spec.partition) {
        spec.partition
    } else {
        "''"
    };
    // No `ORDER BY`: both browsers' unique index holds every column read here, so SQLite
    // scans that index instead of the table (a third fewer pages, no value bytes), in the
    // index's order; the few rows kept are put in row order afterwards. Each row's guard
    // in the executor (`rowid`, host and name) is checked against the table itself.
    let sql = format!(
        "SELECT rowid, {}, {}, {}, {partition} FROM {}",
        spec.host, spec.name, spec.path, spec.table
    );
    let read = || -> rusqlite::Result<Vec<(i64, Item)>> {
        let mut stmt = db.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut items = Vec::new();
        // The index is in host order, and a site has many cookies: the host's verdict is
        // kept for the rows that follow with the same host bytes.
        let mut last: Option<(Vec<u8>, bool)> = None;
        while let Some(row) = rows.next()? {
            let raw = match row.get_ref(1)? {
                rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => Some(t),
                _ => None,
            };
            let host_matched = match (&mut last, raw) {
                (Some((bytes, matched)), Some(t)) if bytes.as_slice() == t => *matched,
                (last, raw) => {
                    let matched = host_matches(&sqlite::text_ref(row, 1)?);
                    if let Some(t) = raw {
                        let (bytes, verdict) = last.get_or_insert_with(|| (Vec::new(), false));
                        bytes.clear();
                        bytes.extend_from_slice(t);
                        *verdict = matched;
                    }
                    matched
                }
            };
            let part = sqlite::text_ref(row, 4)?;
            if !host_matched && !under_target(&part) {
                continue;
            }
            let host = sqlite::text(row, 1)?;
            let partition = shown_partition(&part);
            let name = sqlite::text(row, 2)?;
            let rowid: i64 = row.get(0)?;
            let item = Item {
                key: ItemKey::Row {
                    rowid,
                    host: host.clone(),
                    name: name.clone(),
                },
                host,
                name: Some(name),
                path: Some(sqlite::text(row, 3)?),
                url: None,
                partition,
                size: None,
            };
            items.push((rowid, item));
        }
        Ok(items)
    };
    let mut items =
        read().with_context(|| format!("could not read cookies from `{}`", file.display()))?;
    items.sort_unstable_by_key(|(rowid, _)| *rowid);
    let items = items.into_iter().map(|(_, item)| item).collect();
    Ok(Found::new(items, removal(spec)))
}

fn removal(spec: &CookieTable) -> Removal {
    Removal::SqliteRows {
        table: spec.table,
        host_column: spec.host,
        name_column: spec.name,
    }
}
