//! `clear-cache` on generated caches: only the targets' entries go (partitioned ones
//! included), the index is removed so the browser rebuilds it, damaged entries are left
//! alone, and a blockfile cache is cleared whole only when it holds target entries.

use std::path::{Path, PathBuf};

use loginfix::testing;

use crate::util::*;

/// (key, must it go?) for the HTTP cache.
const CHROMIUM_KEYS: [(&str, bool); 8] = [
    ("1/0/_dk_https://chatgpt.com https://chatgpt.com https://chatgpt.com/app.js", true),
    ("1/0/_dk_https://chatgpt.com https://chatgpt.com https://cdn.oaistatic.com/logo.png", true),
    ("1/0/_dk_s_https://example.org https://openai.com https://openai.com/frame", true),
    ("1/0/_dk_https://example.org https://example.org https://auth.openai.com/x.js", true),
    ("1/0/_dk_https://example.org https://example.org https://cdn.oaistatic.com/logo.png", false),
    ("1/0/_dk_https://notchatgpt.com https://notchatgpt.com https://notchatgpt.com/a.js", false),
    ("1/0/_dk_https://evil.org https://evil.org https://chatgpt.com.evil.org/a.js", false),
    ("1/0/_dk_https://example.org https://example.org https://openai.com.example.org/?u=https://chatgpt.com/", false),
];

fn simple_cache(dir: &Path) -> Vec<(String, bool)> {
    std::fs::create_dir_all(dir.join("index-dir")).unwrap();
    write(&dir.join("index"), b"fake index");
    write(&dir.join("index-dir/the-real-index"), b"real index");
    let mut stems = Vec::new();
    for (i, (key, gone)) in CHROMIUM_KEYS.iter().enumerate() {
        let stem = testing::chromium::entry_stem(0x1000 + i as u64);
        write(
            &dir.join(format!("{stem}_0")),
            testing::chromium::encode_entry(key, b"cached body"),
        );
        if i % 2 == 0 {
            write(&dir.join(format!("{stem}_1")), b"second stream");
        }
        stems.push((stem, *gone));
    }
    // A truncated entry that names a target: reported, left alone.
    let bad = testing::chromium::encode_entry(CHROMIUM_KEYS[0].0, b"");
    write(&dir.join("00000000deadbeef_0"), &bad[..20]);
    stems
}

fn cache2(dir: &Path) -> Vec<(PathBuf, bool)> {
    let entries = dir.join("entries");
    let mut out = Vec::new();
    for (i, (key, gone)) in [
        (":https://chatgpt.com/c/1", true),
        (
            "O^partitionKey=%28https%2Cchatgpt.com%29,a,:https://cdn.oaistatic.com/logo.png",
            true,
        ),
        ("a,:https://auth.openai.com/", true),
        (
            "O^partitionKey=%28https%2Cexample.org%29,a,:https://cdn.oaistatic.com/logo.png",
            false,
        ),
        (":https://notchatgpt.com/", false),
        (":https://chatgpt.com.evil.org/", false),
    ]
    .into_iter()
    .enumerate()
    {
        let path = entries.join(format!("{:040X}", i + 1));
        write(&path, testing::firefox::encode_entry(key, b"body"));
        out.push((path, gone));
    }
    write(&dir.join("index"), b"index");
    write(&dir.join("index.log"), b"journal");
    write(&entries.join(format!("{:040X}", 99)), b"junk");
    out
}

/// A synthetic Linux home plus its Chrome cache (with each entry's stem and whether it
/// must go) and its Firefox cache2 (entry paths, likewise).
struct CacheHome {
    home: tempfile::TempDir,
    chrome_cache: PathBuf,
    stems: Vec<(String, bool)>,
    ff_cache: PathBuf,
    entries: Vec<(PathBuf, bool)>,
}

fn linux_home_with_caches() -> CacheHome {
    let home = synthetic_linux_home();
    let chrome_cache = home
        .path()
        .join(".cache/google-chrome/Default/Cache/Cache_Data");
    let stems = simple_cache(&chrome_cache);
    let ff_cache = home
        .path()
        .join(".cache/mozilla/firefox/abcd1234.default-release/cache2");
    let entries = cache2(&ff_cache);
    CacheHome {
        home,
        chrome_cache,
        stems,
        ff_cache,
        entries,
    }
}

