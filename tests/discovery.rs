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

/// How a browser of issue 32 keeps its profile where its row says.
#[derive(Clone, Copy)]
enum Kind {
    /// A Chromium user-data dir: `Local State` naming `Default`, and `Default/`.
    Chromium,
    /// Opera's: the single profile is the user-data dir itself.
    AtRoot,
    /// A Firefox root: `profiles.ini` naming a profile under the given relative dir.
    Firefox(&'static str),
}

/// The ten browsers of issue 32 on one OS layout: (name, channel, data dir, kind).
fn more_browsers(os: &str) -> Vec<(&'static str, &'static str, &'static str, Kind)> {
    use Kind::*;
    match os {
        "linux" => vec![
            ("yandex", "stable", ".config/yandex-browser", Chromium),
            ("whale", "stable", ".config/naver-whale", Chromium),
            ("thorium", "stable", ".config/thorium", Chromium),
            ("chrome-for-testing", "stable", ".config/google-chrome-for-testing", Chromium),
            ("librewolf", "standard", ".librewolf", Firefox("")),
            ("waterfox", "standard", ".waterfox", Firefox("")),
            ("floorp", "standard", ".floorp", Firefox("")),
            ("zen", "standard", ".zen", Firefox("")),
        ],
        "macos" => vec![
            ("opera-gx", "stable", "Library/Application Support/com.operasoftware.OperaGX", AtRoot),
            ("arc", "stable", "Library/Application Support/Arc/User Data", Chromium),
            ("yandex", "stable", "Library/Application Support/Yandex/YandexBrowser", Chromium),
            ("whale", "stable", "Library/Application Support/Naver/Whale", Chromium),
            ("thorium", "stable", "Library/Application Support/Thorium", Chromium),
            ("chrome-for-testing", "stable", "Library/Application Support/Google/Chrome for Testing", Chromium),
            ("librewolf", "standard", "Library/Application Support/librewolf", Firefox("Profiles/")),
            ("waterfox", "standard", "Library/Application Support/Waterfox", Firefox("Profiles/")),
            ("floorp", "standard", "Library/Application Support/Floorp", Firefox("Profiles/")),
            ("zen", "standard", "Library/Application Support/zen", Firefox("Profiles/")),
        ],
        _ => vec![
            ("opera-gx", "stable", "AppData/Roaming/Opera Software/Opera GX Stable", AtRoot),
            (
                "arc",
                "stable",
                "AppData/Local/Packages/TheBrowserCompany.Arc_ttt1ap7aakyb4/LocalCache/Local/Arc/User Data",
                Chromium,
            ),
            ("yandex", "stable", "AppData/Local/Yandex/YandexBrowser/User Data", Chromium),
            ("whale", "stable", "AppData/Local/Naver/Naver Whale/User Data", Chromium),
            ("thorium", "stable", "AppData/Local/Thorium/User Data", Chromium),
            ("chrome-for-testing", "stable", "AppData/Local/Google/Chrome for Testing/User Data", Chromium),
            ("librewolf", "standard", "AppData/Roaming/librewolf", Firefox("Profiles/")),
            ("waterfox", "standard", "AppData/Roaming/Waterfox", Firefox("Profiles/")),
            ("floorp", "standard", "AppData/Roaming/Floorp", Firefox("Profiles/")),
            ("zen", "standard", "AppData/Roaming/zen", Firefox("Profiles/")),
        ],
    }
}

/// Lays out one browser's profile under `home`, with a cookie store holding the standard
/// mix (the Windows layout's Chromium cookies in `Network/`); returns the profile dir and
/// its cookie store.
fn lay_out(
    home: &std::path::Path,
    os: &str,
    data: &str,
    kind: Kind,
) -> (std::path::PathBuf, std::path::PathBuf) {
    let root = home.join(data);
    let network = if os == "windows" { "Network/" } else { "" };
    match kind {
        Kind::Chromium => {
            write(
                &root.join("Local State"),
                r#"{"profile":{"info_cache":{"Default":{"name":"Person 1"}}}}"#,
            );
            let profile = root.join("Default");
            let db = profile.join(format!("{network}Cookies"));
            chromium_cookies(&db, &chromium_mix());
            (profile, db)
        }
        Kind::AtRoot => {
            write(&root.join("Local State"), "{}");
            let db = root.join(format!("{network}Cookies"));
            chromium_cookies(&db, &chromium_mix());
            (root, db)
        }
        Kind::Firefox(under) => {
            let rel = format!("{under}x1y2z3.default-default");
            write(
                &root.join("profiles.ini"),
                format!("[Profile0]\nName=default-default\nIsRelative=1\nPath={rel}\nDefault=1\n\n[General]\nStartWithLastProfile=1\nVersion=2\n"),
            );
            let profile = root.join(&rel);
            let db = profile.join("cookies.sqlite");
            firefox_cookies(&db, &firefox_mix());
            (profile, db)
        }
    }
}

/// Issue 32: each of the ten browsers is found where its row says, on each OS layout it
/// exists on, as its own entry of `loginfix browsers --json`; Arc and Opera GX are not
/// looked for on Linux, where they do not exist.
#[test]
fn more_browsers_are_found_on_each_os_layout() {
    for os in ["linux", "macos", "windows"] {
        let home = tempfile::tempdir().unwrap();
        let h = home.path();
        let expected = more_browsers(os);
        let mut profiles = Vec::new();
        for &(_, _, data, kind) in &expected {
            profiles.push(lay_out(h, os, data, kind).0);
        }
        let run = loginfix(h, os, &["browsers", "--json"]);
        run.assert_code(0);
        let json = run.json();
        assert_eq!(json["warnings"], serde_json::json!([]), "{os}");
        let entries = json["browsers"].as_array().unwrap();
        let entry = |name: &str| {
            entries
                .iter()
                .find(|b| b["browser"] == name)
                .unwrap_or_else(|| panic!("{os}: {name} is not listed: {json}"))
        };
        for (&(name, channel, _, _), profile) in expected.iter().zip(&profiles) {
            let b = entry(name);
            assert_eq!(b["status"], "found", "{os} {name}: {b}");
            let found: Vec<_> = b["profiles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p["channel"].as_str().unwrap(), p["path"].as_str().unwrap()))
                .collect();
            assert_eq!(found, [(channel, profile.to_str().unwrap())], "{os} {name}");
            let stores: Vec<_> = b["profiles"][0]["stores"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["store"].as_str().unwrap())
                .collect();
            assert!(
                stores.contains(&"chromium_cookies") || stores.contains(&"firefox_cookies"),
                "{os} {name}: {stores:?}"
            );
        }
        // Nothing of Firefox's own is taken for a fork's, nor a fork's for Firefox's.
        assert_eq!(entry("firefox")["status"], "not_found", "{os}");
        assert_eq!(entry("opera")["status"], "not_found", "{os}");
        assert_eq!(entry("chrome")["status"], "not_found", "{os}");
        if os == "linux" {
            for name in ["arc", "opera-gx"] {
                assert_eq!(entry(name)["status"], "not_found", "{name}");
                assert_eq!(entry(name)["searched"], serde_json::json!([]), "{name}");
            }
        }
    }
}

/// `--browser <name>` selects each of the ten alone, on each OS layout, and cleans it:
/// the targets' cookies go, every other site's stay.
#[test]
fn browser_flag_selects_and_cleans_each_new_browser() {
    for os in ["linux", "macos", "windows"] {
        let home = tempfile::tempdir().unwrap();
        let h = home.path();
        let laid: Vec<_> = more_browsers(os)
            .into_iter()
            .map(|(name, _, data, kind)| (name, kind, lay_out(h, os, data, kind)))
            .collect();
        for (name, kind, (profile, db)) in &laid {
            let run = loginfix(h, os, &["browsers", "--json", "--browser", name]);
            run.assert_code(0);
            let json = run.json();
            let listed: Vec<_> = json["browsers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| {
                    (
                        b["browser"].as_str().unwrap(),
                        b["status"].as_str().unwrap(),
                    )
                })
                .collect();
            assert_eq!(listed, [(*name, "found")], "{os}");
            assert_eq!(
                json["browsers"][0]["profiles"][0]["path"],
                profile.to_str().unwrap(),
                "{os} {name}"
            );
            let run = loginfix(h, os, &["clear-cookies", "--json", "--browser", name]);
            run.assert_code(0);
            let json = run.json();
            let profiles = json["profiles"].as_array().unwrap();
            assert_eq!(profiles.len(), 1, "{os} {name}: {json}");
            assert_eq!(profiles[0]["browser"], *name, "{os}");
            let mix = match kind {
                Kind::Firefox(_) => firefox_mix(),
                _ => chromium_mix(),
            };
            assert_eq!(rows(db), survivors(&mix), "{os} {name}");
        }
        // The others' stores were not touched by any of those runs but their own.
        let run = loginfix(h, os, &["clear-cookies", "--json"]);
        run.assert_code(0);
        assert_eq!(run.json()["summary"]["removed"], 0, "{os}");
    }
}

/// The Linux roots a fork moved to (XDG), its Flatpak's, and Yandex's beta, each its
/// own channel of its one row.
#[test]
fn more_browsers_linux_xdg_flatpak_and_beta_roots() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let laid = [
        (
            "yandex",
            "beta",
            ".config/yandex-browser-beta",
            Kind::Chromium,
        ),
        (
            "librewolf",
            "xdg",
            ".config/librewolf/librewolf",
            Kind::Firefox(""),
        ),
        (
            "librewolf",
            "flatpak",
            ".var/app/io.gitlab.librewolf-community/.librewolf",
            Kind::Firefox(""),
        ),
        (
            "waterfox",
            "flatpak",
            ".var/app/net.waterfox.waterfox/.waterfox",
            Kind::Firefox(""),
        ),
        ("floorp", "xdg", ".config/floorp", Kind::Firefox("")),
        (
            "floorp",
            "flatpak",
            ".var/app/one.ablaze.floorp/.floorp",
            Kind::Firefox(""),
        ),
        ("zen", "xdg", ".config/zen", Kind::Firefox("")),
        (
            "zen",
            "flatpak",
            ".var/app/app.zen_browser.zen/.zen",
            Kind::Firefox(""),
        ),
    ];
    let expected: Vec<_> = laid
        .iter()
        .map(|&(name, channel, data, kind)| {
            let profile = lay_out(h, "linux", data, kind).0;
            format!("{name}/{channel}/{}", profile.display())
        })
        .collect();
    let names = ["yandex", "librewolf", "waterfox", "floorp", "zen"];
    let mut args = vec!["browsers", "--json"];
    for name in names {
        args.extend(["--browser", name]);
    }
    let run = loginfix(h, "linux", &args);
    run.assert_code(0);
    let json = run.json();
    let found: Vec<_> = json["browsers"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| {
            let name = b["browser"].as_str().unwrap().to_string();
            b["profiles"].as_array().unwrap().iter().map(move |p| {
                format!(
                    "{name}/{}/{}",
                    p["channel"].as_str().unwrap(),
                    p["path"].as_str().unwrap()
                )
            })
        })
        .collect();
    assert_eq!(found, expected);
}

/// `loginfix browsers` (text) names each new browser, found or not.
#[test]
fn browsers_text_names_the_new_browsers() {
    let home = tempfile::tempdir().unwrap();
    let run = loginfix(home.path(), "windows", &["browsers"]);
    run.assert_code(0);
    for name in [
        "opera-gx",
        "arc",
        "yandex",
        "whale",
        "thorium",
        "chrome-for-testing",
        "librewolf",
        "waterfox",
        "floorp",
        "zen",
    ] {
        assert!(
            run.stdout.contains(&format!("{name}: not found\n")),
            "{name}: {}",
            run.stdout
        );
    }
}
