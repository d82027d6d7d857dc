//! `loginfix extensions` on the sample homes: catalog matches per store, localized
//! names, enabled/disabled states, built-ins hidden unless `--all`, the heuristic.

use crate::util::*;

/// (browser, profile, id, enabled, category or "may interfere" or "-") per listed row.
fn rows_of(json: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    for p in json["profiles"].as_array().unwrap() {
        for e in p["extensions"].as_array().unwrap() {
            let what = if !e["catalog"].is_null() {
                e["catalog"]["category"].as_str().unwrap().to_string()
            } else if !e["may_interfere"].is_null() {
                "may_interfere".to_string()
            } else if e["builtin"] == true {
                "builtin".to_string()
            } else {
                "-".to_string()
            };
            out.push(format!(
                "{} {} {} {} {} {}",
                p["browser"].as_str().unwrap(),
                p["profile"].as_str().unwrap(),
                e["name"].as_str().unwrap(),
                e["id"].as_str().unwrap(),
                if e["enabled"] == true { "on" } else { "off" },
                what
            ));
        }
    }
    out
}

#[test]
fn default_listing_shows_only_troublemakers_enabled_first() {
    let home = sample_home("linux");
    let run = loginfix(home.path(), "linux", &["extensions", "--json"]);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["command"], "extensions");
    assert_eq!(
        rows_of(&json),
        [
            "chrome Default uBlock Origin cjpalhdlnbpafiamejdnhcphjbkeiagm on ad_blocker",
            "chrome Default Request Rewriter (sample) mnopabcdefghijklmnopabcdefghijkl on may_interfere",
            "chrome Default Google Translate aapbdbdomjkkjkaonfhkkikfgjllcleb off translator",
            "edge Default Adblock Plus - free ad blocker cfhdojbkjhnklbpkdaibdccddilifddb on ad_blocker",
            "edge Default uBlock Origin odfafepnkmbhccpbejgmiehpchacaeak on ad_blocker",
            "firefox abcd1234.default-release uBlock Origin uBlock0@raymondhill.net on ad_blocker",
            "firefox abcd1234.default-release Proxy Switcher (sample) proxy-sample@example.org on may_interfere",
            "firefox abcd1234.default-release Cookie AutoDelete CookieAutoDelete@kennydo.com off cookie_manager",
        ]
    );
    let ubo = &json["profiles"][0]["extensions"][0];
    assert_eq!(ubo["version"], "1.60.0");
    assert_eq!(ubo["store"], "chrome");
    assert_eq!(ubo["location"], "webstore");
    assert_eq!(ubo["installed"], "2026-11-01T12:00:00Z");
    let cat = &ubo["catalog"];
    assert_eq!(cat["name"], "uBlock Origin");
    assert_eq!(cat["category_label"], "ad/content blocker");
    assert_eq!(cat["confidence"], "confirmed");
    for field in ["why", "advice", "source"] {
        assert!(!cat[field].as_str().unwrap().is_empty(), "{field}");
    }
    let rewriter = &json["profiles"][0]["extensions"][1];
    assert!(rewriter["may_interfere"]
        .as_str()
        .unwrap()
        .contains("<all_urls>"));

    let text = loginfix(home.path(), "linux", &["extensions"]);
    text.assert_code(0);
    assert!(text.stdout.contains("  NAME "), "{}", text.stdout);
    // The advice goes under its row, so the table fits 100 columns.
    assert!(text.stdout.contains("uBlock Origin             cjpalhdlnbpafiamejdnhcphjbkeiagm 1.60.0  enabled  ad/content blocker\n    Turn it off"), "{}", text.stdout);
    assert!(text.stdout.contains("chrome Profile 1 \"Person 1\""));
    assert!(text.stdout.contains("  no known troublemakers installed\n"));
}

#[test]
fn all_lists_built_ins_themes_and_harmless_extensions_too() {
    let home = sample_home("linux");
    let run = loginfix(
        home.path(),
        "linux",
        &[
            "extensions",
            "--all",
            "--json",
            "--browser",
            "chrome",
            "--browser",
            "firefox",
            "--profile",
            "Default",
            "--profile",
            "default-release",
        ],
    );
    run.assert_code(0);
    let rows = rows_of(&run.json());
    for want in [
        "chrome Default Chromium PDF Viewer mhjfbmdgcfjbbpaeojofohoefgiehjai on builtin",
        "chrome Default Dark Theme (sample) abcdefghijklmnopabcdefghijklmnop on builtin",
        "chrome Default Tab Counter (sample) ponmlkjihgfedcbaponmlkjihgfedcba on -",
        "firefox abcd1234.default-release Form Autofill formautofill@mozilla.org on builtin",
        "firefox abcd1234.default-release System theme — auto default-theme@mozilla.org on builtin",
    ] {
        assert!(
            rows.contains(&want.to_string()),
            "missing {want} in {rows:#?}"
        );
    }
    assert_eq!(rows.len(), 11, "{rows:#?}");
    // The system add-on asks for webRequest on <all_urls>, but is never "may interfere".
    assert!(!rows
        .iter()
        .any(|r| r.contains("formautofill") && r.ends_with("may_interfere")));
}

