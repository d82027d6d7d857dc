//! The sample homes in `profiles/`, written by real Chromium and Firefox: copies of them
//! are cleaned and every store is checked against what profiles/README.md lists.

use std::path::{Path, PathBuf};

use crate::util::*;

pub(crate) type Row = (String, String, String);

fn row(host: &str, name: &str, partition: &str) -> Row {
    (host.to_string(), name.to_string(), partition.to_string())
}

fn sorted(mut v: Vec<Row>) -> Vec<Row> {
    v.sort();
    v
}

/// What must survive in Chrome's `Default` profile (profiles/README.md).
pub(crate) fn chrome_default_keep() -> Vec<Row> {
    sorted(vec![
        row("example.org", "eo-keep", ""),
        row("example.org", "eo-session", ""),
        row("cdn.oaistatic.com", "tp", "https://example.org"),
        row("notchatgpt.com", "nc-keep", ""),
        row("chatgpt.com.evil.org", "evil-keep", ""),
        row("openai.com.example.org", "lookalike-keep", ""),
    ])
}

pub(crate) fn chrome_profile1_keep() -> Vec<Row> {
    sorted(vec![
        row("example.org", "eo-keep", ""),
        row("example.org", "eo-session", ""),
        row("cdn.oaistatic.com", "tp", "https://example.org"),
    ])
}

pub(crate) fn firefox_keep() -> Vec<Row> {
    sorted(vec![
        row("example.org", "eo-keep", ""),
        row(
            "cdn.oaistatic.com",
            "tp",
            "^partitionKey=%28https%2Cexample.org%29",
        ),
        row("notchatgpt.com", "nc-keep", ""),
        row("chatgpt.com.evil.org", "evil-keep", ""),
        row("openai.com.example.org", "lookalike-keep", ""),
    ])
}

pub(crate) struct Layout {
    pub(crate) os: &'static str,
    chrome: &'static str,
    cookies: &'static str,
    firefox: &'static str,
    /// Edge's user-data dir where its `Default` profile holds Chromium's site data.
    edge: Option<&'static str>,
}

const LINUX: Layout = Layout {
    os: "linux",
    chrome: ".config/google-chrome",
    cookies: "Cookies",
    firefox: ".mozilla/firefox/abcd1234.default-release",
    edge: None,
};
const MACOS: Layout = Layout {
    os: "macos",
    chrome: "Library/Application Support/Google/Chrome",
    cookies: "Cookies",
    firefox: "Library/Application Support/Firefox/Profiles/abcd1234.default-release",
    edge: None,
};
pub(crate) const WINDOWS: Layout = Layout {
    os: "windows",
    chrome: "AppData/Local/Google/Chrome/User Data",
    cookies: "Network/Cookies",
    firefox: "AppData/Roaming/Mozilla/Firefox/Profiles/abcd1234.default-release",
    edge: Some("AppData/Local/Microsoft/Edge/User Data"),
};

impl Layout {
    fn chrome_db(&self, home: &Path, profile: &str) -> PathBuf {
        home.join(self.chrome).join(profile).join(self.cookies)
    }

    /// The Chromium profiles holding the sample's site data: (browser, profile dir).
    fn site_data_profiles(&self, home: &Path) -> Vec<(&'static str, PathBuf)> {
        let mut v = vec![("chrome", home.join(self.chrome).join("Default"))];
        if let Some(edge) = self.edge {
            v.push(("edge", home.join(edge).join("Default")));
        }
        v
    }
}

#[test]
fn chrome_clean_removes_exactly_the_target_cookies_in_every_layout() {
    for layout in [LINUX, MACOS, WINDOWS] {
        let home = sample_home(layout.os);
        let h = home.path();
        let ff_before = snapshot(&h.join(layout.firefox));
        let run = loginfix(h, layout.os, &["clear-cookies", "--browser", "chrome"]);
        run.assert_code(0);
        assert_eq!(
            rows(&layout.chrome_db(h, "Default")),
            chrome_default_keep(),
            "{}",
            layout.os
        );
        assert_eq!(
            rows(&layout.chrome_db(h, "Profile 1")),
            chrome_profile1_keep(),
            "{}",
            layout.os
        );
        assert!(
            run.stdout
                .contains("Summary: 10 removed, 0 skipped, 0 failed, in 2 profiles."),
            "{}: {}",
            layout.os,
            run.stdout
        );
        assert_unchanged(&ff_before, &h.join(layout.firefox));

        let again = loginfix(h, layout.os, &["clear-cookies", "--browser", "chrome"]);
        again.assert_code(0);
        assert!(
            again.stdout.contains("Summary: 0 removed"),
            "{}",
            again.stdout
        );
        // Chromium's empty rollback journal is still there, as Chromium left it.
        let journal = PathBuf::from(format!(
            "{}-journal",
            layout.chrome_db(h, "Default").display()
        ));
        assert!(journal.exists(), "{}", journal.display());
    }
}

