//! Bad input: damaged, foreign, hostile or oddly named files and paths. Every case checks
//! the exit code, that the message names the file and says what is wrong, that nothing
//! panics, and that no byte of the browsers' data changed (dry runs and real runs).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use loginfix::stores::firefox::mozlz4;
use loginfix::testing;
use rusqlite::Connection;

use crate::util::*;

type Snap = BTreeMap<PathBuf, Vec<u8>>;

/// Where loginfix keeps its own backup sets in a home (its data directory).
const BACKUP_ROOTS: [&str; 3] = [
    ".local/share/loginfix",
    "Library/Application Support/loginfix",
    "AppData/Roaming/loginfix",
];

/// loginfix's backup sets, and the directories created to hold them, are not browser
/// data: they are left out of the before/after comparisons.
fn is_loginfix_backup(rel: &Path, content: &[u8]) -> bool {
    BACKUP_ROOTS.iter().any(|root| {
        rel.starts_with(root) || (Path::new(root).starts_with(rel) && content.starts_with(b"dir"))
    })
}

fn data_snapshot(dir: &Path) -> Snap {
    snapshot(dir)
        .into_iter()
        .filter(|(k, v)| !is_loginfix_backup(k, v))
        .collect()
}

/// The paths (relative to `dir`) whose content, type or mode differs from `before`.
fn changed(before: &Snap, dir: &Path) -> Vec<PathBuf> {
    let after = data_snapshot(dir);
    let mut keys: Vec<PathBuf> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .cloned()
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

#[track_caller]
fn assert_same(before: &Snap, dir: &Path, case: &str) {
    let changed = changed(before, dir);
    assert!(changed.is_empty(), "{case}: files changed: {changed:?}");
}

/// Exit code 101 is Rust's panic exit; a panic in a scanning thread only shows on stderr.
#[track_caller]
fn assert_no_panic(run: &Run, case: &str) {
    assert_ne!(
        run.code, 101,
        "{case}: loginfix panicked\n{}\n{}",
        run.stdout, run.stderr
    );
    assert!(
        !run.stderr.contains("panicked"),
        "{case}: a thread panicked:\n{}",
        run.stderr
    );
}

/// Every `profiles[].errors[].error` of a clean report.
fn store_errors(json: &serde_json::Value) -> Vec<String> {
    json["profiles"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["errors"].as_array().into_iter().flatten())
        .map(|e| e["error"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn with(args: &[&str], extra: &[&'static str]) -> Vec<String> {
    args.iter()
        .chain(extra.iter())
        .map(|s| s.to_string())
        .collect()
}

/// A store that must be refused: `args` (a clean command) is run as a dry run and as a
/// real run, in JSON and in text. Each run exits 1, reports a store error that names
/// `file` and contains `what`, and changes no byte under `home`.
#[track_caller]
fn assert_store_refused(home: &Path, os: &str, args: &[&str], file: &Path, what: &str) {
    let file_text = file.display().to_string();
    for (mode, extra) in [
        ("dry run, JSON", &["--dry-run", "--json"][..]),
        ("real run, JSON", &["--json"][..]),
        ("dry run, text", &["--dry-run"][..]),
        ("real run, text", &[][..]),
    ] {
        let case = format!("{what} ({mode})");
        let argv = with(args, extra);
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        let before = data_snapshot(home);
        let run = loginfix(home, os, &argv);
        assert_no_panic(&run, &case);
        assert_eq!(
            run.code, 1,
            "{case}: exit code\n{}\n{}",
            run.stdout, run.stderr
        );
        if extra.contains(&"--json") {
            let errors = store_errors(&run.json());
            assert!(
                errors
                    .iter()
                    .any(|e| e.contains(&file_text) && e.contains(what)),
                "{case}: no error naming `{file_text}` and saying `{what}`: {errors:?}"
            );
        } else {
            let line = run
                .stdout
                .lines()
                .find(|l| l.contains("Failed") && l.contains(&file_text));
            assert!(
                line.is_some_and(|l| l.contains(what)),
                "{case}: no `Failed` line naming `{file_text}` and saying `{what}`:\n{}",
                run.stdout
            );
        }
        // Said on stderr too, in JSON mode as well: the file, what is wrong with it and
        // what to do, each cause once.
        assert!(
            run.stderr.contains(&format!("error: {file_text}: ")),
            "{case}: no `error: {file_text}: ` on stderr:\n{}",
            run.stderr
        );
        let after = run
            .stderr
            .split(&format!("error: {file_text}: "))
            .nth(1)
            .unwrap_or_default();
        assert!(
            after
                .lines()
                .nth(1)
                .is_some_and(|l| l.starts_with("hint: ")),
            "{case}: no hint after the error:\n{}",
            run.stderr
        );
        for out in [&run.stdout, &run.stderr] {
            assert!(
                !out.contains("Error code"),
                "{case}: SQLite's text twice:\n{out}"
            );
        }
        assert_same(&before, home, &case);
    }
}

const CHROME_ONLY_DEFAULT: [&str; 5] = [
    "clear-cookies",
    "--browser",
    "chrome",
    "--profile",
    "Default",
];

fn chrome_cookies(home: &Path) -> PathBuf {
    home.join(".config/google-chrome/Default/Cookies")
}

// ---------------------------------------------------------------------------------------
// Chromium cookie databases

#[test]
fn a_chromium_cookie_db_that_is_not_sqlite_is_refused() {
    let home = synthetic_linux_home();
    let db = chrome_cookies(home.path());
    write(
        &db,
        "Cookies? This is a text file somebody saved over the database.\n",
    );
    assert_store_refused(
        home.path(),
        "linux",
        &CHROME_ONLY_DEFAULT,
        &db,
        "is not a readable SQLite database",
    );
}

#[test]
fn a_sqlite_file_without_a_cookies_table_is_refused() {
    let home = synthetic_linux_home();
    let db = chrome_cookies(home.path());
    std::fs::remove_file(&db).unwrap();
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE meta(key TEXT, value TEXT); CREATE TABLE history(url TEXT, host_key TEXT);
         INSERT INTO history VALUES ('https://chatgpt.com/', 'chatgpt.com');",
    )
    .unwrap();
    drop(conn);
    assert_store_refused(
        home.path(),
        "linux",
        &CHROME_ONLY_DEFAULT,
        &db,
        "is not a Chromium cookie database (it has no `cookies` table)",
    );
}

#[test]
fn a_chromium_cookie_db_without_host_key_is_refused() {
    let home = synthetic_linux_home();
    let db = chrome_cookies(home.path());
    std::fs::remove_file(&db).unwrap();
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE cookies(creation_utc INTEGER, domain TEXT, top_frame_site_key TEXT,
           name TEXT, value TEXT, path TEXT);
         INSERT INTO cookies VALUES (1, 'chatgpt.com', '', 'a', 'lfxsecret', '/');",
    )
    .unwrap();
    drop(conn);
    assert_store_refused(
        home.path(),
        "linux",
        &CHROME_ONLY_DEFAULT,
        &db,
        "has an unknown schema: table `cookies` has no `host_key` column",
    );
}

#[test]
fn a_cookie_db_with_a_trigger_is_refused_and_no_row_changes() {
    let home = synthetic_linux_home();
    let db = chrome_cookies(home.path());
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER wipe AFTER DELETE ON cookies BEGIN DELETE FROM cookies; END;",
    )
    .unwrap();
    drop(conn);
    let before = rows(&db);
    assert!(before.iter().any(|r| r.0.contains("chatgpt.com")));
    assert!(before
        .iter()
        .any(|r| !r.0.contains("chatgpt.com") && !r.0.contains("openai")));
    assert_store_refused(
        home.path(),
        "linux",
        &CHROME_ONLY_DEFAULT,
        &db,
        "has a trigger (`wipe`), which no browser writes",
    );
    assert_eq!(rows(&db), before);
}

#[cfg(unix)]
#[test]
fn a_hard_linked_cookie_db_is_refused() {
    let home = synthetic_linux_home();
    let db = chrome_cookies(home.path());
    let other = home.path().join("someone-elses-file");
    std::fs::hard_link(&db, &other).unwrap();
    assert_store_refused(
        home.path(),
        "linux",
        &CHROME_ONLY_DEFAULT,
        &db,
        "has 2 hard links; editing it would change the other copies too; not changed",
    );
}

#[test]
fn a_cookie_table_that_is_a_view_is_refused() {
    let home = synthetic_linux_home();
    let db = home
        .path()
        .join(".mozilla/firefox/abcd1234.default-release/cookies.sqlite");
    assert!(db.exists(), "the synthetic home has a Firefox profile");
    std::fs::remove_file(&db).unwrap();
    // Only the cookie database is looked at.
    std::fs::remove_dir_all(db.with_file_name("sessionstore-backups")).unwrap();
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE real_cookies(id INTEGER PRIMARY KEY, originAttributes TEXT, name TEXT,
           value TEXT, host TEXT, path TEXT);
         INSERT INTO real_cookies VALUES (1, '', 'a', 'lfxsecret', 'chatgpt.com', '/');
         CREATE VIEW moz_cookies AS SELECT * FROM real_cookies;",
    )
    .unwrap();
    drop(conn);
    assert_store_refused(
        home.path(),
        "linux",
        &["clear-cookies", "--browser", "firefox"],
        &db,
        "`moz_cookies` is a view, not a table",
    );
}

#[test]
fn a_newer_chromium_schema_with_extra_columns_still_works() {
    let home = synthetic_linux_home();
    let db = chrome_cookies(home.path());
    std::fs::remove_file(&db).unwrap();
    // A future schema: columns added in the middle and at the end, a new index.
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
         INSERT INTO meta VALUES('version','31'),('last_compatible_version','30');
         CREATE TABLE cookies(creation_utc INTEGER NOT NULL, host_key TEXT NOT NULL,
           future_origin TEXT NOT NULL DEFAULT '', top_frame_site_key TEXT NOT NULL,
           name TEXT NOT NULL, value TEXT NOT NULL, encrypted_value BLOB NOT NULL,
           path TEXT NOT NULL, expires_utc INTEGER NOT NULL, source_port INTEGER NOT NULL,
           future_flags INTEGER NOT NULL DEFAULT 7, future_blob BLOB);
         CREATE INDEX cookies_future ON cookies(future_origin);",
    )
    .unwrap();
    for (i, c) in chromium_mix().iter().enumerate() {
        conn.execute(
            "INSERT INTO cookies (creation_utc, host_key, future_origin, top_frame_site_key,
               name, value, encrypted_value, path, expires_utc, source_port, future_blob)
             VALUES (?1, ?2, 'x', ?3, ?4, '', ?5, '/', 0, 443, x'00ff')",
            rusqlite::params![i as i64, c.host, c.partition, c.name, c.value.as_bytes()],
        )
        .unwrap();
    }
    drop(conn);

    let before = data_snapshot(home.path());
    let dry = loginfix(
        home.path(),
        "linux",
        &with(&CHROME_ONLY_DEFAULT, &["--dry-run", "--json"])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_no_panic(&dry, "newer schema, dry run");
    dry.assert_code(0);
    assert_eq!(dry.json()["summary"]["would_remove"], 5);
    assert_same(&before, home.path(), "newer schema, dry run");

    let real = loginfix(
        home.path(),
        "linux",
        &with(&CHROME_ONLY_DEFAULT, &["--json"])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_no_panic(&real, "newer schema, real run");
    real.assert_code(0);
    let json = real.json();
    assert_eq!(json["summary"]["removed"], 5, "{json}");
    assert_eq!(json["summary"]["failed"], 0);
    assert_eq!(rows(&db), survivors(&chromium_mix()));
    // The extra columns of the kept rows are as they were.
    let conn = Connection::open(&db).unwrap();
    let extra: Vec<(String, i64, Vec<u8>)> = conn
        .prepare("SELECT future_origin, future_flags, future_blob FROM cookies")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(extra.len(), survivors(&chromium_mix()).len());
    assert!(extra
        .iter()
        .all(|e| *e == ("x".to_string(), 7, vec![0x00, 0xff])));
    assert_eq!(
        changed(&before, home.path()),
        [PathBuf::from(".config/google-chrome/Default/Cookies")]
    );
}

// ---------------------------------------------------------------------------------------
// Read-only files and directories

/// True when file modes do not bind this process (root, or CAP_DAC_OVERRIDE): a file
/// made 0444 can still be opened for writing.
#[cfg(unix)]
fn modes_do_not_bind() -> bool {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let probe = dir.path().join("probe");
    std::fs::write(&probe, b"x").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::OpenOptions::new().write(true).open(&probe).is_ok()
}

#[cfg(unix)]
const NOBODY: u32 = 65534;

/// Runs loginfix so that file modes bind it. As an ordinary user that is a plain run. As
/// root (CI), where `chmod` stops no write, the binary runs as `nobody` on a home handed
/// to `nobody`: the read-only file or directory then refuses writes for real, through the
/// same system calls that fail for a user whose file is read-only. (`chattr +i` would
/// need a file system that supports it, a bind mount would need mount rights.)
#[cfg(unix)]
fn run_bound_by_modes(home: &Path, os: &str, args: &[&str]) -> Run {
    if !modes_do_not_bind() {
        return loginfix(home, os, args);
    }
    use std::os::unix::process::CommandExt;
    // The binary may sit under a directory `nobody` cannot enter: run a copy.
    let bin_dir = tempfile::tempdir().unwrap();
    let bin = bin_dir.path().join("loginfix");
    std::fs::copy(env!("CARGO_BIN_EXE_loginfix"), &bin).unwrap();
    for path in [bin_dir.path(), bin.as_path()] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // The home's own directory (a 0700 temp dir) and everything in it belong to nobody;
    // modes stay as the test set them.
    for entry in walkdir::WalkDir::new(home) {
        let entry = entry.unwrap();
        std::os::unix::fs::lchown(entry.path(), Some(NOBODY), Some(NOBODY)).unwrap();
    }
    let mut all: Vec<String> = vec![
        "--home".into(),
        home.display().to_string(),
        "--os".into(),
        os.into(),
    ];
    all.extend(args.iter().map(|s| s.to_string()));
    let run = || {
        std::process::Command::new(&bin)
            .args(&all)
            .env_clear()
            .env("HOME", home)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("NO_COLOR", "1")
            .uid(NOBODY)
            .gid(NOBODY)
            .output()
    };
    // A test running beside this one may fork while the copy's write handle is still
    // open; its child holds that handle until it execs, and executing the copy meanwhile
    // fails with ETXTBSY. The window is short: try again.
    let mut out = run();
    for _ in 0..100 {
        match &out {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) => {
                std::thread::sleep(std::time::Duration::from_millis(20));
                out = run();
            }
            _ => break,
        }
    }
    let out = out.expect("run loginfix as nobody");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Item errors of a clean report.
#[cfg(unix)]
fn item_errors(json: &serde_json::Value) -> Vec<String> {
    json["profiles"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["items"].as_array().into_iter().flatten())
        .filter(|i| i["action"] == "failed")
        .map(|i| i["error"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[cfg(unix)]
#[test]
fn a_read_only_cookie_file_fails_with_its_name_and_is_unchanged() {
    let home = synthetic_linux_home();
    let db = chrome_cookies(home.path());
    chmod(&db, 0o444);
    let before = data_snapshot(home.path());
    let run = run_bound_by_modes(
        home.path(),
        "linux",
        &with(&CHROME_ONLY_DEFAULT, &["--json"])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_no_panic(&run, "read-only cookie file");
    run.assert_code(1);
    let json = run.json();
    assert_eq!(json["profiles"][0]["status"], "failed");
    assert_eq!(json["summary"]["failed"], 5, "{json}");
    let errors = item_errors(&json);
    assert_eq!(errors.len(), 5);
    for e in &errors {
        assert!(e.contains(&db.display().to_string()), "{e}");
        assert!(e.contains("readonly") || e.contains("read-only"), "{e}");
        // Not mistaken for another program holding the database.
        assert!(!e.contains("locked by another program"), "{e}");
    }
    // One `error:` for the store, not one per cookie, with the way out.
    let said = format!("error: {}: ", db.display());
    assert_eq!(run.stderr.matches(&said).count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("hint: the file or its directory is read-only"),
        "{}",
        run.stderr
    );
    assert_same(&before, home.path(), "read-only cookie file");
    assert_eq!(rows(&db).len(), chromium_mix().len());
}

#[cfg(unix)]
#[test]
fn quiet_keeps_every_errors_file_and_cause_and_drops_only_the_item_lines() {
    let home = synthetic_linux_home();
    let db = chrome_cookies(home.path());
    chmod(&db, 0o444);
    // Firefox's store is not SQLite at all: a store error beside the item errors.
    let ff = home
        .path()
        .join(".mozilla/firefox/abcd1234.default-release/cookies.sqlite");
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", ff.display()));
    }
    write(&ff, "not a database, just text\n");
    let run = run_bound_by_modes(
        home.path(),
        "linux",
        &[
            "clear-cookies",
            "--profile",
            "Default",
            "--profile",
            "default-release",
            "-q",
        ],
    );
    assert_no_panic(&run, "quiet");
    run.assert_code(1);
    for (file, cause) in [
        (&db, "readonly"),
        (
            &ff,
            "not a readable SQLite database: file is not a database",
        ),
    ] {
        let said = format!("error: {}: ", file.display());
        let line = run.stderr.lines().find(|l| l.starts_with(&said));
        assert!(
            line.is_some_and(|l| l.contains(cause)),
            "no `{said}...{cause}` on stderr:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("hint: "), "{}", run.stderr);
    // The item lines are what -q drops.
    assert!(!run.stdout.contains("chatgpt.com"), "{}", run.stdout);
    assert!(run.stdout.contains("Summary: "), "{}", run.stdout);
    assert_eq!(rows(&db).len(), chromium_mix().len());
}

#[cfg(unix)]
#[test]
fn an_unreadable_cookie_file_says_permission_denied_and_what_to_do() {
    let home = synthetic_linux_home();
    let db = chrome_cookies(home.path());
    chmod(&db, 0o000);
    for json in [false, true] {
        let mut args = CHROME_ONLY_DEFAULT.to_vec();
        if json {
            args.push("--json");
        }
        let run = run_bound_by_modes(home.path(), "linux", &args);
        assert_no_panic(&run, "permission denied");
        run.assert_code(1);
        let said = format!("error: {}: ", db.display());
        let line = run.stderr.lines().find(|l| l.starts_with(&said));
        assert!(
            line.is_some_and(
                |l| l.to_lowercase().contains("permission denied") || l.contains("unable to open")
            ),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("hint: ") && run.stderr.contains("sudo"),
            "{}",
            run.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_profile_directory_fails_with_its_name_and_is_unchanged() {
    let home = synthetic_linux_home();
    // Chromium's cookie database: SQLite cannot create its rollback journal.
    let profile = home.path().join(".config/google-chrome/Default");
    chmod(&profile, 0o555);
    // Firefox's session file: no temporary file can be created beside it.
    let ff = home
        .path()
        .join(".mozilla/firefox/abcd1234.default-release");
    let session_dir = ff.join("sessionstore-backups");
    chmod(&session_dir, 0o555);
    let before = data_snapshot(home.path());
    let run = run_bound_by_modes(
        home.path(),
        "linux",
        &[
            "clear-cookies",
            "--profile",
            "Default",
            "--profile",
            "default-release",
            "--json",
        ],
    );
    assert_no_panic(&run, "read-only profile directory");
    run.assert_code(1);
    let json = run.json();
    let chrome = &json["profiles"][0];
    assert_eq!(chrome["status"], "failed", "{json}");
    assert_eq!(chrome["counts"]["removed"], 0);
    let db = chrome_cookies(home.path());
    for item in chrome["items"].as_array().unwrap() {
        assert_eq!(item["action"], "failed");
        let e = item["error"].as_str().unwrap();
        assert!(e.contains(&db.display().to_string()), "{e}");
    }
    let firefox = &json["profiles"][1];
    assert_eq!(firefox["status"], "failed", "{json}");
    let session = session_dir.join("recovery.jsonlz4");
    let session_errors: Vec<&str> = firefox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["store"] == "session_restore")
        .map(|i| i["error"].as_str().unwrap_or_default())
        .collect();
    assert!(!session_errors.is_empty(), "{json}");
    for e in &session_errors {
        assert!(
            e.contains(&session_dir.display().to_string())
                || e.contains(&session.display().to_string()),
            "{e}"
        );
    }
    // cookies.sqlite sits in a writable directory: it was cleaned; nothing else changed.
    let gone: Vec<PathBuf> = changed(&before, home.path())
        .into_iter()
        .filter(|p| {
            !p.to_string_lossy()
                .starts_with(".mozilla/firefox/abcd1234.default-release/cookies.sqlite")
        })
        .collect();
    assert!(gone.is_empty(), "changed: {gone:?}");
    assert_eq!(rows(&ff.join("cookies.sqlite")), survivors(&firefox_mix()));
    assert_eq!(rows(&db).len(), chromium_mix().len());
}

// ---------------------------------------------------------------------------------------
// Symbolic links

/// `(browser, profile dir name)` of every profile `browsers --json` lists.
fn listed_profiles(json: &serde_json::Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for b in json["browsers"].as_array().unwrap() {
        for p in b["profiles"].as_array().into_iter().flatten() {
            out.push((
                b["browser"].as_str().unwrap().to_string(),
                p["profile"].as_str().unwrap().to_string(),
            ));
        }
    }
    out
}

fn warnings(json: &serde_json::Value) -> Vec<String> {
    json["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|w| w.as_str().unwrap_or_default().to_string())
        .collect()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[cfg(unix)]
#[test]
fn a_profile_directory_that_is_a_symlink_is_refused_and_nothing_behind_it_changes() {
    // Run as root on another user's home, a link could lead anywhere: loginfix changes
    // nothing it reaches only through a link, and says which link.
    let home = synthetic_linux_home();
    let elsewhere = tempfile::tempdir().unwrap();
    let udd = home.path().join(".config/google-chrome");
    let moved = elsewhere.path().join("Profile 2");
    std::fs::rename(udd.join("Profile 2"), &moved).unwrap();
    std::os::unix::fs::symlink(&moved, udd.join("Profile 2")).unwrap();

    let args = ["clear-cookies", "--browser", "chrome", "--profile", "Work"];
    let (home_before, out_before) = (data_snapshot(home.path()), data_snapshot(elsewhere.path()));
    for extra in [&["--dry-run", "--json"][..], &["--json"]] {
        let run = loginfix(home.path(), "linux", &strs(&with(&args, extra)));
        assert_no_panic(&run, "symlinked profile");
        run.assert_code(1);
        let json = run.json();
        let error = json["profiles"][0]["errors"][0]["error"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            error.contains(&format!(
                "`{}` is a symlink to `{}`; not followed",
                udd.join("Profile 2").display(),
                moved.display()
            )),
            "{error}"
        );
        assert_eq!(json["summary"]["removed"], 0);
        assert_same(&home_before, home.path(), "symlinked profile (link kept)");
        assert_same(
            &out_before,
            elsewhere.path(),
            "symlinked profile (outside untouched)",
        );
    }
    assert_eq!(rows(&moved.join("Cookies")).len(), 2);
}

#[cfg(unix)]
#[test]
fn cache_entries_that_are_symlinks_never_lead_to_removing_what_they_point_to() {
    let home = synthetic_linux_home();
    let outside = tempfile::tempdir().unwrap();
    let o = outside.path();
    let chatgpt = "1/0/_dk_https://chatgpt.com https://chatgpt.com https://chatgpt.com/app.js";
    let other = "1/0/_dk_https://example.org https://example.org https://example.org/a.js";
    write(
        &o.join("entry_a"),
        testing::chromium::encode_entry(chatgpt, b"outside body"),
    );
    write(&o.join("body_b"), b"outside stream 1");
    write(&o.join("sparse_b"), b"outside sparse");
    write(&o.join("keep_c"), b"outside stream of a kept entry");
    write(&o.join("index"), b"outside index");
    write(
        &o.join("ff_entry"),
        testing::firefox::encode_entry(":https://chatgpt.com/c/1", b"outside firefox body"),
    );
    write(&o.join("ff_index"), b"outside firefox index");
    std::fs::create_dir_all(o.join("a_dir")).unwrap();
    write(&o.join("a_dir/inside"), b"outside dir content");

    let cache = home
        .path()
        .join(".config/google-chrome/Default/Cache/Cache_Data");
    std::fs::create_dir_all(cache.join("index-dir")).unwrap();
    let link = |target: &str, at: &Path| std::os::unix::fs::symlink(o.join(target), at).unwrap();
    // An entry whose `_0` is a link to a file outside that holds a chatgpt.com key.
    link("entry_a", &cache.join("0000000000000001_0"));
    // A real target entry whose other streams are links to files outside.
    write(
        &cache.join("0000000000000002_0"),
        testing::chromium::encode_entry(chatgpt, b"body"),
    );
    link("body_b", &cache.join("0000000000000002_1"));
    link("sparse_b", &cache.join("0000000000000002_s"));
    // Another site's entry with a linked stream, and an entry that links to a directory.
    write(
        &cache.join("0000000000000003_0"),
        testing::chromium::encode_entry(other, b"body"),
    );
    link("keep_c", &cache.join("0000000000000003_1"));
    link("a_dir", &cache.join("0000000000000004_0"));
    link("index", &cache.join("index-dir/the-real-index"));

    let cache2 = home
        .path()
        .join(".cache/mozilla/firefox/abcd1234.default-release/cache2");
    std::fs::create_dir_all(cache2.join("entries")).unwrap();
    link("ff_entry", &cache2.join(format!("entries/{:040X}", 1)));
    link("ff_index", &cache2.join("index"));

    let outside_before = data_snapshot(o);
    let before = data_snapshot(home.path());
    let dry = loginfix(
        home.path(),
        "linux",
        &["clear-cache", "--dry-run", "--json"],
    );
    assert_no_panic(&dry, "symlinked cache entries, dry run");
    dry.assert_code(0);
    assert_same(&before, home.path(), "symlinked cache entries, dry run");
    assert_same(
        &outside_before,
        o,
        "symlinked cache entries, dry run (outside)",
    );

    let real = loginfix(home.path(), "linux", &["clear-cache", "--json"]);
    assert_no_panic(&real, "symlinked cache entries, real run");
    real.assert_code(0);
    let json = real.json();
    // Entry 2 (its linked streams go as links); entries that are links themselves, to a
    // file or a directory outside, are not read through the link: reported, left alone.
    assert_eq!(json["summary"]["removed"], 1, "{json}");
    assert_eq!(json["summary"]["unreadable"], 3, "{json}");
    assert!(
        real.stdout.contains("0000000000000004_0"),
        "{}",
        real.stdout
    );
    // Whatever happened to the links, every file they point to is still there, intact.
    assert_same(
        &outside_before,
        o,
        "symlinked cache entries, real run (outside)",
    );
    // The real target entry is gone, the other site's entry is not.
    assert!(!cache.join("0000000000000002_0").exists());
    assert!(cache.join("0000000000000003_0").is_file());
    assert!(cache.join("0000000000000003_1").symlink_metadata().is_ok());
    // The entry that is a link was not read through it, so it stays (as the link).
    assert!(cache
        .join("0000000000000001_0")
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink()));
}

// ---------------------------------------------------------------------------------------
// Damaged configuration files: discovery falls back or reports, never panics

const MIB: usize = 1024 * 1024;

/// `text` with each U+0001 replaced by the byte 0xFF, which is never valid UTF-8.
fn bad_byte(text: &str) -> Vec<u8> {
    text.bytes()
        .map(|b| if b == 1 { 0xff } else { b })
        .collect()
}

/// 20 MiB: beyond the 16 MiB bound on configuration reads. Valid JSON padded with
/// spaces, so only the bound can refuse it.
fn huge_json(doc: &str) -> Vec<u8> {
    let mut v = doc.as_bytes().to_vec();
    v.resize(20 * MIB, b' ');
    v
}

/// `browsers --json` and a real `clear-cookies` on a home whose Chrome `Local State` is
/// `bytes`: returns (profiles listed, warnings), after checking that the clean went
/// through and changed only the cookie databases.
fn with_local_state(bytes: &[u8], case: &str) -> (Vec<(String, String)>, Vec<String>) {
    let home = synthetic_linux_home();
    let udd = home.path().join(".config/google-chrome");
    write(&udd.join("Local State"), bytes);
    let run = loginfix(
        home.path(),
        "linux",
        &["browsers", "--browser", "chrome", "--json"],
    );
    assert_no_panic(&run, case);
    assert_eq!(run.code, 0, "{case}: {}\n{}", run.stdout, run.stderr);
    let json = run.json();

    let before = data_snapshot(home.path());
    let clean = loginfix(
        home.path(),
        "linux",
        &["clear-cookies", "--browser", "chrome"],
    );
    assert_no_panic(&clean, case);
    assert_eq!(clean.code, 0, "{case}: {}\n{}", clean.stdout, clean.stderr);
    assert_eq!(
        changed(&before, home.path()),
        [
            PathBuf::from(".config/google-chrome/Default/Cookies"),
            PathBuf::from(".config/google-chrome/Profile 2/Cookies")
        ],
        "{case}"
    );
    (listed_profiles(&json), warnings(&json))
}

#[test]
fn a_damaged_local_state_falls_back_to_the_profile_directories() {
    let fallback = [
        ("chrome".to_string(), "Default".to_string()),
        ("chrome".to_string(), "Profile 2".to_string()),
    ];
    let good =
        r#"{"profile":{"info_cache":{"Default":{"name":"Person 1"},"Profile 2":{"name":"Work"}}}}"#;
    let mut bad_utf8 = b"\xff\xfe\x00{".to_vec();
    bad_utf8.extend_from_slice(good.as_bytes());
    for (case, bytes, why) in [
        ("empty", Vec::new(), "not valid JSON"),
        (
            "truncated",
            good.as_bytes()[..40].to_vec(),
            "not valid JSON",
        ),
        ("invalid UTF-8", bad_utf8, "not valid JSON"),
        ("huge", huge_json(good), "larger than 16777216 bytes"),
    ] {
        let case = format!("Local State {case}");
        let (profiles, warnings) = with_local_state(&bytes, &case);
        assert_eq!(profiles, fallback, "{case}");
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("Local State") && w.contains(why)),
            "{case}: {warnings:?}"
        );
    }
    // Invalid UTF-8 inside a display name is replaced, not fatal.
    let named = b"{\"profile\":{\"info_cache\":{\"Default\":{\"name\":\"Ana \xff\xc3\"},\"Profile 2\":{}}}}";
    let (profiles, warnings) = with_local_state(named, "Local State with a bad name");
    assert_eq!(profiles, fallback);
    assert!(warnings.is_empty(), "{warnings:?}");
}

fn firefox_listed(home: &Path, case: &str) -> (Vec<(String, String)>, Vec<String>) {
    let run = loginfix(
        home,
        "linux",
        &["browsers", "--browser", "firefox", "--json"],
    );
    assert_no_panic(&run, case);
    assert_eq!(run.code, 0, "{case}: {}\n{}", run.stdout, run.stderr);
    let json = run.json();
    (listed_profiles(&json), warnings(&json))
}

#[test]
fn a_damaged_profiles_ini_is_reported_or_worked_around() {
    let profile = (
        "firefox".to_string(),
        "abcd1234.default-release".to_string(),
    );
    let good = "[Profile0]\nName=default-release\nIsRelative=1\nPath=abcd1234.default-release\nDefault=1\n";
    let mut huge = good.as_bytes().to_vec();
    huge.resize(20 * MIB, b'\n');
    for (case, bytes, found, why) in [
        // Cut inside `Path=`: the profile it names does not exist, and that is said.
        (
            "truncated",
            good.as_bytes()[..70].to_vec(),
            false,
            "which does not exist",
        ),
        (
            "invalid UTF-8 in a name",
            bad_byte(&good.replace("default-release\nIsRel", "d\u{1}efault\nIsRel")),
            true,
            "",
        ),
        (
            "invalid UTF-8 in a path",
            bad_byte(&good.replace("abcd1234", "abcd\u{1}1234")),
            false,
            "which does not exist",
        ),
        ("huge", huge, true, "larger than 16777216 bytes"),
    ] {
        let home = synthetic_linux_home();
        let ini = home.path().join(".mozilla/firefox/profiles.ini");
        write(&ini, &bytes);
        let before = data_snapshot(home.path());
        let case = format!("profiles.ini {case}");
        let (profiles, warnings) = firefox_listed(home.path(), &case);
        assert_eq!(profiles.contains(&profile), found, "{case}: {profiles:?}");
        if !why.is_empty() {
            assert!(
                warnings
                    .iter()
                    .any(|w| w.contains(&ini.display().to_string()) && w.contains(why)),
                "{case}: {warnings:?}"
            );
        }
        let clean = loginfix(
            home.path(),
            "linux",
            &["clear-cookies", "--browser", "firefox"],
        );
        assert_no_panic(&clean, &case);
        assert_eq!(clean.code, 0, "{case}: {}\n{}", clean.stdout, clean.stderr);
        if !found {
            assert_same(&before, home.path(), &case);
        }
        assert_eq!(std::fs::read(&ini).unwrap(), bytes, "{case}");
    }
}

#[test]
fn an_empty_profiles_ini_falls_back_or_is_reported() {
    for (case, text) in [
        ("empty", ""),
        ("cut before Path=", "[Profile0]\nName=default-rel"),
    ] {
        let home = synthetic_linux_home();
        let ini = home.path().join(".mozilla/firefox/profiles.ini");
        write(&ini, text);
        let case = format!("profiles.ini {case}");
        let (profiles, warnings) = firefox_listed(home.path(), &case);
        let found = profiles.contains(&("firefox".into(), "abcd1234.default-release".into()));
        let reported = warnings
            .iter()
            .any(|w| w.contains(&ini.display().to_string()));
        assert!(
            found || reported,
            "{case}: the profile directory is neither found nor is the file reported: {profiles:?} {warnings:?}"
        );
    }
}

/// `extensions --all --json` must exit 1 with the profile's error naming `file` and
/// saying `what`, warn on stderr, and change nothing.
#[track_caller]
fn assert_extensions_error(
    home: &Path,
    os: &str,
    browser: &str,
    file: &Path,
    what: &str,
    case: &str,
) {
    let before = data_snapshot(home);
    let run = loginfix(
        home,
        os,
        &["extensions", "--all", "--browser", browser, "--json"],
    );
    assert_no_panic(&run, case);
    assert_eq!(run.code, 1, "{case}: {}\n{}", run.stdout, run.stderr);
    let json = run.json();
    let errors: Vec<&str> = json["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["error"].as_str())
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains(&file.display().to_string()) && e.contains(what)),
        "{case}: {errors:?}"
    );
    assert!(run.stderr.contains("error: "), "{case}: {}", run.stderr);
    let text = loginfix(home, os, &["extensions", "--all", "--browser", browser]);
    assert_no_panic(&text, case);
    assert_eq!(text.code, 1, "{case}");
    assert!(
        text.stdout.contains(&file.display().to_string())
            || text.stderr.contains(&file.display().to_string()),
        "{case}: {}\n{}",
        text.stdout,
        text.stderr
    );
    // The profile says its extensions could not be read, not that none are installed.
    assert!(
        text.stdout.contains("the extensions could not be read: "),
        "{case}: {}",
        text.stdout
    );
    assert_same(&before, home, case);
}

/// (browser, profile dir, file, case, bytes, what the error says).
type ExtensionCase = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Vec<u8>,
    &'static str,
);

#[test]
fn damaged_extension_databases_are_reported_per_profile() {
    let prefs_good = r#"{"extensions":{"settings":{"cjpalhdlnbpafiamejdnhcphjbkeiagm":{"state":1,"location":1,"manifest":{"name":"uBlock Origin","version":"1"}}}}}"#;
    let ext_good = r#"{"schemaVersion":36,"addons":[{"id":"uBlock0@raymondhill.net","type":"extension","version":"1","active":true,"location":"app-profile","defaultLocale":{"name":"uBlock Origin"}}]}"#;
    let cases: [ExtensionCase; 8] = [
        (
            "chrome",
            ".config/google-chrome/Default",
            "Preferences",
            "empty",
            Vec::new(),
            "is not valid JSON",
        ),
        (
            "chrome",
            ".config/google-chrome/Default",
            "Preferences",
            "truncated",
            prefs_good.as_bytes()[..50].to_vec(),
            "is not valid JSON",
        ),
        (
            "chrome",
            ".config/google-chrome/Default",
            "Secure Preferences",
            "invalid UTF-8",
            b"\xff\xfe{}".to_vec(),
            "is not valid JSON",
        ),
        (
            "chrome",
            ".config/google-chrome/Default",
            "Preferences",
            "huge",
            huge_json(prefs_good),
            "larger than 16777216 bytes",
        ),
        (
            "firefox",
            ".mozilla/firefox/abcd1234.default-release",
            "extensions.json",
            "empty",
            Vec::new(),
            "is not a Firefox add-on database",
        ),
        (
            "firefox",
            ".mozilla/firefox/abcd1234.default-release",
            "extensions.json",
            "truncated",
            ext_good.as_bytes()[..60].to_vec(),
            "is not a Firefox add-on database",
        ),
        (
            "firefox",
            ".mozilla/firefox/abcd1234.default-release",
            "extensions.json",
            "invalid UTF-8",
            b"\xc3\x28".to_vec(),
            "is not a Firefox add-on database",
        ),
        (
            "firefox",
            ".mozilla/firefox/abcd1234.default-release",
            "extensions.json",
            "huge",
            huge_json(ext_good),
            "larger than 16777216 bytes",
        ),
    ];
    for (browser, dir, name, case, bytes, what) in cases {
        let home = synthetic_linux_home();
        let file = home.path().join(dir).join(name);
        write(&file, bytes);
        let case = format!("{name} {case}");
        assert_extensions_error(home.path(), "linux", browser, &file, what, &case);
    }
    // Invalid UTF-8 inside a name is replaced, not fatal.
    let home = synthetic_linux_home();
    let prefs = home
        .path()
        .join(".config/google-chrome/Default/Preferences");
    write(
        &prefs,
        bad_byte(&prefs_good.replace("uBlock Origin", "uBlock \u{1}")),
    );
    let ext = home
        .path()
        .join(".mozilla/firefox/abcd1234.default-release/extensions.json");
    write(
        &ext,
        bad_byte(&ext_good.replace("uBlock Origin", "uBlock \u{1}")),
    );
    let run = loginfix(home.path(), "linux", &["extensions", "--json"]);
    assert_no_panic(&run, "invalid UTF-8 in extension names");
    run.assert_code(0);
    let json = run.json();
    let names: Vec<&str> = json["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["extensions"].as_array().unwrap())
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["uBlock \u{fffd}", "uBlock \u{fffd}"], "{json}");
}

#[test]
fn damaged_safari_extension_lists_are_reported() {
    const PLIST: &str =
        "Library/Containers/com.apple.Safari/Data/Library/Safari/WebExtensions/Extensions.plist";
    let mut huge = b"<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>".to_vec();
    huge.resize(20 * MIB, b' ');
    for (case, bytes) in [
        ("empty", Vec::new()),
        ("truncated", b"bplist00\xd1\x01\x02".to_vec()),
        (
            "invalid UTF-8",
            b"<?xml version=\"1.0\"?><plist><dict><key>\xff\xfe</key>".to_vec(),
        ),
        ("huge", huge),
        (
            "not a dictionary",
            b"<?xml version=\"1.0\"?><plist version=\"1.0\"><string>x</string></plist>".to_vec(),
        ),
    ] {
        let home = sample_home("macos");
        let file = home.path().join(PLIST);
        write(&file, &bytes);
        let what = match case {
            "not a dictionary" => "is not a dictionary of extensions",
            // Bounded like every config file: refused before it is read into memory.
            "huge" => "larger than 16777216 bytes",
            _ => "is not a readable property list",
        };
        assert_extensions_error(
            home.path(),
            "macos",
            "safari",
            &file,
            what,
            &format!("Extensions.plist {case}"),
        );
    }
}

// ---------------------------------------------------------------------------------------
// Profile names: spaces and non-ASCII work, `..` never leads outside

#[test]
fn chromium_profile_names_with_spaces_non_ascii_and_dot_dot() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let udd = h.join(".config/google-chrome");
    write(
        &udd.join("Local State"),
        r#"{"profile":{"info_cache":{
            "Default":{"name":"Me"},
            "Profile 3":{"name":"With spaces"},
            "Profil é 😀 ünï":{"name":"Ünïcode 😀"},
            "../../etc":{"name":"escape"},
            "..":{"name":"parent"},
            "../google-chrome/Default":{"name":"dup"},
            "/abs/olute":{"name":"absolute"},
            "a\\..\\..":{"name":"backslashes"}}}}"#,
    );
    let mix = [
        cookie("chatgpt.com", "t", ""),
        cookie("example.org", "keep", ""),
    ];
    for dir in ["Default", "Profile 3", "Profil é 😀 ünï"] {
        chromium_cookies(&udd.join(dir).join("Cookies"), &mix);
    }
    // What `..` names would reach: the home's `etc` and `.config`, each with a store.
    for outside in [h.join("etc"), h.join(".config")] {
        chromium_cookies(&outside.join("Cookies"), &mix);
    }

    let run = loginfix(h, "linux", &["browsers", "--json"]);
    assert_no_panic(&run, "odd chromium names, browsers");
    run.assert_code(0);
    let json = run.json();
    assert_eq!(
        listed_profiles(&json),
        [
            ("chrome".to_string(), "Default".to_string()),
            ("chrome".to_string(), "Profile 3".to_string()),
            ("chrome".to_string(), "Profil é 😀 ünï".to_string()),
        ]
    );
    let warnings = warnings(&json);
    for name in ["../../etc", "..", "../google-chrome/Default", "/abs/olute"] {
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(&format!("`{name}`")) && w.contains("not a plain name")),
            "{name}: {warnings:?}"
        );
    }

    // Selecting by an odd display name works; selecting by `..` finds nothing.
    let by_name = loginfix(
        h,
        "linux",
        &[
            "clear-cookies",
            "--profile",
            "Ünïcode 😀",
            "--dry-run",
            "--json",
        ],
    );
    assert_no_panic(&by_name, "odd chromium names, --profile");
    by_name.assert_code(0);
    assert_eq!(by_name.json()["profiles"][0]["profile"], "Profil é 😀 ünï");
    let before = data_snapshot(h);
    let escape = loginfix(h, "linux", &["clear-cookies", "--profile", "../../etc"]);
    assert_no_panic(&escape, "odd chromium names, --profile ../../etc");
    escape.assert_code(1);
    assert!(
        escape
            .stderr
            .starts_with("error: no profile named `../../etc` was found"),
        "{}",
        escape.stderr
    );
    assert_same(&before, h, "--profile ../../etc");

    let real = loginfix(h, "linux", &["clear-cookies", "--json"]);
    assert_no_panic(&real, "odd chromium names, real run");
    real.assert_code(0);
    assert_eq!(real.json()["summary"]["removed"], 3);
    assert_eq!(
        changed(&before, h),
        [
            PathBuf::from(".config/google-chrome/Default/Cookies"),
            PathBuf::from(".config/google-chrome/Profil é 😀 ünï/Cookies"),
            PathBuf::from(".config/google-chrome/Profile 3/Cookies"),
        ]
    );
}

