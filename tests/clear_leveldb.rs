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

const SID: &str = "614035b1_dc53_46a5_aff8_1f571a1c506f";

/// The simple-cache stem of a script's resource id (Chromium's own name).
fn stem(res: &str) -> String {
    loginfix::stores::chromium::service_worker::script_stem(res)
}

/// Session Storage, the service-worker database with its script cache, and the file
/// system's origins database with its directories; returns the home, the three
/// databases with the pairs that must survive, and the files/dirs that go and stay.
#[allow(clippy::type_complexity)]
fn home_with_the_other_databases() -> (
    tempfile::TempDir,
    Vec<(PathBuf, Vec<Pair>)>,
    Vec<PathBuf>,
    Vec<PathBuf>,
) {
    let home = synthetic_linux_home();
    let p = home.path().join(CHROME);
    let (mut gone, mut stays) = (Vec::new(), Vec::new());
    let sites = [
        (1u32, "https://chatgpt.com/", true),
        (2, "https://other.test/^0https://chatgpt.com", true),
        (3, "https://notchatgpt.com/", false),
        (4, "https://chatgpt.com.evil.org/", false),
        (5, "https://cdn.oaistatic.com/^0https://example.org", false),
        (10, "https://example.org/", false),
    ];
    // Session Storage.
    let ss = p.join("Session Storage");
    let mut all = vec![pair("version", "1"), pair("next-map-id", "11")];
    let mut kept = all.clone();
    for (n, sk, goes) in sites {
        let mine = [
            pair(format!("namespace-{SID}-{sk}"), n.to_string()),
            pair(format!("map-{n}-token"), format!("session secret of {sk}")),
        ];
        all.extend(mine.clone());
        if !goes {
            kept.extend(mine);
        }
    }
    write_db(&ss, &all);
    chromium_modes(&ss);
    kept.sort();
    let mut dbs = vec![(ss, kept)];
    // Service worker registrations and their scripts.
    let sw = p.join("Service Worker/Database");
    let sc = p.join("Service Worker/ScriptCache");
    let mut all = vec![pair("INITDATA_NEXT_REGISTRATION_ID", "11")];
    let mut kept = all.clone();
    for (n, sk, goes) in sites {
        let version = n + 100;
        let res = n + 200;
        let value = [
            vec![0x08, n as u8, 0x12, 1, b'/', 0x20],
            vec![version as u8],
        ]
        .concat();
        let mine = [
            pair(
                [b"REG:", sk.as_bytes(), b"\x00", n.to_string().as_bytes()].concat(),
                value,
            ),
            pair(format!("REGID_TO_ORIGIN:{n}"), sk),
            pair(format!("RES:{version}\x00{res}"), format!("script of {sk}")),
            pair(format!("REG_USER_DATA:{n}\x00k"), "d"),
            pair(format!("REG_HAS_USER_DATA:k\x00{n}"), ""),
            pair(format!("INITDATA_UNIQUE_ORIGIN:{sk}"), ""),
        ];
        all.extend(mine.clone());
        for s in ["_0", "_s"] {
            let f = sc.join(format!("{}{s}", stem(&res.to_string())));
            write(&f, format!("cached script of {sk}"));
            if goes { &mut gone } else { &mut stays }.push(f);
        }
        if !goes {
            kept.extend(mine);
        }
    }
    write(&sc.join("index"), vec![0u8; 24]);
    stays.push(sc.join("index"));
    write_db(&sw, &all);
    chromium_modes(&sw);
    kept.sort();
    dbs.push((sw, kept));
    // File System/Origins and the origins' directories.
    let fs = p.join("File System");
    let mut all = vec![pair("LAST_PATH", "5")];
    let mut kept = all.clone();
    for (n, id, goes) in [
        ("000", "https_chatgpt.com_0", true),
        ("001", "https_notchatgpt.com_0", false),
        ("002", "https_chatgpt.com.evil.org_0", false),
        ("003", "https_auth.openai.com_0", true),
    ] {
        let mine = pair(format!("ORIGIN:{id}"), n);
        all.push(mine.clone());
        write(&fs.join(n).join("t/00/00000001"), format!("opfs of {id}"));
        if goes {
            gone.push(fs.join(n));
        } else {
            kept.push(mine);
            stays.push(fs.join(n));
        }
    }
    write_db(&fs.join("Origins"), &all);
    chromium_modes(&fs.join("Origins"));
    kept.sort();
    dbs.push((fs.join("Origins"), kept));
    (home, dbs, gone, stays)
}

