//! Opening browser SQLite stores for reading without changing a byte: immutable when
//! the database file is complete on its own, or a private copy when a WAL or a hot
//! rollback journal holds part of its content.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use rusqlite::{Connection, OpenFlags};

use crate::confine::{self, Confined};

/// A read-only connection, and the private copy it reads when one was needed (removed
/// when this is dropped, after the connection).
pub struct ReadOnlyDb {
    pub conn: Connection,
    _copy: Option<crate::scratch::ScratchDir>,
    /// The directory handle the database was opened through, kept while it is open.
    _dir: Option<Arc<cap_std::fs::Dir>>,
}

/// `<path><suffix>`: a SQLite database's `-wal`, `-shm` or `-journal` file.
pub(crate) fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// Whether reading a store failed because SQLite found the file damaged: not a database
/// at all, or a page that fails its checks (`SQLITE_NOTADB`, `SQLITE_CORRUPT`). Judged
/// from the error's causes, never its text: a lock (`SQLITE_BUSY`) or a permission error
/// is not damage, and moving such a store aside would throw away a good one.
pub fn is_damage(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<rusqlite::Error>(),
            Some(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
                )
        )
    })
}

/// A zero-length file: SQLite reads it as an empty database, which holds nothing (tools
/// that probe a path with SQLite create these); an error would only alarm.
pub fn is_empty_file(fs: &Confined, path: &Path) -> bool {
    fs.metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0)
}

/// Opens `path` read-only, reached through `fs` (its directory's handle; no symlink on
/// the way is followed). SQLite would create `-wal`/`-shm` files or roll back a hot
/// journal even for a reader, so a database with such a sidecar is read from a private
/// copy (SQLite replays the sidecar there); otherwise it is opened `immutable`, which
/// makes SQLite neither lock nor create anything.
pub fn open_read_only(fs: &Confined, path: &Path) -> anyhow::Result<ReadOnlyDb> {
    let (dir, name) = fs.split(path)?;
    // SQLite says only "unable to open database file" when it may not read one: opening
    // it here first gives the reason (permission denied, a symlink) with the file's name.
    let main = confine::open_in(&dir, &name).with_context(|| {
        crate::i18n::ta(
            "error-could-not-read",
            &[("file", &path.display().to_string())],
        )
    })?;
    let side = |suffix: &str| {
        let mut n = name.clone();
        n.push(suffix);
        n
    };
    let non_empty = |n: &std::ffi::OsStr| dir.symlink_metadata(n).is_ok_and(|m| m.len() > 0);
    let (wal, journal) = (side("-wal"), side("-journal"));
    let db = if non_empty(&wal) || non_empty(&journal) {
        // The copy holds the store's cookies: it goes in a directory private to the
        // running user (see `scratch`), never in the shared temp directory as is.
        let scratch = crate::scratch::ScratchDir::new()
            .context(crate::i18n::t("err-could-create-private-directory-for"))?;
        let copy = scratch.copy_from(main, "db").with_context(|| {
            crate::i18n::ta(
                "error-could-not-read",
                &[("file", &path.display().to_string())],
            )
        })?;
        for (side_name, suffix) in [(&wal, "-wal"), (&journal, "-journal")] {
            if non_empty(side_name) {
                let shown = sidecar(path, suffix);
                let from = confine::open_in(&dir, side_name).with_context(|| {
                    crate::i18n::ta(
                        "error-could-not-read",
                        &[("file", &shown.display().to_string())],
                    )
                })?;
                scratch
                    .copy_from(from, &format!("db{suffix}"))
                    .with_context(|| {
                        crate::i18n::ta(
                            "error-could-not-read",
                            &[("file", &shown.display().to_string())],
                        )
                    })?;
            }
        }
        let conn = Connection::open_with_flags(
            &copy,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| {
            crate::i18n::ta(
                "err-could-open-copy",
                &[("file", &path.display().to_string())],
            )
        })?;
        ReadOnlyDb {
            conn,
            _copy: Some(scratch),
            _dir: None,
        }
    } else {
        drop(main);
        let through = crate::platform::path_through(&dir, &name, path);
        let uri = file_uri(&through, "mode=ro&immutable=1");
        let conn = Connection::open_with_flags(
            &uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| {
            crate::i18n::ta(
                "error-could-not-open",
                &[("file", &path.display().to_string())],
            )
        })?;
        ReadOnlyDb {
            conn,
            _copy: None,
            _dir: Some(dir),
        }
    };
    // Functions a schema (view, trigger, default) names may not run with side effects.
    db.conn
        .pragma_update(None, "trusted_schema", false)
        .with_context(|| {
            crate::i18n::ta(
                "error-could-not-open",
                &[("file", &path.display().to_string())],
            )
        })?;
    // Fails early, with a clear message, on files that are not SQLite at all.
    db.conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .with_context(|| {
            crate::i18n::ta("error-not-sqlite", &[("file", &path.display().to_string())])
        })?;
    Ok(db)
}