#[test]
fn firefox_clean_removes_partitioned_and_session_restore_cookies_in_every_layout() {
    for layout in [LINUX, MACOS, WINDOWS] {
        let home = sample_home(layout.os);
        let h = home.path();
        let prof = h.join(layout.firefox);
        let before = snapshot(h);
        // What each session file held: the regenerated samples vary with timing (the
        // older snapshot `recovery.baklz4` in particular), so expectations are derived.
        let session_files = [
            "sessionstore.jsonlz4",
            "sessionstore-backups/recovery.jsonlz4",
            "sessionstore-backups/recovery.baklz4",
        ];
        let held: Vec<Vec<(String, String)>> = session_files
            .iter()
            .map(|f| session_cookies(&prof.join(f)))
            .collect();
        assert!(held[0].contains(&("chatgpt.com".to_string(), "oai-session".to_string())));
        let run = loginfix(h, layout.os, &["clear-cookies", "--browser", "firefox"]);
        run.assert_code(0);
        assert_eq!(
            rows(&prof.join("cookies.sqlite")),
            firefox_keep(),
            "{}",
            layout.os
        );
        let eo = vec![("example.org".to_string(), "eo-session".to_string())];
        assert_eq!(session_cookies(&prof.join("sessionstore.jsonlz4")), eo);
        assert_eq!(
            session_cookies(&prof.join("sessionstore-backups/recovery.jsonlz4")),
            eo
        );
        for (file, before) in session_files.iter().zip(&held) {
            let kept: Vec<(String, String)> = before
                .iter()
                .filter(|(host, _)| host == "example.org")
                .cloned()
                .collect();
            assert_eq!(session_cookies(&prof.join(file)), kept, "{file}");
        }
        // Only the cookie database and the three session files changed (besides the backup
        // set, written into the home's data directory); SQLite folded the (empty) WAL
        // Firefox left into the database and removed it on close.
        assert!(!prof.join("cookies.sqlite-wal").exists());
        let after = snapshot(h);
        let mut changed: Vec<String> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .filter(|k| {
                !k.components().any(|c| c.as_os_str() == "loginfix")
                    && !k.starts_with(".local/share")
                    && k.as_os_str() != ".local"
            })
            .map(|k| {
                k.strip_prefix(layout.firefox)
                    .unwrap_or_else(|_| panic!("changed outside the profile: {}", k.display()))
                    .display()
                    .to_string()
            })
            .collect();
        changed.sort();
        changed.dedup();
        assert_eq!(
            changed,
            [
                "cookies.sqlite",
                "cookies.sqlite-wal",
                "sessionstore-backups/recovery.baklz4",
                "sessionstore-backups/recovery.jsonlz4",
                "sessionstore.jsonlz4"
            ],
            "{}",
            layout.os
        );
        let again = loginfix(
            h,
            layout.os,
            &["clear-cookies", "--browser", "firefox", "--json"],
        );
        again.assert_code(0);
        assert_eq!(again.json()["profiles"][0]["status"], "nothing_to_do");
    }
}

