//! Run as root on another user's home, every file loginfix writes keeps (or gets) that
//! user's owner, group and mode: rewritten stores, SQLite's sidecar files, and backups.

#![cfg(unix)]

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use crate::util::*;

const UID: u32 = 65534;
const GID: u32 = 65534;

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

fn chown_tree(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        std::os::unix::fs::lchown(entry.path(), Some(UID), Some(GID)).unwrap();
    }
}

#[test]
fn files_written_as_root_stay_the_users() {
    if !is_root() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs as root; this test must run there"
        );
        eprintln!("skipped: needs root to hand files to another user");
        return;
    }
    let home = sample_home("linux");
    let h = home.path();
    chown_tree(h);
    let session = h.join(".mozilla/firefox/abcd1234.default-release/sessionstore.jsonlz4");
    std::fs::set_permissions(&session, std::fs::Permissions::from_mode(0o640)).unwrap();
    let run = loginfix(h, "linux", &["clear-cookies"]);
    run.assert_code(0);
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(h) {
        let entry = entry.unwrap();
        let meta = entry.path().symlink_metadata().unwrap();
        assert_eq!(
            (meta.uid(), meta.gid()),
            (UID, GID),
            "{} is not the user's",
            entry.path().display()
        );
        checked += 1;
    }
    assert!(checked > 50);
    assert_eq!(
        std::fs::metadata(&session).unwrap().permissions().mode() & 0o777,
        0o640
    );
    // The backups went into the user's own data directory, private.
    let root = h.join(".local/share/loginfix/backups");
    let set = std::fs::read_dir(&root)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert_eq!(
        std::fs::metadata(&set).unwrap().permissions().mode() & 0o777,
        0o700
    );
}
