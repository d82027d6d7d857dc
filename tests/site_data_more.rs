//! `clear-site-data` on the shared site-data stores: Chromium's storage buckets
//! (`WebStorage/<id>` with their `QuotaManager` rows), Firefox's `serviceworker.txt`,
//! legacy localStorage and the sessionStorage of session files, Safari's WebsiteData.
//! Each: a dry run changes no byte, a real run removes exactly the targets' data, and
//! `restore` brings it back.

use std::path::{Path, PathBuf};

use crate::util::*;
use loginfix::testing;

const CHROME: &str = ".config/google-chrome/Default";

/// (id, storage key, host, name, has a directory, goes).
const BUCKETS: [(i64, &str, &str, &str, bool, bool); 7] = [
    (
        1,
        "https://chatgpt.com/",
        "chatgpt.com",
        "_default",
        false,
        true,
    ),
    (
        2,
        "https://chatgpt.com/",
        "chatgpt.com",
        "drafts",
        true,
        true,
    ),
    (
        3,
        "https://other.test/^0https://chatgpt.com",
        "other.test",
        "_default",
        true,
        true,
    ),
    (
        4,
        "https://chatgpt.com/^0https://other.test",
        "chatgpt.com",
        "_default",
        true,
        true,
    ),
    (
        5,
        "https://cdn.oaistatic.com/^0https://example.org",
        "cdn.oaistatic.com",
        "_default",
        true,
        false,
    ),
    (
        6,
        "https://notchatgpt.com/",
        "notchatgpt.com",
        "b",
        true,
        false,
    ),
    (
        7,
        "https://chatgpt.com.evil.org/",
        "chatgpt.com.evil.org",
        "b",
        true,
        false,
    ),
];

fn bucket_ids(qm: &Path) -> Vec<i64> {
    let conn = rusqlite::Connection::open(qm).unwrap();
    let mut stmt = conn.prepare("SELECT id FROM buckets ORDER BY id").unwrap();
    let ids = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<i64>, _>>()
        .unwrap();
    ids
}

fn home_with_buckets() -> (tempfile::TempDir, PathBuf) {
    let home = synthetic_linux_home();
    let ws = home.path().join(CHROME).join("WebStorage");
    std::fs::create_dir_all(&ws).unwrap();
    let rows: Vec<_> = BUCKETS.iter().map(|b| (b.0, b.1, b.2, b.3)).collect();
    testing::quota::quota_manager(&ws.join("QuotaManager"), &rows).unwrap();
    write(&ws.join("QuotaManager-journal"), b"");
    for (id, key, _, _, has_dir, _) in BUCKETS {
        if has_dir {
            write(
                &ws.join(format!("{id}/IndexedDB/indexeddb.leveldb/000003.log")),
                format!("values of {key}"),
            );
            write(
                &ws.join(format!("{id}/FileSystem/t/00/00000001")),
                vec![9u8; 64],
            );
        }
    }
    (home, ws)
}