#[test]
fn safari_and_the_other_layouts() {
    let home = sample_home("macos");
    let run = loginfix(
        home.path(),
        "macos",
        &["extensions", "--json", "--browser", "safari"],
    );
    run.assert_code(0);
    assert_eq!(
        rows_of(&run.json()),
        [
            "safari Default AdGuard BlockerExtension com.adguard.safari.AdGuard.BlockerExtension on ad_blocker",
            "safari Default AdGuard Extension com.adguard.safari.AdGuard.Extension on ad_blocker",
        ]
    );
    let all = loginfix(
        home.path(),
        "macos",
        &["extensions", "--all", "--json", "--browser", "safari"],
    );
    assert!(rows_of(&all.json())
        .contains(&"safari Default Notes Extension com.example.Notes.Extension off -".to_string()));
    let win = sample_home("windows");
    let run = loginfix(
        win.path(),
        "windows",
        &["extensions", "--json", "--browser", "edge"],
    );
    run.assert_code(0);
    assert_eq!(rows_of(&run.json()).len(), 2);
}

#[test]
fn older_state_fields_and_unreadable_files() {
    let home = tempfile::tempdir().unwrap();
    let profile = home.path().join(".config/vivaldi/Default");
    write(
        &profile.join("Preferences"),
        r#"{"extensions":{"settings":{
            "cjpalhdlnbpafiamejdnhcphjbkeiagm":{"state":0,"location":1,"path":"missing/1.0_0","manifest":{"name":"uBlock Origin","version":"1.0"}},
            "aapbdbdomjkkjkaonfhkkikfgjllcleb":{"state":1,"location":1,"disable_reasons":0,"manifest":{"name":"Google Translate","version":"2"}}}}}"#,
    );
    let run = loginfix(home.path(), "linux", &["extensions", "--json"]);
    run.assert_code(0);
    assert_eq!(
        rows_of(&run.json()),
        [
            "vivaldi Default Google Translate aapbdbdomjkkjkaonfhkkikfgjllcleb on translator",
            "vivaldi Default uBlock Origin cjpalhdlnbpafiamejdnhcphjbkeiagm off ad_blocker",
        ]
    );
    write(&profile.join("Preferences"), "{ not json");
    let run = loginfix(home.path(), "linux", &["extensions", "--json"]);
    run.assert_code(1);
    let err = run.json()["profiles"][0]["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        err.contains("Preferences") && err.contains("not valid JSON"),
        "{err}"
    );
    assert!(
        run.stderr.contains("error: vivaldi profile `Default`"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_very_long_extension_name_is_cut_in_the_table_and_kept_in_json() {
    let home = sample_home("linux");
    let file = home
        .path()
        .join(".mozilla/firefox/abcd1234.default-release/extensions.json");
    let long = "N".repeat(65_536);
    let text = std::fs::read_to_string(&file).unwrap();
    write(
        &file,
        text.replacen("\"uBlock Origin\"", &format!("\"{long}\""), 1),
    );
    let run = loginfix(home.path(), "linux", &["extensions"]);
    run.assert_code(0);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("uBlock0@raymondhill.net"))
        .unwrap();
    assert!(line.contains("NNN… "), "{line}");
    assert!(line.chars().count() <= 100, "{line}");
    let run = loginfix(home.path(), "linux", &["extensions", "--json"]);
    run.assert_code(0);
    assert!(run.stdout.contains(&long));
}

#[test]
fn with_no_browser_found_extensions_says_so() {
    let home = tempfile::tempdir().unwrap();
    let run = loginfix(home.path(), "linux", &["extensions"]);
    run.assert_code(0);
    assert_eq!(
        run.stdout, "No profile of the selected browsers was found.\n",
        "{}",
        run.stderr
    );
}

#[test]
fn unreadable_preferences_are_said_not_taken_for_no_troublemakers() {
    let home = tempfile::tempdir().unwrap();
    let prefs = home
        .path()
        .join(".config/google-chrome/Default/Preferences");
    write(&prefs, "{bad");
    let run = loginfix(home.path(), "linux", &["extensions", "--browser", "chrome"]);
    run.assert_code(1);
    assert!(
        !run.stdout.contains("no known troublemakers installed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("the extensions could not be read: ")
            && run.stdout.contains(&prefs.display().to_string()),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("error: chrome profile `Default`: ")
            && run
                .stderr
                .contains("\nhint: check the extensions in the browser itself"),
        "{}",
        run.stderr
    );
    // -q keeps the error.
    let quiet = loginfix(
        home.path(),
        "linux",
        &["extensions", "--browser", "chrome", "-q"],
    );
    quiet.assert_code(1);
    assert!(
        quiet.stderr.contains("error: chrome profile `Default`: "),
        "{}",
        quiet.stderr
    );
}
