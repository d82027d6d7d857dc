//! Crash safety: the process is killed (SIGKILL) at several points of a real run on a
//! large profile — before, during and after the cookie transactions and while session
//! files are rewritten. Every store must then be fully old or fully new, never broken,
//! and `restore` must bring back the original.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rusqlite::Connection;

use crate::util::*;

const ROWS: usize = 40_000;
const TARGET_EVERY: usize = 20;

/// A Linux home whose Chrome and Firefox stores are big enough for a run to take a while.
fn large_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let chrome = h.join(".config/google-chrome/Default/Cookies");
    chromium_cookies(&chrome, &[]);
    let conn = Connection::open(&chrome).unwrap();
    conn.execute_batch("BEGIN").unwrap();
    {
        let mut stmt = conn
            .prepare("INSERT INTO cookies VALUES (?1, ?2, '', ?3, '', ?4, '/', 0, 1, 1, 0, 1, 1, 1, 0, 2, 443, 0, 1, 0)")
            .unwrap();
        for i in 0..ROWS {
            let host = if i % TARGET_EVERY == 0 {
                format!("s{i}.chatgpt.com")
            } else {
                format!("site{i}.example")
            };
            stmt.execute(rusqlite::params![
                i as i64,
                host,
                format!("c{i}"),
                vec![7u8; 64]
            ])
            .unwrap();
        }
    }
    conn.execute_batch("COMMIT").unwrap();
    drop(conn);
    let ff = h.join(".mozilla/firefox");
    write(
        &ff.join("profiles.ini"),
        "[Profile0]\nName=p\nIsRelative=1\nPath=p.default\n",
    );
    let prof = ff.join("p.default");
    firefox_cookies(&prof.join("cookies.sqlite"), &[]);
    let conn = Connection::open(prof.join("cookies.sqlite")).unwrap();
    conn.execute_batch("BEGIN").unwrap();
    {
        let mut stmt = conn
            .prepare("INSERT INTO moz_cookies (originAttributes, name, value, host, path, expiry) VALUES ('', ?1, ?2, ?3, '/', 9999999999999)")
            .unwrap();
        for i in 0..ROWS {
            let host = if i % TARGET_EVERY == 0 {
                format!("s{i}.openai.com")
            } else {
                format!("site{i}.example")
            };
            stmt.execute(rusqlite::params![format!("c{i}"), "lfxsecret_x", host])
                .unwrap();
        }
    }
    conn.execute_batch("COMMIT").unwrap();
    drop(conn);
    let session: Vec<Cookie> = (0..ROWS / 4)
        .map(|i| Cookie {
            host: if i % TARGET_EVERY == 0 {
                "chatgpt.com"
            } else {
                "example.org"
            },
            name: "s",
            partition: "",
            value: format!("lfxsecret_{i}"),
        })
        .collect();
    session_file(
        &prof.join("sessionstore-backups/recovery.jsonlz4"),
        &session,
    );
    home
}

/// (target rows, other rows) of a cookie database, after checking it is intact.
fn counts(db: &Path, targets: &str) -> (i64, i64) {
    let conn = Connection::open(db).unwrap();
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "{} is damaged", db.display());
    let (table, host) = if conn.prepare("SELECT 1 FROM cookies LIMIT 0").is_ok() {
        ("cookies", "host_key")
    } else {
        ("moz_cookies", "host")
    };
    let t: i64 = conn
        .query_row(
            &format!("SELECT count(*) FROM {table} WHERE {host} LIKE '%{targets}'"),
            [],
            |r| r.get(0),
        )
        .unwrap();
    let all: i64 = conn
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap();
    (t, all - t)
}

fn stores(h: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let prof = h.join(".mozilla/firefox/p.default");
    (
        h.join(".config/google-chrome/Default/Cookies"),
        prof.join("cookies.sqlite"),
        prof.join("sessionstore-backups/recovery.jsonlz4"),
    )
}

fn start(h: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_loginfix"))
        .args([
            "--home",
            &h.display().to_string(),
            "--os",
            "linux",
            "clear-cookies",
            "-q",
        ])
        .env("HOME", h)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_killed_run_leaves_every_store_old_or_new_and_restore_brings_back_the_original() {
    let template = large_home();
    let targets = (ROWS / TARGET_EVERY) as i64;
    let others = (ROWS - ROWS / TARGET_EVERY) as i64;
    let session_total = ROWS / 4;
    let session_targets = session_total.div_ceil(TARGET_EVERY);

    // How long an undisturbed run takes, to spread the kills over it.
    let probe = tempfile::tempdir().unwrap();
    copy_tree(template.path(), probe.path());
    let t = Instant::now();
    assert!(start(probe.path()).wait().unwrap().success());
    let full = t.elapsed();
    let (c, f, s) = stores(probe.path());
    assert_eq!(counts(&c, "chatgpt.com"), (0, others));
    assert_eq!(counts(&f, "openai.com"), (0, others));
    assert_eq!(session_cookies(&s).len(), session_total - session_targets);

    let mut outcomes = Vec::new();
    // Later kills only if the machine was slower than the probe and no kill has yet
    // landed after a change.
    for percent in [2u32, 10, 25, 40, 55, 70, 85, 100, 150, 250, 400] {
        if percent > 100
            && outcomes
                .iter()
                .any(|o: &(u32, bool, bool, bool)| o.1 || o.2 || o.3)
        {
            break;
        }
        let work = tempfile::tempdir().unwrap();
        let h = work.path();
        copy_tree(template.path(), h);
        let mut child = start(h);
        std::thread::sleep(full * percent / 100);
        let _ = child.kill();
        child.wait().unwrap();
        let (c, f, s) = stores(h);
        let chrome = counts(&c, "chatgpt.com");
        let firefox = counts(&f, "openai.com");
        assert!(
            chrome == (targets, others) || chrome == (0, others),
            "{percent}%: Chrome store half-changed: {chrome:?}"
        );
        assert!(
            firefox == (targets, others) || firefox == (0, others),
            "{percent}%: Firefox store half-changed: {firefox:?}"
        );
        let left = session_cookies(&s).len();
        assert!(
            left == session_total || left == session_total - session_targets,
            "{percent}%: session file half-changed: {left}"
        );
        let names: Vec<String> = std::fs::read_dir(s.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(
            names
                .iter()
                .all(|n| n == "recovery.jsonlz4" || n.starts_with(".loginfix-")),
            "{names:?}"
        );
        outcomes.push((percent, chrome.0 == 0, firefox.0 == 0, left < session_total));

        // Whatever was changed is in the backup set, and restore puts it back.
        if chrome.0 == 0 || firefox.0 == 0 || left < session_total {
            let run = loginfix(h, "linux", &["restore"]);
            run.assert_code(0);
            assert_eq!(
                counts(&c, "chatgpt.com"),
                (targets, others),
                "{percent}%: {}",
                run.stdout
            );
            assert_eq!(counts(&f, "openai.com"), (targets, others), "{percent}%");
            assert_eq!(session_cookies(&s).len(), session_total, "{percent}%");
        }
    }
    // The kills did land at different stages (otherwise this test proves little).
    let changed_some = outcomes.iter().filter(|o| o.1 || o.2 || o.3).count();
    let changed_none = outcomes.iter().filter(|o| !o.1 && !o.2 && !o.3).count();
    assert!(
        changed_some > 0 && changed_none > 0,
        "kills all landed at one stage: {outcomes:?} (run took {full:?})"
    );
    eprintln!("crash test: run took {full:?}; (kill at %, chrome new, firefox new, session new): {outcomes:?}");
}