#[test]
fn removes_only_target_entries_and_the_index() {
    let CacheHome {
        home,
        chrome_cache,
        stems,
        ff_cache,
        entries,
    } = linux_home_with_caches();
    let run = loginfix(home.path(), "linux", &["clear-cache", "--json"]);
    run.assert_code(0);
    for (stem, gone) in &stems {
        assert_eq!(
            !chrome_cache.join(format!("{stem}_0")).exists(),
            *gone,
            "{stem}"
        );
        assert!(!*gone || !chrome_cache.join(format!("{stem}_1")).exists());
    }
    assert!(
        chrome_cache.join("00000000deadbeef_0").exists(),
        "unreadable entries stay"
    );
    assert!(!chrome_cache.join("index-dir/the-real-index").exists());
    assert!(
        chrome_cache.join("index").exists(),
        "the fake index is kept"
    );
    for (path, gone) in &entries {
        assert_eq!(!path.exists(), *gone, "{}", path.display());
    }
    assert!(!ff_cache.join("index").exists() && !ff_cache.join("index.log").exists());
    // Cookies are not touched by clear-cache.
    assert_eq!(
        rows(&home.path().join(".config/google-chrome/Default/Cookies")).len(),
        chromium_mix().len()
    );

    let json = run.json();
    let chrome = &json["profiles"][0];
    assert_eq!(chrome["counts"]["removed"], 4);
    assert_eq!(chrome["counts"]["unreadable"], 1);
    let item = &chrome["items"][1];
    assert_eq!(item["store"], "cache");
    assert_eq!(item["host"], "cdn.oaistatic.com");
    assert_eq!(item["url"], "https://cdn.oaistatic.com/logo.png");
    assert_eq!(item["partition"], "https://chatgpt.com");
    assert!(item["size"].as_u64().unwrap() > 0);
    assert_eq!(
        chrome["stores"][0]["unreadable"][0]["file"],
        chrome_cache
            .join("00000000deadbeef_0")
            .display()
            .to_string()
    );
    let ff = json["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["browser"] == "firefox")
        .unwrap();
    assert_eq!(ff["counts"]["removed"], 3);
    assert_eq!(ff["counts"]["unreadable"], 1);

    let again = loginfix(home.path(), "linux", &["clear-cache", "--json"]);
    again.assert_code(0);
    assert_eq!(again.json()["summary"]["removed"], 0);
}

#[test]
fn dry_run_lists_entries_with_totals_and_changes_nothing() {
    let home = linux_home_with_caches().home;
    let before = snapshot(home.path());
    let run = loginfix(home.path(), "linux", &["clear-cache", "--dry-run"]);
    run.assert_code(0);
    assert_unchanged(&before, home.path());
    assert!(
        run.stdout.contains("Would remove  cdn.oaistatic.com  https://cdn.oaistatic.com/logo.png  partition=https://chatgpt.com  "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Summary: 7 would be removed ("),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("2 unreadable left alone"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Unreadable  "), "{}", run.stdout);
}

fn windows_home_with_blockfile(keys: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let profile = home
        .path()
        .join("AppData/Local/Google/Chrome/User Data/Default");
    chromium_cookies(&profile.join("Network/Cookies"), &[]);
    let cache = profile.join("Cache/Cache_Data");
    std::fs::create_dir_all(&cache).unwrap();
    testing::chromium::write_sample(&cache, keys).unwrap();
    (home, cache)
}

#[test]
fn a_blockfile_cache_with_target_entries_is_cleared_whole() {
    let keys: Vec<&str> = CHROMIUM_KEYS.iter().map(|k| k.0).collect();
    let (home, cache) = windows_home_with_blockfile(&keys);
    let before = snapshot(home.path());
    let dry = loginfix(
        home.path(),
        "windows",
        &["clear-cache", "--dry-run", "--json"],
    );
    dry.assert_code(0);
    assert_unchanged(&before, home.path());
    let json = dry.json();
    let p = &json["profiles"][0];
    assert_eq!(p["counts"]["would_remove"], 4);
    assert_eq!(p["stores"][0]["scope"], "whole_cache");
    assert!(p["stores"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("whole HTTP cache"));

    let skip = loginfix(
        home.path(),
        "windows",
        &["clear-cache", "--no-whole-cache", "--json"],
    );
    skip.assert_code(0);
    assert_unchanged(&before, home.path());
    let json = skip.json();
    assert_eq!(json["profiles"][0]["status"], "skipped");
    assert_eq!(json["profiles"][0]["stores"][0]["scope"], "none");
    assert_eq!(json["profiles"][0]["counts"]["skipped"], 4);

    let real = loginfix(home.path(), "windows", &["clear-cache"]);
    real.assert_code(0);
    assert!(!cache.exists(), "the whole cache directory goes");
    assert!(cache.parent().unwrap().exists(), "only the cache directory");
    assert!(real.stdout.contains("whole HTTP cache"), "{}", real.stdout);
}

#[test]
fn a_blockfile_cache_without_target_entries_is_left_alone() {
    let keys: Vec<&str> = CHROMIUM_KEYS.iter().filter(|k| !k.1).map(|k| k.0).collect();
    let (home, _cache) = windows_home_with_blockfile(&keys);
    let before = snapshot(home.path());
    let run = loginfix(home.path(), "windows", &["clear-cache", "--json"]);
    run.assert_code(0);
    assert_unchanged(&before, home.path());
    assert_eq!(run.json()["profiles"][0]["status"], "nothing_to_do");
}

/// A SQL-backend cache written by the real Chromium 156
/// (`--enable-features=DiskCacheBackendExperiment:backend/sql`, three shards): pages of
/// chatgpt.com and auth.openai.com (8 entries) and of other.test (3 entries), in
/// tests/fixtures/chromium-sql-cache.
fn linux_home_with_sql_cache() -> (tempfile::TempDir, PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let profile = home.path().join(".config/chromium/Default");
    chromium_cookies(&profile.join("Cookies"), &[]);
    let cache = home.path().join(".cache/chromium/Default/Cache/Cache_Data");
    std::fs::create_dir_all(&cache).unwrap();
    copy_tree(&repo().join("tests/fixtures/chromium-sql-cache"), &cache);
    (home, cache)
}

/// Each shard's rows as `cache_key`, and its `meta` totals against the rows left.
fn shard_rows(cache: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for shard in ["sqldb0", "sqldb1", "sqldb2"] {
        let db = rusqlite::Connection::open(cache.join(shard)).unwrap();
        let mut stmt = db.prepare("SELECT cache_key FROM resources").unwrap();
        out.extend(
            stmt.query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap),
        );
        // LONGVARCHAR: SQLite keeps the numbers as text, for Chromium's rows and ours.
        let meta = |k: &str| -> i64 {
            db.query_row(
                "SELECT value FROM meta WHERE key = ?1 AND typeof(value) = 'text'",
                [k],
                |r| r.get::<_, String>(0),
            )
            .unwrap()
            .parse()
            .unwrap()
        };
        let count: i64 = db
            .query_row("SELECT COUNT(*) FROM resources WHERE doomed = 0", [], |r| {
                r.get(0)
            })
            .unwrap();
        let size: i64 = db
            .query_row(
                "SELECT COALESCE(SUM(bytes_usage), 0) FROM resources WHERE doomed = 0",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            (meta("EntryCount"), meta("TotalSize")),
            (count, size),
            "{shard}"
        );
        let orphans: i64 = db
            .query_row(
                "SELECT COUNT(*) FROM blobs WHERE res_id NOT IN (SELECT res_id FROM resources)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(orphans, 0, "{shard}: bodies left without their entry");
    }
    out.sort();
    out
}

#[test]
fn a_sql_backend_cache_loses_only_the_targets_rows() {
    let (home, cache) = linux_home_with_sql_cache();
    let before = snapshot(home.path());
    let dry = loginfix(
        home.path(),
        "linux",
        &[
            "clear-cache",
            "--dry-run",
            "--json",
            "--browser",
            "chromium",
        ],
    );
    dry.assert_code(0);
    assert_unchanged(&before, home.path());
    let json = dry.json();
    let p = &json["profiles"][0];
    assert_eq!(p["counts"]["would_remove"], 8, "{json:#}");
    assert_eq!(p["stores"][0]["scope"], "entries");
    let mut urls: Vec<&str> = p["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["url"].as_str().unwrap())
        .collect();
    urls.sort();
    assert_eq!(
        urls,
        [
            "https://auth.openai.com:8443/favicon.ico",
            "https://auth.openai.com:8443/other.css",
            "https://auth.openai.com:8443/other.html",
            "https://chatgpt.com:8443/app.js",
            "https://chatgpt.com:8443/favicon.ico",
            "https://chatgpt.com:8443/img.svg",
            "https://chatgpt.com:8443/index.html",
            "https://chatgpt.com:8443/style.css",
        ]
    );

    let real = loginfix(
        home.path(),
        "linux",
        &["clear-cache", "--json", "--browser", "chromium"],
    );
    real.assert_code(0);
    assert_eq!(real.json()["profiles"][0]["counts"]["removed"], 8);
    assert_eq!(
        shard_rows(&cache),
        [
            "1/0/_dk_http://other.test http://other.test http://other.test:8765/favicon.ico",
            "1/0/_dk_http://other.test http://other.test http://other.test:8765/other.css",
            "1/0/_dk_http://other.test http://other.test http://other.test:8765/other.html",
        ]
    );
    // Chromium's fake index and journals are as it left them.
    for f in [
        "index",
        "sqldb0-journal",
        "sqldb1-journal",
        "sqldb2-journal",
    ] {
        assert_eq!(
            std::fs::read(cache.join(f)).unwrap(),
            std::fs::read(repo().join("tests/fixtures/chromium-sql-cache").join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn a_sql_backend_cache_of_another_version_is_cleared_whole() {
    let (home, cache) = linux_home_with_sql_cache();
    let db = rusqlite::Connection::open(cache.join("sqldb1")).unwrap();
    db.execute("UPDATE meta SET value = 9 WHERE key = 'version'", [])
        .unwrap();
    drop(db);
    let before = snapshot(home.path());
    let kept = loginfix(
        home.path(),
        "linux",
        &[
            "clear-cache",
            "--no-whole-cache",
            "--json",
            "--browser",
            "chromium",
        ],
    );
    kept.assert_code(0);
    assert_unchanged(&before, home.path());
    assert_eq!(kept.json()["profiles"][0]["counts"]["skipped"], 8);

    let real = loginfix(
        home.path(),
        "linux",
        &["clear-cache", "--json", "--browser", "chromium"],
    );
    real.assert_code(0);
    let json = real.json();
    let store = &json["profiles"][0]["stores"][0];
    assert_eq!(store["scope"], "whole_cache");
    assert!(
        store["reason"]
            .as_str()
            .unwrap()
            .contains("schema version 9"),
        "{store}"
    );
    assert!(!cache.exists(), "the whole cache directory goes");
    assert!(cache.parent().unwrap().exists(), "only the cache directory");
}

#[test]
fn a_sql_backend_cache_without_target_entries_is_left_alone() {
    let (home, cache) = linux_home_with_sql_cache();
    // Chromium's own rows of other.test only: delete the targets' with SQLite.
    for shard in ["sqldb0", "sqldb1", "sqldb2"] {
        let db = rusqlite::Connection::open(cache.join(shard)).unwrap();
        db.execute(
            "DELETE FROM resources WHERE cache_key NOT LIKE '%other.test%'",
            [],
        )
        .unwrap();
    }
    let before = snapshot(home.path());
    let run = loginfix(
        home.path(),
        "linux",
        &["clear-cache", "--json", "--browser", "chromium"],
    );
    run.assert_code(0);
    assert_unchanged(&before, home.path());
    assert_eq!(run.json()["profiles"][0]["status"], "nothing_to_do");
}

/// A cache directory holding files of no layout loginfix knows is never reported clean:
/// the files are named, left alone, and the run says what to do.
#[test]
fn an_unknown_cache_layout_is_named_not_reported_clean() {
    let home = tempfile::tempdir().unwrap();
    let profile = home.path().join(".config/chromium/Default");
    chromium_cookies(&profile.join("Cookies"), &[]);
    let cache = home.path().join(".cache/chromium/Default/Cache/Cache_Data");
    write(&cache.join("index"), b"NEWCACHE2");
    write(&cache.join("store.v2"), b"entries of a future backend");
    let before = snapshot(home.path());
    let run = loginfix(
        home.path(),
        "linux",
        &["clear-cache", "--json", "--browser", "chromium"],
    );
    assert_unchanged(&before, home.path());
    let json = run.json();
    let unreadable = &json["profiles"][0]["stores"][0]["unreadable"];
    assert_eq!(
        unreadable[0]["file"],
        cache.display().to_string(),
        "{json:#}"
    );
    assert!(unreadable[0]["reason"]
        .as_str()
        .unwrap()
        .contains("(store.v2)"));
    assert_eq!(json["profiles"][0]["counts"]["unreadable"], 1, "{json:#}");
    // As for a damaged entry: reported and left alone, not a failure.
    run.assert_code(0);
    let text = loginfix(
        home.path(),
        "linux",
        &["clear-cache", "--browser", "chromium"],
    );
    assert!(text.stdout.contains("store.v2"), "{}", text.stdout);
}