#[test]
fn buckets_go_with_their_rows_and_come_back_on_restore() {
    let (home, ws) = home_with_buckets();
    let h = home.path();
    let before = snapshot(h);
    let kept_before: Vec<_> = [5, 6, 7]
        .map(|id| (id, snapshot(&ws.join(id.to_string()))))
        .into();

    let dry = loginfix(h, "linux", &["clear-site-data", "--dry-run", "--json"]);
    dry.assert_code(0);
    assert_unchanged(&before, h);
    let json = dry.json();
    let buckets: Vec<_> = json["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["items"].as_array().unwrap().clone())
        .filter(|i| i["store"] == "bucket")
        .collect();
    assert_eq!(buckets.len(), 4, "{buckets:#?}");
    assert!(buckets
        .iter()
        .any(|i| i["url"] == "https://other.test" && i["partition"] == "https://chatgpt.com"));
    assert!(buckets
        .iter()
        .any(|i| i["url"] == "https://chatgpt.com" && i["partition"] == "https://other.test"));

    let run = loginfix(
        h,
        "linux",
        &["clear-site-data", "--browser", "chrome", "--json"],
    );
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["summary"]["failed"], 0);
    assert_eq!(bucket_ids(&ws.join("QuotaManager")), [5, 6, 7]);
    for (id, _, _, _, has_dir, goes) in BUCKETS {
        if has_dir {
            assert_eq!(ws.join(id.to_string()).exists(), !goes, "bucket {id}");
        }
    }
    assert!(ws.join("QuotaManager-journal").exists());
    for (id, snap) in &kept_before {
        assert_unchanged(snap, &ws.join(id.to_string()));
    }
    let again = loginfix(
        h,
        "linux",
        &["clear-site-data", "--browser", "chrome", "--json"],
    );
    again.assert_code(0);
    assert_eq!(again.json()["summary"]["removed"], 0);

    let id = json["backup"]["id"].as_str().unwrap().to_string();
    let restore = loginfix(h, "linux", &["restore", &id]);
    restore.assert_code(0);
    assert_eq!(bucket_ids(&ws.join("QuotaManager")), [1, 2, 3, 4, 5, 6, 7]);
    let after = snapshot(&h.join(CHROME));
    let chrome_before: Vec<_> = before
        .iter()
        .filter(|(p, _)| p.starts_with(CHROME))
        .collect();
    // The database comes back through SQLite's backup API (same rows, checked above),
    // the bucket directories byte for byte.
    for (path, bytes) in chrome_before {
        let rel = path.strip_prefix(CHROME).unwrap();
        if rel.starts_with("WebStorage/QuotaManager") {
            continue;
        }
        assert!(after.get(rel) == Some(bytes), "{} differs", path.display());
    }
}

/// A bucket whose directory cannot be removed keeps its row; the others go.
#[cfg(unix)]
#[test]
fn a_bucket_that_cannot_be_removed_keeps_its_row() {
    let (home, ws) = home_with_buckets();
    let h = home.path();
    let outside = tempfile::tempdir().unwrap();
    write(&outside.path().join("precious"), "someone else's");
    std::os::unix::fs::symlink(outside.path(), ws.join("3/IndexedDB/link")).unwrap();
    let run = loginfix(
        h,
        "linux",
        &["clear-site-data", "--browser", "chrome", "--json"],
    );
    run.assert_code(1);
    assert_eq!(bucket_ids(&ws.join("QuotaManager")), [3, 5, 6, 7]);
    assert!(ws.join("3/IndexedDB/indexeddb.leveldb/000003.log").exists());
    assert!(!ws.join("2").exists());
    assert!(outside.path().join("precious").exists());
}

const FIREFOX: &str = ".mozilla/firefox/abcd1234.default-release";

/// (suffix, scope, goes).
const REGISTRATIONS: [(&str, &str, bool); 7] = [
    ("", "https://chatgpt.com/", true),
    ("^userContextId=2", "https://auth.openai.com/app/", true),
    (
        "^partitionKey=%28https%2Cchatgpt.com%29",
        "https://other.test/",
        true,
    ),
    (
        "^partitionKey=%28https%2Cexample.org%29",
        "https://cdn.oaistatic.com/",
        false,
    ),
    ("", "https://notchatgpt.com/", false),
    ("", "https://chatgpt.com.evil.org/", false),
    ("", "https://other.test/", false),
];

fn service_workers(keep_only: bool) -> String {
    let mut s = "12\n".to_string();
    for (i, (suffix, scope, goes)) in REGISTRATIONS.iter().enumerate() {
        if keep_only && *goes {
            continue;
        }
        let expandos: &[(&str, &str)] = if i % 2 == 0 { &[("key", "#")] } else { &[] };
        s.push_str(&testing::firefox::service_worker_record(
            suffix, scope, expandos,
        ));
    }
    s
}

