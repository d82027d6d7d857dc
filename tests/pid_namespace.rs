//! A Chromium running in another PID namespace (flatpak, bubblewrap, a container sharing
//! the home) writes a `SingletonLock` whose pid means nothing on the host. loginfix must
//! still see it running, through what the browser itself holds: its `SingletonSocket`
//! accepts connections, its LevelDB `LOCK` files are `fcntl`-locked.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

type Snapshot = BTreeMap<PathBuf, Vec<u8>>;

use crate::util::*;

/// A Linux home with Chromium cookies of the targets and a `SingletonLock` naming this
/// host and a pid that does not exist here.
fn home_with_foreign_pid_lock() -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let udd = home.path().join(".config/chromium");
    chromium_cookies(&udd.join("Default/Cookies"), &chromium_mix());
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    let host = hostname();
    std::os::unix::fs::symlink(format!("{host}-{dead}"), udd.join("SingletonLock")).unwrap();
    (home, udd)
}

/// `before` is taken by the caller before it takes any lock: reading a locked file and
/// closing it would release the test's own fcntl locks.
fn assert_skipped_by(home: &Path, udd: &Path, before: &Snapshot, probe: &str) {
    let run = loginfix(
        home,
        "linux",
        &["clear-cookies", "--browser", "chromium", "--json"],
    );
    run.assert_code(3);
    assert_unchanged(before, udd);
    let json = run.json();
    let p = &json["profiles"][0];
    assert_eq!(p["status"], "skipped_running", "{p:#}");
    assert_eq!(p["lock"]["state"], "running", "{p:#}");
    assert_eq!(p["lock"]["probe"], probe, "{p:#}");
}

#[test]
fn a_chromium_whose_singleton_socket_answers_is_running_whatever_its_pid() {
    let (home, udd) = home_with_foreign_pid_lock();
    let sockets = tempfile::tempdir().unwrap();
    let socket = sockets.path().join("SingletonSocket");
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    std::os::unix::fs::symlink(&socket, udd.join("SingletonSocket")).unwrap();
    let before = snapshot(&udd);
    assert_skipped_by(home.path(), &udd, &before, "singleton_socket");
    drop(listener);
}

#[test]
fn a_chromium_holding_its_leveldb_locks_is_running_whatever_its_pid() {
    let (home, udd) = home_with_foreign_pid_lock();
    let lock = udd.join("Default/Local Storage/leveldb/LOCK");
    write(&lock, "");
    let before = snapshot(&udd);
    // Held the way LevelDB holds it: an fcntl write lock over the whole file, by another
    // process (the test itself is another process than loginfix).
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&lock)
        .unwrap();
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock is plain data; the fd is open for the call.
    let rc = unsafe {
        let mut fl: libc::flock = std::mem::zeroed();
        fl.l_type = libc::F_WRLCK as _;
        fl.l_whence = libc::SEEK_SET as _;
        libc::fcntl(file.as_raw_fd(), libc::F_SETLK, &fl)
    };
    assert_eq!(rc, 0);
    assert_skipped_by(home.path(), &udd, &before, "leveldb_lock");
    drop(file);
}

#[test]
fn a_stale_lock_with_nothing_held_does_not_block() {
    let (home, udd) = home_with_foreign_pid_lock();
    // A socket nobody listens on, and a LOCK nobody holds: what a crash leaves.
    std::os::unix::fs::symlink("/nonexistent/SingletonSocket", udd.join("SingletonSocket"))
        .unwrap();
    write(&udd.join("Default/LOCK"), "");
    let run = loginfix(
        home.path(),
        "linux",
        &["clear-cookies", "--browser", "chromium", "--json"],
    );
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["profiles"][0]["status"], "done");
    assert_eq!(json["profiles"][0]["lock"]["state"], "stale");
    assert_eq!(
        rows(&udd.join("Default/Cookies")),
        survivors(&chromium_mix())
    );
}

/// Run as root over a home another user owns, a `SingletonSocket` link that names a
/// socket of someone else (root's own service, here) is not connected to: only the data
/// directory's owner's socket can be that user's browser.
#[test]
fn a_singleton_socket_of_another_owner_is_not_connected_to() {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        // Two owners need root; CI runs as root, so there it must run.
        assert!(std::env::var_os("CI").is_none(), "needs root in CI");
        return;
    }
    let (home, udd) = home_with_foreign_pid_lock();
    let sockets = tempfile::tempdir().unwrap();
    let socket = sockets.path().join("service.sock");
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    listener.set_nonblocking(true).unwrap();
    std::os::unix::fs::symlink(&socket, udd.join("SingletonSocket")).unwrap();
    let status = std::process::Command::new("chown")
        .args(["-hR", "65534:65534"])
        .arg(home.path())
        .status()
        .unwrap();
    assert!(status.success());
    let run = loginfix(
        home.path(),
        "linux",
        &[
            "clear-cookies",
            "--browser",
            "chromium",
            "--dry-run",
            "--json",
        ],
    );
    let json = run.json();
    assert_ne!(
        json["profiles"][0]["lock"]["probe"], "singleton_socket",
        "{json:#}"
    );
    // Nobody knocked.
    assert!(listener.accept().is_err());
}
