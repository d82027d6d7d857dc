//! `clear-site-data` on generated homes: exactly the targets' per-site directories go
//! (partitioned ones both ways), look-alikes and other sites stay byte for byte, a dry
//! run changes nothing, `restore` brings the directories back, a running browser's
//! profile is skipped and a symlinked site-data directory is refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::*;

const CHROME: &str = ".config/google-chrome/Default";
const FIREFOX: &str = ".mozilla/firefox/abcd1234.default-release";

fn field(n: u8, data: &[u8]) -> Vec<u8> {
    assert!(data.len() < 128);
    let mut v = vec![(n << 3) | 2, data.len() as u8];
    v.extend_from_slice(data);
    v
}

/// A Cache Storage `index.txt`: one cache, the origin, the storage key if partitioned.
fn index_txt(origin: &str, storage_key: Option<&str>) -> Vec<u8> {
    let mut cache = field(1, b"v1");
    cache.extend(field(2, b"7e0f3c52-2a41-4c55-9d0e-3f1b2c4d5e6f"));
    let mut v = field(1, &cache);
    v.extend(field(2, origin.as_bytes()));
    if let Some(k) = storage_key {
        v.extend(field(3, k.as_bytes()));
    }
    v
}

/// Chrome's IndexedDB pairs, in (origin id, goes?) order.
const IDB: [(&str, bool); 6] = [
    ("https_chatgpt.com_0", true),
    ("https_auth.openai.com_0", true),
    ("https_notchatgpt.com_0", false),
    ("https_chatgpt.com.evil.org_0", false),
    ("https_cdn.oaistatic.com_0", false),
    ("https_example.org_0", false),
];

/// Chrome's Cache Storage dirs: (dir, origin, storage key, goes?).
const CACHES: [(&str, &str, Option<&str>, bool); 6] = [
    ("dcc4a465", "https://chatgpt.com/", None, true),
    (
        "0a0a0a0a",
        "https://other.test/",
        Some("https://other.test/^0https://chatgpt.com"),
        true,
    ),
    (
        "0b0b0b0b",
        "https://chatgpt.com/",
        Some("https://chatgpt.com/^0https://other.test"),
        true,
    ),
    (
        "0c0c0c0c",
        "https://cdn.oaistatic.com/",
        Some("https://cdn.oaistatic.com/^0https://example.org"),
        false,
    ),
    ("0d0d0d0d", "https://notchatgpt.com/", None, false),
    ("0e0e0e0e", "https://other.test/", None, false),
];

/// Firefox's storage/default dirs, (name, goes?).
const FF: [(&str, bool); 8] = [
    ("https+++chatgpt.com", true),
    ("https+++auth.openai.com^userContextId=2", true),
    (
        "https+++other.test^partitionKey=%28https%2Cchatgpt.com%29",
        true,
    ),
    (
        "https+++chatgpt.com^partitionKey=%28https%2Cother.test%29",
        true,
    ),
    (
        "https+++cdn.oaistatic.com^partitionKey=%28https%2Cexample.org%29",
        false,
    ),
    ("https+++notchatgpt.com", false),
    ("https+++chatgpt.com.evil.org", false),
    ("https+++other.test", false),
];