#[test]
fn session_files_keep_every_other_byte() {
    let home = sample_home("linux");
    let file = home.path().join(LINUX.firefox).join("sessionstore.jsonlz4");
    let before = loginfix::stores::firefox::mozlz4::decode(&std::fs::read(&file).unwrap()).unwrap();
    loginfix(
        home.path(),
        "linux",
        &["clear-cookies", "--browser", "firefox"],
    )
    .assert_code(0);
    let after = loginfix::stores::firefox::mozlz4::decode(&std::fs::read(&file).unwrap()).unwrap();
    let (before, after) = (
        String::from_utf8(before).unwrap(),
        String::from_utf8(after).unwrap(),
    );
    // The removed cookie object is exactly the difference.
    let start = before
        .find(r#"{"host":"chatgpt.com""#)
        .expect("the sample holds chatgpt.com's session cookie");
    // The cookie object ends where its braces balance (originAttributes nests one).
    let mut depth = 0;
    let mut end = start;
    for (i, b) in before.bytes().enumerate().skip(start) {
        depth += match b {
            b'{' => 1,
            b'}' => -1,
            _ => 0,
        };
        if depth == 0 {
            end = i + 1;
            break;
        }
    }
    // With its separator: the comma after it, or before it when it was the last one.
    let (from, to) = match (before.as_bytes()[start - 1], before.as_bytes()[end]) {
        (_, b',') => (start, end + 1),
        (b',', _) => (start - 1, end),
        _ => (start, end),
    };
    let expected = format!("{}{}", &before[..from], &before[to..]);
    assert_eq!(after, expected);
    assert!(!after.contains("lfxsecret_chatgpt"));
    assert!(after.contains("lfxsecret_example_org_session_only"));
}

#[test]
fn dry_run_on_a_sample_home_changes_no_byte_and_leaks_no_value() {
    let home = sample_home("linux");
    let before = snapshot(home.path());
    let mut all = String::new();
    for args in [
        &["clear-cookies", "--dry-run"][..],
        &["clear-cookies", "--dry-run", "--json", "-v"],
        &["clear-cache", "--dry-run", "--json"],
        &["browsers", "-v"],
    ] {
        let run = loginfix(home.path(), "linux", args);
        run.assert_code(0);
        all.push_str(&run.stdout);
        all.push_str(&run.stderr);
    }
    assert_unchanged(&before, home.path());
    assert!(all.contains("__Secure-next-auth.session-token"));
    assert!(!all.contains("lfxsecret"), "a cookie value leaked");
    // The real runs print nothing secret either.
    for args in [&["clear-cookies", "--json"][..], &["clear-cache", "-v"]] {
        let run = loginfix(home.path(), "linux", args);
        run.assert_code(0);
        assert!(!run.stdout.contains("lfxsecret") && !run.stderr.contains("lfxsecret"));
    }
}

#[test]
fn browsers_lists_the_sample_profiles() {
    let home = sample_home("linux");
    let run = loginfix(
        home.path(),
        "linux",
        &["browsers", "--browser", "chrome", "--browser", "firefox"],
    );
    run.assert_code(0);
    let h = home.path().display();
    let (cv, fv) = sample_versions(
        &home.path().join(LINUX.chrome),
        &home.path().join(LINUX.firefox),
    );
    let want = format!(
        "chrome
  Default \"Your Chromium\"  [stable] version {cv}
    path             {h}/.config/google-chrome/Default
    cookies          {h}/.config/google-chrome/Default/Cookies
    cache            {h}/.cache/google-chrome/Default/Cache/Cache_Data
    indexed_db       {h}/.config/google-chrome/Default/IndexedDB
    cache_storage    {h}/.config/google-chrome/Default/Service Worker/CacheStorage
    local_storage    {h}/.config/google-chrome/Default/Local Storage/leveldb
    session_storage  {h}/.config/google-chrome/Default/Session Storage
    service_worker   {h}/.config/google-chrome/Default/Service Worker/Database
    bucket           {h}/.config/google-chrome/Default/WebStorage/QuotaManager
  Profile 1 \"Person 1\"  [stable] version {cv}
    path             {h}/.config/google-chrome/Profile 1
    cookies          {h}/.config/google-chrome/Profile 1/Cookies
    cache            {h}/.cache/google-chrome/Profile 1/Cache/Cache_Data
    local_storage    {h}/.config/google-chrome/Profile 1/Local Storage/leveldb
    session_storage  {h}/.config/google-chrome/Profile 1/Session Storage
    bucket           {h}/.config/google-chrome/Profile 1/WebStorage/QuotaManager
firefox
  abcd1234.default-release \"default-release\"  [standard] version {fv}
    path             {h}/.mozilla/firefox/abcd1234.default-release
    cookies          {h}/.mozilla/firefox/abcd1234.default-release/cookies.sqlite
    session_restore+session_storage  {h}/.mozilla/firefox/abcd1234.default-release/sessionstore.jsonlz4
    session_restore+session_storage  {h}/.mozilla/firefox/abcd1234.default-release/sessionstore-backups/recovery.jsonlz4
    session_restore+session_storage  {h}/.mozilla/firefox/abcd1234.default-release/sessionstore-backups/recovery.baklz4
    cache            {h}/.cache/mozilla/firefox/abcd1234.default-release/cache2
    site_storage     {h}/.mozilla/firefox/abcd1234.default-release/storage/default
    quota_cache      {h}/.mozilla/firefox/abcd1234.default-release/storage.sqlite
    service_worker   {h}/.mozilla/firefox/abcd1234.default-release/serviceworker.txt
    local_storage    {h}/.mozilla/firefox/abcd1234.default-release/webappsstore.sqlite
    local_storage    {h}/.mozilla/firefox/abcd1234.default-release/storage/ls-archive.sqlite
"
    );
    assert_eq!(run.stdout, want);
}

/// Cache keys of a simple-cache or cache2 directory, read with the library's readers.
pub(crate) fn cache_urls(dir: &Path, firefox: bool) -> Vec<String> {
    let mut urls = Vec::new();
    let entries = if firefox {
        dir.join("entries")
    } else {
        dir.to_path_buf()
    };
    for e in std::fs::read_dir(entries).unwrap() {
        let p = e.unwrap().path();
        use loginfix::stores::entry_scan::key_text;
        let key = if firefox {
            key_text(&p, loginfix::stores::firefox::cache2::read_key)
        } else if p.to_string_lossy().ends_with("_0") {
            key_text(&p, loginfix::stores::chromium::simple_cache::read_key)
        } else {
            continue;
        };
        let key = key.unwrap();
        let parsed = if firefox {
            loginfix::stores::firefox::cache2::parse_key(&key)
        } else {
            loginfix::stores::chromium::cache_key::parse(&key)
        };
        let k = parsed.unwrap();
        urls.push(format!("{} {}", k.top_site.unwrap_or_default(), k.url));
    }
    urls.sort();
    urls
}

#[test]
fn cache_clean_of_real_caches_keeps_other_sites_entries() {
    let home = sample_home("linux");
    let h = home.path();
    let chrome = h.join(".cache/google-chrome/Default/Cache/Cache_Data");
    let ff = h.join(".cache/mozilla/firefox/abcd1234.default-release/cache2");
    let keep = |urls: Vec<String>| -> Vec<String> {
        urls.into_iter()
            .filter(|u| !u.contains("//chatgpt.com ") && !u.contains("//openai.com "))
            .collect()
    };
    let chrome_keep = keep(cache_urls(&chrome, false));
    let ff_keep = keep(cache_urls(&ff, true));
    assert_eq!(chrome_keep.len(), 9);
    assert_eq!(ff_keep.len(), 9);
    let run = loginfix(h, "linux", &["clear-cache", "--json"]);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["summary"]["removed"], 7 + 3 + 7);
    assert_eq!(json["summary"]["unreadable"], 0);
    assert_eq!(cache_urls(&chrome, false), chrome_keep);
    assert_eq!(cache_urls(&ff, true), ff_keep);
    assert!(!chrome.join("index-dir/the-real-index").exists());
    assert!(!ff.join("index").exists() && !ff.join("index.log").exists());
    let again = loginfix(h, "linux", &["clear-cache", "--json"]);
    assert_eq!(again.json()["summary"]["removed"], 0);
}

