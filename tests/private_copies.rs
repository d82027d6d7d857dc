//! Private copies: a SQLite store with a live WAL is read through a copy; the copy goes
//! in a directory private to the running user (`LOGINFIX_RUNTIME_DIR` here), never in
//! the shared temp directory, is gone after the run (also after Ctrl-C), and is never
//! made for a profile whose browser runs.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use rusqlite::Connection;

use crate::util::*;

fn entries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Puts a target cookie into Chrome's Default cookie database through a WAL that is
/// kept (the returned connection holds it open, with checkpoints off).
fn cookie_in_wal(home: &Path, name: &str) -> Connection {
    let db = home.join(".config/google-chrome/Default/Cookies");
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;")
        .unwrap();
    conn.execute(
        "INSERT INTO cookies SELECT creation_utc + 1000, 'chatgpt.com', '', ?1,
           value, encrypted_value, path, expires_utc, is_secure, is_httponly, last_access_utc,
           has_expires, is_persistent, priority, samesite, source_scheme, source_port,
           last_update_utc, source_type, has_cross_site_ancestor FROM cookies LIMIT 1",
        [name],
    )
    .unwrap();
    assert!(
        std::fs::metadata(db.with_file_name("Cookies-wal"))
            .unwrap()
            .len()
            > 0
    );
    conn
}

#[test]
fn a_wal_store_is_copied_into_a_private_directory_that_is_emptied_after_the_run() {
    let home = synthetic_linux_home();
    let scratch = tempfile::tempdir().unwrap();
    let rt = scratch.path().join("rt");
    let tmp = scratch.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let writer = cookie_in_wal(home.path(), "walcookie");
    let env = [
        ("LOGINFIX_RUNTIME_DIR", rt.as_path()),
        ("TMPDIR", tmp.as_path()),
    ];
    let args = [
        "clear-cookies",
        "--browser",
        "chrome",
        "--profile",
        "Default",
    ];

    let run = loginfix_env(
        home.path(),
        "linux",
        &[&args[..], &["--dry-run", "--json"]].concat(),
        &env,
    );
    run.assert_code(0);
    let json = run.json();
    let items = json["profiles"][0]["items"].as_array().unwrap();
    assert!(
        items.iter().any(|i| i["name"] == "walcookie"),
        "the WAL was read: {items:?}"
    );
    // The copy went into the private directory, created 0700, and is gone now.
    let mode = std::fs::metadata(&rt).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    assert_eq!(entries(&rt), Vec::<String>::new());
    assert_eq!(
        entries(&tmp),
        Vec::<String>::new(),
        "nothing in the temp dir"
    );

    // A copy left by a loginfix that was killed is removed by the next run.
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    write(&rt.join(format!("loginfix-copy-{dead}-0-0/db")), "old copy");

    drop(writer);
    let writer = cookie_in_wal(home.path(), "walcookie2");
    let run = loginfix_env(
        home.path(),
        "linux",
        &[&args[..], &["--json"]].concat(),
        &env,
    );
    drop(writer);
    run.assert_code(0);
    assert_eq!(entries(&rt), Vec::<String>::new());
    assert_eq!(
        entries(&tmp),
        Vec::<String>::new(),
        "nothing in the temp dir"
    );
}

#[test]
fn a_running_browsers_wal_store_is_not_copied_or_read() {
    let home = synthetic_linux_home();
    let scratch = tempfile::tempdir().unwrap();
    let rt = scratch.path().join("rt");
    let tmp = scratch.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let udd = home.path().join(".config/google-chrome");
    let _writer = cookie_in_wal(home.path(), "walcookie");
    let mut sleeper = running_chromium(&udd);
    let env = [
        ("LOGINFIX_RUNTIME_DIR", rt.as_path()),
        ("TMPDIR", tmp.as_path()),
    ];
    let run = loginfix_env(
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
        &env,
    );
    sleeper.kill().unwrap();
    sleeper.wait().unwrap();
    run.assert_code(3);
    let json = run.json();
    let profile = &json["profiles"][0];
    assert_eq!(profile["status"], "skipped_running");
    let store = profile["stores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["store"] == "cookies")
        .unwrap();
    assert_eq!(
        store["reason"], "not read: the browser is running",
        "{store}"
    );
    assert_eq!(profile["items"].as_array().unwrap().len(), 0, "{profile}");
    assert!(entries(&rt).is_empty());
    assert_eq!(
        entries(&tmp),
        Vec::<String>::new(),
        "nothing in the temp dir"
    );
}

/// Ctrl-C while copies exist: the handler removes them and the exit code is 130. Many
/// profiles with a WAL each keep a copy alive for most of the run.
#[test]
fn an_interrupted_run_leaves_no_copy_behind() {
    let home = tempfile::tempdir().unwrap();
    let ff = home.path().join(".mozilla/firefox");
    let mut ini = String::new();
    let mut writers = Vec::new();
    let pad = "x".repeat(4000);
    for i in 0..30 {
        let dir = ff.join(format!("p{i}.default"));
        firefox_cookies(
            &dir.join("cookies.sqlite"),
            &[cookie("chatgpt.com", "a", "")],
        );
        let conn = Connection::open(dir.join("cookies.sqlite")).unwrap();
        conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;")
            .unwrap();
        conn.execute_batch("BEGIN").unwrap();
        for n in 0..1000 {
            conn.execute(
                "INSERT INTO moz_cookies (originAttributes, name, value, host, path) VALUES ('', ?1, ?2, 'other.example', '/')",
                rusqlite::params![format!("c{n}"), pad],
            )
            .unwrap();
        }
        conn.execute_batch("COMMIT").unwrap();
        writers.push(conn);
        ini.push_str(&format!(
            "[Profile{i}]\nName=p{i}\nIsRelative=1\nPath=p{i}.default\n\n"
        ));
    }
    write(&ff.join("profiles.ini"), ini);
    let scratch = tempfile::tempdir().unwrap();
    let rt = scratch.path().join("rt");
    for attempt in 0..5 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_loginfix"))
            .args(["--home"])
            .arg(home.path())
            .args(["--os", "linux", "clear-cookies", "--dry-run", "--json"])
            .env_clear()
            .env("HOME", home.path())
            .env("LOGINFIX_RUNTIME_DIR", &rt)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        let mut signalled = false;
        while start.elapsed() < std::time::Duration::from_secs(30) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if !entries(&rt).is_empty() {
                // SAFETY: kill with a valid pid and signal.
                unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
                signalled = true;
                break;
            }
        }
        let status = child.wait().unwrap();
        if signalled && status.code() == Some(130) {
            assert_eq!(entries(&rt), Vec::<String>::new(), "attempt {attempt}");
            return;
        }
        assert_eq!(entries(&rt), Vec::<String>::new(), "attempt {attempt}");
    }
    panic!("the run never got interrupted while a copy existed");
}