/// The synthetic home with site data in Chrome's Default profile and the Firefox
/// profile; returns the directories that must go and those that must stay.
fn home_with_site_data() -> (tempfile::TempDir, Vec<PathBuf>, Vec<PathBuf>) {
    let home = synthetic_linux_home();
    let chrome = home.path().join(CHROME);
    let ff = home.path().join(FIREFOX);
    let (mut gone, mut kept) = (Vec::new(), Vec::new());
    for (id, goes) in IDB {
        let db = chrome.join(format!("IndexedDB/{id}.indexeddb.leveldb"));
        write(&db.join("CURRENT"), "MANIFEST-000001\n");
        write(&db.join("000003.log"), vec![id.len() as u8; 700]);
        let blob = chrome.join(format!("IndexedDB/{id}.indexeddb.blob"));
        write(&blob.join("1/00/3"), vec![7u8; 3000]);
        let list = if goes { &mut gone } else { &mut kept };
        list.extend([db, blob]);
    }
    let cs = chrome.join("Service Worker/CacheStorage");
    for (dir, origin, key, goes) in CACHES {
        write(&cs.join(dir).join("index.txt"), index_txt(origin, key));
        let cache = cs.join(dir).join("7e0f3c52-2a41-4c55-9d0e-3f1b2c4d5e6f");
        write(&cache.join("index"), vec![1u8; 24]);
        write(
            &cache.join("0123456789abcdef_0"),
            format!("body of {origin}"),
        );
        if goes { &mut gone } else { &mut kept }.push(cs.join(dir));
    }
    for (name, goes) in FF {
        let dir = ff.join("storage/default").join(name);
        write(&dir.join(".metadata-v2"), vec![0u8; 40]);
        write(&dir.join("ls/data.sqlite"), format!("values of {name}"));
        write(
            &dir.join("idb/3870112724rsegmnoittet-es.sqlite"),
            vec![3u8; 500],
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let f = dir.join("ls/data.sqlite");
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        if goes { &mut gone } else { &mut kept }.push(dir);
    }
    // The quota cache lists no target origin here, so it is not touched.
    loginfix::testing::quota::firefox_storage_sqlite(
        &ff.join("storage.sqlite"),
        &[(2, "https://keep.test")],
    )
    .unwrap();
    (home, gone, kept)
}

/// Snapshots of the two profiles.
fn profiles(home: &Path) -> [(PathBuf, BTreeMap<PathBuf, Vec<u8>>); 2] {
    [CHROME, FIREFOX].map(|p| {
        let dir = home.join(p);
        let snap = snapshot(&dir);
        (dir, snap)
    })
}

#[test]
fn a_dry_run_changes_no_byte_and_lists_every_target_site() {
    let (home, gone, _) = home_with_site_data();
    let before = snapshot(home.path());
    let run = loginfix(
        home.path(),
        "linux",
        &["clear-site-data", "--dry-run", "--json"],
    );
    run.assert_code(0);
    assert_unchanged(&before, home.path());
    let json = run.json();
    assert_eq!(json["command"], "clear-site-data");
    let items: Vec<_> = json["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["items"].as_array().unwrap().clone())
        .collect();
    // IndexedDB: one item per pair.
    assert_eq!(items.len(), gone.len() - 2, "{items:#?}");
    assert!(items.iter().all(|i| i["action"] == "would_remove"));
    let has = |store: &str, url: &str, partition: Option<&str>| {
        items.iter().any(|i| {
            i["store"] == store
                && i["url"] == url
                && i["partition"] == partition.map_or(serde_json::Value::Null, |p| p.into())
        })
    };
    assert!(has("indexed_db", "https://chatgpt.com", None));
    assert!(has("indexed_db", "https://auth.openai.com", None));
    assert!(has("cache_storage", "https://chatgpt.com", None));
    assert!(has(
        "cache_storage",
        "https://other.test",
        Some("https://chatgpt.com")
    ));
    assert!(has(
        "cache_storage",
        "https://chatgpt.com",
        Some("https://other.test")
    ));
    assert!(has("site_storage", "https://auth.openai.com", None));
    assert!(has(
        "site_storage",
        "https://other.test",
        Some("https://chatgpt.com")
    ));
    let idb = items
        .iter()
        .find(|i| i["store"] == "indexed_db" && i["host"] == "chatgpt.com")
        .unwrap();
    assert_eq!(idb["size"], 16 + 700 + 3000);
    assert_eq!(json["summary"]["would_remove"], items.len());

    let text = loginfix(home.path(), "linux", &["clear-site-data", "-n"]);
    text.assert_code(0);
    assert!(
        text.stdout.contains(
            "Would remove  other.test  https://other.test  partition=https://chatgpt.com"
        ),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("[cache storage]"), "{}", text.stdout);
    assert_unchanged(&before, home.path());
}

#[test]
fn removes_exactly_the_targets_directories_and_restore_brings_them_back() {
    let (home, gone, kept) = home_with_site_data();
    let h = home.path();
    let before = profiles(h);
    let kept_before: Vec<_> = kept.iter().map(|d| snapshot(d)).collect();
    let cookies_before = rows(&h.join(CHROME).join("Cookies"));

    let run = loginfix(h, "linux", &["clear-site-data", "--json"]);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["summary"]["failed"], 0);
    assert_eq!(json["summary"]["removed"], gone.len() - 2);
    for dir in &gone {
        assert!(!dir.exists(), "{} is still there", dir.display());
    }
    for (dir, snap) in kept.iter().zip(&kept_before) {
        assert_unchanged(snap, dir);
    }
    // Nothing but the removed directories changed.
    for (dir, snap) in &before {
        let after = snapshot(dir);
        for (rel, bytes) in snap {
            let full = dir.join(rel);
            if gone.iter().any(|g| full.starts_with(g)) {
                continue;
            }
            assert_eq!(after.get(rel), Some(bytes), "{} changed", full.display());
        }
    }
    assert_eq!(rows(&h.join(CHROME).join("Cookies")), cookies_before);
    let id = json["backup"]["id"].as_str().unwrap().to_string();

    // Again: nothing left to do.
    let again = loginfix(h, "linux", &["clear-site-data", "--json"]);
    again.assert_code(0);
    assert_eq!(again.json()["summary"]["removed"], 0);

    let restore = loginfix(h, "linux", &["restore", &id]);
    restore.assert_code(0);
    for (dir, snap) in &before {
        assert_unchanged(snap, dir);
    }
}

#[test]
fn no_backup_removes_without_a_set() {
    let (home, gone, _) = home_with_site_data();
    let run = loginfix(
        home.path(),
        "linux",
        &[
            "clear-site-data",
            "--browser",
            "firefox",
            "--no-backup",
            "--json",
        ],
    );
    run.assert_code(0);
    assert!(run.json()["backup"].is_null());
    for dir in gone
        .iter()
        .filter(|d| d.starts_with(home.path().join(FIREFOX)))
    {
        assert!(!dir.exists());
    }
    assert!(home
        .path()
        .join(CHROME)
        .join("IndexedDB/https_chatgpt.com_0.indexeddb.leveldb")
        .exists());
}

#[cfg(unix)]
#[test]
fn a_running_browsers_profile_is_skipped() {
    let (home, _, _) = home_with_site_data();
    let udd = home.path().join(".config/google-chrome");
    let mut sleeper = running_chromium(&udd);
    let before = snapshot(&udd);
    let run = loginfix(home.path(), "linux", &["clear-site-data", "--json"]);
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    run.assert_code(3);
    assert_unchanged(&before, &udd);
    let json = run.json();
    let chrome = json["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["browser"] == "chrome" && p["profile"] == "Default")
        .unwrap()
        .clone();
    assert_eq!(chrome["status"], "skipped_running");
    assert!(chrome["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["action"] == "skipped"));
    let firefox = json["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["browser"] == "firefox")
        .unwrap()
        .clone();
    assert_eq!(firefox["status"], "done");
    assert!(!home
        .path()
        .join(FIREFOX)
        .join("storage/default/https+++chatgpt.com")
        .exists());
}

#[cfg(unix)]
#[test]
fn a_symlinked_site_data_directory_is_refused() {
    let (home, _, _) = home_with_site_data();
    let h = home.path();
    // The whole IndexedDB directory swapped for a link to someone else's files.
    let outside = tempfile::tempdir().unwrap();
    let theirs = outside.path().join("https_chatgpt.com_0.indexeddb.leveldb");
    write(&theirs.join("CURRENT"), "not yours");
    let idb = h.join(CHROME).join("IndexedDB");
    std::fs::rename(&idb, h.join("moved-idb")).unwrap();
    std::os::unix::fs::symlink(outside.path(), &idb).unwrap();
    // One Firefox origin directory swapped for a link.
    let ff_dir = h.join(FIREFOX).join("storage/default/https+++chatgpt.com");
    std::fs::remove_dir_all(&ff_dir).unwrap();
    std::os::unix::fs::symlink(outside.path(), &ff_dir).unwrap();
    let outside_before = snapshot(outside.path());

    let run = loginfix(h, "linux", &["clear-site-data", "--json"]);
    run.assert_code(1);
    assert_unchanged(&outside_before, outside.path());
    assert!(idb.symlink_metadata().unwrap().file_type().is_symlink());
    assert!(ff_dir.symlink_metadata().unwrap().file_type().is_symlink());
    let json = run.json();
    let chrome = json["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["browser"] == "chrome" && p["profile"] == "Default")
        .unwrap()
        .clone();
    let err = chrome["errors"][0]["error"].as_str().unwrap();
    assert!(err.contains("is a symlink"), "{err}");
    assert_eq!(chrome["errors"][0]["store"], "indexed_db");
    // The other stores of the profile still went.
    assert!(!h
        .join(CHROME)
        .join("Service Worker/CacheStorage/dcc4a465")
        .exists());
    let firefox = json["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["browser"] == "firefox")
        .unwrap()
        .clone();
    let unreadable = &firefox["stores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["store"] == "site_storage")
        .unwrap()["unreadable"];
    assert!(
        unreadable[0]["reason"]
            .as_str()
            .unwrap()
            .contains("symlink"),
        "{unreadable}"
    );
    assert!(!h
        .join(FIREFOX)
        .join("storage/default/https+++auth.openai.com^userContextId=2")
        .exists());
}

#[test]
fn domain_and_profile_select_as_for_clear_cookies() {
    let (home, _, _) = home_with_site_data();
    let h = home.path();
    let before = snapshot(h);
    let refused = loginfix(h, "linux", &["clear-site-data", "--domain", "com"]);
    refused.assert_code(2);
    assert_unchanged(&before, h);
    let run = loginfix(
        h,
        "linux",
        &[
            "clear-site-data",
            "--domain",
            "auth.openai.com",
            "--profile",
            "Person 1",
            "--json",
        ],
    );
    run.assert_code(0);
    let json = run.json();
    let profiles = json["profiles"].as_array().unwrap();
    assert_eq!(profiles.len(), 1, "{json:#}");
    let urls: Vec<_> = profiles[0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["url"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(urls, ["https://auth.openai.com"]);
    let idb = h.join(CHROME).join("IndexedDB");
    assert!(!idb
        .join("https_auth.openai.com_0.indexeddb.leveldb")
        .exists());
    assert!(idb.join("https_chatgpt.com_0.indexeddb.leveldb").exists());
    assert!(h
        .join(FIREFOX)
        .join("storage/default/https+++auth.openai.com^userContextId=2")
        .exists());
}

/// A link inside a target's directory cannot be backed up: the item fails and nothing
/// of it is removed; with `--no-backup` the link itself goes, never what it points to.
#[cfg(unix)]
#[test]
fn a_link_inside_a_site_directory_fails_its_backup_and_is_never_followed() {
    let (home, _, _) = home_with_site_data();
    let h = home.path();
    let outside = tempfile::tempdir().unwrap();
    write(&outside.path().join("precious"), "someone else's");
    let db = h
        .join(CHROME)
        .join("IndexedDB/https_chatgpt.com_0.indexeddb.leveldb");
    std::os::unix::fs::symlink(outside.path(), db.join("LOCK")).unwrap();
    let outside_before = snapshot(outside.path());
    let db_before = snapshot(&db);

    let run = loginfix(
        h,
        "linux",
        &["clear-site-data", "--browser", "chrome", "--json"],
    );
    run.assert_code(1);
    assert_unchanged(&db_before, &db);
    let json = run.json();
    let failed: Vec<_> = json["profiles"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["action"] == "failed")
        .cloned()
        .collect();
    assert_eq!(failed.len(), 1, "{json:#}");
    assert_eq!(failed[0]["url"], "https://chatgpt.com");
    assert!(
        failed[0]["error"]
            .as_str()
            .unwrap()
            .contains("nothing of it was removed"),
        "{}",
        failed[0]["error"]
    );

    let run = loginfix(
        h,
        "linux",
        &["clear-site-data", "--browser", "chrome", "--no-backup"],
    );
    run.assert_code(0);
    assert!(!db.exists());
    assert_unchanged(&outside_before, outside.path());
}