// ---------------------------------------------------------------- site data
//
// The pages of regen/server.py `/storage` wrote localStorage, sessionStorage, IndexedDB,
// Cache Storage and service workers in Chrome's `Default` profile and in Firefox, for
// chatgpt.com, auth.openai.com, example.org and notchatgpt.com, with example.org framed
// under chatgpt.com and chatgpt.com framed under example.org (profiles/README.md).

/// A host of the targets (chatgpt.com, openai.com and their subdomains); `notchatgpt.com`
/// is not one.
fn target_host(host: &str) -> bool {
    ["chatgpt.com", "openai.com"]
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
}

/// The host of `https://HOST[/...]`.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |p| p.1);
    rest.split(['/', ':', '^']).next().unwrap_or("")
}

/// Whether a Chromium storage key (`https://h/`, `https://h/^0https://top`) or a Firefox
/// origin with suffix (`https://h^partitionKey=%28https%2Ctop%29`) belongs to the targets.
fn target_key(key: &str) -> bool {
    if target_host(host_of(key)) {
        return true;
    }
    if let Some((_, top)) = key.split_once("^0") {
        return target_host(host_of(top));
    }
    if let Some((_, pk)) = key.split_once("^partitionKey=%28") {
        let site = pk.split("%2C").nth(1).unwrap_or("");
        return target_host(site.split("%29").next().unwrap_or(""));
    }
    false
}

/// (store, host, partition) of one planned item, plus the session file for Firefox's
/// sessionStorage (one item per tab holding it).
type Item = (String, String, String, String);

