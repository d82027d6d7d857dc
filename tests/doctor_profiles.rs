//! `loginfix doctor`'s per-profile checks (issue 14): fixture homes on the Linux, macOS
//! and Windows layouts, each finding paired with a look-alike that must not be
//! reported, the exit codes, bad input, and proof that doctor writes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::util::*;

const OSES: [&str; 3] = ["linux", "macos", "windows"];

/// The Chrome user-data dir of a home on `os`.
fn chrome_udd(home: &Path, os: &str) -> PathBuf {
    match os {
        "linux" => home.join(".config/google-chrome"),
        "macos" => home.join("Library/Application Support/Google/Chrome"),
        _ => home.join("AppData/Local/Google/Chrome/User Data"),
    }
}

fn brave_udd(home: &Path, os: &str) -> PathBuf {
    match os {
        "linux" => home.join(".config/BraveSoftware/Brave-Browser"),
        "macos" => home.join("Library/Application Support/BraveSoftware/Brave-Browser"),
        _ => home.join("AppData/Local/BraveSoftware/Brave-Browser/User Data"),
    }
}

/// The Firefox root (where `profiles.ini` lives) of a home on `os`.
fn firefox_root(home: &Path, os: &str) -> PathBuf {
    match os {
        "linux" => home.join(".mozilla/firefox"),
        "macos" => home.join("Library/Application Support/Firefox"),
        _ => home.join("AppData/Roaming/Mozilla/Firefox"),
    }
}

/// Firefox profiles `names` (relative dirs) listed in `profiles.ini`; returns their dirs.
fn firefox_profiles(home: &Path, os: &str, names: &[&str]) -> Vec<PathBuf> {
    let root = firefox_root(home, os);
    let mut ini = String::new();
    for (i, n) in names.iter().enumerate() {
        ini.push_str(&format!(
            "[Profile{i}]\nName={n}\nIsRelative=1\nPath={n}\n\n"
        ));
        std::fs::create_dir_all(root.join(n)).unwrap();
    }
    ini.push_str("[General]\nStartWithLastProfile=1\nVersion=2\n");
    write(&root.join("profiles.ini"), ini);
    names.iter().map(|n| root.join(n)).collect()
}

fn prefs(dir: &Path, file: &str, value: &Value) {
    write(
        &dir.join(file),
        serde_json::to_string_pretty(value).unwrap(),
    );
}

/// `loginfix --home H --root R --os OS --json doctor ARGS`.
fn doctor(home: &Path, root: &Path, os: &str, args: &[&str]) -> Run {
    let mut all = vec![
        "--home".to_string(),
        home.display().to_string(),
        "--root".to_string(),
        root.display().to_string(),
        "--os".to_string(),
        os.to_string(),
        "--json".to_string(),
        "doctor".to_string(),
    ];
    all.extend(args.iter().map(|s| s.to_string()));
    let run = raw(&all, home);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// `id browser profile site-or-server` of each finding, excluding the ones every
/// fixture gets for free (`not_checked` is not a finding).
fn found(json: &Value) -> Vec<String> {
    let mut out: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = &f["params"];
            let what = ["site", "server", "extension", "from"]
                .iter()
                .find_map(|k| p[*k].as_str())
                .unwrap_or("-");
            format!(
                "{} {} {} {} {}",
                f["id"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["browser"].as_str().unwrap_or("-"),
                f["profile"].as_str().unwrap_or("-"),
                what
            )
        })
        .collect();
    out.sort();
    out
}

fn unread(json: &Value) -> Vec<String> {
    let mut out: Vec<String> = json["unread"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let file = PathBuf::from(u["file"].as_str().unwrap());
            format!(
                "{} {} {}",
                u["profile"].as_str().unwrap_or("-"),
                file.file_name().unwrap().to_string_lossy(),
                u["reason"].as_str().unwrap()
            )
        })
        .collect();
    out.sort();
    out
}