/// Opens `path` `immutable`, whatever sidecar lies beside it: nothing is created, locked
/// or copied, at the price of not seeing what only a `-wal` holds. For readers that must
/// not write a byte anywhere (`doctor`); the error names the file.
pub fn open_immutable(fs: &Confined, path: &Path) -> anyhow::Result<ReadOnlyDb> {
    // A regular file, not through a symlink; this also gives "permission denied" by name.
    fs.open_file(path).with_context(|| {
        crate::i18n::ta(
            "error-could-not-read",
            &[("file", &path.display().to_string())],
        )
    })?;
    let (dir, through) = fs.sqlite_path(path).with_context(|| {
        crate::i18n::ta(
            "error-could-not-read",
            &[("file", &path.display().to_string())],
        )
    })?;
    let conn = Connection::open_with_flags(
        file_uri(&through, "mode=ro&immutable=1"),
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| {
        crate::i18n::ta(
            "error-could-not-open",
            &[("file", &path.display().to_string())],
        )
    })?;
    conn.pragma_update(None, "trusted_schema", false)
        .with_context(|| {
            crate::i18n::ta(
                "error-could-not-open",
                &[("file", &path.display().to_string())],
            )
        })?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .with_context(|| {
        crate::i18n::ta("error-not-sqlite", &[("file", &path.display().to_string())])
    })?;
    Ok(ReadOnlyDb {
        conn,
        _copy: None,
        _dir: Some(dir),
    })
}

/// Refuses a database whose schema no browser writes: any trigger (one could delete
/// other sites' rows when loginfix deletes the targets'), a `tables` entry that is a
/// view or a virtual table rather than a plain table. The error names the file.
pub fn refuse_foreign_schema(
    conn: &Connection,
    file: &Path,
    tables: &[&str],
) -> anyhow::Result<()> {
    // (name, type, sql) of each schema object.
    type Object = (String, String, String);
    let read = || -> rusqlite::Result<(Option<String>, Vec<Object>)> {
        let trigger = conn
            .query_row(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name LIMIT 1",
                [],
                |r| r.get::<_, String>(0),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        let mut stmt = conn.prepare("SELECT name, type, coalesce(sql, '') FROM sqlite_master")?;
        let objects = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok((trigger, objects))
    };
    let (trigger, objects) = read().with_context(|| {
        crate::i18n::ta(
            "err-could-read-schema",
            &[("file", &file.display().to_string())],
        )
    })?;
    if let Some(name) = trigger {
        anyhow::bail!(
            "{}",
            crate::i18n::ta(
                "err-has-trigger-which-no-browser",
                &[
                    ("file", &file.display().to_string()),
                    ("name", &name.to_string())
                ]
            )
        );
    }
    for (name, kind, sql) in &objects {
        if !tables.iter().any(|t| t.eq_ignore_ascii_case(name)) {
            continue;
        }
        let virtual_table = sql
            .split_whitespace()
            .take(2)
            .any(|w| w.eq_ignore_ascii_case("virtual"));
        if kind != "table" || virtual_table {
            let what = if virtual_table { "virtual table" } else { kind };
            anyhow::bail!(
                "{}",
                crate::i18n::ta(
                    "err-table-which-no-browser-writes",
                    &[
                        ("file", &file.display().to_string()),
                        ("name", &name.to_string()),
                        ("what", what)
                    ]
                )
            );
        }
    }
    Ok(())
}

/// A SQLite `file:` URI for a path: `%`, `?` and `#` escaped, `\` as `/`, and a drive
/// letter given the leading slash SQLite expects.
fn file_uri(path: &Path, query: &str) -> String {
    let raw = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file:");
    let b = raw.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        out.push('/');
    }
    for ch in raw.chars() {
        match ch {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out.push('?');
    out.push_str(query);
    out
}

/// The column names of `table`, or an empty list when it does not exist.
pub fn columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?1)")?;
    let names = stmt
        .query_map([table], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(names)
}

/// Reads a TEXT column that some browsers leave NULL or store as a BLOB.
pub fn text(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<String> {
    text_ref(row, idx).map(std::borrow::Cow::into_owned)
}

/// Whether SQLite runs `select` by walking an index in its order, with no sort of its
/// own (`EXPLAIN QUERY PLAN` names an index and no temporary B-tree).
pub fn index_serves(conn: &Connection, select: &str) -> rusqlite::Result<bool> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {select}"))?;
    let mut rows = stmt.query([])?;
    let (mut index, mut sort) = (false, false);
    while let Some(row) = rows.next()? {
        let detail = text_ref(row, 3)?;
        index |= detail.contains("INDEX");
        sort |= detail.contains("TEMP B-TREE");
    }
    Ok(index && !sort)
}

/// [`text`] without a copy when the column holds valid UTF-8: a reader that looks at
/// every row and keeps a few allocates only for those.
pub fn text_ref<'r>(
    row: &'r rusqlite::Row<'_>,
    idx: usize,
) -> rusqlite::Result<std::borrow::Cow<'r, str>> {
    Ok(value_text(row.get_ref(idx)?))
}