fn item(store: &str, host: &str, partition: &str) -> Item {
    (
        store.to_string(),
        host.to_string(),
        partition.to_string(),
        String::new(),
    )
}

/// The sessionStorage origins of each tab of a Firefox session file.
fn firefox_session_storage(file: &Path) -> Vec<String> {
    let Ok(data) = std::fs::read(file) else {
        return Vec::new();
    };
    let json = loginfix::stores::firefox::mozlz4::decode(&data).unwrap();
    let j: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let mut out = Vec::new();
    for w in j["windows"].as_array().into_iter().flatten() {
        for t in w["tabs"].as_array().into_iter().flatten() {
            if let Some(s) = t["storage"].as_object() {
                out.extend(s.keys().cloned());
            }
        }
    }
    out
}

/// What `clear-site-data` must plan for the sample's Chrome `Default` profile.
fn chrome_site_items() -> Vec<Item> {
    let mut v = Vec::new();
    for (host, part) in [
        ("chatgpt.com", ""),
        ("auth.openai.com", ""),
        ("example.org", "https://chatgpt.com"),
        ("chatgpt.com", "https://example.org"),
    ] {
        // The shared LevelDBs are edited per storage key, partitioned ones included, and
        // each storage key's bucket row (and its WebStorage/<id> directory) goes.
        for store in ["local_storage", "session_storage", "bucket"] {
            v.push(item(store, host, part));
        }
        // First-party default buckets keep IndexedDB, Cache Storage and service workers in
        // the profile's own directories.
        if part.is_empty() {
            for store in ["indexed_db", "cache_storage", "service_worker"] {
                v.push(item(store, host, part));
            }
        }
    }
    v.sort();
    v
}

/// What `clear-site-data` must plan for the sample's Firefox profile: every target origin
/// directory (and its row in storage.sqlite), the target service workers, and each tab's
/// target sessionStorage in each session file (those depend on timing: read them).
fn firefox_site_items(profile: &Path) -> Vec<Item> {
    let mut v = Vec::new();
    for (host, part) in [
        ("chatgpt.com", ""),
        ("auth.openai.com", ""),
        ("example.org", "https://chatgpt.com"),
        ("chatgpt.com", "https://example.org"),
    ] {
        v.push(item("site_storage", host, part));
        v.push(item("quota_cache", host, part));
        if part.is_empty() {
            v.push(item("service_worker", host, part));
        }
    }
    for file in [
        "sessionstore.jsonlz4",
        "sessionstore-backups/recovery.jsonlz4",
        "sessionstore-backups/recovery.baklz4",
    ] {
        for origin in firefox_session_storage(&profile.join(file)) {
            if !target_key(&origin) {
                continue;
            }
            let part = origin
                .split_once("^partitionKey=%28https%2C")
                .map(|(_, s)| format!("https://{}", s.trim_end_matches("%29")))
                .unwrap_or_default();
            v.push((
                "session_storage".into(),
                host_of(&origin).to_string(),
                part,
                file.to_string(),
            ));
        }
    }
    v.sort();
    v
}