fn sorted(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

fn exceptions(cookies: Value, javascript: Value) -> Value {
    json!({"profile": {"content_settings": {"exceptions": {
        "cookies": cookies, "javascript": javascript
    }}}})
}

#[test]
fn chromium_site_exceptions_on_every_layout() {
    for os in OSES {
        let home = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        let udd = chrome_udd(home.path(), os);
        let hits = exceptions(
            json!({
                "[*.]chatgpt.com,*": {"setting": 2, "last_modified": "13440582612039839"},
                "https://auth.openai.com:443,*": {"setting": 4},
                "[*.]notchatgpt.com,*": {"setting": 2},
                "chatgpt.com.evil.org,*": {"setting": 2},
                "[*.]chatgpt.com.evil.org,*": {"setting": 4},
                // A third-party allowance on openai.com, not a block of its cookies.
                "*,[*.]openai.com": {"setting": 2},
                "[*.]example.org,*": {"setting": 2}
            }),
            json!({
                "[*.]openai.com,*": {"setting": 2},
                "[*.]notchatgpt.com,*": {"setting": 2},
                "[*.]chatgpt.com,*": {"setting": 1}
            }),
        );
        // Windows and macOS keep tracked prefs in `Secure Preferences`, which wins.
        if os == "linux" {
            prefs(&udd.join("Default"), "Preferences", &hits);
        } else {
            prefs(
                &udd.join("Default"),
                "Preferences",
                &exceptions(
                    json!({"[*.]chatgpt.com,*": {"setting": 1}}),
                    json!({"[*.]openai.com,*": {"setting": 1}}),
                ),
            );
            prefs(&udd.join("Default"), "Secure Preferences", &hits);
        }
        // Broader patterns count: `[*.]com` and `*` reach the targets.
        prefs(
            &udd.join("Profile 1"),
            "Preferences",
            &exceptions(
                json!({"[*.]com,*": {"setting": 2}}),
                json!({"*,*": {"setting": 2}}),
            ),
        );
        // A more specific allow wins for the targets it covers; one target left is enough.
        prefs(
            &udd.join("Profile 3"),
            "Preferences",
            &exceptions(
                json!({"[*.]com,*": {"setting": 2}, "[*.]chatgpt.com,*": {"setting": 1}, "[*.]openai.com,*": {"setting": 1}}),
                json!({"*,*": {"setting": 2}, "[*.]chatgpt.com,*": {"setting": 1}}),
            ),
        );
        // An expired block is gone.
        prefs(
            &udd.join("Profile 2"),
            "Preferences",
            &exceptions(
                json!({"[*.]chatgpt.com,*": {"setting": 2, "expiration": "13000000000000000"}}),
                json!({}),
            ),
        );
        let run = doctor(home.path(), root.path(), os, &["--browser", "chrome"]);
        run.assert_code(1);
        let json = run.json();
        assert_eq!(
            found(&json),
            sorted(&[
                "cookies_blocked error chrome Default [*.]chatgpt.com",
                "cookies_session_only warning chrome Default https://auth.openai.com:443",
                "javascript_blocked error chrome Default [*.]openai.com",
                "cookies_blocked error chrome Profile 1 [*.]com",
                "javascript_blocked error chrome Profile 1 all sites",
                "javascript_blocked error chrome Profile 3 all sites",
            ]),
            "{os}"
        );
        let f = &json["findings"].as_array().unwrap()[0];
        assert_eq!(f["scope"], "profile");
        let file = f["evidence"]["file"].as_str().unwrap();
        let expected = if os == "linux" {
            "Preferences"
        } else {
            "Secure Preferences"
        };
        assert!(file.ends_with(expected), "{os}: {file}");
        assert!(!f["advice"].as_str().unwrap().is_empty());
        assert_eq!(json["unread"], json!([]));
    }
}

#[test]
fn chromium_defaults_unless_every_target_is_allowed() {
    let home = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let udd = chrome_udd(home.path(), "linux");
    let defaults = |cookies: i64, js: i64| json!({"profile": {"default_content_setting_values": {"cookies": cookies, "javascript": js}}});
    prefs(&udd.join("Default"), "Preferences", &defaults(2, 2));
    prefs(&udd.join("Profile 1"), "Preferences", &defaults(4, 1));
    // Blocked by default but allowed for both targets: the login works.
    let mut allowed = defaults(2, 1);
    allowed["profile"]["content_settings"] = json!({"exceptions": {"cookies": {
        "[*.]chatgpt.com,*": {"setting": 1}, "[*.]openai.com,*": {"setting": 1}
    }}});
    prefs(&udd.join("Profile 2"), "Preferences", &allowed);
    // Allowed only for a look-alike and for one target: still blocked.
    let mut half = defaults(2, 1);
    half["profile"]["content_settings"] = json!({"exceptions": {"cookies": {
        "[*.]chatgpt.com,*": {"setting": 1}, "[*.]notopenai.com,*": {"setting": 1}
    }}});
    prefs(&udd.join("Profile 3"), "Preferences", &half);
    let run = doctor(home.path(), root.path(), "linux", &[]);
    run.assert_code(1);
    assert_eq!(
        found(&run.json()),
        sorted(&[
            "cookies_blocked error chrome Default all sites",
            "javascript_blocked error chrome Default all sites",
            "cookies_session_only warning chrome Profile 1 all sites",
            "cookies_blocked error chrome Profile 3 all sites",
        ])
    );
}

#[test]
fn chromium_translate_proxy_extension_doh_third_party() {
    for os in OSES {
        let home = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        let udd = chrome_udd(home.path(), os);
        let ext = |name: &str, state: i64, mode: &str| {
            json!({
                "location": 1, "state": state,
                "disable_reasons": if state == 1 { json!([]) } else { json!([1]) },
                "manifest": {"name": name, "version": "1.0", "manifest_version": 3},
                "preferences": {"proxy": {"mode": mode, "server": "user:pw@proxy.example:3128", "bypass_list": "localhost"}}
            })
        };
        prefs(
            &udd.join("Default"),
            "Preferences",
            &json!({
                "translate_allowlists": {"en": "ja"},
                "translate_site_blocklist_with_time": {"notchatgpt.com": "13440582612039839"},
                "proxy": {"mode": "fixed_servers", "server": "10.9.8.7:8080"},
                "profile": {"cookie_controls_mode": 1},
                "extensions": {"settings": {
                    "aaaabbbbccccddddeeeeffffgggghhhh": ext("Speedy VPN", 1, "fixed_servers"),
                    "hhhhggggffffeeeeddddccccbbbbaaaa": ext("Old VPN", 0, "fixed_servers"),
                    "bbbbccccddddeeeeffffgggghhhhaaaa": ext("Direct", 1, "system")
                }}
            }),
        );
        // Look-alikes: chatgpt.com never translated, "en" → "en", translation off, the
        // system proxy, blocking third-party cookies in incognito only (2).
        prefs(
            &udd.join("Profile 1"),
            "Preferences",
            &json!({
                "translate_allowlists": {"en": "ja"},
                "translate_site_blocklist_with_time": {"chatgpt.com": "13440582612039839"},
                "proxy": {"mode": "system"},
                "profile": {"cookie_controls_mode": 2}
            }),
        );
        prefs(
            &udd.join("Profile 2"),
            "Preferences",
            &json!({"translate_allowlists": {"en": "en"}, "proxy": {"mode": "direct"}}),
        );
        prefs(
            &udd.join("Profile 3"),
            "Preferences",
            &json!({"translate": {"enabled": false}, "translate_allowlists": {"fr": "de"}}),
        );
        write(
            &udd.join("Local State"),
            json!({"dns_over_https": {"mode": "secure", "templates": "https://dns.filter.example/dns-query{?dns}"},
                   "profile": {"info_cache": {"Default": {"name": "Me"}, "Profile 1": {}, "Profile 2": {}, "Profile 3": {}}}})
            .to_string(),
        );
        let run = doctor(home.path(), root.path(), os, &[]);
        run.assert_code(1);
        let json = run.json();
        let mut want = vec![
            "auto_translate warning chrome Default en".to_string(),
            "proxy_extension warning chrome Default proxy.example:3128".to_string(),
            "third_party_cookies_blocked info chrome Default -".to_string(),
        ];
        for p in ["Default", "Profile 1", "Profile 2", "Profile 3"] {
            want.push(format!(
                "dns_over_https_custom info chrome {p} https://dns.filter.example/dns-query"
            ));
        }
        want.sort();
        assert_eq!(found(&json), want, "{os}");
        let ext = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "proxy_extension")
            .unwrap();
        assert_eq!(ext["params"]["extension"], "Speedy VPN");
        assert!(ext["advice"].as_str().unwrap().contains("Speedy VPN"));
        // Credentials in a proxy setting never reach the report.
        assert!(!run.stdout.contains("pw@"), "{}", run.stdout);
    }
    // Without an extension in charge, the profile's own proxy is the finding.
    let home = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let udd = chrome_udd(home.path(), "linux");
    prefs(
        &udd.join("Default"),
        "Preferences",
        &json!({"proxy": {"mode": "pac_script", "pac_url": "https://pac.example/proxy.pac?token=s3cret"}}),
    );
    prefs(
        &udd.join("Profile 1"),
        "Preferences",
        &json!({"proxy": {"mode": "fixed_servers", "server": "10.9.8.7:8080"}}),
    );
    let run = doctor(home.path(), root.path(), "linux", &[]);
    run.assert_code(1);
    assert_eq!(
        found(&run.json()),
        sorted(&[
            "proxy_browser warning chrome Default PAC https://pac.example/proxy.pac",
            "proxy_browser warning chrome Profile 1 10.9.8.7:8080",
        ])
    );
    assert!(!run.stdout.contains("s3cret"));
}

