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

    /// `unix` itself and its rewrite, for the relative names.
    struct Base {
        vfs: usize,
        full_pathname: FullPathname,
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
                let Some(full_pathname) = (*base).xFullPathname else {
                    return;
                };
                let ours = Base {
                    vfs: base as usize,
                    full_pathname,
                };
                if BASE.set(ours).is_err() {
                    return;
                }
                let mut vfs = *base;
                vfs.zName = c"loginfix-unix".as_ptr();
                vfs.xFullPathname = Some(as_given);
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
}
