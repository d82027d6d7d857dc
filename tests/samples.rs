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

struct Layout {
    os: &'static str,
    chrome: &'static str,
    cookies: &'static str,
    firefox: &'static str,
}

const LINUX: Layout = Layout {
    os: "linux",
    chrome: ".config/google-chrome",
    cookies: "Cookies",
    firefox: ".mozilla/firefox/abcd1234.default-release",
};
const MACOS: Layout = Layout {
    os: "macos",
    chrome: "Library/Application Support/Google/Chrome",
    cookies: "Cookies",
    firefox: "Library/Application Support/Firefox/Profiles/abcd1234.default-release",
};
const WINDOWS: Layout = Layout {
    os: "windows",
    chrome: "AppData/Local/Google/Chrome/User Data",
    cookies: "Network/Cookies",
    firefox: "AppData/Roaming/Mozilla/Firefox/Profiles/abcd1234.default-release",
};

impl Layout {
    fn chrome_db(&self, home: &Path, profile: &str) -> PathBuf {
        home.join(self.chrome).join(profile).join(self.cookies)
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
    let want = format!(
        "chrome
  Default \"Your Chromium\"  [stable] version 156.0.8078.79
    path   {h}/.config/google-chrome/Default
    cookies {h}/.config/google-chrome/Default/Cookies
    cache  {h}/.cache/google-chrome/Default/Cache/Cache_Data
  Profile 1 \"Person 1\"  [stable] version 156.0.8078.79
    path   {h}/.config/google-chrome/Profile 1
    cookies {h}/.config/google-chrome/Profile 1/Cookies
    cache  {h}/.cache/google-chrome/Profile 1/Cache/Cache_Data
firefox
  abcd1234.default-release \"default-release\"  [standard] version 153.7.0
    path   {h}/.mozilla/firefox/abcd1234.default-release
    cookies {h}/.mozilla/firefox/abcd1234.default-release/cookies.sqlite
    session {h}/.mozilla/firefox/abcd1234.default-release/sessionstore.jsonlz4
    session {h}/.mozilla/firefox/abcd1234.default-release/sessionstore-backups/recovery.jsonlz4
    session {h}/.mozilla/firefox/abcd1234.default-release/sessionstore-backups/recovery.baklz4
    cache  {h}/.cache/mozilla/firefox/abcd1234.default-release/cache2
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