#[test]
fn service_worker_registrations_of_the_targets_are_cut_out() {
    let home = synthetic_linux_home();
    let h = home.path();
    let file = h.join(FIREFOX).join("serviceworker.txt");
    write(&file, service_workers(false));
    let before = snapshot(h);

    let dry = loginfix(
        h,
        "linux",
        &["clear-site-data", "--browser", "firefox", "-n", "--json"],
    );
    dry.assert_code(0);
    assert_unchanged(&before, h);
    let items: Vec<_> = dry.json()["profiles"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["store"] == "service_worker")
        .cloned()
        .collect();
    assert_eq!(items.len(), 3, "{items:#?}");
    assert!(items
        .iter()
        .any(|i| i["url"] == "https://other.test/" && i["partition"] == "https://chatgpt.com"));

    let run = loginfix(
        h,
        "linux",
        &["clear-site-data", "--browser", "firefox", "--json"],
    );
    run.assert_code(0);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        service_workers(true)
    );
    let id = run.json()["backup"]["id"].as_str().unwrap().to_string();
    loginfix(h, "linux", &["restore", &id]).assert_code(0);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        service_workers(false)
    );
}

#[test]
fn a_damaged_service_worker_file_is_refused_and_left_as_it_is() {
    let home = synthetic_linux_home();
    let h = home.path();
    let file = h.join(FIREFOX).join("serviceworker.txt");
    let good = service_workers(false);
    write(&file, &good[..good.len() - 2]);
    let before = snapshot(h);
    let run = loginfix(
        h,
        "linux",
        &["clear-site-data", "--browser", "firefox", "--json"],
    );
    run.assert_code(1);
    let json = run.json();
    let err = json["profiles"][0]["errors"][0]["error"].as_str().unwrap();
    assert!(
        err.contains("serviceworker.txt") && err.contains("not a Firefox service-worker"),
        "{err}"
    );
    assert_unchanged(&before, h);
}

/// (originAttributes, originKey, goes).
const LEGACY_ROWS: [(&str, &str, bool); 6] = [
    ("", "moc.tpgtahc.:https:443", true),
    ("", "moc.ianepo.htua.:https:443", true),
    (
        "^partitionKey=%28https%2Cchatgpt.com%29",
        "tset.rehto.:https:443",
        true,
    ),
    (
        "^partitionKey=%28https%2Cexample.org%29",
        "moc.citatsiao.ndc.:https:443",
        false,
    ),
    ("", "moc.tpgtahcton.:https:443", false),
    ("", "gro.live.moc.tpgtahc.:https:443", false),
];

fn legacy_origin_keys(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT originKey FROM webappsstore2 ORDER BY rowid")
        .unwrap();
    let keys = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<String>, _>>()
        .unwrap();
    keys
}

#[test]
fn legacy_local_storage_rows_of_the_targets_go_in_both_databases() {
    let home = synthetic_linux_home();
    let h = home.path();
    let ff = h.join(FIREFOX);
    std::fs::create_dir_all(ff.join("storage")).unwrap();
    let rows: Vec<_> = LEGACY_ROWS
        .iter()
        .map(|(a, k, _)| (*a, *k, "token", "lfxsecret"))
        .collect();
    let dbs = [
        ff.join("webappsstore.sqlite"),
        ff.join("storage/ls-archive.sqlite"),
    ];
    for db in &dbs {
        testing::quota::webappsstore(db, &rows).unwrap();
    }
    let before = snapshot(h);
    let dry = loginfix(
        h,
        "linux",
        &["clear-site-data", "--browser", "firefox", "-n", "--json"],
    );
    dry.assert_code(0);
    assert_unchanged(&before, h);
    let n = dry.json()["profiles"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["store"] == "local_storage")
        .count();
    assert_eq!(n, 6);

    let run = loginfix(
        h,
        "linux",
        &["clear-site-data", "--browser", "firefox", "--json"],
    );
    run.assert_code(0);
    let kept: Vec<String> = LEGACY_ROWS
        .iter()
        .filter(|r| !r.2)
        .map(|r| r.1.to_string())
        .collect();
    for db in &dbs {
        assert_eq!(legacy_origin_keys(db), kept, "{}", db.display());
    }
    let id = run.json()["backup"]["id"].as_str().unwrap().to_string();
    loginfix(h, "linux", &["restore", &id]).assert_code(0);
    let all: Vec<String> = LEGACY_ROWS.iter().map(|r| r.1.to_string()).collect();
    for db in &dbs {
        assert_eq!(legacy_origin_keys(db), all, "{}", db.display());
    }
}

