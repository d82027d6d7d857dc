//! `doctor` reads what the real browsers wrote: a Chromium profile seeded with a
//! JavaScript and a cookie block exception (and a look-alike) is started and quit by
//! Chromium 156 itself, which rewrites `Preferences`; a Firefox profile whose `user.js`
//! turns JavaScript and cookies off is run once, then `user.js` is removed, so only the
//! `prefs.js` Firefox wrote holds them. Doctor must still report each, and nothing for
//! the look-alike. Needs only `chromium` / `firefox-esr`; without them these skip, except
//! in CI (`CI` set), where that is a failure.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::harness::{browser_env, skip_or_fail, suite_lock, tail, Driver};
use crate::util::{raw, write};

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| {
            p.metadata()
                .is_ok_and(|m| m.is_file() && m.mode() & 0o111 != 0)
        })
}

/// `(id, browser, profile, site)` of each finding but `browser_running`.
fn findings(home: &Path, root: &Path) -> Vec<String> {
    let args = [
        "--home".to_string(),
        home.display().to_string(),
        "--root".to_string(),
        root.display().to_string(),
        "--os".to_string(),
        "linux".to_string(),
        "--json".to_string(),
        "doctor".to_string(),
    ];
    let run = raw(&args, home);
    run.assert_code(1);
    let json = run.json();
    let mut out: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] != "browser_running" && f["id"] != "browser_outdated")
        .map(|f| {
            format!(
                "{} {} {} {}",
                f["id"].as_str().unwrap(),
                f["browser"].as_str().unwrap(),
                f["profile"].as_str().unwrap(),
                f["params"]["site"].as_str().unwrap_or("-")
            )
        })
        .collect();
    out.sort();
    out
}

/// Runs `cmd` until `timeout` stops it with SIGTERM (both browsers then shut down
/// cleanly and write their prefs), waiting for every process to be gone. One browser
/// run at a time, as the rest of the suite does.
fn run_browser(mut cmd: Command, home: &Path, label: &str) {
    let _lock = suite_lock();
    let stderr = home.join(format!("{label}.stderr"));
    browser_env(&mut cmd, home, &home.join("tmp"));
    let mut driver = Driver::spawn(cmd, home, stderr.clone(), label);
    let done = driver.finish(Duration::from_secs(90));
    // `timeout` exits 124 when it had to stop the browser, as intended.
    assert!(
        done.code == 124 || done.code == 0,
        "{label} exited {}\n{}",
        done.code,
        tail(&stderr, 30)
    );
}

#[test]
fn doctor_reads_what_chromium_rewrote() {
    let Some(chromium) = which("chromium") else {
        skip_or_fail(
            "doctor_reads_what_chromium_rewrote",
            "not installed: chromium",
        );
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("tmp")).unwrap();
    let udd = home.path().join(".config/chromium");
    let seeded = serde_json::json!({"profile": {"content_settings": {"exceptions": {
        "javascript": {"[*.]chatgpt.com,*": {"setting": 2}, "[*.]notchatgpt.com,*": {"setting": 2}},
        "cookies": {"https://auth.openai.com:443,*": {"setting": 2}, "chatgpt.com.evil.org,*": {"setting": 2}}
    }}}});
    let prefs = udd.join("Default/Preferences");
    write(&prefs, seeded.to_string());
    let before = std::fs::read(&prefs).unwrap();
    let mut cmd = Command::new("timeout");
    cmd.args(["-s", "TERM", "12"])
        .arg(chromium)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--password-store=basic",
        ])
        .arg(format!("--user-data-dir={}", udd.display()))
        .arg("about:blank");
    run_browser(cmd, home.path(), "chromium");
    let after = std::fs::read(&prefs).unwrap();
    assert_ne!(before, after, "Chromium did not rewrite Preferences");
    assert!(udd.join("Last Version").is_file());
    assert_eq!(
        findings(home.path(), root.path()),
        [
            "cookies_blocked chromium Default https://auth.openai.com:443",
            "javascript_blocked chromium Default [*.]chatgpt.com",
        ]
    );
}

#[test]
fn doctor_reads_the_prefs_js_firefox_wrote_from_user_js() {
    let Some(firefox) = which("firefox-esr") else {
        skip_or_fail(
            "doctor_reads_the_prefs_js_firefox_wrote_from_user_js",
            "not installed: firefox-esr",
        );
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("tmp")).unwrap();
    let ff = home.path().join(".mozilla/firefox");
    write(
        &ff.join("profiles.ini"),
        "[Profile0]\nName=t\nIsRelative=1\nPath=t.default\nDefault=1\n\n[General]\nStartWithLastProfile=1\nVersion=2\n",
    );
    let profile = ff.join("t.default");
    write(
        &profile.join("user.js"),
        "user_pref(\"javascript.enabled\", false);\n\
         user_pref(\"network.cookie.cookieBehavior\", 2);\n\
         user_pref(\"privacy.resistFingerprinting\", false);\n",
    );
    let mut cmd = Command::new("timeout");
    cmd.args(["-s", "TERM", "15"])
        .arg(firefox)
        .args(["--headless", "--no-remote", "--profile"])
        .arg(&profile)
        .arg("about:blank");
    run_browser(cmd, home.path(), "firefox");
    std::fs::remove_file(profile.join("user.js")).unwrap();
    let prefs = std::fs::read_to_string(profile.join("prefs.js")).unwrap();
    assert!(
        prefs.contains("user_pref(\"javascript.enabled\", false);"),
        "{prefs}"
    );
    assert_eq!(
        findings(home.path(), root.path()),
        [
            "cookies_blocked firefox t.default all sites",
            "javascript_blocked firefox t.default all sites",
        ]
    );
}
