//! `clear-cookies` on generated homes: exactly the target cookies go, everything else
//! stays, a dry run changes nothing, and the report says what happened.

use crate::util::*;

#[test]
fn removes_exactly_the_target_cookies_from_chrome() {
    let home = synthetic_linux_home();
    let db = home.path().join(".config/google-chrome/Default/Cookies");
    let run = loginfix(
        home.path(),
        "linux",
        &["clear-cookies", "--browser", "chrome"],
    );
    run.assert_code(0);
    assert_eq!(rows(&db), survivors(&chromium_mix()));
    let p2 = home.path().join(".config/google-chrome/Profile 2/Cookies");
    assert_eq!(
        rows(&p2),
        [("example.org".into(), "keep".into(), String::new())]
    );
    // Firefox was not selected.
    let ff = home
        .path()
        .join(".mozilla/firefox/abcd1234.default-release/cookies.sqlite");
    assert_eq!(rows(&ff).len(), firefox_mix().len());
    assert!(
        run.stdout
            .contains("Removed  .chatgpt.com  oai-did  path=/  [cookies]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Summary: 6 removed, 0 skipped, 0 failed, in 2 profiles."),
        "{}",
        run.stdout
    );

    let again = loginfix(
        home.path(),
        "linux",
        &["clear-cookies", "--browser", "chrome", "--json"],
    );
    again.assert_code(0);
    let json = again.json();
    assert_eq!(json["summary"]["removed"], 0);
    for p in json["profiles"].as_array().unwrap() {
        assert_eq!(p["status"], "nothing_to_do");
    }
}