#[test]
fn brave_shields_for_a_target_unless_shields_are_down() {
    for os in OSES {
        let home = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        let udd = brave_udd(home.path(), os);
        let shields = |fp: Value, down: Value| {
            json!({"profile": {"content_settings": {"exceptions": {
                "fingerprintingV2": fp, "braveShields": down
            }}}})
        };
        prefs(
            &udd.join("Default"),
            "Preferences",
            &shields(
                json!({"[*.]chatgpt.com,*": {"setting": 2}, "[*.]notchatgpt.com,*": {"setting": 2}}),
                json!({"notchatgpt.com,*": {"setting": 2}}),
            ),
        );
        prefs(
            &udd.join("Profile 1"),
            "Preferences",
            &shields(
                json!({"[*.]chatgpt.com,*": {"setting": 2}}),
                json!({"chatgpt.com,*": {"setting": 2}}),
            ),
        );
        let run = doctor(home.path(), root.path(), os, &["--browser", "brave"]);
        run.assert_code(1);
        assert_eq!(
            found(&run.json()),
            ["shields_strict warning brave Default [*.]chatgpt.com"],
            "{os}"
        );
    }
}

/// A `permissions.sqlite` with Firefox's `moz_perms` schema and `rows`.
fn permissions(path: &Path, rows: &[(&str, &str, i64)], wal: bool) -> rusqlite::Connection {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let conn = rusqlite::Connection::open(path).unwrap();
    if wal {
        conn.pragma_update(None, "journal_mode", "wal").unwrap();
        conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    }
    conn.execute_batch(
        "CREATE TABLE moz_perms (id INTEGER PRIMARY KEY, origin TEXT, type TEXT, permission INTEGER, \
         expireType INTEGER, expireTime INTEGER, modificationTime INTEGER);
         CREATE TABLE moz_hosts (id INTEGER PRIMARY KEY, host TEXT, type TEXT, permission INTEGER, \
         expireType INTEGER, expireTime INTEGER, modificationTime INTEGER, isInBrowserElement INTEGER);",
    )
    .unwrap();
    for (origin, type_, perm) in rows {
        conn.execute(
            "INSERT INTO moz_perms (origin, type, permission, expireType, expireTime, modificationTime) \
             VALUES (?1, ?2, ?3, 0, 0, 1764000000000)",
            rusqlite::params![origin, type_, perm],
        )
        .unwrap();
    }
    conn
}

