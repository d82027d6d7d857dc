//! Safari on the macOS sample home: Cookies.binarycookies rewritten with only the target
//! cookies gone (checked by the independent PyPI `binarycookies` reader), Cache.db rows
//! and their fsCachedData files, named profiles, and damaged files left untouched.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::*;

const CONTAINER: &str = "Library/Containers/com.apple.Safari/Data/Library";

fn cookies_file(home: &Path) -> PathBuf {
    home.join(CONTAINER).join("Cookies/Cookies.binarycookies")
}

/// Every cookie of a binarycookies file as the PyPI `binarycookies` package reads it:
/// `domain name path value raw_flags expiry creation`. `None` (with a note) when the
/// package is not installed outside CI; in CI its absence fails the test.
fn independent_reader(file: &Path) -> Option<Vec<String>> {
    let script = "import sys, binarycookies\n\
        for c in binarycookies.load(open(sys.argv[1], 'rb')):\n\
        \x20   print(c.url, c.name, c.path, c.value, c.raw_flags, c.expiry_datetime.isoformat(), c.create_datetime.isoformat())\n";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(file)
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8(o.stdout).unwrap();
            Some(text.lines().map(str::to_string).collect())
        }
        other => {
            let why = match other {
                Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
                Err(e) => e.to_string(),
            };
            if std::env::var_os("CI").is_some() {
                panic!(
                    "the PyPI `binarycookies` reader is needed in CI (.ci/run installs it): {why}"
                );
            }
            eprintln!("skipped: independent binarycookies check ({why})");
            None
        }
    }
}

#[test]
fn binarycookies_keeps_exactly_the_other_cookies_intact() {
    let home = sample_home("macos");
    let file = cookies_file(home.path());
    let before = independent_reader(&file);
    let run = loginfix(
        home.path(),
        "macos",
        &["clear-cookies", "--browser", "safari", "--json"],
    );
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["summary"]["removed"], 4 + 1);
    let p = &json["profiles"][0];
    assert_eq!(p["profile"], "Default");
    assert_eq!(p["reason"].as_str().unwrap(), "running state not checked: Safari's running state can only be checked on the Mac itself; make sure Safari is closed");
    let hosts: Vec<_> = p["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{} {}",
                i["host"].as_str().unwrap(),
                i["name"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        hosts,
        [
            "chatgpt.com __Secure-next-auth.session-token",
            ".chatgpt.com oai-did",
            "auth.openai.com auth-session",
            ".openai.com oai-domain"
        ]
    );
    assert_eq!(json["profiles"][1]["name"], "Work");
    if let (Some(before), Some(after)) = (before, independent_reader(&file)) {
        let survivors: Vec<String> = before
            .iter()
            .filter(|l| {
                let domain = l.split(' ').next().unwrap();
                ![
                    "chatgpt.com",
                    ".chatgpt.com",
                    "auth.openai.com",
                    ".openai.com",
                ]
                .contains(&domain)
            })
            .cloned()
            .collect();
        assert_eq!(survivors.len(), 4);
        assert_eq!(after, survivors, "fields of the surviving cookies changed");
    }
    // The trailing plist is kept, and the rewritten file is one Safari's format readers accept.
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.windows(8).any(|w| w == b"bplist00"));
    let again = loginfix(
        home.path(),
        "macos",
        &["clear-cookies", "--browser", "safari", "--json"],
    );
    assert_eq!(again.json()["summary"]["removed"], 0);
}

#[test]
fn damaged_cookie_files_are_refused_without_writing() {
    let home = sample_home("macos");
    let file = cookies_file(home.path());
    let good = std::fs::read(&file).unwrap();
    let mut wrong_magic = good.clone();
    wrong_magic[0] = b'C';
    let mut oversized_offset = good.clone();
    // The first record offset of the first page: after `cook`, the count, the sizes, and
    // the page's magic and count.
    let pages = u32::from_be_bytes(good[4..8].try_into().unwrap()) as usize;
    let at = 8 + 4 * pages + 8;
    oversized_offset[at..at + 4].copy_from_slice(&0x00ff_ffffu32.to_le_bytes());
    for (what, bytes) in [
        ("truncated", good[..good.len() / 2].to_vec()),
        ("wrong magic", wrong_magic),
        ("oversized offset", oversized_offset),
    ] {
        write(&file, &bytes);
        let before = snapshot(home.path());
        let run = loginfix(
            home.path(),
            "macos",
            &[
                "clear-cookies",
                "--browser",
                "safari",
                "--profile",
                "Default",
            ],
        );
        run.assert_code(1);
        assert_unchanged(&before, home.path());
        assert!(
            run.stdout.contains(
                "was left untouched: it is not a binarycookies file this tool understands"
            ),
            "{what}: {}",
            run.stdout
        );
        assert!(run.stdout.contains(&file.display().to_string()), "{what}");
    }
}

