//! SQLite opening a store through loginfix's directory handle, not by its path again.
//!
//! loginfix hands SQLite `/proc/self/fd/<dir>/<name>`: the kernel resolves `<dir>` to the
//! directory handle opened without following a symlink, so a directory swapped since
//! cannot redirect the open. SQLite's own `unix` VFS defeats that: before it opens a
//! database it rewrites the name to its canonical form, reading every symlink on the way
//! (`/proc/self/fd/7` becomes `/home/u/.config/chromium/Default`), and then opens the
//! database, its journal and its WAL by that path string — which a hostile owner of the
//! home can swap for a symlink in the moment between. The VFS installed here is `unix`
//! with that rewrite left out for absolute names: SQLite opens exactly the name it was
//! given. Relative names still go through `unix`'s own rewrite (it prepends the working
//! directory). Elsewhere than Linux there is no `/proc/self/fd`, and nothing is installed:
//! this module is Linux's alone, which is why it keeps its own `cfg(target_os)` rather
//! than going through `platform`.
//!
//! The same VFS gathers a rollback journal's writes (see `journal`): SQLite writes each
//! page it journals as three `write`s (page number, page, checksum), 5,000 system calls
//! for an edit that changes 1,600 pages, where a few dozen large ones write the same
//! bytes in the same order before the journal is synced.

/// Makes the VFS SQLite's default, once per process, before the first connection that is
/// given a handle path is opened.
pub fn install() {
    #[cfg(target_os = "linux")]
    linux::install();
}

#[cfg(target_os = "linux")]
mod linux {
    use std::ffi::{c_char, c_int, CStr};
    use std::sync::OnceLock;

    use rusqlite::ffi;

    type FullPathname =
        unsafe extern "C" fn(*mut ffi::sqlite3_vfs, *const c_char, c_int, *mut c_char) -> c_int;

    type Open = unsafe extern "C" fn(
        *mut ffi::sqlite3_vfs,
        *const c_char,
        *mut ffi::sqlite3_file,
        c_int,
        *mut c_int,
    ) -> c_int;

    /// `unix` itself, its rewrite (for the relative names) and its open.
    struct Base {
        vfs: usize,
        full_pathname: FullPathname,
        open: Open,
    }

    static BASE: OnceLock<Base> = OnceLock::new();

    pub(super) fn install() {
        static INSTALLED: std::sync::Once = std::sync::Once::new();
        INSTALLED.call_once(|| {
            // SAFETY: `sqlite3_initialize` and `sqlite3_vfs_find` may be called at any
            // time; the VFS they return lives as long as the process. The copy registered
            // is leaked, so it does too, as `sqlite3_vfs_register` requires; SQLite
            // serialises registration itself (the bundled library is thread-safe). `BASE`
            // is set before the copy is registered, so no call of it finds it unset.
            unsafe {
                if ffi::sqlite3_initialize() != ffi::SQLITE_OK {
                    return;
                }
                let base = ffi::sqlite3_vfs_find(std::ptr::null());
                if base.is_null() {
                    return;
                }
                let (Some(full_pathname), Some(open)) = ((*base).xFullPathname, (*base).xOpen)
                else {
                    return;
                };
                let ours = Base {
                    vfs: base as usize,
                    full_pathname,
                    open,
                };
                if BASE.set(ours).is_err() {
                    return;
                }
                let mut vfs = *base;
                vfs.zName = c"loginfix-unix".as_ptr();
                vfs.xFullPathname = Some(as_given);
                vfs.xOpen = Some(journal::open);
                vfs.szOsFile = journal::file_size((*base).szOsFile);
                vfs.pNext = std::ptr::null_mut();
                ffi::sqlite3_vfs_register(Box::leak(Box::new(vfs)), 1);
            }
        });
    }