const SESSION: &str = concat!(
    r#"{"version":["sessionrestore",1],"windows":[{"tabs":[{"entries":[],"storage":{"#,
    r#""https://chatgpt.com":{"lfx":"lfxsecret_1"},"https://example.org":{"k":"v"},"#,
    r#""https://other.test^partitionKey=%28https%2Cchatgpt.com%29":{"k":"lfxsecret_2"},"#,
    r#""https://cdn.oaistatic.com^partitionKey=%28https%2Cexample.org%29":{"k":"v"},"#,
    r#""https://notchatgpt.com":{"k":"v"},"https://chatgpt.com.evil.org":{"k":"v"}}}],"#,
    r#""_closedTabs":[{"state":{"storage":{"https://auth.openai.com":{"k":"lfxsecret_3"}}}}]}],"#,
    r#""cookies":[{"host":".chatgpt.com","name":"a","value":"lfxcookie","path":"/"},"#,
    r#"{"host":"example.org","name":"b","value":"v","path":"/"}]}"#
);

fn session_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    String::from_utf8(loginfix::stores::firefox::mozlz4::decode(&bytes).unwrap()).unwrap()
}

#[test]
fn session_storage_goes_with_site_data_and_cookies_with_clear_cookies() {
    let home = synthetic_linux_home();
    let h = home.path();
    let ff = h.join(FIREFOX);
    let files = [
        ff.join("sessionstore.jsonlz4"),
        ff.join("sessionstore-backups/recovery.jsonlz4"),
    ];
    for f in &files {
        write(
            f,
            loginfix::stores::firefox::mozlz4::encode(SESSION.as_bytes()),
        );
    }
    let before = snapshot(h);
    let dry = loginfix(
        h,
        "linux",
        &["clear-site-data", "--browser", "firefox", "-n", "--json"],
    );
    dry.assert_code(0);
    assert_unchanged(&before, h);
    let items: Vec<_> = dry.json()["profiles"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["store"] == "session_storage")
        .cloned()
        .collect();
    assert_eq!(items.len(), 6, "{items:#?}");

    let run = loginfix(
        h,
        "linux",
        &["clear-site-data", "--browser", "firefox", "--json"],
    );
    run.assert_code(0);
    let want = SESSION
        .replace(r#""https://chatgpt.com":{"lfx":"lfxsecret_1"},"#, "")
        .replace(
            r#""https://other.test^partitionKey=%28https%2Cchatgpt.com%29":{"k":"lfxsecret_2"},"#,
            "",
        )
        .replace(r#""https://auth.openai.com":{"k":"lfxsecret_3"}"#, "");
    for f in &files {
        let text = session_text(f);
        assert_eq!(text, want, "{}", f.display());
        assert!(text.contains("lfxcookie"));
    }
    let id = run.json()["backup"]["id"].as_str().unwrap().to_string();

    // clear-cookies takes the cookie and leaves the sessionStorage that is left.
    let cookies = loginfix(
        h,
        "linux",
        &["clear-cookies", "--browser", "firefox", "--json"],
    );
    cookies.assert_code(0);
    for f in &files {
        let text = session_text(f);
        assert!(!text.contains("lfxcookie"));
        assert!(text.contains(r#""https://example.org":{"k":"v"}"#));
    }

    let restore = loginfix(h, "linux", &["restore", &id]);
    restore.assert_code(0);
    for f in &files {
        assert_eq!(session_text(f), SESSION, "{}", f.display());
    }
}

#[test]
fn clear_cookies_leaves_session_storage_alone() {
    let home = synthetic_linux_home();
    let h = home.path();
    let f = h.join(FIREFOX).join("sessionstore.jsonlz4");
    write(
        &f,
        loginfix::stores::firefox::mozlz4::encode(SESSION.as_bytes()),
    );
    loginfix(h, "linux", &["clear-cookies", "--browser", "firefox"]).assert_code(0);
    let text = session_text(&f);
    assert!(!text.contains("lfxcookie"));
    for secret in ["lfxsecret_1", "lfxsecret_2", "lfxsecret_3"] {
        assert!(text.contains(secret), "{secret}");
    }
}

const SAFARI: &str = "Library/Containers/com.apple.Safari/Data/Library";

/// (top dir, client dir, top origin, client origin, goes).
const WEBKIT: [(&str, &str, &str, &str, bool); 7] = [
    (
        "T1",
        "T1",
        "https://chatgpt.com",
        "https://chatgpt.com",
        true,
    ),
    (
        "T1",
        "C1",
        "https://chatgpt.com",
        "https://other.test",
        true,
    ),
    (
        "T2",
        "T2",
        "https://other.test",
        "https://other.test",
        false,
    ),
    (
        "T2",
        "C2",
        "https://other.test",
        "https://auth.openai.com",
        true,
    ),
    (
        "T3",
        "T3",
        "https://example.org",
        "https://example.org",
        false,
    ),
    (
        "T3",
        "C3",
        "https://example.org",
        "https://cdn.oaistatic.com",
        false,
    ),
    (
        "T4",
        "T4",
        "https://notchatgpt.com",
        "https://notchatgpt.com",
        false,
    ),
];

#[test]
fn safari_website_data_of_the_targets_goes_and_comes_back() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let lib = h.join(SAFARI);
    std::fs::create_dir_all(lib.join("Safari")).unwrap();
    let root = lib.join("WebKit/WebsiteData/Default");
    write(&root.join("salt"), [7u8; 8]);
    for (t, c, top, client, _) in WEBKIT {
        let dir = root.join(t).join(c);
        write(
            &dir.join("origin"),
            testing::webkit_origin::origin_file(top, client),
        );
        write(
            &dir.join("LocalStorage/localstorage.sqlite3"),
            format!("values of {client} under {top}"),
        );
    }
    let before = snapshot(h);
    let dry = loginfix(h, "macos", &["clear-site-data", "-n", "--json"]);
    dry.assert_code(0);
    assert_unchanged(&before, h);
    let items: Vec<_> = dry.json()["profiles"][0]["items"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(items.len(), 2, "{items:#?}");
    assert!(items.iter().all(|i| i["store"] == "website_data"));

    let run = loginfix(h, "macos", &["clear-site-data", "--json"]);
    run.assert_code(0);
    assert!(!root.join("T1").exists());
    assert!(!root.join("T2/C2").exists());
    for (t, c, _, _, goes) in WEBKIT {
        assert_eq!(root.join(t).join(c).exists(), !goes, "{t}/{c}");
    }
    assert!(root.join("salt").exists());
    let id = run.json()["backup"]["id"].as_str().unwrap().to_string();
    loginfix(h, "macos", &["restore", &id]).assert_code(0);
    let after = snapshot(h);
    for (path, bytes) in &before {
        assert!(after.get(path) == Some(bytes), "{} differs", path.display());
    }
}

#[test]
fn safari_legacy_local_storage_files_of_the_targets_go_and_come_back() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let lib = h.join(SAFARI);
    std::fs::create_dir_all(lib.join("Safari")).unwrap();
    let dirs = [
        lib.join("WebKit/WebsiteData/LocalStorage"),
        h.join("Library/Safari/LocalStorage"),
    ];
    let names = [
        ("https_chatgpt.com_0.localstorage", true),
        ("https_chatgpt.com_0.localstorage-wal", true),
        ("https_auth.openai.com_0.localstorage", true),
        ("https_notchatgpt.com_0.localstorage", false),
        ("https_chatgpt.com.evil.org_0.localstorage", false),
        ("https_cdn.oaistatic.com_0.localstorage", false),
        ("StorageTracker.db", false),
    ];
    for dir in &dirs {
        for (name, _) in names {
            write(&dir.join(name), format!("SQLite format 3\0 {name}"));
        }
    }
    let before = snapshot(h);
    let dry = loginfix(h, "macos", &["clear-site-data", "-n", "--json"]);
    dry.assert_code(0);
    assert_unchanged(&before, h);
    let n = dry.json()["profiles"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["store"] == "local_storage")
        .count();
    assert_eq!(n, 4);

    let run = loginfix(h, "macos", &["clear-site-data", "--json"]);
    run.assert_code(0);
    for dir in &dirs {
        for (name, goes) in names {
            assert_eq!(
                dir.join(name).exists(),
                !goes,
                "{}",
                dir.join(name).display()
            );
        }
    }
    let id = run.json()["backup"]["id"].as_str().unwrap().to_string();
    loginfix(h, "macos", &["restore", &id]).assert_code(0);
    let after = snapshot(h);
    for (path, bytes) in &before {
        assert!(after.get(path) == Some(bytes), "{} differs", path.display());
    }
}

/// (storage key, goes) of the SQLite DOM-storage maps.
const DOM_MAPS: [(&str, bool); 6] = [
    ("https://chatgpt.com/", true),
    ("https://other.test/^0https://chatgpt.com", true),
    ("https://chatgpt.com/^0https://other.test", true),
    ("https://cdn.oaistatic.com/^0https://example.org", false),
    ("https://notchatgpt.com/", false),
    ("https://chatgpt.com.evil.org/", false),
];

/// (map storage key, number of entries) of every map, in row order.
fn dom_maps(path: &Path) -> Vec<(String, i64)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT CAST(storage_key AS TEXT), (SELECT count(*) FROM map_entries WHERE map_id = row_id)
             FROM maps ORDER BY row_id",
        )
        .unwrap();
    let maps = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<Vec<(String, i64)>, _>>()
        .unwrap();
    let orphans: i64 = conn
        .query_row(
            "SELECT count(*) FROM map_entries WHERE map_id NOT IN (SELECT row_id FROM maps)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0, "{}", path.display());
    maps
}

#[test]
fn chromium_sqlite_dom_storage_maps_of_the_targets_go_with_their_entries() {
    let home = synthetic_linux_home();
    let h = home.path();
    let profile = h.join(CHROME);
    std::fs::create_dir_all(&profile).unwrap();
    let keys: Vec<_> = DOM_MAPS.iter().map(|m| m.0).collect();
    let dbs = [profile.join("LocalStorage"), profile.join("SessionStorage")];
    for db in &dbs {
        testing::quota::dom_storage_sqlite(db, &keys).unwrap();
    }
    let before = snapshot(h);
    let dry = loginfix(
        h,
        "linux",
        &["clear-site-data", "--browser", "chrome", "-n", "--json"],
    );
    dry.assert_code(0);
    assert_unchanged(&before, h);
    let json = dry.json();
    let items = json["profiles"][0]["items"].as_array().unwrap();
    for label in ["local_storage", "session_storage"] {
        let n = items.iter().filter(|i| i["store"] == label).count();
        assert_eq!(n, 3, "{label}");
    }

    let run = loginfix(
        h,
        "linux",
        &["clear-site-data", "--browser", "chrome", "--json"],
    );
    run.assert_code(0);
    let kept: Vec<(String, i64)> = DOM_MAPS
        .iter()
        .filter(|m| !m.1)
        .map(|m| (m.0.to_string(), 2))
        .collect();
    for db in &dbs {
        assert_eq!(dom_maps(db), kept, "{}", db.display());
    }
    let id = run.json()["backup"]["id"].as_str().unwrap().to_string();
    loginfix(h, "linux", &["restore", &id]).assert_code(0);
    let all: Vec<(String, i64)> = DOM_MAPS.iter().map(|m| (m.0.to_string(), 2)).collect();
    for db in &dbs {
        assert_eq!(dom_maps(db), all, "{}", db.display());
    }
}

/// (origin with suffix, goes) of `storage/default` directories and `storage.sqlite` rows.
const QUOTA_ORIGINS: [(&str, &str, bool); 5] = [
    ("https://chatgpt.com", "https+++chatgpt.com", true),
    (
        "https://other.test^partitionKey=%28https%2Cchatgpt.com%29",
        "https+++other.test^partitionKey=%28https%2Cchatgpt.com%29",
        true,
    ),
    (
        "https://cdn.oaistatic.com^partitionKey=%28https%2Cexample.org%29",
        "https+++cdn.oaistatic.com^partitionKey=%28https%2Cexample.org%29",
        false,
    ),
    ("https://notchatgpt.com", "https+++notchatgpt.com", false),
    ("https://example.org", "https+++example.org", false),
];

/// (`cache.valid`, the default repository's origins in row order).
fn quota_rows(path: &Path) -> (i64, Vec<String>) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let valid = conn
        .query_row("SELECT valid FROM cache", [], |r| r.get(0))
        .unwrap();
    let mut stmt = conn
        .prepare("SELECT origin FROM origin WHERE repository_id = 2 ORDER BY rowid")
        .unwrap();
    let origins = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<String>, _>>()
        .unwrap();
    (valid, origins)
}

#[test]
fn firefox_quota_cache_rows_of_removed_origins_go_and_the_cache_is_invalidated() {
    let home = synthetic_linux_home();
    let h = home.path();
    let ff = h.join(FIREFOX);
    for (_, dir, _) in QUOTA_ORIGINS {
        write(
            &ff.join("storage/default").join(dir).join("ls/data.sqlite"),
            format!("values of {dir}"),
        );
    }
    let rows: Vec<_> = QUOTA_ORIGINS
        .iter()
        .map(|o| (2, o.0))
        .chain([(0, "https://chatgpt.com")])
        .collect();
    let db = ff.join("storage.sqlite");
    testing::quota::firefox_storage_sqlite(&db, &rows).unwrap();
    let before = snapshot(h);
    let dry = loginfix(
        h,
        "linux",
        &["clear-site-data", "--browser", "firefox", "-n", "--json"],
    );
    dry.assert_code(0);
    assert_unchanged(&before, h);
    let json = dry.json();
    let items = json["profiles"][0]["items"].as_array().unwrap();
    assert_eq!(
        items.iter().filter(|i| i["store"] == "quota_cache").count(),
        2
    );
    assert_eq!(
        items
            .iter()
            .filter(|i| i["store"] == "site_storage")
            .count(),
        2
    );

    let run = loginfix(
        h,
        "linux",
        &["clear-site-data", "--browser", "firefox", "--json"],
    );
    run.assert_code(0);
    let kept: Vec<String> = QUOTA_ORIGINS
        .iter()
        .filter(|o| !o.2)
        .map(|o| o.0.to_string())
        .collect();
    assert_eq!(quota_rows(&db), (0, kept));
    for (_, dir, goes) in QUOTA_ORIGINS {
        assert_eq!(
            !ff.join("storage/default").join(dir).exists(),
            goes,
            "{dir}"
        );
    }
    // The persistent repository's row is not one of the removed directories.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let persistent: i64 = conn
        .query_row(
            "SELECT count(*) FROM origin WHERE repository_id = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(persistent, 1);
    drop(conn);

    let id = run.json()["backup"]["id"].as_str().unwrap().to_string();
    loginfix(h, "linux", &["restore", &id]).assert_code(0);
    let all: Vec<String> = QUOTA_ORIGINS.iter().map(|o| o.0.to_string()).collect();
    assert_eq!(quota_rows(&db), (1, all));
    for (_, dir, _) in QUOTA_ORIGINS {
        assert!(ff.join("storage/default").join(dir).exists(), "{dir}");
    }
}

#[test]
fn safari_named_profiles_site_data_is_discovered_and_goes_and_comes_back() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let lib = h.join(SAFARI);
    std::fs::create_dir_all(lib.join("Safari")).unwrap();
    let uuid = "6D2C1A9E-4B7F-4E21-9C3A-0F5B8D7E6A12";
    let store = lib.join("WebKit/WebsiteDataStore").join(uuid);
    let root = store.join("Origins");
    write(&root.join("salt"), [7u8; 8]);
    for (t, c, top, client, _) in WEBKIT {
        let dir = root.join(t).join(c);
        write(
            &dir.join("origin"),
            testing::webkit_origin::origin_file(top, client),
        );
        write(
            &dir.join("LocalStorage/localstorage.sqlite3"),
            format!("values of {client} under {top}"),
        );
    }
    let legacy = [
        ("https_chatgpt.com_0.localstorage", true),
        ("https_notchatgpt.com_0.localstorage", false),
    ];
    for (name, _) in legacy {
        write(
            &store.join("LocalStorage").join(name),
            format!("SQLite format 3\0 {name}"),
        );
    }
    // The default profile's site data of another site stays.
    let default_keep = lib.join("WebKit/WebsiteData/LocalStorage/https_example.org_0.localstorage");
    write(&default_keep, b"SQLite format 3\0 keep");

    let list = loginfix(h, "macos", &["browsers", "--browser", "safari", "--json"]);
    list.assert_code(0);
    let json = list.json();
    let profiles = json["browsers"][0]["profiles"].as_array().unwrap();
    let named = profiles.iter().find(|p| p["profile"] == uuid).unwrap();
    let kinds: Vec<_> = named["stores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["store"].as_str().unwrap().to_string(),
                s["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "safari_website_data".to_string(),
                root.display().to_string()
            ),
            (
                "safari_local_storage".to_string(),
                store.join("LocalStorage").display().to_string()
            ),
        ]
    );

    let before = snapshot(h);
    let dry = loginfix(h, "macos", &["clear-site-data", "-n", "--json"]);
    dry.assert_code(0);
    assert_unchanged(&before, h);
    let json = dry.json();
    let p = json["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["profile"] == uuid)
        .unwrap();
    let stores: Vec<_> = p["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["store"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stores, ["website_data", "website_data", "local_storage"]);

    let run = loginfix(h, "macos", &["clear-site-data", "--json"]);
    run.assert_code(0);
    for (t, c, _, _, goes) in WEBKIT {
        assert_eq!(root.join(t).join(c).exists(), !goes, "{t}/{c}");
    }
    assert!(root.join("salt").exists());
    for (name, goes) in legacy {
        assert_eq!(
            store.join("LocalStorage").join(name).exists(),
            !goes,
            "{name}"
        );
    }
    assert!(default_keep.exists());
    let id = run.json()["backup"]["id"].as_str().unwrap().to_string();
    loginfix(h, "macos", &["restore", &id]).assert_code(0);
    let after = snapshot(h);
    for (path, bytes) in &before {
        assert!(after.get(path) == Some(bytes), "{} differs", path.display());
    }
}
