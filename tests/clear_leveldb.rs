//! `clear-site-data` on Chromium's shared LevelDBs: a dry run changes no byte; a real run
//! rebuilds each database with exactly the other sites' keys (no target bytes left in any
//! of its files), keeps Chromium's modes, and `restore` brings the old files back byte
//! for byte; a database that is not plainly bytewise and whole is refused by name with
//! nothing changed.

use std::path::{Path, PathBuf};

use loginfix::testing::leveldb::{read_db, write_db, write_db_with_comparator, Pair};

use crate::util::*;

const CHROME: &str = ".config/google-chrome/Default";

fn pair(k: impl AsRef<[u8]>, v: impl AsRef<[u8]>) -> Pair {
    (k.as_ref().to_vec(), v.as_ref().to_vec())
}

/// Local Storage keys of `sk`, with a value naming it.
fn local(sk: &str) -> Vec<Pair> {
    vec![
        pair(format!("META:{sk}"), b"\x08\x01\x10\x05"),
        pair(format!("METAACCESS:{sk}"), b"\x08\x02"),
        pair(format!("_{sk}\x00\x01token"), format!("\x01secret of {sk}")),
    ]
}

const GOES: [&str; 2] = [
    "https://chatgpt.com",
    "https://other.test/^0https://chatgpt.com",
];
const STAYS: [&str; 4] = [
    "https://notchatgpt.com",
    "https://chatgpt.com.evil.org",
    "https://cdn.oaistatic.com/^0https://example.org",
    "https://example.org",
];

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Gives a database Chromium's modes: 0700 directory, 0600 files.
fn chromium_modes(db: &Path) {
    #[cfg(unix)]
    {
        chmod(db, 0o700);
        for e in std::fs::read_dir(db).unwrap() {
            chmod(&e.unwrap().path(), 0o600);
        }
    }
    #[cfg(not(unix))]
    let _ = db;
}

/// A home whose Chrome profile has a Local Storage database; returns it and the
/// database's path and the pairs that must survive.
fn home_with_local_storage() -> (tempfile::TempDir, PathBuf, Vec<Pair>) {
    let home = synthetic_linux_home();
    let db = home.path().join(CHROME).join("Local Storage/leveldb");
    let mut all = vec![pair("VERSION", "1")];
    let mut kept = vec![pair("VERSION", "1")];
    for sk in GOES {
        all.extend(local(sk));
    }
    for sk in STAYS {
        all.extend(local(sk));
        kept.extend(local(sk));
    }
    write_db(&db, &all);
    chromium_modes(&db);
    kept.sort();
    (home, db, kept)
}

fn bytes_of_dir(db: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for e in std::fs::read_dir(db).unwrap() {
        all.extend(std::fs::read(e.unwrap().path()).unwrap());
    }
    all
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_dry_run_changes_no_byte_and_names_each_storage_key() {
    let (home, _, _) = home_with_local_storage();
    let before = snapshot(home.path());
    let run = loginfix(
        home.path(),
        "linux",
        &["clear-site-data", "--dry-run", "--json"],
    );
    run.assert_code(0);
    assert_unchanged(&before, home.path());
    let items: Vec<_> = run.json()["profiles"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["store"] == "local_storage")
        .cloned()
        .collect();
    let got: Vec<_> = items
        .iter()
        .map(|i| {
            (
                i["url"].clone(),
                i["partition"].clone(),
                i["action"].clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "https://chatgpt.com".into(),
                serde_json::Value::Null,
                "would_remove".into()
            ),
            (
                "https://other.test".into(),
                "https://chatgpt.com".into(),
                "would_remove".into()
            ),
        ]
    );
}

#[test]
fn a_real_run_keeps_exactly_the_other_sites_keys_and_restore_brings_the_files_back() {
    let (home, db, kept) = home_with_local_storage();
    let h = home.path();
    let before = snapshot(&db);
    let run = loginfix(h, "linux", &["clear-site-data", "--json"]);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["summary"]["failed"], 0, "{json:#}");
    assert_eq!(read_db(&db), kept);
    let bytes = bytes_of_dir(&db);
    for needle in [
        &b"_https://chatgpt.com\x00"[..],
        // Key then the value's length in the write batch: not the look-alike's key.
        b"META:https://chatgpt.com\x04",
        b"METAACCESS:https://chatgpt.com\x02",
        b"https://other.test/^0https://chatgpt.com",
    ] {
        // The look-alike `https://chatgpt.com.evil.org` stays: match the exact forms.
        assert!(
            !contains(&bytes, needle),
            "{:?} is still there",
            String::from_utf8_lossy(needle)
        );
    }
    // The only `secret of https://chatgpt.com…` left is the look-alike's.
    assert_eq!(
        count(&bytes, b"secret of https://chatgpt.com"),
        count(&bytes, b"secret of https://chatgpt.com.evil.org")
    );
    assert!(contains(&bytes, b"secret of https://notchatgpt.com"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&db), 0o700);
        for e in std::fs::read_dir(&db).unwrap() {
            assert_eq!(mode(&e.unwrap().path()), 0o600);
        }
    }
    let parent = db.parent().unwrap();
    let names: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["leveldb"], "nothing left beside the database");

    let again = loginfix(h, "linux", &["clear-site-data", "--json"]);
    again.assert_code(0);
    assert_eq!(again.json()["summary"]["removed"], 0);

    let id = json["backup"]["id"].as_str().unwrap().to_string();
    loginfix(h, "linux", &["restore", &id]).assert_code(0);
    // Every file of the old database is back byte for byte (with its mode); the rebuilt
    // database's own files that the old MANIFEST does not name may remain beside them,
    // obsolete to LevelDB.
    let after = snapshot(&db);
    for (rel, bytes) in &before {
        assert_eq!(after.get(rel), Some(bytes), "{} differs", rel.display());
    }
    let mut all: Vec<Pair> = Vec::new();
    for sk in GOES.iter().chain(&STAYS) {
        all.extend(local(sk));
    }
    all.push(pair("VERSION", "1"));
    all.sort();
    assert_eq!(read_db(&db), all);
}

#[test]
fn a_foreign_comparator_a_cut_log_and_a_missing_table_are_refused_by_name() {
    type Make = fn(&Path);
    let cases: [(&str, Make); 3] = [
        ("idb_cmp1", |db| {
            write_db_with_comparator(db, "idb_cmp1", &local("https://chatgpt.com"))
        }),
        (".log", |db| {
            write_db(db, &local("https://chatgpt.com"));
            let log = std::fs::read_dir(db)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.extension().is_some_and(|e| e == "log"))
                .unwrap();
            let bytes = std::fs::read(&log).unwrap();
            std::fs::write(&log, &bytes[..bytes.len() - 20]).unwrap();
        }),
        (".ldb", |db| {
            loginfix::testing::leveldb::write_db_flushed(db, &local("https://chatgpt.com"));
            let table = std::fs::read_dir(db)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|p| p.extension().is_some_and(|e| e == "ldb"))
                .unwrap();
            std::fs::remove_file(table).unwrap();
        }),
    ];
    for (named, make) in cases {
        let home = synthetic_linux_home();
        let db = home.path().join(CHROME).join("Local Storage/leveldb");
        make(&db);
        let before = snapshot(home.path());
        let run = loginfix(home.path(), "linux", &["clear-site-data", "--json"]);
        assert_unchanged(&before, home.path());
        let text = run.stdout.clone() + &run.stderr;
        assert!(
            text.contains(named) && text.contains("Local Storage/leveldb"),
            "{named}: {text}"
        );
        assert_ne!(run.code, 0, "{named}: {text}");
    }
}