    /// `xFullPathname`: an absolute name as it is; a relative one as `unix` makes it.
    unsafe extern "C" fn as_given(
        _vfs: *mut ffi::sqlite3_vfs,
        name: *const c_char,
        n_out: c_int,
        out: *mut c_char,
    ) -> c_int {
        // SAFETY: SQLite passes a NUL-terminated name and an output buffer of `n_out`
        // bytes (`mxPathname + 1`, copied from `unix`).
        unsafe {
            let bytes = CStr::from_ptr(name).to_bytes_with_nul();
            if bytes.first() == Some(&b'/') {
                if bytes.len() > usize::try_from(n_out).unwrap_or(0) {
                    return ffi::SQLITE_CANTOPEN;
                }
                std::ptr::copy_nonoverlapping(name, out, bytes.len());
                return ffi::SQLITE_OK;
            }
            match BASE.get() {
                Some(base) => {
                    (base.full_pathname)(base.vfs as *mut ffi::sqlite3_vfs, name, n_out, out)
                }
                None => ffi::SQLITE_CANTOPEN,
            }
        }
    }

    pub(super) mod journal {
        //! The files SQLite opens through the VFS: `unix`'s own, behind a header that
        //! holds, for a main rollback journal, the writes not yet handed to `unix`.
        //!
        //! Writes that continue the last one are gathered (up to `CAPACITY` bytes) and
        //! written as one; every other call on the file writes them first, in order, so
        //! `unix` sees the same bytes at the same offsets, only in fewer calls. Nothing
        //! is held across a sync: SQLite syncs the journal before it writes a database
        //! page the journal protects (in every `synchronous` mode but OFF, which loginfix
        //! never sets), so the database is never ahead of the journal on disk. A write
        //! that fails is reported by the call that made it (a later write, the sync, the
        //! close), and SQLite then gives up the transaction as it would have.

        use std::ffi::{c_char, c_int, c_void};

        use rusqlite::ffi;

        /// How much of a journal is gathered before it is written: `unix` writes at
        /// most 128 KiB less a byte in one call (it masks the count to 17 bits, and
        /// reports a short write as a full disk).
        const CAPACITY: usize = 64 << 10;

        /// What SQLite allocates for each file: this header, then `unix`'s file.
        #[repr(C)]
        struct File {
            base: ffi::sqlite3_file,
            /// `unix`'s file, right after this header.
            real: *mut ffi::sqlite3_file,
            /// The gathered writes of a main journal; null for any other file.
            pending: *mut Pending,
        }

        struct Pending {
            offset: i64,
            bytes: Vec<u8>,
        }

        /// The header's size, kept a multiple of 8 so `unix`'s file after it is aligned.
        const HEADER: usize = std::mem::size_of::<File>().div_ceil(8) * 8;

        pub(in super::super) fn file_size(base: c_int) -> c_int {
            base + HEADER as c_int
        }

        /// `xOpen`: `unix` opens the file behind the header; a main journal gets a buffer.
        pub(in super::super) unsafe extern "C" fn open(
            _vfs: *mut ffi::sqlite3_vfs,
            name: *const c_char,
            file: *mut ffi::sqlite3_file,
            flags: c_int,
            out_flags: *mut c_int,
        ) -> c_int {
            let Some(base) = super::BASE.get() else {
                return ffi::SQLITE_CANTOPEN;
            };
            // SAFETY: SQLite hands `file` as `szOsFile` bytes, 8-aligned: the header
            // and, after it, the `szOsFile` of `unix` that `unix`'s open fills in.
            unsafe {
                let ours = file.cast::<File>();
                let real = file.cast::<u8>().add(HEADER).cast::<ffi::sqlite3_file>();
                ours.write(File {
                    base: ffi::sqlite3_file {
                        pMethods: std::ptr::null(),
                    },
                    real,
                    pending: std::ptr::null_mut(),
                });
                (*real).pMethods = std::ptr::null();
                let rc = (base.open)(
                    base.vfs as *mut ffi::sqlite3_vfs,
                    name,
                    real,
                    flags,
                    out_flags,
                );
                // SQLite closes a file whose methods are set, even after a failed open.
                if (*real).pMethods.is_null() {
                    return rc;
                }
                if rc == ffi::SQLITE_OK && flags & ffi::SQLITE_OPEN_MAIN_JOURNAL != 0 {
                    (*ours).pending = Box::into_raw(Box::new(Pending {
                        offset: 0,
                        bytes: Vec::new(),
                    }));
                }
                (*ours).base.pMethods = match (*(*real).pMethods).iVersion {
                    1 => &METHODS_V1,
                    2 => &METHODS_V2,
                    _ => &METHODS_V3,
                };
                rc
            }
        }