#[test]
fn cache_db_rows_and_their_files_go_together() {
    let home = sample_home("macos");
    let caches = home.path().join(CONTAINER).join("Caches/com.apple.Safari");
    let before = snapshot(home.path());
    loginfix(
        home.path(),
        "macos",
        &["clear-cache", "--browser", "safari", "--dry-run"],
    )
    .assert_code(0);
    assert_unchanged(&before, home.path());
    let run = loginfix(
        home.path(),
        "macos",
        &["clear-cache", "--browser", "safari", "--json"],
    );
    run.assert_code(0);
    // Four Cache.db entries and the four WebKit cache records of the same URLs.
    assert_eq!(run.json()["summary"]["removed"], 8);
    assert_eq!(run.json()["summary"]["unreadable"], 0);
    let conn = rusqlite::Connection::open(caches.join("Cache.db")).unwrap();
    let keys: Vec<String> = conn
        .prepare("SELECT request_key FROM cfurl_cache_response ORDER BY entry_ID")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        keys,
        [
            "https://example.org/app.js",
            "https://cdn.oaistatic.com/logo.png [example.org]",
            "https://notchatgpt.com/app.js",
            "https://chatgpt.com.evil.org/app.js"
        ]
    );
    for table in ["cfurl_cache_blob_data", "cfurl_cache_receiver_data"] {
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {table} WHERE entry_ID NOT IN (SELECT entry_ID FROM cfurl_cache_response)"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "orphan rows in {table}");
    }
    let mut files: Vec<String> = std::fs::read_dir(caches.join("fsCachedData"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    // Entry 2 (chatgpt.com/app.js) kept its body on disk: gone; entry 5 (example.org): kept.
    assert_eq!(files, ["00000005-0000-4000-8000-000000000005"]);

    // The WebKit cache keeps only the other sites' records (read back with the parser).
    let mut left: Vec<String> =
        loginfix::stores::safari::webkit_cache::record_files(&caches.join("WebKitCache"))
            .unwrap()
            .iter()
            .map(|f| {
                let k = loginfix::stores::safari::webkit_cache::read_record_key(f).unwrap();
                format!("{} {}", k.partition, k.identifier)
            })
            .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "evil.org https://chatgpt.com.evil.org/app.js",
            "example.org https://cdn.oaistatic.com/logo.png",
            "example.org https://example.org/app.js",
            "notchatgpt.com https://notchatgpt.com/app.js"
        ]
    );
    let again = loginfix(
        home.path(),
        "macos",
        &["clear-cache", "--browser", "safari", "--json"],
    );
    assert_eq!(again.json()["summary"]["removed"], 0);
}

#[test]
fn a_damaged_webkit_record_is_reported_and_left() {
    let home = sample_home("macos");
    let caches = home
        .path()
        .join(CONTAINER)
        .join("Caches/com.apple.Safari/WebKitCache");
    let records = loginfix::stores::safari::webkit_cache::record_files(&caches).unwrap();
    let victim = records[0].clone();
    let bytes = std::fs::read(&victim).unwrap();
    write(&victim, &bytes[..bytes.len() / 3]);
    let run = loginfix(
        home.path(),
        "macos",
        &[
            "clear-cache",
            "--browser",
            "safari",
            "--profile",
            "Default",
            "--json",
        ],
    );
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["summary"]["unreadable"], 1);
    assert!(victim.exists(), "unreadable records are left alone");
    let store = json["profiles"][0]["stores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["file"] == caches.display().to_string())
        .unwrap()
        .clone();
    assert_eq!(store["unreadable"][0]["file"], victim.display().to_string());
}

/// A named profile's HTTP cache, `WebsiteDataStore/<uuid>/NetworkCache`, is in the
/// default profile's format: its targets' records go, the other sites' stay.
#[test]
fn a_named_profile_s_network_cache_loses_only_the_targets_records() {
    let home = sample_home("macos");
    let data = home.path().join(CONTAINER);
    let uuid = "6c5e2f0a-3b1d-4e8f-9a7c-2d4b6e8f0a1c";
    let cache = data
        .join("WebKit/WebsiteDataStore")
        .join(uuid)
        .join("NetworkCache");
    std::fs::create_dir_all(&cache).unwrap();
    copy_tree(&data.join("Caches/com.apple.Safari/WebKitCache"), &cache);
    let keys = |dir: &Path| -> Vec<String> {
        let mut k: Vec<String> = loginfix::stores::safari::webkit_cache::record_files(dir)
            .unwrap()
            .iter()
            .map(|f| {
                let k = loginfix::stores::safari::webkit_cache::read_record_key(f).unwrap();
                format!("{} {}", k.partition, k.identifier)
            })
            .collect();
        k.sort();
        k
    };
    let before = keys(&cache);
    let run = loginfix(
        home.path(),
        "macos",
        &[
            "clear-cache",
            "--browser",
            "safari",
            "--profile",
            uuid,
            "--json",
        ],
    );
    run.assert_code(0);
    let json = run.json();
    let removed = json["summary"]["removed"].as_u64().unwrap();
    assert!(removed > 0, "{json:#}");
    let after = keys(&cache);
    assert_eq!(after.len() + removed as usize, before.len());
    assert_eq!(
        after,
        [
            "evil.org https://chatgpt.com.evil.org/app.js",
            "example.org https://cdn.oaistatic.com/logo.png",
            "example.org https://example.org/app.js",
            "notchatgpt.com https://notchatgpt.com/app.js"
        ]
    );
}
