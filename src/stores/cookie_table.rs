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

/// Lists the rows for which `belongs(host, partition)` holds; `shown_partition` turns a
/// stored partition into the site reported to the user.
pub fn scan(
    fs: &crate::confine::Confined,
    file: &Path,
    spec: &CookieTable,
    belongs: impl Fn(&str, &str) -> bool,
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
    let sql = format!(
        "SELECT rowid, {}, {}, {}, {partition} FROM {} ORDER BY rowid",
        spec.host, spec.name, spec.path, spec.table
    );
    let read = || -> rusqlite::Result<Vec<Item>> {
        let mut stmt = db.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut items = Vec::new();
        while let Some(row) = rows.next()? {
            let host = sqlite::text(row, 1)?;
            let part = sqlite::text(row, 4)?;
            if !belongs(&host, &part) {
                continue;
            }
            let name = sqlite::text(row, 2)?;
            items.push(Item {
                key: ItemKey::Row {
                    rowid: row.get(0)?,
                    host: host.clone(),
                    name: name.clone(),
                },
                host,
                name: Some(name),
                path: Some(sqlite::text(row, 3)?),
                url: None,
                partition: shown_partition(&part),
                size: None,
            });
        }
        Ok(items)
    };
    let items =
        read().with_context(|| format!("could not read cookies from `{}`", file.display()))?;
    Ok(Found::new(items, removal(spec)))
}

fn removal(spec: &CookieTable) -> Removal {
    Removal::SqliteRows {
        table: spec.table,
        host_column: spec.host,
        name_column: spec.name,
    }
}