        /// `unix`'s file and its methods, behind `file`.
        ///
        /// SAFETY: `file` was opened by [`open`], whose methods are set.
        unsafe fn real(
            file: *mut ffi::sqlite3_file,
        ) -> (*mut ffi::sqlite3_file, &'static ffi::sqlite3_io_methods) {
            // SAFETY: as the caller promises; `unix`'s methods are static.
            unsafe {
                let real = (*file.cast::<File>()).real;
                (real, &*(*real).pMethods)
            }
        }

        /// Writes what was gathered, in one call; `SQLITE_OK` or `unix`'s error (the
        /// bytes are dropped then: SQLite gives the transaction up).
        ///
        /// SAFETY: `file` was opened by [`open`].
        unsafe fn flush(file: *mut ffi::sqlite3_file) -> c_int {
            // SAFETY: `pending` is null or the buffer `open` made, used by one thread at
            // a time as SQLite uses the file.
            unsafe {
                let pending = (*file.cast::<File>()).pending;
                if pending.is_null() || (*pending).bytes.is_empty() {
                    return ffi::SQLITE_OK;
                }
                let (real, methods) = real(file);
                let Some(write) = methods.xWrite else {
                    return ffi::SQLITE_IOERR_WRITE;
                };
                let p = &mut *pending;
                let rc = match c_int::try_from(p.bytes.len()) {
                    Ok(len) => write(real, p.bytes.as_ptr().cast(), len, p.offset),
                    Err(_) => ffi::SQLITE_IOERR_WRITE,
                };
                p.bytes.clear();
                rc
            }
        }

        unsafe extern "C" fn close(file: *mut ffi::sqlite3_file) -> c_int {
            // SAFETY: SQLite closes a file it opened through [`open`] once.
            unsafe {
                let flushed = flush(file);
                let ours = file.cast::<File>();
                if !(*ours).pending.is_null() {
                    drop(Box::from_raw((*ours).pending));
                    (*ours).pending = std::ptr::null_mut();
                }
                let (real, methods) = real(file);
                let rc = methods.xClose.map_or(ffi::SQLITE_OK, |f| f(real));
                (*ours).base.pMethods = std::ptr::null();
                if flushed != ffi::SQLITE_OK {
                    flushed
                } else {
                    rc
                }
            }
        }

        unsafe extern "C" fn write(
            file: *mut ffi::sqlite3_file,
            data: *const c_void,
            amount: c_int,
            offset: i64,
        ) -> c_int {
            // SAFETY: `data` holds `amount` bytes (SQLite's contract for `xWrite`).
            unsafe {
                let pending = (*file.cast::<File>()).pending;
                let len = usize::try_from(amount).unwrap_or(0);
                if !pending.is_null() && len > 0 && len < CAPACITY {
                    let p = &mut *pending;
                    let continues = p.offset.checked_add(p.bytes.len() as i64) == Some(offset);
                    if p.bytes.is_empty() || !continues || p.bytes.len() + len > CAPACITY {
                        let rc = flush(file);
                        if rc != ffi::SQLITE_OK {
                            return rc;
                        }
                        p.offset = offset;
                    }
                    if p.bytes.capacity() == 0 {
                        p.bytes.reserve_exact(CAPACITY);
                    }
                    p.bytes
                        .extend_from_slice(std::slice::from_raw_parts(data.cast::<u8>(), len));
                    return ffi::SQLITE_OK;
                }
                let rc = flush(file);
                if rc != ffi::SQLITE_OK {
                    return rc;
                }
                let (real, methods) = real(file);
                methods
                    .xWrite
                    .map_or(ffi::SQLITE_IOERR_WRITE, |f| f(real, data, amount, offset))
            }
        }

        /// The methods that only forward, after writing what was gathered.
        macro_rules! flushed_then {
            ($name:ident, $field:ident, ($($arg:ident: $ty:ty),*)) => {
                unsafe extern "C" fn $name(file: *mut ffi::sqlite3_file, $($arg: $ty),*) -> c_int {
                    // SAFETY: SQLite calls these on a file [`open`] opened.
                    unsafe {
                        let rc = flush(file);
                        if rc != ffi::SQLITE_OK {
                            return rc;
                        }
                        let (real, methods) = real(file);
                        methods.$field.map_or(ffi::SQLITE_IOERR, |f| f(real, $($arg),*))
                    }
                }
            };
        }