#[test]
fn session_storage_service_workers_and_file_systems_keep_exactly_the_other_sites() {
    let (home, dbs, gone, stays) = home_with_the_other_databases();
    let h = home.path();
    let profile_before = snapshot(&h.join(CHROME));
    let dry = loginfix(h, "linux", &["clear-site-data", "-n", "--json"]);
    dry.assert_code(0);
    assert_unchanged(&profile_before, &h.join(CHROME));
    let items = dry.json()["profiles"][0]["items"].clone();
    let count = |store: &str| {
        items
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["store"] == store)
            .count()
    };
    assert_eq!(
        (
            count("session_storage"),
            count("service_worker"),
            count("file_system")
        ),
        (2, 2, 2),
        "{items:#}"
    );

    let stays_before: Vec<_> = stays.iter().map(|f| snapshot(f)).collect();
    let run = loginfix(h, "linux", &["clear-site-data", "--json"]);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["summary"]["failed"], 0, "{json:#}");
    for (db, kept) in &dbs {
        assert_eq!(&read_db(db), kept, "{}", db.display());
        let bytes = bytes_of_dir(db);
        for needle in [
            &b"https://chatgpt.com/\x00"[..],
            b"secret of https://chatgpt.com/",
            b"script of https://chatgpt.com/",
            b"REG:https://chatgpt.com/",
            b"https://other.test/^0https://chatgpt.com",
            b"https_chatgpt.com_0",
            b"https_auth.openai.com_0",
        ] {
            assert!(
                !contains(&bytes, needle),
                "{:?} is still in {}",
                String::from_utf8_lossy(needle),
                db.display()
            );
        }
    }
    for f in &gone {
        assert!(!f.exists(), "{} is still there", f.display());
    }
    for (f, snap) in stays.iter().zip(&stays_before) {
        assert_unchanged(snap, f);
    }

    let id = json["backup"]["id"].as_str().unwrap().to_string();
    loginfix(h, "linux", &["restore", &id]).assert_code(0);
    let after = snapshot(&h.join(CHROME));
    for (rel, bytes) in &profile_before {
        assert_eq!(after.get(rel), Some(bytes), "{} differs", rel.display());
    }
}

#[test]
fn a_session_map_shared_with_another_site_is_refused_with_nothing_changed() {
    let home = synthetic_linux_home();
    let ss = home.path().join(CHROME).join("Session Storage");
    write_db(
        &ss,
        &[
            pair(format!("namespace-{SID}-https://chatgpt.com/"), "1"),
            pair(format!("namespace-{SID}-https://example.org/"), "1"),
            pair("map-1-token", "shared"),
        ],
    );
    let before = snapshot(home.path());
    let run = loginfix(home.path(), "linux", &["clear-site-data"]);
    assert_ne!(run.code, 0);
    assert_unchanged(&before, home.path());
    let text = run.stdout + &run.stderr;
    assert!(
        text.contains("shared") && text.contains("Session Storage"),
        "{text}"
    );
}

#[test]
fn a_left_over_rebuild_is_refused_with_nothing_changed() {
    let (home, db, _) = home_with_local_storage();
    let tmp = db.with_file_name("leveldb__tmp_for_rebuild");
    write(&tmp.join("CURRENT"), "MANIFEST-000001\n");
    let before = snapshot(home.path());
    let run = loginfix(home.path(), "linux", &["clear-site-data"]);
    assert_ne!(run.code, 0);
    assert_unchanged(&before, home.path());
    let text = run.stdout + &run.stderr;
    assert!(
        text.contains("leveldb__tmp_for_rebuild") && text.contains("interrupted"),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn the_rebuilt_database_keeps_the_users_owner_when_run_as_root() {
    use std::os::unix::fs::MetadataExt;
    let root = std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
    });
    if !root {
        eprintln!("skipped: needs root to hand files to another user");
        return;
    }
    let (home, db, kept) = home_with_local_storage();
    for entry in walkdir::WalkDir::new(home.path()) {
        std::os::unix::fs::lchown(entry.unwrap().path(), Some(65534), Some(65534)).unwrap();
    }
    loginfix(home.path(), "linux", &["clear-site-data"]).assert_code(0);
    assert_eq!(read_db(&db), kept);
    for entry in walkdir::WalkDir::new(&db) {
        let entry = entry.unwrap();
        let meta = entry.path().symlink_metadata().unwrap();
        assert_eq!(
            (meta.uid(), meta.gid()),
            (65534, 65534),
            "{}",
            entry.path().display()
        );
    }
}