/// [`text_ref`] of a value already read.
pub fn value_text(value: rusqlite::types::ValueRef<'_>) -> std::borrow::Cow<'_, str> {
    use rusqlite::types::ValueRef;
    use std::borrow::Cow;
    match value {
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t),
        ValueRef::Null => Cow::Borrowed(""),
        ValueRef::Integer(i) => Cow::Owned(i.to_string()),
        ValueRef::Real(f) => Cow::Owned(f.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_escapes() {
        assert_eq!(
            file_uri(Path::new("/a b/c?#%.db"), "mode=ro"),
            "file:/a b/c%3f%23%25.db?mode=ro"
        );
        assert_eq!(file_uri(Path::new("C:\\x\\y"), "q"), "file:/C:/x/y?q");
    }

    /// Damage is what SQLite says of the file's bytes; a file that is missing or cannot
    /// be opened is something else (the guided mode never offers to move those aside).
    #[test]
    fn damage_is_told_apart_from_other_failures() {
        let dir = tempfile::tempdir().unwrap();
        let fs = Confined::default();
        let garbage = dir.path().join("Cookies");
        std::fs::write(&garbage, b"garbage, not a database, long enough to be read").unwrap();
        let err = open_read_only(&fs, &garbage).err().expect("not a database");
        assert!(is_damage(&err), "{err:#}");
        let missing = open_read_only(&fs, &dir.path().join("nothing"))
            .err()
            .unwrap();
        assert!(!is_damage(&missing), "{missing:#}");
        let good = dir.path().join("good");
        Connection::open(&good)
            .unwrap()
            .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
        assert!(open_read_only(&fs, &good).is_ok());
    }

    #[test]
    fn reading_a_wal_database_leaves_its_directory_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cookies.sqlite");
        let writer = Connection::open(&path).unwrap();
        writer
            .execute_batch(
                "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;
                 CREATE TABLE t(x); INSERT INTO t VALUES (1),(2);",
            )
            .unwrap();
        // The rows live only in the WAL while the writer is open.
        let listing = |d: &Path| {
            let mut v: Vec<_> = std::fs::read_dir(d)
                .unwrap()
                .map(|e| {
                    let e = e.unwrap();
                    (e.file_name(), std::fs::read(e.path()).unwrap())
                })
                .collect();
            v.sort();
            v
        };
        let before = listing(dir.path());
        let db = open_read_only(&Confined::default(), &path).unwrap();
        let n: i64 = db
            .conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
        drop(db);
        assert_eq!(before, listing(dir.path()));
        drop(writer);

        // Checkpointed and closed: read in place, immutably, creating nothing.
        let before = listing(dir.path());
        let db = open_read_only(&Confined::default(), &path).unwrap();
        let n: i64 = db
            .conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
        drop(db);
        assert_eq!(before, listing(dir.path()));
    }

    #[test]
    fn non_sqlite_files_are_refused_with_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cookies");
        std::fs::write(&path, b"this is not a database, just some text").unwrap();
        let err = open_read_only(&Confined::default(), &path).err().unwrap();
        assert!(format!("{err:#}").contains("Cookies"), "{err:#}");
    }
}