/// The planned or done items of one profile of a `clear-site-data --json` run.
fn site_items(json: &serde_json::Value, browser: &str, profile: &str) -> Vec<Item> {
    let p = json["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["browser"] == browser && p["profile"] == profile)
        .unwrap_or_else(|| panic!("no {browser} {profile} in {json:#}"));
    let mut v: Vec<Item> = p["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let store = i["store"].as_str().unwrap().to_string();
            let file = if browser == "firefox" && store == "session_storage" {
                let f = i["file"].as_str().unwrap().replace('\\', "/");
                [
                    "sessionstore-backups/recovery.jsonlz4",
                    "sessionstore-backups/recovery.baklz4",
                ]
                .into_iter()
                .find(|s| f.ends_with(s))
                .unwrap_or("sessionstore.jsonlz4")
                .to_string()
            } else {
                String::new()
            };
            (
                store,
                i["host"].as_str().unwrap().to_string(),
                i["partition"].as_str().unwrap_or("").to_string(),
                file,
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn site_data_dry_run_lists_exactly_the_targets_stores_in_every_layout() {
    for layout in [LINUX, MACOS, WINDOWS] {
        let home = sample_home(layout.os);
        let h = home.path();
        let before = snapshot(h);
        let run = loginfix(h, layout.os, &["clear-site-data", "--dry-run", "--json"]);
        run.assert_code(0);
        assert_unchanged(&before, h);
        let json = run.json();
        let os = layout.os;
        assert_eq!(
            site_items(&json, "chrome", "Default"),
            chrome_site_items(),
            "{os}"
        );
        assert_eq!(
            site_items(&json, "chrome", "Profile 1"),
            Vec::<Item>::new(),
            "{os}"
        );
        if layout.edge.is_some() {
            assert_eq!(
                site_items(&json, "edge", "Default"),
                chrome_site_items(),
                "{os}"
            );
        }
        let ff = firefox_site_items(&h.join(layout.firefox));
        // The second tab, opened on example.org's page, always holds chatgpt.com's
        // sessionStorage framed under example.org (regen/inspect_home.py checks it).
        assert!(
            ff.contains(&(
                "session_storage".into(),
                "chatgpt.com".into(),
                "https://example.org".into(),
                "sessionstore.jsonlz4".into()
            )),
            "{os}: {ff:?}"
        );
        let profile = "abcd1234.default-release";
        assert_eq!(site_items(&json, "firefox", profile), ff, "{os}");
        if os == "macos" {
            // Safari's WebsiteData tree (regen/make_safari.py): chatgpt.com's top-origin
            // directory whole, auth.openai.com's, and chatgpt.com framed under example.org.
            let mut want = vec![
                item("website_data", "chatgpt.com", ""),
                item("website_data", "auth.openai.com", ""),
                item("website_data", "chatgpt.com", "https://example.org"),
            ];
            want.sort();
            assert_eq!(site_items(&json, "safari", "Default"), want);
        }
        // No item anywhere is another site's own data.
        for p in json["profiles"].as_array().unwrap() {
            for i in p["items"].as_array().unwrap() {
                assert_eq!(i["action"], "would_remove", "{os}: {i}");
                let host = i["host"].as_str().unwrap();
                let part = i["partition"].as_str().unwrap_or("");
                assert!(
                    target_host(host) || target_host(host_of(part)),
                    "{os}: another site's item {i}"
                );
            }
        }
        let planned = json["summary"]["would_remove"].as_u64().unwrap();
        let listed: usize = json["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["items"].as_array().unwrap().len())
            .sum();
        assert_eq!(planned as usize, listed, "{os}");
        let text = loginfix(h, layout.os, &["clear-site-data", "--dry-run"]);
        text.assert_code(0);
        assert!(!text.stdout.contains("lfx-"), "a stored value leaked");
        assert_unchanged(&before, h);
    }
}

/// Per-site directories of the other sites (and of the targets), by what they name.
struct SiteDirs {
    kept: Vec<PathBuf>,
    gone: Vec<PathBuf>,
}

fn site_dirs(h: &Path, layout: &Layout) -> SiteDirs {
    let ff = h.join(layout.firefox).join("storage/default");
    let mut kept = Vec::new();
    let mut gone = Vec::new();
    for host in [
        "chatgpt.com",
        "auth.openai.com",
        "example.org",
        "notchatgpt.com",
    ] {
        let list = if target_host(host) {
            &mut gone
        } else {
            &mut kept
        };
        list.push(ff.join(format!("https+++{host}")));
        for (_, prof) in layout.site_data_profiles(h) {
            list.push(prof.join(format!("IndexedDB/https_{host}_0.indexeddb.leveldb")));
            // Cache Storage: the directory whose index.txt names the origin.
            let cs = prof.join("Service Worker/CacheStorage");
            let want = format!("https://{host}/");
            let dir = std::fs::read_dir(&cs)
                .unwrap()
                .map(|e| e.unwrap().path())
                .find(|d| {
                    std::fs::read(d.join("index.txt"))
                        .map(|b| b.windows(want.len()).any(|w| w == want.as_bytes()))
                        .unwrap_or(false)
                })
                .unwrap_or_else(|| panic!("no Cache Storage of {host}"));
            list.push(dir);
        }
    }
    for p in [
        "https+++example.org^partitionKey=%28https%2Cchatgpt.com%29",
        "https+++chatgpt.com^partitionKey=%28https%2Cexample.org%29",
    ] {
        gone.push(ff.join(p));
    }
    // The partitioned buckets' directories (their ids from QuotaManager).
    for (_, prof) in layout.site_data_profiles(h) {
        let qm = rusqlite::Connection::open_with_flags(
            prof.join("WebStorage/QuotaManager"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        let mut st = qm.prepare("SELECT id, storage_key FROM buckets").unwrap();
        for r in st
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .unwrap()
        {
            let (id, key) = r.unwrap();
            let dir = prof.join(format!("WebStorage/{id}"));
            if key.contains("^0") {
                assert!(dir.is_dir(), "{key}: {}", dir.display());
                gone.push(dir);
            }
        }
    }
    if layout.os == "macos" {
        // Safari: by the `origin` file of each client directory, never by the hashed name.
        let root =
            h.join("Library/Containers/com.apple.Safari/Data/Library/WebKit/WebsiteData/Default");
        for top in std::fs::read_dir(&root).unwrap() {
            let top = top.unwrap().path();
            if !top.is_dir() {
                continue;
            }
            for client in std::fs::read_dir(&top).unwrap() {
                let client = client.unwrap().path();
                let bytes = std::fs::read(client.join("origin")).unwrap();
                let (t, c) =
                    loginfix::stores::safari::website_data::parse_origin_file(&bytes).unwrap();
                if target_host(host_of(&t)) {
                    gone.push(top.clone());
                } else if target_host(host_of(&c)) {
                    gone.push(client);
                } else {
                    kept.push(client);
                }
            }
        }
        gone.sort();
        gone.dedup();
        assert_eq!((kept.len(), gone.len()), (8, 13), "{kept:?} {gone:?}");
    }
    for d in kept.iter().chain(&gone) {
        assert!(d.is_dir(), "{}", d.display());
    }
    SiteDirs { kept, gone }
}

/// The pairs of a Chromium DOM-storage LevelDB whose storage key is another site's (or
/// that name no site, like `VERSION`); for Session Storage, the `map-<id>-` entries of the
/// maps the other sites' `namespace-` entries point to.
fn other_sites_pairs(db: &Path) -> Vec<(Vec<u8>, Vec<u8>)> {
    let pairs = loginfix::testing::leveldb::read_db(db);
    let storage_key = |k: &str| -> Option<String> {
        if let Some(r) = k.strip_prefix("META:") {
            Some(r.to_string())
        } else if let Some(r) = k.strip_prefix("METAACCESS:") {
            Some(r.to_string())
        } else if let Some(r) = k.strip_prefix('_') {
            Some(r.split('\0').next().unwrap_or("").to_string())
        } else {
            // namespace-<36-char guid>-<storage key>
            k.strip_prefix("namespace-")
                .map(|r| r.get(37..).unwrap_or("").to_string())
        }
    };
    let kept_maps: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k.starts_with(b"namespace-"))
        .filter(|(k, _)| !target_key(&storage_key(&String::from_utf8_lossy(k)).unwrap()))
        .map(|(_, v)| format!("map-{}-", String::from_utf8_lossy(v)))
        .collect();
    pairs
        .into_iter()
        .filter(|(k, _)| {
            let k = String::from_utf8_lossy(k);
            if k.starts_with("map-") {
                return kept_maps.iter().any(|m| k.starts_with(m.as_str()));
            }
            storage_key(&k).map_or(true, |sk| !target_key(&sk))
        })
        .collect()
}

#[test]
fn site_data_clean_removes_the_targets_keeps_the_others_and_restore_brings_it_back() {
    for layout in [LINUX, MACOS, WINDOWS] {
        let home = sample_home(layout.os);
        site_data_clean(home.path(), &layout, &|h, args| {
            loginfix(h, layout.os, args)
        });
    }
}

/// `clear-site-data` on a copy of a sample home at `h`, run by `run` (the native binary,
/// or the Windows one under Wine): the targets' stores go, every other site's directories
/// stay byte-for-byte and its keys in the shared databases stay, nothing is left to find,
/// and `restore` puts everything back.
pub(crate) fn site_data_clean(h: &Path, layout: &Layout, run: &dyn Fn(&Path, &[&str]) -> Run) {
    let os = layout.os;
    let loginfix = |h: &Path, _os: &str, args: &[&str]| run(h, args);
    let before = snapshot(h);
    let dirs = site_dirs(h, layout);
    let kept_before: Vec<_> = dirs.kept.iter().map(|d| snapshot(d)).collect();
    let shared: Vec<(PathBuf, Vec<_>)> = layout
        .site_data_profiles(h)
        .into_iter()
        .flat_map(|(_, prof)| {
            [
                prof.join("Local Storage/leveldb"),
                prof.join("Session Storage"),
            ]
        })
        .map(|db| {
            let pairs = other_sites_pairs(&db);
            assert!(pairs.len() > 2, "{os}: {}", db.display());
            (db, pairs)
        })
        .collect();
    let ff = h.join(layout.firefox);
    let sw_before = std::fs::read_to_string(ff.join("serviceworker.txt")).unwrap();

    let dry = loginfix(h, os, &["clear-site-data", "--dry-run", "--json"]).json();
    let run = loginfix(h, os, &["clear-site-data", "--json"]);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["summary"]["failed"], 0, "{os}: {json:#}");
    assert_eq!(
        json["summary"]["removed"], dry["summary"]["would_remove"],
        "{os}"
    );
    for (browser, _) in layout.site_data_profiles(h) {
        assert_eq!(
            site_items(&json, browser, "Default"),
            chrome_site_items(),
            "{os} {browser}"
        );
    }
    for d in &dirs.gone {
        assert!(!d.exists(), "{os}: {} is still there", d.display());
    }
    for (d, snap) in dirs.kept.iter().zip(&kept_before) {
        assert_unchanged(snap, d);
    }
    // The shared databases keep every other site's key and value.
    for (db, pairs) in &shared {
        assert_eq!(&other_sites_pairs(db), pairs, "{os}: {}", db.display());
    }
    // serviceworker.txt: the other sites' records stay, the targets' go.
    let sw = std::fs::read_to_string(ff.join("serviceworker.txt")).unwrap();
    for host in ["example.org", "notchatgpt.com"] {
        assert!(
            sw.contains(&format!("\nhttps://{host}/sw.js\n")),
            "{os}: {sw}"
        );
    }
    assert!(!sw.contains("//chatgpt.com/") && !sw.contains("auth.openai.com"));
    assert!(sw.len() < sw_before.len());
    // Firefox's session files keep the other sites' sessionStorage only.
    for file in [
        "sessionstore.jsonlz4",
        "sessionstore-backups/recovery.jsonlz4",
    ] {
        let left = firefox_session_storage(&ff.join(file));
        assert!(left.iter().all(|o| !target_key(o)), "{os} {file}: {left:?}");
    }
    // Cookies and HTTP caches are not site data's business.
    let cleaned = snapshot(h);
    for (rel, bytes) in &before {
        let s = rel.to_string_lossy();
        if s.ends_with("Cookies")
            || s.ends_with("cookies.sqlite")
            || s.contains("Cache_Data")
            || s.contains("cache2")
        {
            assert_eq!(cleaned.get(rel), Some(bytes), "{os}: {s}");
        }
    }

    // Nothing is left to find.
    let again = loginfix(h, os, &["clear-site-data", "--dry-run", "--json"]);
    again.assert_code(0);
    assert_eq!(again.json()["summary"]["would_remove"], 0, "{os}");

    // restore puts every removed directory and rewritten database back.
    let id = json["backup"]["id"].as_str().unwrap().to_string();
    loginfix(h, os, &["restore", &id]).assert_code(0);
    let after = snapshot(h);
    let differ: Vec<_> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .filter(|k| {
            !k.components().any(|c| c.as_os_str() == "loginfix")
                && !k.starts_with(".local/share")
                && k.as_os_str() != ".local"
        })
        .collect();
    // SQLite databases are backed up through SQLite's backup API, which copies the
    // pages, not the file: the same rows, not always the same bytes.
    let sample = repo().join("profiles").join(os);
    let (sqlite, other): (Vec<_>, Vec<_>) = differ.into_iter().partition(|k| {
        let name = k.file_name().unwrap().to_string_lossy();
        name == "QuotaManager" || name == "storage.sqlite"
    });
    assert!(other.is_empty(), "{os}: after restore {other:?}");
    for rel in sqlite {
        assert_eq!(
            sqlite_dump(&h.join(rel)),
            sqlite_dump(&sample.join(rel)),
            "{os}: {}",
            rel.display()
        );
    }
    let dry2 = loginfix(h, os, &["clear-site-data", "--dry-run", "--json"]).json();
    for (browser, _) in layout.site_data_profiles(h) {
        assert_eq!(
            site_items(&dry2, browser, "Default"),
            chrome_site_items(),
            "{os} {browser}"
        );
    }
}

/// Every row of every table of an SQLite database, as text, in order.
fn sqlite_dump(path: &Path) -> Vec<String> {
    let db =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = Vec::new();
    for t in tables {
        let mut st = db
            .prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1"))
            .unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        out.extend(rows.map(|r| format!("{t}: {}", r.unwrap())));
    }
    out
}
