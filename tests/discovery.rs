//! `loginfix browsers` and discovery across the Linux, macOS and Windows layouts.

use crate::util::*;

#[test]
fn browsers_lists_profiles_with_names_versions_and_stores() {
    let home = synthetic_linux_home();
    let run = loginfix(home.path(), "linux", &["browsers", "--json"]);
    run.assert_code(0);
    let json = run.json();
    let h = home.path().display().to_string();
    let chrome = &json["browsers"][0];
    assert_eq!(chrome["browser"], "chrome");
    assert_eq!(chrome["status"], "found");
    let p = &chrome["profiles"][1];
    assert_eq!(p["profile"], "Profile 2");
    assert_eq!(p["name"], "Work");
    assert_eq!(p["version"], "156.0.8078.73");
    assert_eq!(p["running"], false);
    assert_eq!(
        p["stores"],
        serde_json::json!([{"store": "chromium_cookies", "path": format!("{h}/.config/google-chrome/Profile 2/Cookies")}])
    );
    let ff = json["browsers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["browser"] == "firefox")
        .unwrap();
    let p = &ff["profiles"][0];
    assert_eq!(p["profile"], "abcd1234.default-release");
    assert_eq!(p["name"], "default-release");
    assert_eq!(p["version"], "153.7.0");
    let kinds: Vec<_> = p["stores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["store"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "firefox_cookies",
            "firefox_session",
            "firefox_session_storage"
        ]
    );

    let text = loginfix(home.path(), "linux", &["browsers"]);
    assert!(
        text.stdout
            .contains("chrome\n  Default \"Person 1\"  [stable] version 156.0.8078.73\n"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("edge: not found\n"));
}

/// The same stores placed where macOS and Windows keep them are found and cleaned.
#[test]
fn macos_and_windows_layouts() {
    for (os, chrome_db, ff_root, ff_rel) in [
        (
            "macos",
            "Library/Application Support/Google/Chrome/Default/Cookies",
            "Library/Application Support/Firefox",
            "Profiles/abcd1234.default-release",
        ),
        (
            "windows",
            "AppData/Local/Google/Chrome/User Data/Default/Network/Cookies",
            "AppData/Roaming/Mozilla/Firefox",
            "Profiles/abcd1234.default-release",
        ),
    ] {
        let home = tempfile::tempdir().unwrap();
        let h = home.path();
        chromium_cookies(&h.join(chrome_db), &chromium_mix());
        let ff = h.join(ff_root);
        write(
            &ff.join("profiles.ini"),
            format!("[Profile0]\nName=default-release\nIsRelative=1\nPath={ff_rel}\n"),
        );
        firefox_cookies(&ff.join(ff_rel).join("cookies.sqlite"), &firefox_mix());
        let run = loginfix(h, os, &["clear-cookies", "--json"]);
        run.assert_code(0);
        let json = run.json();
        assert_eq!(json["summary"]["removed"], 10, "{os}: {json}");
        assert_eq!(json["warnings"], serde_json::json!([]), "{os}");
        assert_eq!(rows(&h.join(chrome_db)), survivors(&chromium_mix()), "{os}");
        assert_eq!(
            rows(&ff.join(ff_rel).join("cookies.sqlite")),
            survivors(&firefox_mix()),
            "{os}"
        );
    }
}

#[test]
fn every_chromium_browser_is_found_from_its_row() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    for (browser, rel) in [
        ("edge", ".config/microsoft-edge/Default/Cookies"),
        ("chromium", ".config/chromium/Default/Cookies"),
        (
            "brave",
            ".config/BraveSoftware/Brave-Browser/Default/Cookies",
        ),
        ("vivaldi", ".config/vivaldi/Default/Cookies"),
        ("opera", ".config/opera/Cookies"),
        ("chrome", ".config/google-chrome-beta/Default/Cookies"),
    ] {
        chromium_cookies(&h.join(rel), &[cookie("chatgpt.com", browser, "")]);
    }
    let run = loginfix(h, "linux", &["clear-cookies", "--json"]);
    run.assert_code(0);
    let json = run.json();
    let found: Vec<_> = json["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}/{}/{}",
                p["browser"].as_str().unwrap(),
                p["channel"].as_str().unwrap(),
                p["items"][0]["name"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "chrome/beta/chrome",
            "edge/stable/edge",
            "chromium/stable/chromium",
            "brave/stable/brave",
            "vivaldi/stable/vivaldi",
            "opera/stable/opera"
        ]
    );
}