#[test]
fn firefox_profile_paths_with_spaces_non_ascii_and_dot_dot() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let root = h.join(".mozilla/firefox");
    write(
        &root.join("profiles.ini"),
        "[Profile0]\nName=default-release\nIsRelative=1\nPath=abcd.default-release\nDefault=1\n\n\
         [Profile1]\nName=Mon profil é 😀\nIsRelative=1\nPath=Profiles/xyz.Mon profil é\n\n\
         [Profile2]\nName=escape\nIsRelative=1\nPath=../../outside\n\n\
         [Profile3]\nName=sneaky\nIsRelative=1\nPath=Profiles/../../../outside2\n\n\
         [Profile4]\nName=dot\nIsRelative=1\nPath=.\n\n\
         [Install4F96D1932A9F858E]\nDefault=../../outside3\nLocked=1\n\n\
         [General]\nStartWithLastProfile=1\nVersion=2\n",
    );
    let mix = [
        cookie("chatgpt.com", "t", ""),
        cookie("example.org", "keep", ""),
    ];
    for dir in [
        root.join("abcd.default-release"),
        root.join("Profiles/xyz.Mon profil é"),
        h.join("outside"),
        h.join("outside2"),
        h.join("outside3"),
    ] {
        firefox_cookies(&dir.join("cookies.sqlite"), &mix);
        write(&dir.join("prefs.js"), "");
    }
    let run = loginfix(h, "linux", &["browsers", "--json"]);
    assert_no_panic(&run, "odd firefox paths, browsers");
    run.assert_code(0);
    assert_eq!(
        listed_profiles(&run.json()),
        [
            ("firefox".to_string(), "abcd.default-release".to_string()),
            ("firefox".to_string(), "xyz.Mon profil é".to_string()),
        ]
    );
    let by_name = loginfix(
        h,
        "linux",
        &[
            "clear-cookies",
            "--profile",
            "Mon profil é 😀",
            "--dry-run",
            "--json",
        ],
    );
    assert_no_panic(&by_name, "odd firefox paths, --profile");
    by_name.assert_code(0);
    assert_eq!(by_name.json()["summary"]["would_remove"], 1);

    let before = data_snapshot(h);
    let real = loginfix(h, "linux", &["clear-cookies", "--json"]);
    assert_no_panic(&real, "odd firefox paths, real run");
    real.assert_code(0);
    assert_eq!(real.json()["summary"]["removed"], 2);
    for path in changed(&before, h) {
        assert!(
            path.starts_with(".mozilla/firefox/abcd.default-release")
                || path.starts_with(".mozilla/firefox/Profiles/xyz.Mon profil é"),
            "changed outside the Firefox root: {path:?}"
        );
    }
    for outside in ["outside", "outside2", "outside3"] {
        assert_eq!(
            rows(&h.join(outside).join("cookies.sqlite")).len(),
            2,
            "{outside}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// --home

#[cfg(unix)]
#[test]
fn profile_directories_whose_names_are_not_utf8_are_reported() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let home = synthetic_linux_home();
    let h = home.path();
    // Found by scanning (no Local State, no profiles.ini): reported, not skipped in
    // silence, and the other profiles are still listed and cleaned.
    let udd = h.join(".config/google-chrome");
    std::fs::remove_file(udd.join("Local State")).unwrap();
    chromium_cookies(
        &udd.join(OsStr::from_bytes(b"Profile \xff")).join("Cookies"),
        &chromium_mix(),
    );
    let ff = h.join(".mozilla/firefox");
    std::fs::remove_file(ff.join("profiles.ini")).unwrap();
    firefox_cookies(
        &ff.join(OsStr::from_bytes(b"\xffodd.default"))
            .join("cookies.sqlite"),
        &firefox_mix(),
    );
    for args in [
        &["browsers", "--json"][..],
        &["clear-cookies", "--json"][..],
    ] {
        let run = loginfix(h, "linux", args);
        assert_no_panic(&run, "non-UTF-8 names");
        run.assert_code(0);
        let json = run.json();
        let warned = warnings(&json);
        for name in [
            "google-chrome/Profile \u{fffd}",
            "firefox/\u{fffd}odd.default",
        ] {
            assert!(
                warned
                    .iter()
                    .any(|w| w.contains(name) && w.contains("not valid UTF-8")),
                "{args:?}: {name}: {warned:?}"
            );
        }
        let listed: Vec<(String, String)> = if args[0] == "browsers" {
            listed_profiles(&json)
        } else {
            json["profiles"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["status"] == "done")
                .map(|p| {
                    let s = |k: &str| p[k].as_str().unwrap().to_string();
                    (s("browser"), s("profile"))
                })
                .collect()
        };
        assert!(
            listed.contains(&("chrome".to_string(), "Default".to_string())),
            "{args:?}: {listed:?}"
        );
    }
}

#[test]
fn a_home_that_does_not_exist_or_is_a_file_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    write(&file, "not a directory");
    for (case, home) in [
        ("missing", dir.path().join("no such home")),
        ("a file", file.clone()),
    ] {
        for args in [
            &["browsers"][..],
            &["clear-cookies", "--json"][..],
            &["clear-cache"][..],
            &["extensions"][..],
        ] {
            let case = format!("--home {case}, {args:?}");
            let before = data_snapshot(dir.path());
            let run = loginfix(&home, "linux", args);
            assert_no_panic(&run, &case);
            assert_eq!(run.code, 2, "{case}: {}\n{}", run.stdout, run.stderr);
            if args.contains(&"--json") {
                // One document even so: the error, for scripts.
                assert_eq!(run.json()["error"]["exit_code"], 2, "{case}");
            } else {
                assert!(run.stdout.is_empty(), "{case}: {}", run.stdout);
            }
            assert!(
                run.stderr.starts_with(&format!(
                    "error: the home directory `{}` does not exist or is not a directory",
                    home.display()
                )),
                "{case}: {}",
                run.stderr
            );
            assert!(run.stderr.contains("\nhint: "), "{case}: {}", run.stderr);
            assert_same(&before, dir.path(), &case);
            assert!(!home.is_dir(), "{case}: the home was created");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Session-restore files

#[test]
fn damaged_session_restore_files_are_refused_and_the_profile_is_still_cleaned() {
    let good = {
        let home = synthetic_linux_home();
        std::fs::read(home.path().join(
            ".mozilla/firefox/abcd1234.default-release/sessionstore-backups/recovery.jsonlz4",
        ))
        .unwrap()
    };
    let mut bad_block = good[..12].to_vec();
    bad_block.extend_from_slice(&[0xff; 40]);
    let mut short_block = good.clone();
    short_block.truncate(good.len() - 20);
    for (case, bytes, what) in [
        (
            "plain JSON, not mozLz4",
            br#"{"version":["sessionrestore",1],"cookies":[{"host":"chatgpt.com","name":"a"}]}"#
                .to_vec(),
            "is not a Firefox session file",
        ),
        (
            "a bad LZ4 block",
            bad_block,
            "is not a Firefox session file",
        ),
        (
            "a truncated LZ4 block",
            short_block,
            "is not a Firefox session file",
        ),
        (
            "not JSON inside",
            mozlz4::encode(b"<html>chatgpt.com</html>"),
            "holds JSON that could not be read",
        ),
        (
            "cut JSON inside",
            mozlz4::encode(br#"{"cookies":[{"host":"chatgpt.com","name":"a"},"#),
            "holds JSON that could not be read",
        ),
    ] {
        let home = synthetic_linux_home();
        let profile = home
            .path()
            .join(".mozilla/firefox/abcd1234.default-release");
        let session = profile.join("sessionstore-backups/recovery.jsonlz4");
        write(&session, &bytes);
        let args = ["clear-cookies", "--browser", "firefox"];

        let before = data_snapshot(home.path());
        let dry = loginfix(
            home.path(),
            "linux",
            &strs(&with(&args, &["--dry-run", "--json"])),
        );
        assert_no_panic(&dry, case);
        assert_eq!(dry.code, 1, "{case}: {}\n{}", dry.stdout, dry.stderr);
        assert_same(&before, home.path(), case);
        // The other store of the profile is still read.
        assert_eq!(
            dry.json()["profiles"][0]["counts"]["would_remove"],
            5,
            "{case}"
        );

        for extra in [&["--json"][..], &[][..]] {
            let real = loginfix(home.path(), "linux", &strs(&with(&args, extra)));
            assert_no_panic(&real, case);
            assert_eq!(real.code, 1, "{case}: {}\n{}", real.stdout, real.stderr);
            let message = if extra.is_empty() {
                real.stdout
                    .lines()
                    .find(|l| l.contains("Failed") && l.contains(&session.display().to_string()))
                    .unwrap_or_default()
                    .to_string()
            } else {
                let json = real.json();
                assert_eq!(json["profiles"][0]["status"], "failed", "{case}");
                assert_eq!(json["profiles"][0]["counts"]["removed"], 5, "{case}");
                store_errors(&json).join("\n")
            };
            assert!(
                message.contains(&session.display().to_string()) && message.contains(what),
                "{case}: {message}\n{}",
                real.stdout
            );
        }
        assert_eq!(std::fs::read(&session).unwrap(), bytes, "{case}");
        assert_eq!(
            rows(&profile.join("cookies.sqlite")),
            survivors(&firefox_mix()),
            "{case}"
        );
        for path in changed(&before, home.path()) {
            assert!(
                path.to_string_lossy()
                    .starts_with(".mozilla/firefox/abcd1234.default-release/cookies.sqlite"),
                "{case}: {path:?} changed"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Safari

#[test]
fn a_safari_cookie_file_with_a_bad_checksum_is_refused() {
    let home = sample_home("macos");
    let file = home
        .path()
        .join("Library/Containers/com.apple.Safari/Data/Library/Cookies/Cookies.binarycookies");
    let mut bytes = std::fs::read(&file).unwrap();
    // The checksum is the big-endian u32 just before the footer `07 17 20 05 00 00 00 4b`.
    let footer = bytes
        .windows(8)
        .position(|w| w == [0x07, 0x17, 0x20, 0x05, 0x00, 0x00, 0x00, 0x4b])
        .expect("footer");
    bytes[footer - 1] ^= 0x5a;
    write(&file, &bytes);
    assert_store_refused(
        home.path(),
        "macos",
        &[
            "clear-cookies",
            "--browser",
            "safari",
            "--profile",
            "Default",
        ],
        &file,
        "the checksum does not match its pages",
    );
}

// ---------------------------------------------------------------------------------------
// Found by these tests and fixed: non-ASCII hosts, thread panics, FIFOs, empty profiles.ini

/// Browsers store hosts in ASCII (punycode), but a damaged or foreign store can hold
/// any text: a host whose last 10 or 11 bytes start inside a multi-byte character.
const NON_ASCII_HOST: &str = "éaaaaaaaaa";

#[test]
fn a_non_ascii_cookie_host_does_not_panic() {
    let home = synthetic_linux_home();
    let db = chrome_cookies(home.path());
    let conn = Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE cookies SET host_key = ?1 WHERE host_key = 'example.org'",
        [NON_ASCII_HOST],
    )
    .unwrap();
    drop(conn);
    // Pure ASCII in the store, but the escapes decode to the same host.
    let firefox_db = home
        .path()
        .join(".mozilla/firefox/abcd1234.default-release/cookies.sqlite");
    let conn = Connection::open(&firefox_db).unwrap();
    conn.execute(
        "UPDATE moz_cookies SET originAttributes = '^firstPartyDomain=%C3%A9aaaaaaaaa'
         WHERE host = 'example.org'",
        [],
    )
    .unwrap();
    drop(conn);
    let session = home
        .path()
        .join(".mozilla/firefox/abcd1234.default-release/sessionstore-backups/recovery.jsonlz4");
    session_file(
        &session,
        &[
            cookie(".chatgpt.com", "s", ""),
            cookie(NON_ASCII_HOST, "keep", ""),
        ],
    );
    let before = data_snapshot(home.path());
    let dry = loginfix(
        home.path(),
        "linux",
        &["clear-cookies", "--dry-run", "--json"],
    );
    assert_no_panic(&dry, "non-ASCII host, dry run");
    dry.assert_code(0);
    assert_eq!(dry.json()["summary"]["would_remove"], 5 + 1 + 5 + 1);
    assert_same(&before, home.path(), "non-ASCII host, dry run");
    let real = loginfix(home.path(), "linux", &["clear-cookies", "--json"]);
    assert_no_panic(&real, "non-ASCII host, real run");
    real.assert_code(0);
    assert!(rows(&db).iter().any(|r| r.0 == NON_ASCII_HOST));
    assert_eq!(
        session_cookies(&session),
        [(NON_ASCII_HOST.to_string(), "keep".to_string())]
    );
}

#[test]
fn a_newline_in_a_cookie_name_cannot_forge_an_item_line() {
    let home = synthetic_linux_home();
    let db = chrome_cookies(home.path());
    std::fs::remove_file(&db).unwrap();
    chromium_cookies(
        &db,
        &[cookie("chatgpt.com", "x\n  Removed  evil.com\r", "")],
    );
    for extra in [&["--dry-run"][..], &[][..]] {
        let run = loginfix(
            home.path(),
            "linux",
            &[&CHROME_ONLY_DEFAULT[..], extra].concat(),
        );
        run.assert_code(0);
        let lines: Vec<&str> = run
            .stdout
            .lines()
            .filter(|l| l.contains("evil.com"))
            .collect();
        assert_eq!(lines.len(), 1, "{}", run.stdout);
        assert!(lines[0].contains("chatgpt.com"), "{}", run.stdout);
        assert!(
            lines[0].contains("x\\u{a}  Removed  evil.com\\u{d}"),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn a_non_ascii_cache_url_does_not_panic_or_hide_other_entries() {
    let home = synthetic_linux_home();
    let cache = home
        .path()
        .join(".config/google-chrome/Default/Cache/Cache_Data");
    // The key names a target (in the query), so it is parsed; its host is not ASCII.
    let odd = format!(
        "1/0/_dk_https://example.org https://example.org https://{NON_ASCII_HOST}/?ref=chatgpt.com"
    );
    let target = "1/0/_dk_https://chatgpt.com https://chatgpt.com https://chatgpt.com/app.js";
    write(
        &cache.join("0000000000000001_0"),
        testing::chromium::encode_entry(&odd, b""),
    );
    write(
        &cache.join("0000000000000002_0"),
        testing::chromium::encode_entry(target, b""),
    );
    let before = data_snapshot(home.path());
    let dry = loginfix(
        home.path(),
        "linux",
        &["clear-cache", "--dry-run", "--json"],
    );
    assert_no_panic(&dry, "non-ASCII cache URL");
    dry.assert_code(0);
    assert_eq!(dry.json()["summary"]["would_remove"], 1, "{}", dry.stdout);
    assert_same(&before, home.path(), "non-ASCII cache URL");
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_cache_does_not_hang_the_scan() {
    let home = synthetic_linux_home();
    let cache = home
        .path()
        .join(".config/google-chrome/Default/Cache/Cache_Data");
    std::fs::create_dir_all(&cache).unwrap();
    let fifo = cache.join("0000000000000001_0");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_loginfix"))
        .args([
            "--home",
            &home.path().display().to_string(),
            "--os",
            "linux",
        ])
        .args(["clear-cache", "--dry-run", "--json"])
        .env_clear()
        .env("HOME", home.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let status = status.expect("loginfix still scanning a FIFO after 20 s");
    assert_eq!(status.code(), Some(0));
}