#[test]
fn firefox_prefs_user_js_and_permissions_on_every_layout() {
    for os in OSES {
        let home = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        let dirs = firefox_profiles(home.path(), os, &["a.hit", "b.lookalike", "c.thirdparty"]);
        write(
            &dirs[0].join("prefs.js"),
            "// Mozilla User Preferences\n\
             user_pref(\"network.cookie.cookieBehavior\", 2);\n\
             user_pref(\"javascript.enabled\", false);\n\
             user_pref(\"privacy.resistFingerprinting\", true);\n\
             user_pref(\"browser.privatebrowsing.autostart\", true);\n\
             user_pref(\"privacy.sanitize.sanitizeOnShutdown\", true);\n\
             user_pref(\"browser.translations.alwaysTranslateLanguages\", \"en\");\n\
             user_pref(\"network.proxy.type\", 0);\n\
             user_pref(\"network.proxy.ssl\", \"proxy.corp.example\");\n\
             user_pref(\"network.proxy.ssl_port\", 3128);\n\
             user_pref(\"network.trr.mode\", 3);\n\
             user_pref(\"network.trr.custom_uri\", \"https://doh.filter.example/dns-query\");\n",
        );
        // user.js is applied last: it turns the manual proxy on.
        write(
            &dirs[0].join("user.js"),
            "user_pref(\"network.proxy.type\", 1); // arkenfox-style comment\n",
        );
        permissions(
            &dirs[0].join("permissions.sqlite"),
            &[
                ("https://chatgpt.com", "cookie", 2),
                ("https://auth.openai.com", "cookie", 8),
                ("https://notchatgpt.com", "cookie", 2),
                ("https://chatgpt.com.evil.org", "cookie", 2),
                ("https://openai.com", "cookie", 1),
                ("https://chatgpt.com", "popup", 2),
            ],
            false,
        );
        // Look-alikes: what prefs.js says, user.js undoes; the rest are off-values (the
        // v2 cookie pref counts only once Firefox has moved to it: case 174 and 175).
        write(
            &dirs[1].join("prefs.js"),
            "user_pref(\"network.cookie.cookieBehavior\", 2);\n\
             user_pref(\"javascript.enabled\", true);\n\
             user_pref(\"privacy.resistFingerprinting\", true);\n\
             user_pref(\"privacy.sanitize.sanitizeOnShutdown\", true);\n\
             user_pref(\"privacy.clearOnShutdown_v2.cookiesAndStorage\", false);\n\
             user_pref(\"privacy.sanitize.clearOnShutdown.hasMigratedToNewPrefs3\", true);\n\
             user_pref(\"browser.translations.enable\", false);\n\
             user_pref(\"browser.translations.alwaysTranslateLanguages\", \"en\");\n\
             user_pref(\"network.proxy.type\", 1);\n\
             user_pref(\"network.trr.mode\", 2);\n\
             user_pref(\"network.cookie.cookieBehavior.pbmode\", 2);\n",
        );
        write(
            &dirs[1].join("user.js"),
            "user_pref(\"network.cookie.cookieBehavior\", 5);\n\
             user_pref(\"privacy.resistFingerprinting\", false);\n",
        );
        write(
            &dirs[2].join("prefs.js"),
            "user_pref(\"network.cookie.cookieBehavior\", 1);\n",
        );
        // A container's deny row counts; an expired one (expireType 2) does not.
        let conn = permissions(
            &dirs[2].join("permissions.sqlite"),
            &[("https://chatgpt.com^userContextId=2", "cookie", 2)],
            false,
        );
        conn.execute(
            "INSERT INTO moz_perms (origin, type, permission, expireType, expireTime, modificationTime) \
             VALUES ('https://openai.com', 'cookie', 2, 2, 1000, 0)",
            [],
        )
        .unwrap();
        drop(conn);
        let run = doctor(home.path(), root.path(), os, &["--browser", "firefox"]);
        run.assert_code(1);
        let json = run.json();
        assert_eq!(
            found(&json),
            sorted(&[
                "cookies_blocked error firefox a.hit all sites",
                "cookies_blocked error firefox a.hit chatgpt.com",
                "cookies_session_only warning firefox a.hit all sites",
                "cookies_session_only warning firefox a.hit auth.openai.com",
                "javascript_blocked error firefox a.hit all sites",
                "resist_fingerprinting warning firefox a.hit -",
                "private_only info firefox a.hit -",
                "auto_translate warning firefox a.hit en",
                "proxy_browser warning firefox a.hit proxy.corp.example:3128",
                "dns_over_https_custom info firefox a.hit https://doh.filter.example/dns-query",
                "third_party_cookies_blocked info firefox c.thirdparty -",
                "cookies_blocked error firefox c.thirdparty chatgpt.com",
            ]),
            "{os}"
        );
        let proxy = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "proxy_browser")
            .unwrap();
        assert!(proxy["evidence"]["file"]
            .as_str()
            .unwrap()
            .ends_with("user.js"));
        assert_eq!(proxy["evidence"]["key"], "network.proxy.type (line 1)");
    }
}

#[test]
fn firefox_translation_never_list_and_cookie_allow_win() {
    let home = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let dirs = firefox_profiles(home.path(), "linux", &["a", "b"]);
    for d in &dirs {
        write(
            &d.join("prefs.js"),
            "user_pref(\"browser.translations.alwaysTranslateLanguages\", \"en,fr\");\n\
             user_pref(\"network.cookie.cookieBehavior\", 2);\n",
        );
    }
    permissions(
        &dirs[0].join("permissions.sqlite"),
        &[
            ("https://chatgpt.com", "translations", 2),
            ("https://chatgpt.com", "cookie", 1),
            ("https://openai.com", "cookie", 1),
        ],
        false,
    );
    permissions(
        &dirs[1].join("permissions.sqlite"),
        &[
            ("https://notchatgpt.com", "translations", 2),
            ("https://chatgpt.com", "cookie", 1),
        ],
        false,
    );
    let run = doctor(home.path(), root.path(), "linux", &[]);
    run.assert_code(1);
    assert_eq!(
        found(&run.json()),
        sorted(&[
            "auto_translate warning firefox b en,fr",
            "cookies_blocked error firefox b all sites",
        ])
    );
}

/// Writes a binary plist with `dict` as Safari's preferences in the sandbox container.
fn safari_prefs(home: &Path, dict: Value) -> PathBuf {
    let lib = home.join("Library/Containers/com.apple.Safari/Data/Library");
    std::fs::create_dir_all(lib.join("Safari")).unwrap();
    let file = lib.join("Preferences/com.apple.Safari.plist");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let value: plist::Value = plist::to_value(&dict).unwrap();
    value.to_file_binary(&file).unwrap();
    file
}