#[test]
fn removes_firefox_cookies_partitioned_ones_and_session_restore_copies() {
    let home = synthetic_linux_home();
    let prof = home
        .path()
        .join(".mozilla/firefox/abcd1234.default-release");
    let run = loginfix(
        home.path(),
        "linux",
        &["clear-cookies", "--browser", "firefox"],
    );
    run.assert_code(0);
    assert_eq!(
        rows(&prof.join("cookies.sqlite")),
        survivors(&firefox_mix())
    );
    assert_eq!(
        session_cookies(&prof.join("sessionstore-backups/recovery.jsonlz4")),
        [
            ("example.org".to_string(), "session-keep".to_string()),
            ("notchatgpt.com".to_string(), "session-keep".to_string())
        ]
    );
    assert!(
        run.stdout.contains(
            "Removed  .chatgpt.com  oai-session  path=/  [session restore: recovery.jsonlz4]"
        ),
        "{}",
        run.stdout
    );
    // SQLite folded its WAL back into the database and left no stray files.
    assert!(!prof.join("cookies.sqlite-wal").exists());
    let names: Vec<_> = std::fs::read_dir(prof.join("sessionstore-backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["recovery.jsonlz4"]);
}

#[test]
fn dry_run_changes_no_byte_and_shows_the_plan_a_real_run_executes() {
    let home = synthetic_linux_home();
    let before = snapshot(home.path());
    let dry = loginfix(
        home.path(),
        "linux",
        &["clear-cookies", "--dry-run", "--json"],
    );
    dry.assert_code(0);
    assert_unchanged(&before, home.path());
    let text = loginfix(home.path(), "linux", &["clear-cookies", "-n"]);
    text.assert_code(0);
    assert_unchanged(&before, home.path());
    assert!(text
        .stdout
        .contains("Would remove  chatgpt.com  __Secure-next-auth.session-token"));
    assert!(
        text.stdout.ends_with("Dry run: nothing was changed.\n"),
        "{}",
        text.stdout
    );

    let real = loginfix(home.path(), "linux", &["clear-cookies", "--json"]);
    real.assert_code(0);
    let (dry, real) = (dry.json(), real.json());
    let plan = |doc: &serde_json::Value| -> Vec<String> {
        doc["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["items"].as_array().unwrap().iter())
            .map(|i| {
                format!(
                    "{} {} {} {}",
                    i["file"], i["host"], i["name"], i["partition"]
                )
            })
            .collect()
    };
    assert_eq!(plan(&dry), plan(&real));
    assert_eq!(dry["summary"]["would_remove"], real["summary"]["removed"]);
    assert_eq!(real["summary"]["removed"], 5 + 1 + 5 + 2);
}

#[test]
fn json_document_is_exact() {
    let home = synthetic_linux_home();
    let run = loginfix(
        home.path(),
        "linux",
        &[
            "clear-cookies",
            "--browser",
            "chrome",
            "--profile",
            "Work",
            "--json",
        ],
    );
    run.assert_code(0);
    let h = home.path().display().to_string();
    let expected = serde_json::json!({
        "schema_version": 1,
        "command": "clear-cookies",
        "loginfix_version": env!("CARGO_PKG_VERSION"),
        "hostname": loginfix::platform::hostname(),
        "user": loginfix::platform::home_user(home.path()),
        "dry_run": false,
        "targets": ["openai.com", "chatgpt.com"],
        "os": "linux",
        "home": h,
        "profiles": [{
            "browser": "chrome",
            "channel": "stable",
            "profile": "Profile 2",
            "name": "Work",
            "path": format!("{h}/.config/google-chrome/Profile 2"),
            "version": "156.0.8078.73",
            "status": "done",
            "reason": null,
            "lock": {"state": "free"},
            "stores": [{
                "store": "cookies",
                "file": format!("{h}/.config/google-chrome/Profile 2/Cookies"),
                "scope": "entries",
                "reason": null,
                "unreadable": []
            }],
            "items": [{
                "store": "cookies",
                "file": format!("{h}/.config/google-chrome/Profile 2/Cookies"),
                "host": "chatgpt.com",
                "name": "w",
                "path": "/",
                "partition": null,
                "action": "removed"
            }],
            "errors": [],
            "counts": {"would_remove": 0, "removed": 1, "skipped": 0, "failed": 0, "bytes": 0, "unreadable": 0, "store_errors": 0}
        }],
        "browsers": [{
            "browser": "chrome",
            "status": "found",
            "searched": [
                format!("{h}/.config/google-chrome"),
                format!("{h}/.config/google-chrome-beta"),
                format!("{h}/.config/google-chrome-unstable"),
                format!("{h}/.var/app/com.google.Chrome/config/google-chrome"),
            ]
        }],
        "warnings": [],
        "summary": {"profiles": 1, "would_remove": 0, "removed": 1, "skipped": 0, "failed": 0, "bytes": 0, "unreadable": 0, "store_errors": 0}
    });
    let mut got = run.json();
    let time = got.as_object_mut().unwrap().remove("time").unwrap();
    assert!(is_rfc3339_utc(time.as_str().unwrap()), "{time}");
    // The backup set's id is a timestamp; check its form, then compare the rest exactly.
    let backup = got.as_object_mut().unwrap().remove("backup").unwrap();
    let id = backup["id"].as_str().unwrap();
    assert!(id.starts_with("20") && id.contains('T'), "{id}");
    assert_eq!(
        backup["dir"],
        format!("{h}/.local/share/loginfix/backups/{id}")
    );
    assert_eq!(backup["restorable"], true);
    let undo = got.as_object_mut().unwrap().remove("undo_command").unwrap();
    assert_eq!(
        undo,
        format!("loginfix --home {} --os linux restore {id}", sh_quote(&h))
    );
    assert_eq!(got, expected);
}

#[test]
fn no_cookie_value_appears_in_any_output() {
    let home = synthetic_linux_home();
    let mut outputs = String::new();
    for args in [
        &["clear-cookies", "--dry-run", "-v"][..],
        &["clear-cookies", "--dry-run", "--json"],
        &["browsers", "--json", "-v"],
        &["clear-cookies", "-v"],
    ] {
        let run = loginfix(home.path(), "linux", args);
        outputs.push_str(&run.stdout);
        outputs.push_str(&run.stderr);
    }
    assert!(outputs.contains("oai-did"), "the outputs name the cookies");
    assert!(
        !outputs.contains("lfxsecret"),
        "a cookie value leaked:\n{outputs}"
    );
}

#[test]
fn domain_option_narrows_the_targets() {
    let home = synthetic_linux_home();
    let db = home.path().join(".config/google-chrome/Default/Cookies");
    loginfix(
        home.path(),
        "linux",
        &[
            "clear-cookies",
            "--browser",
            "chrome",
            "--domain",
            "https://AUTH.openai.com/",
        ],
    )
    .assert_code(0);
    let left = rows(&db);
    assert!(!left.iter().any(|r| r.0 == "auth.openai.com"));
    assert!(
        left.iter().any(|r| r.0 == ".openai.com"),
        "the parent domain is not a target"
    );
    assert!(left.iter().any(|r| r.0 == "chatgpt.com"));
}

#[cfg(unix)]
#[test]
fn a_running_browser_is_refused_and_other_profiles_proceed() {
    let home = synthetic_linux_home();
    let udd = home.path().join(".config/google-chrome");
    let host = hostname();
    let mut sleeper = std::process::Command::new("sleep")
        .arg("60")
        .spawn()
        .unwrap();
    std::os::unix::fs::symlink(
        format!("{host}-{}", sleeper.id()),
        udd.join("SingletonLock"),
    )
    .unwrap();
    let chrome_before = snapshot(&udd);

    let run = loginfix(home.path(), "linux", &["clear-cookies", "--json"]);
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    run.assert_code(3);
    assert_unchanged(&chrome_before, &udd);
    let json = run.json();
    let profiles = json["profiles"].as_array().unwrap();
    let chrome: Vec<_> = profiles
        .iter()
        .filter(|p| p["browser"] == "chrome")
        .collect();
    assert_eq!(chrome.len(), 2);
    for p in chrome {
        assert_eq!(p["status"], "skipped_running");
        assert_eq!(p["lock"]["state"], "running");
        assert!(p["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["action"] == "skipped"));
    }
    let firefox = profiles.iter().find(|p| p["browser"] == "firefox").unwrap();
    assert_eq!(firefox["status"], "done");
    // Both Chrome profiles are skipped; the way out is said once, for the browser.
    assert_eq!(
        run.stderr.matches("hint: quit Google Chrome").count(),
        1,
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr
            .matches("warning: skipped chrome profile")
            .count(),
        2
    );

    // Once the process is gone the lock is stale: reported, and it does not block.
    let run = loginfix(
        home.path(),
        "linux",
        &["clear-cookies", "--browser", "chrome", "--json"],
    );
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["profiles"][0]["status"], "done");
    assert_eq!(json["profiles"][0]["lock"]["state"], "stale");
    assert_eq!(
        rows(&udd.join("Default/Cookies")),
        survivors(&chromium_mix())
    );
}

#[cfg(unix)]
#[test]
fn a_running_firefox_is_refused() {
    let home = synthetic_linux_home();
    let prof = home
        .path()
        .join(".mozilla/firefox/abcd1234.default-release");
    let mut sleeper = std::process::Command::new("sleep")
        .arg("60")
        .spawn()
        .unwrap();
    std::os::unix::fs::symlink(format!("127.0.1.1:+{}", sleeper.id()), prof.join("lock")).unwrap();
    let before = snapshot(&prof);
    let run = loginfix(
        home.path(),
        "linux",
        &["clear-cookies", "--browser", "firefox"],
    );
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    run.assert_code(3);
    assert_unchanged(&before, &prof);
    assert!(
        run.stdout.contains("Skipped  chatgpt.com"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("skipped: Firefox is running"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_damaged_store_fails_that_profile_only() {
    let home = synthetic_linux_home();
    let db = home.path().join(".config/google-chrome/Default/Cookies");
    write(
        &db,
        b"SQLite format 3\0 but then garbage that is not a database at all",
    );
    let before = snapshot(home.path());
    let run = loginfix(
        home.path(),
        "linux",
        &["clear-cookies", "--browser", "chrome", "--json"],
    );
    run.assert_code(1);
    let json = run.json();
    assert_eq!(json["profiles"][0]["status"], "failed");
    let err = json["profiles"][0]["errors"][0]["error"].as_str().unwrap();
    assert!(err.contains(&db.display().to_string()), "{err}");
    assert_eq!(json["profiles"][0]["reason"].as_str(), Some(err));
    assert_eq!(json["profiles"][0]["counts"]["store_errors"], 1);
    assert_eq!(json["summary"]["store_errors"], 1);
    assert_eq!(json["profiles"][1]["status"], "done");
    // Only Profile 2's store changed.
    let after = snapshot(home.path());
    let changed: Vec<_> = before
        .keys()
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert_eq!(
        changed,
        [std::path::Path::new(
            ".config/google-chrome/Profile 2/Cookies"
        )]
    );
}

#[test]
fn the_summary_counts_stores_that_could_not_be_read_as_failed() {
    let home = synthetic_linux_home();
    let db = home.path().join(".config/google-chrome/Default/Cookies");
    write(
        &db,
        b"not a database at all, but long enough to not be empty..........",
    );
    let run = loginfix(
        home.path(),
        "linux",
        &["clear-cookies", "--browser", "chrome"],
    );
    run.assert_code(1);
    assert!(
        run.stdout.contains(
            "Summary: 1 removed, 0 skipped, 1 failed (1 store could not be read), in 2 profiles."
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn an_empty_cookie_file_holds_nothing_to_remove() {
    let home = synthetic_linux_home();
    let db = home.path().join(".config/google-chrome/Default/Cookies");
    write(&db, b"");
    let run = loginfix(
        home.path(),
        "linux",
        &[
            "clear-cookies",
            "--browser",
            "chrome",
            "--profile",
            "Default",
            "--json",
        ],
    );
    run.assert_code(0);
    assert_eq!(run.json()["profiles"][0]["status"], "nothing_to_do");
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0);
}

#[test]
fn a_store_of_an_unknown_schema_is_refused() {
    let home = synthetic_linux_home();
    let db = home.path().join(".config/google-chrome/Default/Cookies");
    std::fs::remove_file(&db).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("CREATE TABLE cookies(domain TEXT, name TEXT, path TEXT)")
        .unwrap();
    drop(conn);
    let run = loginfix(
        home.path(),
        "linux",
        &[
            "clear-cookies",
            "--browser",
            "chrome",
            "--profile",
            "Default",
        ],
    );
    run.assert_code(1);
    assert!(
        run.stdout.contains("has no `host_key` column"),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_lock_from_another_machine_blocks_unless_ignored() {
    let home = synthetic_linux_home();
    let udd = home.path().join(".config/google-chrome");
    std::os::unix::fs::symlink("fileserver-elsewhere-4242", udd.join("SingletonLock")).unwrap();
    let before = snapshot(&udd);
    let run = loginfix(
        home.path(),
        "linux",
        &["clear-cookies", "--browser", "chrome", "--json"],
    );
    run.assert_code(3);
    assert_unchanged(&before, &udd);
    let reason = run.json()["profiles"][0]["reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        reason.contains("on another machine (`fileserver-elsewhere`)"),
        "{reason}"
    );
    // The hint names the way out, not "quit Google Chrome": it runs elsewhere, if at all.
    let hints: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("hint: "))
        .collect();
    assert_eq!(hints.len(), 1, "{}", run.stderr);
    assert!(
        hints[0].contains("--ignore-foreign-locks"),
        "{}",
        run.stderr
    );
    assert!(!hints[0].contains("quit Google Chrome"), "{}", run.stderr);

    let run = loginfix(
        home.path(),
        "linux",
        &[
            "clear-cookies",
            "--browser",
            "chrome",
            "--ignore-foreign-locks",
            "--json",
        ],
    );
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["profiles"][0]["status"], "done");
    assert_eq!(json["profiles"][0]["lock"]["state"], "stale");
    assert_eq!(
        rows(&udd.join("Default/Cookies")),
        survivors(&chromium_mix())
    );
}

#[test]
fn a_store_another_program_holds_is_waited_for_briefly_then_reported() {
    let home = synthetic_linux_home();
    let db = home.path().join(".config/google-chrome/Default/Cookies");
    // Read before locking: closing any descriptor of the file drops this process's
    // POSIX locks on it, SQLite's included.
    let before = std::fs::read(&db).unwrap();
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let started = std::time::Instant::now();
    let run = loginfix(
        home.path(),
        "linux",
        &[
            "clear-cookies",
            "--browser",
            "chrome",
            "--profile",
            "Default",
            "--no-backup",
            "--json",
        ],
    );
    let waited = started.elapsed();
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    run.assert_code(1);
    assert!(
        waited < std::time::Duration::from_secs(20),
        "waited {waited:?}"
    );
    let json = run.json();
    let error = json["profiles"][0]["items"][0]["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(error.contains("is locked by another program"), "{error}");
    assert!(!error.contains("integrity check"), "{error}");
    // Said once on stderr (not once per cookie), with the way out, in JSON mode too.
    let said = format!("error: {}: locked by another program", db.display());
    assert_eq!(run.stderr.matches(&said).count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("hint: close the program that holds the file"),
        "{}",
        run.stderr
    );
    assert!(
        json["profiles"][0]["items"][0]["hint"]
            .as_str()
            .is_some_and(|h| h.starts_with("close the program")),
        "{json}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(rows(&db).len(), chromium_mix().len());
}

#[test]
fn verbose_says_how_long_each_step_of_a_change_took() {
    let home = synthetic_linux_home();
    let backups = tempfile::tempdir().unwrap();
    let db = home.path().join(".config/google-chrome/Default/Cookies");
    let run = loginfix(
        home.path(),
        "linux",
        &[
            "clear-cookies",
            "--browser",
            "chrome",
            "--profile",
            "Default",
            "--backup-dir",
            backups.path().to_str().unwrap(),
            "-v",
        ],
    );
    run.assert_code(0);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with(&format!("  time: {}: ", db.display())))
        .unwrap_or_else(|| panic!("no time line for the store:\n{}", run.stdout));
    let steps: Vec<&str> = line
        .rsplit(": ")
        .next()
        .unwrap()
        .split(", ")
        .map(|step| {
            let (name, took) = step.rsplit_once(' ').unwrap();
            assert_eq!(took, "ms", "{line}");
            let (name, figure) = name.rsplit_once(' ').unwrap();
            assert!(figure.parse::<f64>().is_ok(), "{line}");
            name
        })
        .collect();
    assert_eq!(steps, ["backup", "edit", "integrity check"], "{line}");
    // The run's own backup step, after it: keeping only the newest sets.
    let lines: Vec<&str> = run.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("Backup: "))
        .unwrap_or_else(|| panic!("no backup line:\n{}", run.stdout));
    let pruning = lines[at + 1]
        .strip_prefix("  time: pruning older backup sets: ")
        .and_then(|t| t.strip_suffix(" ms"))
        .unwrap_or_else(|| panic!("no pruning time after the backup line:\n{}", run.stdout));
    assert!(pruning.parse::<f64>().is_ok(), "{}", lines[at + 1]);

    // Without -v, and in a dry run (nothing changed, nothing timed), there is no such line.
    for args in [
        &["clear-cookies", "--browser", "chrome", "--no-backup"][..],
        &["clear-cookies", "--browser", "chrome", "--dry-run", "-v"][..],
    ] {
        let home = synthetic_linux_home();
        let run = loginfix(home.path(), "linux", args);
        assert!(!run.stdout.contains("time:"), "{args:?}: {}", run.stdout);
    }
}

/// Damages the free-space list of `table`'s root page: SQLite's integrity check names
/// it, while reading and deleting cookies never visits that page.
fn damage_free_space_of(db: &std::path::Path, table: &str) {
    use std::io::{Seek, SeekFrom, Write};
    let conn = rusqlite::Connection::open(db).unwrap();
    let root: i64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_master WHERE name = ?1",
            [table],
            |r| r.get(0),
        )
        .unwrap();
    let page_size: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    drop(conn);
    let (root, page_size) = (root as u64, page_size as u64);
    assert!(
        root > 1,
        "the page header of page 1 starts after the file header"
    );
    let mut f = std::fs::OpenOptions::new().write(true).open(db).unwrap();
    // Bytes 1-2 of a b-tree page header: the offset of its first freeblock.
    f.seek(SeekFrom::Start((root - 1) * page_size + 1)).unwrap();
    f.write_all(&[0x0f, 0xf0]).unwrap();
}

#[test]
fn an_edit_that_would_leave_a_store_failing_its_integrity_check_is_rolled_back() {
    let home = synthetic_linux_home();
    let db = home.path().join(".config/google-chrome/Default/Cookies");
    damage_free_space_of(&db, "meta");
    let before = std::fs::read(&db).unwrap();
    // Without a backup there is nothing to put back: only a rollback keeps the store.
    let run = loginfix(
        home.path(),
        "linux",
        &[
            "clear-cookies",
            "--browser",
            "chrome",
            "--profile",
            "Default",
            "--no-backup",
            "--json",
        ],
    );
    run.assert_code(1);
    let json = run.json();
    let items = json["profiles"][0]["items"].as_array().unwrap();
    assert!(!items.is_empty());
    for item in items {
        assert_eq!(item["action"], "failed", "{item}");
        let error = item["error"].as_str().unwrap();
        assert!(
            error.contains("fails SQLite's integrity check")
                && error.contains("free space corruption")
                && error.contains("the edit was rolled back"),
            "{error}"
        );
    }
    assert_eq!(json["profiles"][0]["status"], "failed");
    assert!(
        run.stderr
            .contains("hint: the file is damaged: move it aside"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&db).unwrap(), before, "the store changed");
    assert_eq!(rows(&db).len(), chromium_mix().len());
}

#[test]
fn an_internationalised_domain_is_accepted_and_matches_its_punycode_hosts() {
    let home = synthetic_linux_home();
    let db = home.path().join(".config/google-chrome/Default/Cookies");
    std::fs::remove_file(&db).unwrap();
    chromium_cookies(
        &db,
        &[
            cookie(".xn--caf-dma.com", "a", ""),
            cookie("www.xn--caf-dma.com", "b", ""),
            cookie("cafe.com", "keep", ""),
            cookie("chatgpt.com", "keep", ""),
        ],
    );
    let run = loginfix(
        home.path(),
        "linux",
        &[
            "clear-cookies",
            "--browser",
            "chrome",
            "--profile",
            "Default",
            "--domain",
            "caf\u{e9}.com",
            "--json",
        ],
    );
    run.assert_code(0);
    assert_eq!(run.json()["targets"][0], "xn--caf-dma.com");
    let left: Vec<String> = rows(&db).into_iter().map(|r| r.0).collect();
    assert_eq!(left, ["cafe.com", "chatgpt.com"]);
}

/// Two runs on one home take turns: the second waits for the first's lock, then works
/// on what the first left (issue 11: concurrent first runs raced on the backup directory).
#[cfg(unix)]
#[test]
fn a_run_waits_while_another_run_holds_the_home() {
    use std::os::unix::io::AsRawFd;
    let home = synthetic_linux_home();
    // The lock a run holds: flock on the home directory itself.
    let file = std::fs::File::open(home.path()).unwrap();
    // SAFETY: the fd is open for the call.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    assert_eq!(rc, 0);
    let before = snapshot(home.path());
    let started = std::time::Instant::now();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_loginfix"))
        .args(["--home"])
        .arg(home.path())
        .args(["--os", "linux", "clear-cookies", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(800));
    let chrome = home.path().join(".config/google-chrome/Default/Cookies");
    assert_eq!(
        rows(&chrome).len(),
        chromium_mix().len(),
        "nothing changed while held"
    );
    assert_unchanged(&before, home.path());
    drop(file);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(800));
    assert_eq!(rows(&chrome), survivors(&chromium_mix()));
}
