//! loginfix's private scratch directories: where a SQLite store with a WAL or a hot
//! journal is copied to be read (see `stores::sqlite`). A copy holds another user's
//! cookies, so it lives in a directory of the running user's own, created 0700 with its
//! files created 0600, and is removed on every exit path: when it is dropped; on
//! SIGINT/SIGTERM (outside a clean the handler removes every live one and exits 130; in a
//! clean the run stops at its next boundary and drops them); and, for a process
//! that died anyway, by the next run ([`sweep_stale`]: the names carry the pid).
//!
//! Where: `$LOGINFIX_RUNTIME_DIR` when set (documented for tests and odd setups); else
//! `$XDG_RUNTIME_DIR/loginfix` when that runtime directory is the user's own; else the
//! system temp directory (each copy in its own 0700 directory there). Not the user's cache
//! directory: with `--home`, that can be inside the home acted on, where even a dry run
//! must not leave a directory behind. A place whose ancestors someone else could rename
//! or replace is not used.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::platform;

/// The scratch directories of this process that exist right now.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

const PREFIX: &str = "loginfix-copy-";

fn live() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// The candidate places, best first; `true` for loginfix's own directory (created when
/// missing), `false` for the shared temp directory.
fn candidates() -> Vec<(PathBuf, bool)> {
    let mut out = Vec::new();
    if let Some(dir) = std::env::var_os("LOGINFIX_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        // Given explicitly: used or refused, never silently replaced by another place.
        return vec![(PathBuf::from(dir), true)];
    }
    if let Some(run) = std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        let run = PathBuf::from(run);
        if std::fs::symlink_metadata(&run).is_ok_and(|m| m.is_dir() && platform::private_to_me(&m))
        {
            out.push((run.join("loginfix"), true));
        }
    }
    out.push((std::env::temp_dir(), false));
    out
}

/// Whether nobody but the running user (or root) can rename or replace `dir` or any
/// directory above it.
fn trusted_ancestors(dir: &Path) -> bool {
    let Ok(real) = dir.canonicalize() else {
        return false;
    };
    real.ancestors().all(|a| {
        std::fs::symlink_metadata(a).is_ok_and(|m| m.is_dir() && platform::safe_ancestor(&m))
    })
}

/// The directory scratch directories go in, created (0700) when it is loginfix's own.
fn root() -> io::Result<PathBuf> {
    let mut last = None;
    for (dir, own) in candidates() {
        let parent = if own {
            dir.parent()
        } else {
            Some(dir.as_path())
        };
        if !parent.is_some_and(trusted_ancestors) {
            last = Some(format!(
                "`{}` could be changed by another user",
                dir.display()
            ));
            continue;
        }
        if own {
            match platform::create_private_dir(&dir) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    last = Some(format!("could not create `{}`: {e}", dir.display()));
                    continue;
                }
            }
            // Each scratch directory in it is 0700; this one must only be the user's to
            // change.
            let ok = std::fs::symlink_metadata(&dir).is_ok_and(|m| {
                m.is_dir() && platform::owned_by_me(&m) && platform::safe_ancestor(&m)
            });
            if !ok {
                last = Some(format!(
                    "`{}` is not a directory only this user can change",
                    dir.display()
                ));
                continue;
            }
        }
        return Ok(dir);
    }
    Err(io::Error::other(format!(
        "no private place for a temporary copy ({})",
        last.unwrap_or_default()
    )))
}

/// The pid in a scratch directory's name.
fn pid_of(name: &str) -> Option<u32> {
    name.strip_prefix(PREFIX)?.split('-').next()?.parse().ok()
}

/// Removes the scratch directories left by loginfix processes that are gone (killed
/// before they could clean up). Only directories of the running user are touched.
pub fn sweep_stale() {
    let me = std::process::id();
    for (dir, _) in candidates() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(pid) = name.to_str().and_then(pid_of) else {
                continue;
            };
            if pid == me || platform::pid_alive(pid) != Some(false) {
                continue;
            }
            let path = entry.path();
            if std::fs::symlink_metadata(&path)
                .is_ok_and(|m| m.is_dir() && platform::owned_by_me(&m))
            {
                remove(&path);
            }
        }
    }
}