#[test]
fn safari_global_switches() {
    let home = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    safari_prefs(
        home.path(),
        json!({
            "WebKitJavaScriptEnabled": false,
            "WebKitPreferences.storageBlockingPolicy": 1,
            "WebKitStorageBlockingPolicy": 2,
            "EnableEnhancedPrivacyInRegularBrowsing": true,
            "OpenPrivateWindowWhenNotRestoringSessionAtLaunch": true,
            "SendDoNotTrackHTTPHeader": true
        }),
    );
    let run = doctor(home.path(), root.path(), "macos", &["--browser", "safari"]);
    run.assert_code(1);
    assert_eq!(
        found(&run.json()),
        sorted(&[
            "javascript_blocked error safari Default all sites",
            "cookies_blocked warning safari Default all sites",
            "resist_fingerprinting warning safari Default -",
            "private_only info safari Default -",
        ])
    );
    // The defaults (JavaScript on, cross-site tracking prevention) are no finding.
    let home = tempfile::tempdir().unwrap();
    safari_prefs(
        home.path(),
        json!({
            "WebKitJavaScriptEnabled": true,
            "WebKitPreferences": {"javaScriptEnabled": true, "storageBlockingPolicy": 1},
            "WebKitStorageBlockingPolicy": 1,
            "BlockStoragePolicy": 2,
            "EnableEnhancedPrivacyInRegularBrowsing": false
        }),
    );
    let run = doctor(home.path(), root.path(), "macos", &["--browser", "safari"]);
    run.assert_code(0);
    assert_eq!(found(&run.json()), Vec::<String>::new());
}

#[test]
fn safari_unreadable_and_broken_plists_are_unread() {
    let home = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let file = safari_prefs(home.path(), json!({}));
    write(&file, b"bplist00 broken");
    let run = doctor(home.path(), root.path(), "macos", &["--browser", "safari"]);
    run.assert_code(4);
    let u = unread(&run.json());
    assert_eq!(u.len(), 1, "{u:?}");
    assert!(u[0].starts_with("Default com.apple.Safari.plist not a valid property list"));
    // Permission denied (TCC) says what to do; root reads anything, so only as a user.
    #[cfg(unix)]
    if unsafe_euid_is_not_root() {
        use std::os::unix::fs::PermissionsExt;
        safari_prefs(home.path(), json!({}));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
        let run = doctor(home.path(), root.path(), "macos", &["--browser", "safari"]);
        run.assert_code(4);
        assert!(
            run.stdout.contains("grant Full Disk Access"),
            "{}",
            run.stdout
        );
    }
}

#[cfg(unix)]
fn unsafe_euid_is_not_root() -> bool {
    // Read through `id -u` rather than libc, to keep the tests free of `unsafe`.
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() != "0")
}

#[test]
fn exit_codes_none_info_unread() {
    let root = tempfile::tempdir().unwrap();
    // Nothing at all: 0.
    let home = tempfile::tempdir().unwrap();
    prefs(
        &chrome_udd(home.path(), "linux").join("Default"),
        "Preferences",
        &json!({}),
    );
    let run = doctor(home.path(), root.path(), "linux", &[]);
    run.assert_code(0);
    assert_eq!(run.json()["findings"], json!([]));
    // Info only: still 0.
    prefs(
        &chrome_udd(home.path(), "linux").join("Default"),
        "Preferences",
        &json!({"profile": {"cookie_controls_mode": 1}}),
    );
    doctor(home.path(), root.path(), "linux", &[]).assert_code(0);
    // Unreadable only: 4.
    write(
        &chrome_udd(home.path(), "linux").join("Default/Preferences"),
        "{ not json",
    );
    let run = doctor(home.path(), root.path(), "linux", &[]);
    run.assert_code(4);
    let json = run.json();
    // Two parts could not be read from it: the settings and the extensions.
    assert_eq!(json["summary"]["unread"], 2);
    for u in json["unread"].as_array().unwrap() {
        assert_eq!(u["browser"], "chrome");
        assert_eq!(u["profile"], "Default");
    }
    assert!(
        unread(&json)[1].contains("settings not valid JSON"),
        "{:?}",
        unread(&json)
    );
}

#[test]
fn bad_input_is_unread_and_the_rest_still_reported() {
    let home = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let udd = chrome_udd(home.path(), "linux");
    // A broken Preferences, a Secure Preferences that still blocks JavaScript.
    write(&udd.join("Default/Preferences"), "{\"profile\": [1, 2");
    prefs(
        &udd.join("Default"),
        "Secure Preferences",
        &exceptions(json!({}), json!({"[*.]chatgpt.com,*": {"setting": 2}})),
    );
    // Wrongly typed values are ignored, not fatal.
    prefs(
        &udd.join("Profile 1"),
        "Preferences",
        &json!({"profile": {"content_settings": {"exceptions": {"cookies": [1, 2], "javascript": {"[*.]chatgpt.com,*": {"setting": "2"}}}},
                "default_content_setting_values": "x", "cookie_controls_mode": "1"},
                "translate_allowlists": ["en"], "proxy": "fixed_servers",
                "extensions": {"settings": {"x": 1, "../../y": {"preferences": {"proxy": 5}}}}}),
    );
    write(&udd.join("Local State"), [0xff, 0xfe, b'{']);
    let dirs = firefox_profiles(home.path(), "linux", &["ff"]);
    // Not UTF-8: prefs.js is unread; user.js is still read.
    write(
        &dirs[0].join("prefs.js"),
        b"user_pref(\"javascript.enabled\", true);\nuser_pref(\"x\", \"\xff\xfe\");\n",
    );
    write(
        &dirs[0].join("user.js"),
        "user_pref(\"network.cookie.cookieBehavior\", 2);\nuser_pref(\"broken\n",
    );
    write(
        &dirs[0].join("permissions.sqlite"),
        "this is not SQLite at all, just text",
    );
    let run = doctor(home.path(), root.path(), "linux", &[]);
    run.assert_code(1);
    let json = run.json();
    assert_eq!(
        found(&json),
        sorted(&[
            "javascript_blocked error chrome Default [*.]chatgpt.com",
            "cookies_blocked error firefox ff all sites",
        ])
    );
    let u = unread(&json);
    assert_eq!(u.len(), 6, "{u:#?}");
    for (want, why) in [
        ("Default Preferences", "settings not valid JSON"),
        ("Default Local State", "not valid JSON"),
        ("Profile 1 Local State", "not valid JSON"),
        ("ff prefs.js", "not valid UTF-8"),
        ("ff permissions.sqlite", "not a readable SQLite database"),
    ] {
        assert!(
            u.iter().any(|l| l.starts_with(want) && l.contains(why)),
            "{want}: {u:#?}"
        );
    }
}