        flushed_then!(read, xRead, (data: *mut c_void, amount: c_int, offset: i64));
        flushed_then!(truncate, xTruncate, (size: i64));
        flushed_then!(sync, xSync, (flags: c_int));
        flushed_then!(size, xFileSize, (out: *mut i64));
        flushed_then!(lock, xLock, (level: c_int));
        flushed_then!(unlock, xUnlock, (level: c_int));
        flushed_then!(check_reserved, xCheckReservedLock, (out: *mut c_int));
        flushed_then!(file_control, xFileControl, (op: c_int, arg: *mut c_void));
        flushed_then!(shm_map, xShmMap, (page: c_int, size: c_int, extend: c_int, out: *mut *mut c_void));
        flushed_then!(shm_lock, xShmLock, (offset: c_int, n: c_int, flags: c_int));
        flushed_then!(shm_unmap, xShmUnmap, (delete: c_int));
        flushed_then!(fetch, xFetch, (offset: i64, amount: c_int, out: *mut *mut c_void));
        flushed_then!(unfetch, xUnfetch, (offset: i64, page: *mut c_void));

        unsafe extern "C" fn sector_size(file: *mut ffi::sqlite3_file) -> c_int {
            // SAFETY: as for the others.
            unsafe {
                let (real, methods) = real(file);
                methods.xSectorSize.map_or(512, |f| f(real))
            }
        }

        unsafe extern "C" fn device_characteristics(file: *mut ffi::sqlite3_file) -> c_int {
            // SAFETY: as for the others.
            unsafe {
                let (real, methods) = real(file);
                methods.xDeviceCharacteristics.map_or(0, |f| f(real))
            }
        }

        unsafe extern "C" fn shm_barrier(file: *mut ffi::sqlite3_file) {
            // SAFETY: as for the others.
            unsafe {
                let (real, methods) = real(file);
                if let Some(f) = methods.xShmBarrier {
                    f(real);
                }
            }
        }

        const fn methods(version: c_int) -> ffi::sqlite3_io_methods {
            ffi::sqlite3_io_methods {
                iVersion: version,
                xClose: Some(close),
                xRead: Some(read),
                xWrite: Some(write),
                xTruncate: Some(truncate),
                xSync: Some(sync),
                xFileSize: Some(size),
                xLock: Some(lock),
                xUnlock: Some(unlock),
                xCheckReservedLock: Some(check_reserved),
                xFileControl: Some(file_control),
                xSectorSize: Some(sector_size),
                xDeviceCharacteristics: Some(device_characteristics),
                xShmMap: Some(shm_map),
                xShmLock: Some(shm_lock),
                xShmBarrier: Some(shm_barrier),
                xShmUnmap: Some(shm_unmap),
                xFetch: Some(fetch),
                xUnfetch: Some(unfetch),
            }
        }

        // One table per version `unix` may report, so SQLite calls no method `unix`
        // lacks.
        static METHODS_V1: ffi::sqlite3_io_methods = methods(1);
        static METHODS_V2: ffi::sqlite3_io_methods = methods(2);
        static METHODS_V3: ffi::sqlite3_io_methods = methods(3);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::os::fd::AsRawFd;

    /// SQLite keeps the handle path as the database's name (so its journal is opened
    /// through the handle too), where `unix` alone would name the directory's real path.
    #[test]
    fn a_handle_path_stays_as_given() {
        super::install();
        let dir = tempfile::tempdir().unwrap();
        let handle = std::fs::File::open(dir.path()).unwrap();
        let through = format!("/proc/self/fd/{}/db", handle.as_raw_fd());
        let conn = rusqlite::Connection::open(&through).unwrap();
        conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
        let file: String = conn
            .query_row(
                "SELECT file FROM pragma_database_list WHERE name = 'main'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(file, through);
        drop(conn);
        // The database is where the handle points.
        assert!(dir.path().join("db").is_file());
    }

    /// The directory is swapped for a symlink to another tree while the database is open:
    /// the journal SQLite then creates goes where the handle points, not into that tree.
    #[test]
    fn a_directory_swapped_after_the_open_does_not_redirect_the_journal() {
        super::install();
        let root = tempfile::tempdir().unwrap();
        let (profile, moved, elsewhere) = (
            root.path().join("Default"),
            root.path().join("moved"),
            root.path().join("elsewhere"),
        );
        std::fs::create_dir(&profile).unwrap();
        std::fs::create_dir(&elsewhere).unwrap();
        let handle = std::fs::File::open(&profile).unwrap();
        let through = format!("/proc/self/fd/{}/db", handle.as_raw_fd());
        let conn = rusqlite::Connection::open(&through).unwrap();
        // TRUNCATE keeps the journal file after the commit, so its place can be seen.
        conn.execute_batch("PRAGMA journal_mode=TRUNCATE; CREATE TABLE t(x);")
            .unwrap();
        std::fs::rename(&profile, &moved).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &profile).unwrap();
        conn.execute_batch("INSERT INTO t VALUES (1);").unwrap();
        drop(conn);
        assert!(moved.join("db-journal").exists());
        assert!(
            std::fs::read_dir(&elsewhere).unwrap().next().is_none(),
            "SQLite wrote into the tree the symlink points to"
        );
    }