#[expect(
    clippy::disallowed_methods,
    reason = "loginfix's own private copies, never browser data"
)]
fn remove(path: &Path) {
    let _ = std::fs::remove_dir_all(path);
}

/// Ctrl-C or a SIGTERM would end the process without running destructors; the handler
/// (see `interrupt`) installed with the first copy removes them first when it ends the
/// process.
fn install_handler() {
    crate::interrupt::install();
}

/// Removes every live copy, then exits with `code` as a shell expects from an interrupt
/// (130). It exits holding the list's lock, so no new copy can be made in between.
pub(crate) fn remove_all_and_exit(code: i32) -> ! {
    let mut live = live();
    for path in live.drain(..) {
        // The main thread may be writing a file into it meanwhile, which makes the last
        // rmdir fail: try again until it is gone (once gone, nothing can be created in
        // it any more).
        for _ in 0..100 {
            remove(&path);
            if std::fs::symlink_metadata(&path).is_err() {
                break;
            }
        }
    }
    std::process::exit(code);
}

/// A private directory of this process, removed when dropped.
#[derive(Debug)]
pub struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    pub fn new() -> io::Result<ScratchDir> {
        install_handler();
        let root = root()?;
        let pid = std::process::id();
        let mut live = live();
        for attempt in 0..100u32 {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or_default();
            let path = root.join(format!(
                "{PREFIX}{pid}-{}-{nanos:x}",
                live.len() as u32 + attempt
            ));
            match platform::create_private_dir(&path) {
                Ok(()) => {
                    live.push(path.clone());
                    return Ok(ScratchDir { path });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(io::Error::new(
                        e.kind(),
                        format!("could not create a directory in `{}`: {e}", root.display()),
                    ))
                }
            }
        }
        Err(io::Error::other(format!(
            "could not create a directory in `{}`",
            root.display()
        )))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Copies the regular file `src` to `name` in this directory, the copy created 0600.
    pub fn copy_in(&self, src: &Path, name: &str) -> io::Result<PathBuf> {
        self.copy_from(
            crate::fsutil::open_file(&crate::confine::Confined::default(), src)?,
            name,
        )
    }

    /// Copies the opened file `from` into the directory as `name`, a private file.
    pub fn copy_from(&self, mut from: std::fs::File, name: &str) -> io::Result<PathBuf> {
        let dest = self.path.join(name);
        let mut to = platform::create_private_file(&dest)?;
        io::copy(&mut from, &mut to)?;
        Ok(dest)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let mut live = live();
        remove(&self.path);
        live.retain(|p| p != &self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn copies_are_private_from_the_start_and_removed_when_dropped() {
        use std::os::unix::fs::PermissionsExt;
        let src = tempfile::tempdir().unwrap();
        let file = src.path().join("Cookies");
        std::fs::write(&file, b"cookie data").unwrap();
        platform::set_mode(&file, 0o644).unwrap();
        let dir = ScratchDir::new().unwrap();
        let copy = dir.copy_in(&file, "db").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(dir.path()), 0o700);
        assert_eq!(mode(&copy), 0o600);
        assert_eq!(std::fs::read(&copy).unwrap(), b"cookie data");
        let path = dir.path().to_path_buf();
        assert!(live().contains(&path));
        drop(dir);
        assert!(!path.exists());
        assert!(!live().contains(&path));
    }

    #[test]
    fn pids_are_read_from_names() {
        assert_eq!(pid_of("loginfix-copy-123-0-ff"), Some(123));
        assert_eq!(pid_of("loginfix-copy-x-0"), None);
        assert_eq!(pid_of("other-123"), None);
    }
}