/// Contents, permission bits and modification times of every entry under `dir`.
fn snapshot_with_mtimes(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let contents = snapshot(dir);
    contents
        .into_iter()
        .map(|(rel, c)| {
            let m = dir
                .join(&rel)
                .symlink_metadata()
                .unwrap()
                .modified()
                .unwrap();
            (rel, (c, m))
        })
        .collect()
}

#[test]
fn doctor_writes_not_a_byte_even_beside_a_wal_database() {
    let home = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let udd = chrome_udd(home.path(), "linux");
    prefs(
        &udd.join("Default"),
        "Preferences",
        &exceptions(json!({"[*.]chatgpt.com,*": {"setting": 2}}), json!({})),
    );
    write(&udd.join("Local State"), "{}");
    write(&udd.join("Last Version"), "150.0.1.1");
    let dirs = firefox_profiles(home.path(), "linux", &["walprof", "plain"]);
    write(
        &dirs[0].join("prefs.js"),
        "user_pref(\"javascript.enabled\", false);\n",
    );
    // Firefox keeps permissions.sqlite in WAL mode: a reader that is not careful creates
    // `-shm` or checkpoints the `-wal`. The connection stays open so both files stay.
    let conn = permissions(
        &dirs[0].join("permissions.sqlite"),
        &[("https://chatgpt.com", "cookie", 2)],
        true,
    );
    let wal = dirs[0].join("permissions.sqlite-wal");
    assert!(wal.symlink_metadata().is_ok_and(|m| m.len() > 0));
    permissions(
        &dirs[1].join("permissions.sqlite"),
        &[("https://chatgpt.com", "cookie", 8)],
        false,
    );
    write(
        &dirs[1].join("compatibility.ini"),
        "[Compatibility]\nLastVersion=140.0_20250601000000/20250601000000\n",
    );
    // Let a write show in the modification times even on coarse file systems.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let before = snapshot_with_mtimes(home.path());
    let root_before = snapshot_with_mtimes(root.path());
    for args in [&["--json", "doctor"][..], &["doctor"][..]] {
        let mut all = vec![
            "--home".to_string(),
            home.path().display().to_string(),
            "--root".to_string(),
            root.path().display().to_string(),
            "--os".to_string(),
            "linux".to_string(),
        ];
        all.extend(args.iter().map(|s| s.to_string()));
        let run = raw(&all, home.path());
        run.assert_code(1);
        // What only the -wal holds is said to be unread, not taken for clean.
        assert!(
            run.stdout.contains("permissions.sqlite-wal"),
            "{}",
            run.stdout
        );
    }
    assert_eq!(before, snapshot_with_mtimes(home.path()));
    assert_eq!(root_before, snapshot_with_mtimes(root.path()));
    drop(conn);
}