    fn rows(conn: &rusqlite::Connection) -> (i64, String) {
        conn.query_row(
            "SELECT count(*), (SELECT integrity_check FROM pragma_integrity_check) FROM t",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    }

    /// A table of 4,000 rows of 200 bytes, over 200 pages, in a journal mode.
    fn table(dir: &std::path::Path, mode: &str) -> (String, rusqlite::Connection) {
        super::install();
        let path = dir.join("db").to_str().unwrap().to_string();
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA journal_mode={mode}; CREATE TABLE t(x);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)
             INSERT INTO t SELECT randomblob(200) FROM n;"
        ))
        .unwrap();
        (path, conn)
    }

    /// Gathered journal writes change nothing SQLite does with the journal: a rollback
    /// reads it back, a commit ends it, in each rollback-journal mode.
    #[test]
    fn transactions_roll_back_and_commit_through_the_gathered_journal() {
        for mode in ["DELETE", "TRUNCATE", "PERSIST"] {
            let dir = tempfile::tempdir().unwrap();
            let (_, conn) = table(dir.path(), mode);
            conn.execute_batch("BEGIN; DELETE FROM t WHERE rowid % 2 = 0; ROLLBACK;")
                .unwrap();
            assert_eq!(rows(&conn), (4000, "ok".to_string()), "{mode}");
            conn.execute_batch("BEGIN; DELETE FROM t WHERE rowid % 2 = 0; COMMIT;")
                .unwrap();
            assert_eq!(rows(&conn), (2000, "ok".to_string()), "{mode}");
        }
    }

    /// The process dies mid-transaction after SQLite has written changed pages into the
    /// database (a small cache spills them): what is on disk at that moment — copied, as
    /// a crash would leave it — must hold the journal those pages need, so that the next
    /// open rolls the database back whole. A journal write still held in memory when
    /// SQLite wrote the database would lose rows here.
    #[test]
    fn the_journal_is_on_disk_before_the_database_changes() {
        let dir = tempfile::tempdir().unwrap();
        let (path, conn) = table(dir.path(), "DELETE");
        conn.execute_batch(
            "PRAGMA cache_size=10; BEGIN; UPDATE t SET x = zeroblob(200) WHERE rowid % 3 = 0;",
        )
        .unwrap();
        let crashed = tempfile::tempdir().unwrap();
        for suffix in ["", "-journal"] {
            std::fs::copy(
                format!("{path}{suffix}"),
                crashed.path().join(format!("db{suffix}")),
            )
            .unwrap();
        }
        // The copy without its journal shows the spill: zeroed rows are in the file.
        let bare = tempfile::tempdir().unwrap();
        std::fs::copy(&path, bare.path().join("db")).unwrap();
        let zeroed: i64 = rusqlite::Connection::open(bare.path().join("db"))
            .unwrap()
            .query_row("SELECT count(*) FROM t WHERE x = zeroblob(200)", [], |r| {
                r.get(0)
            })
            .unwrap_or(0);
        assert!(
            zeroed > 0,
            "the transaction did not spill into the database"
        );
        let reopened = rusqlite::Connection::open(crashed.path().join("db")).unwrap();
        assert_eq!(rows(&reopened), (4000, "ok".to_string()));
        let zeroed: i64 = reopened
            .query_row("SELECT count(*) FROM t WHERE x = zeroblob(200)", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(zeroed, 0);
        conn.execute_batch("ROLLBACK").unwrap();
    }
}