#[test]
fn versions_outdated_and_restart_pending() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    // The current Chromium major by the rule the binary uses (156 on 2026-11-24).
    let current = 156 + (now - 1_795_478_400).div_euclid(28 * 86_400);
    let home = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let mk = |name: &str, version: String| {
        let udd = home.path().join(".config").join(name);
        prefs(&udd.join("Default"), "Preferences", &json!({}));
        write(&udd.join("Last Version"), version);
    };
    mk("google-chrome", format!("{}.0.7000.1", current - 3));
    mk("chromium", format!("{}.0.7000.1", current - 7));
    mk("microsoft-edge", format!("{current}.0.7000.1"));
    // From the future: the clock is wrong, not the browser.
    mk(
        "BraveSoftware/Brave-Browser",
        format!("{}.0.7000.1", current + 20),
    );
    // Vivaldi's own product number is no Chromium major.
    mk("vivaldi", "7.1.3570.39".to_string());
    let buildid = |t: i64| {
        let out = std::process::Command::new("date")
            .args(["-u", "-d", &format!("@{t}"), "+%Y%m%d%H%M%S"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let dirs = firefox_profiles(
        home.path(),
        "linux",
        &["esr.fresh", "esr.stale", "release.old", "future", "running"],
    );
    let compat = |d: &Path, v: &str, t: i64, extra: &str| {
        write(
            &d.join("compatibility.ini"),
            format!(
                "[Compatibility]\nLastVersion={v}_{b}/{b}\n{extra}",
                b = buildid(t)
            ),
        );
    };
    let esr = [115u32, 128, 140, 153, 166]
        .into_iter()
        .rfind(|&l| i64::from(l) <= 140 + (now - 1_750_723_200).div_euclid(28 * 86_400))
        .unwrap();
    compat(&dirs[0], &format!("{esr}.8.0"), now - 20 * 86_400, "");
    compat(&dirs[1], &format!("{esr}.3.0"), now - 120 * 86_400, "");
    let ff_current = 140 + (now - 1_750_723_200).div_euclid(28 * 86_400);
    compat(
        &dirs[2],
        &format!("{}.0.1", ff_current - 7),
        now - 200 * 86_400,
        "",
    );
    compat(&dirs[3], "999.0", now + 40 * 86_400, "");
    // A running Firefox whose install was upgraded under it (mapped under --root).
    compat(
        &dirs[4],
        &format!("{esr}.8.0"),
        now - 20 * 86_400,
        "LastPlatformDir=/usr/lib/firefox-esr\nLastAppDir=/usr/lib/firefox-esr/browser\n",
    );
    write(
        &root.path().join("usr/lib/firefox-esr/application.ini"),
        format!("[App]\nVendor=Mozilla\nName=Firefox\nVersion={esr}.9.0\nBuildID=20991231000000\n"),
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        format!("127.0.0.1:+{}", std::process::id()),
        dirs[4].join("lock"),
    )
    .unwrap();
    let run = doctor(home.path(), root.path(), "linux", &[]);
    run.assert_code(1);
    let json = run.json();
    let mut got: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] != "browser_running")
        .map(|f| {
            format!(
                "{} {} {} {}",
                f["id"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["browser"].as_str().unwrap(),
                f["profile"].as_str().unwrap()
            )
        })
        .collect();
    got.sort();
    let mut want = vec![
        "browser_outdated warning chrome Default",
        "browser_outdated error chromium Default",
        "browser_outdated warning firefox esr.stale",
        "browser_outdated error firefox release.old",
    ];
    if cfg!(unix) {
        want.push("browser_restart_pending warning firefox running");
    }
    assert_eq!(got, sorted(&want));
    let chrome = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "browser_outdated" && f["browser"] == "chrome")
        .unwrap();
    assert_eq!(chrome["params"]["behind"], "3");
    assert!(chrome["params"]["age"].as_str().unwrap().contains("month"));
}

#[cfg(unix)]
#[test]
fn chromium_restart_pending_on_windows_layout() {
    let home = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let udd = chrome_udd(home.path(), "windows");
    prefs(&udd.join("Default"), "Preferences", &json!({}));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let current = 156 + (now - 1_795_478_400).div_euclid(28 * 86_400);
    write(&udd.join("Last Version"), format!("{current}.0.7000.1"));
    for v in ["140.0.1.1".to_string(), format!("{current}.0.7000.2")] {
        std::fs::create_dir_all(
            root.path()
                .join("Program Files/Google/Chrome/Application")
                .join(v),
        )
        .unwrap();
    }
    let run = doctor(home.path(), root.path(), "windows", &[]);
    // Not running: no restart finding.
    run.assert_code(0);
    std::os::unix::fs::symlink(
        format!("{}-{}", hostname(), std::process::id()),
        udd.join("SingletonLock"),
    )
    .unwrap();
    let run = doctor(home.path(), root.path(), "windows", &[]);
    run.assert_code(1);
    let json = run.json();
    let ids: Vec<_> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["browser_running", "browser_restart_pending"]);
    assert_eq!(
        json["findings"][1]["params"]["version"],
        format!("{current}.0.7000.2")
    );
}

/// Doctor runs as root over homes their users control: a settings file that is a
/// symlink (to a file of root's, or anyone's) is not read, and says so.
#[cfg(unix)]
#[test]
fn a_symlinked_settings_file_is_not_read() {
    let top = tempfile::tempdir().unwrap();
    let home = top.path().join("home");
    let root = top.path().join("root");
    std::fs::create_dir_all(&root).unwrap();
    let dir = chrome_udd(&home, "linux").join("Default");
    std::fs::create_dir_all(&dir).unwrap();
    let elsewhere = top.path().join("elsewhere.json");
    prefs(
        top.path(),
        "elsewhere.json",
        &exceptions(json!({}), json!({"[*.]chatgpt.com,*": {"setting": 2}})),
    );
    std::os::unix::fs::symlink(&elsewhere, dir.join("Preferences")).unwrap();
    let run = doctor(&home, &root, "linux", &["--browser", "chrome"]);
    let json = run.json();
    assert!(
        !found(&json)
            .iter()
            .any(|f| f.starts_with("javascript_blocked")),
        "{json:#}"
    );
    assert!(
        unread(&json)
            .iter()
            .any(|u| u.contains("Preferences") && u.contains("symlink")),
        "{json:#}"
    );
}

/// Doctor's severity column is padded by the columns a terminal gives each character:
/// in Japanese, 「エラー」 (6 columns) and 「警告」 (4) rows start their ids in one column.
#[test]
fn the_severity_column_lines_up_in_japanese() {
    let home = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("profiles/linux"), home.path());
    // An error (the hosts file) beside the sample's warnings (its extensions).
    let root = tempfile::tempdir().unwrap();
    write(&root.path().join("etc/hosts"), "0.0.0.0 chatgpt.com\n");
    let run = loginfix(
        home.path(),
        "linux",
        &[
            "--root",
            root.path().to_str().unwrap(),
            "--lang",
            "ja",
            "doctor",
        ],
    );
    let width = |s: &str| {
        s.chars()
            .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
            .sum::<usize>()
    };
    let columns: std::collections::BTreeSet<usize> = run
        .stdout
        .lines()
        .filter(|l| {
            ["  エラー", "  警告", "  情報"]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .filter_map(|l| {
            // The advice (Japanese text names no finding id) starts after the label
            // and its padding.
            let label_end = 2 + l[2..].find(' ')?;
            let advice_at = label_end + l[label_end..].find(|c: char| c != ' ')?;
            Some(width(&l[..advice_at]))
        })
        .collect();
    assert_eq!(
        columns.len(),
        1,
        "the advice starts at columns {columns:?}:\n{}",
        run.stdout
    );
    for severity in ["  エラー", "  警告"] {
        assert!(
            run.stdout.lines().any(|l| l.starts_with(severity)),
            "{severity}:\n{}",
            run.stdout
        );
    }
}

/// Firefox's prefs in Firefox's order: the machine's defaults and user values under the
/// profile's own files, a locked pref over everything. Locked through the `Preferences`
/// policy, and through an autoconfig file (`general.config.filename`, obscured or not)
/// and Debian's `/etc/firefox-esr/*.js`; a default the profile overrides is not told.
#[test]
fn firefox_prefs_set_for_the_machine_count_as_firefox_counts_them() {
    let home = tempfile::tempdir().unwrap();
    let dirs = firefox_profiles(home.path(), "linux", &["a.locked", "b.mine"]);
    // b.mine sets cookies to be kept: a machine default does not override it.
    write(
        &dirs[1].join("prefs.js"),
        "user_pref(\"network.cookie.cookieBehavior\", 0);\n",
    );
    let cases: [(&str, &[(&str, &str)]); 3] = [
        (
            "policy",
            &[(
                "etc/firefox/policies/policies.json",
                r#"{"policies": {"Preferences": {
                    "network.cookie.cookieBehavior": {"Value": 2, "Status": "locked"}}}}"#,
            )],
        ),
        (
            "autoconfig",
            &[
                (
                    "usr/lib/firefox/defaults/pref/autoconfig.js",
                    "pref(\"general.config.filename\", \"mozilla.cfg\");\npref(\"general.config.obscure_value\", 0);\n",
                ),
                (
                    "usr/lib/firefox/mozilla.cfg",
                    "// the first line is skipped\nlockPref(\"network.cookie.cookieBehavior\", 2);\n",
                ),
            ],
        ),
        (
            "debian",
            &[(
                "etc/firefox-esr/lockdown.js",
                "lockPref(\"network.cookie.cookieBehavior\", 2);\n",
            )],
        ),
    ];
    for (case, files) in cases {
        let root = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            write(&root.path().join(rel), text);
        }
        let run = doctor(home.path(), root.path(), "linux", &["--browser", "firefox"]);
        let json = run.json();
        assert_eq!(
            found(&json),
            sorted(&[
                "cookies_blocked error firefox a.locked all sites",
                "cookies_blocked error firefox b.mine all sites",
            ]),
            "{case}: {json:#}"
        );
        let files: Vec<&str> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["evidence"]["file"].as_str().unwrap())
            .collect();
        assert!(
            files
                .iter()
                .all(|f| f.starts_with(&root.path().display().to_string())),
            "{case}: {files:?}"
        );
    }
    // Web storage turned off for every profile through the policy's default: a.locked
    // has no pref of its own, so it takes it; b.mine neither.
    let root = tempfile::tempdir().unwrap();
    write(
        &root.path().join("etc/firefox/policies/policies.json"),
        r#"{"policies": {"Preferences": {"dom.storage.enabled": {"Value": false, "Status": "default"}}}}"#,
    );
    let run = doctor(home.path(), root.path(), "linux", &["--browser", "firefox"]);
    assert_eq!(
        found(&run.json()),
        sorted(&[
            "storage_disabled error firefox a.locked -",
            "storage_disabled error firefox b.mine -",
        ]),
        "{}",
        run.stdout
    );
    // A proxy set through the Preferences policy is the browser's proxy in each profile.
    let root = tempfile::tempdir().unwrap();
    write(
        &root.path().join("etc/firefox/policies/policies.json"),
        r#"{"policies": {"Preferences": {
            "network.proxy.type": {"Value": 1, "Status": "locked"},
            "network.proxy.ssl": {"Value": "proxy.corp", "Status": "locked"},
            "network.proxy.ssl_port": {"Value": 3128, "Status": "locked"}}}}"#,
    );
    let run = doctor(home.path(), root.path(), "linux", &["--browser", "firefox"]);
    assert_eq!(
        found(&run.json()),
        sorted(&[
            "proxy_browser warning firefox a.locked proxy.corp:3128",
            "proxy_browser warning firefox b.mine proxy.corp:3128",
        ]),
        "{}",
        run.stdout
    );
    // An autoconfig file obscured as Firefox reads it by default (each byte + 13).
    let root = tempfile::tempdir().unwrap();
    write(
        &root
            .path()
            .join("usr/lib/firefox/defaults/pref/autoconfig.js"),
        "pref(\"general.config.filename\", \"mozilla.cfg\");\n",
    );
    let plain = b"// first line\nlockPref(\"network.cookie.cookieBehavior\", 2);\n";
    let obscured: Vec<u8> = plain.iter().map(|b| b.wrapping_add(13)).collect();
    write(&root.path().join("usr/lib/firefox/mozilla.cfg"), obscured);
    let run = doctor(home.path(), root.path(), "linux", &["--browser", "firefox"]);
    assert_eq!(found(&run.json()).len(), 2, "{}", run.stdout);
    // A default the profile's own prefs override is not told; without it, it is.
    let root = tempfile::tempdir().unwrap();
    write(
        &root.path().join("etc/firefox/policies/policies.json"),
        r#"{"policies": {"Preferences": {"network.cookie.cookieBehavior": {"Value": 2, "Status": "default"}}}}"#,
    );
    let run = doctor(home.path(), root.path(), "linux", &["--browser", "firefox"]);
    assert_eq!(
        found(&run.json()),
        ["cookies_blocked error firefox a.locked all sites"],
        "{}",
        run.stdout
    );
}
