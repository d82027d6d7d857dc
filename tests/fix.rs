//! `loginfix fix` and the guided mode: one run clears the targets' cookies, cache and
//! site data (one backup set that `restore` undoes), the JSON has one pinned shape, the
//! text speaks Japanese or English from one catalog, and on a real terminal (a pty) the
//! guided mode asks, waits for an open browser to close, and ends cleanly on "n" or Ctrl-C.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::util::*;

const CHROME: &str = ".config/google-chrome/Default";
const FIREFOX: &str = ".mozilla/firefox/abcd1234.default-release";
const TARGETS: [&str; 2] = ["openai.com", "chatgpt.com"];

fn is_target(host: &str) -> bool {
    let host = host.trim_start_matches('.');
    TARGETS
        .iter()
        .any(|t| host == *t || host.ends_with(&format!(".{t}")))
}

/// A row of the targets: their host, or any host's cookie kept under a target's
/// partition (Chromium `https://chatgpt.com`, Firefox `...%2Cchatgpt.com%29`).
fn is_target_row(row: &(String, String, String)) -> bool {
    let partition = &row.2;
    is_target(&row.0)
        || TARGETS.iter().any(|t| {
            partition.ends_with(&format!("//{t}")) || partition.contains(&format!("%2C{t}%29"))
        })
}

/// The Linux sample home with site data added: (home, the site directories that must go,
/// those that must stay).
fn sample_with_site_data() -> (tempfile::TempDir, Vec<PathBuf>, Vec<PathBuf>) {
    let home = sample_home("linux");
    let chrome = home.path().join(CHROME);
    let ff = home.path().join(FIREFOX);
    let mut gone = Vec::new();
    let mut kept = Vec::new();
    for (id, goes) in [
        ("https_chatgpt.com_0", true),
        ("https_example.org_0", false),
    ] {
        let db = chrome.join(format!("IndexedDB/{id}.indexeddb.leveldb"));
        write(&db.join("CURRENT"), "MANIFEST-000001\n");
        write(&db.join("000003.log"), vec![7u8; 300]);
        if goes { &mut gone } else { &mut kept }.push(db);
    }
    for (name, goes) in [
        ("https+++chatgpt.com", true),
        ("https+++example.org", false),
    ] {
        let dir = ff.join("storage/default").join(name);
        write(&dir.join(".metadata-v2"), vec![0u8; 40]);
        write(&dir.join("ls/data.sqlite"), format!("values of {name}"));
        if goes { &mut gone } else { &mut kept }.push(dir);
    }
    (home, gone, kept)
}

fn cookie_stores(home: &Path) -> Vec<PathBuf> {
    vec![
        home.join(CHROME).join("Cookies"),
        home.join(".config/google-chrome/Profile 1/Cookies"),
        home.join(FIREFOX).join("cookies.sqlite"),
    ]
}

/// The rows of each cookie store that do not belong to the targets.
fn other_cookies(home: &Path) -> Vec<Vec<(String, String, String)>> {
    cookie_stores(home)
        .iter()
        .map(|s| rows(s).into_iter().filter(|r| !is_target_row(r)).collect())
        .collect()
}

fn target_cookies(home: &Path) -> usize {
    cookie_stores(home)
        .iter()
        .map(|s| rows(s).iter().filter(|r| is_target_row(r)).count())
        .sum()
}

/// Snapshots of the directories `restore` puts back (the caches are not among them:
/// a backup only records removed cache entries, browsers download them again).
fn profile_snapshots(home: &Path) -> Vec<(PathBuf, BTreeMap<PathBuf, Vec<u8>>)> {
    [".config", ".mozilla"]
        .iter()
        .map(|d| {
            let dir = home.join(d);
            let snap = snapshot(&dir);
            (dir, snap)
        })
        .collect()
}

fn backup_sets(home: &Path) -> usize {
    let run = loginfix(home, "linux", &["backups", "--json"]);
    run.assert_code(0);
    run.json()["sets"].as_array().map_or(0, Vec::len)
}

#[test]
fn fix_yes_clears_all_three_kinds_keeps_the_rest_and_restore_undoes_it() {
    let (home, gone, kept) = sample_with_site_data();
    let h = home.path();
    let before = profile_snapshots(h);
    let kept_before: Vec<_> = kept.iter().map(|d| snapshot(d)).collect();
    let others_before = other_cookies(h);
    let rows_before = all_rows(h);
    assert!(target_cookies(h) > 0);

    let plan = loginfix(h, "linux", &["fix", "--dry-run", "--json"]);
    plan.assert_code(0);
    let plan = plan.json();
    let stores: Vec<&str> = plan["clean"]["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["items"].as_array().unwrap())
        .map(|i| i["store"].as_str().unwrap())
        .collect();
    for kind in ["cookies", "cache", "indexed_db", "site_storage"] {
        assert!(stores.contains(&kind), "{kind} not planned: {stores:?}");
    }

    let run = loginfix(h, "linux", &["fix", "--yes", "--json"]);
    run.assert_code(0);
    let json = run.json();
    assert_eq!(json["clean"]["summary"]["failed"], 0);
    assert_eq!(
        json["clean"]["summary"]["removed"],
        plan["clean"]["summary"]["would_remove"]
    );
    assert_eq!(target_cookies(h), 0);
    assert_eq!(other_cookies(h), others_before);
    for dir in &gone {
        assert!(!dir.exists(), "{} is still there", dir.display());
    }
    for (dir, snap) in kept.iter().zip(&kept_before) {
        assert_unchanged(snap, dir);
    }
    // Nothing of the targets is left, by the tool's own reading.
    let again = loginfix(h, "linux", &["fix", "--dry-run", "--json"]);
    assert_eq!(again.json()["clean"]["summary"]["would_remove"], 0);
    // One run, one backup set, one undo line.
    assert_eq!(backup_sets(h), 1);
    let undo = json["clean"]["undo_command"].as_str().unwrap();
    let id = json["clean"]["backup"]["id"].as_str().unwrap();
    assert!(undo.ends_with(&format!("restore {id}")), "{undo}");

    loginfix(h, "linux", &["restore", id]).assert_code(0);
    // Every file back byte for byte, the cookie databases as consistent copies with
    // every original row (SQLite's backup writes its own pages, as in backups.rs).
    let is_db = |p: &Path| {
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        name.starts_with("Cookies") || name.starts_with("cookies.sqlite")
    };
    for (dir, snap) in &before {
        let after = snapshot(dir);
        for (rel, bytes) in snap {
            if !is_db(rel) {
                assert_eq!(after.get(rel), Some(bytes), "{} differs", rel.display());
            }
        }
        let added: Vec<_> = after
            .keys()
            .filter(|k| !snap.contains_key(*k) && !is_db(k))
            .collect();
        assert!(added.is_empty(), "left behind: {added:?}");
    }
    assert_eq!(all_rows(h), rows_before);
}

/// The plan in words a person reads: the two domains as "A and B" (「A と B」), each
/// profile as Chrome's Japanese calls it (プロフィール, full-width brackets), sizes in KB.
#[test]
fn the_plan_names_profiles_domains_and_sizes_as_people_say_them() {
    let home = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("profiles/linux"), home.path());
    let ja = loginfix(home.path(), "linux", &["--lang", "ja", "fix", "--dry-run"]);
    ja.assert_code(0);
    let text = &ja.stdout;
    assert!(text.starts_with("openai.com と chatgpt.com の"), "{text}");
    assert!(
        text.contains("  - Google Chrome（プロフィール「Your Chromium」）：Cookie 6 件、キャッシュ 7 件（17.4 KB）、サイトの保存データ 18 件\n"),
        "{text}"
    );
    assert!(!text.contains("KiB") && !text.contains(" ("), "{text}");
    let en = loginfix(home.path(), "linux", &["--lang", "en", "fix", "--dry-run"]);
    assert!(
        en.stdout.starts_with("Would remove this data of openai.com and chatgpt.com (dry run):\n  - Google Chrome (Your Chromium): 6 cookies, 7 cached files (17.4 KB)"),
        "{}",
        en.stdout
    );
}

fn all_rows(home: &Path) -> Vec<Vec<(String, String, String)>> {
    cookie_stores(home).iter().map(|s| rows(s)).collect()
}

#[test]
fn fix_dry_run_json_has_one_pinned_shape_and_changes_nothing() {
    let home = sample_home("linux");
    let h = home.path();
    let before = snapshot(h);
    let run = loginfix(h, "linux", &["fix", "--dry-run", "--json"]);
    run.assert_code(0);
    assert_unchanged(&before, h);
    let json = run.json();
    // serde_json's map is sorted: the order here is not the document's.
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "clean",
            "command",
            "doctor",
            "dry_run",
            "hostname",
            "lang",
            "loginfix_version",
            "next_steps",
            "schema_version",
            "time",
            "user",
        ]
    );
    assert_eq!(json["command"], "fix");
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["lang"], "en");
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["clean"]["command"], "fix");
    assert_eq!(json["clean"]["dry_run"], true);
    assert!(json["clean"]["summary"]["would_remove"].as_u64().unwrap() > 0);
    assert!(json["clean"]["backup"].is_null());
    assert_eq!(json["doctor"]["command"], "doctor");
    assert!(json["doctor"]["findings"].is_array());
    // A dry run removed nothing: its first step is the clean itself, never "sign in". The
    // sample home has extensions known to interfere: acting on them comes second.
    assert_eq!(
        json["next_steps"],
        serde_json::json!([
            "run_the_clean",
            "act_on_findings",
            "check_status",
            "wait_after_failures",
            "try_private_window",
            "try_another_browser_or_network",
            "check_phone_clock"
        ])
    );
    // Ids stay English whatever the language; only the advice is translated.
    let ja = loginfix(h, "linux", &["--lang", "ja", "fix", "--dry-run", "--json"]).json();
    assert_eq!(ja["lang"], "ja");
    assert_eq!(ja["next_steps"], json["next_steps"]);
    let ids = |j: &serde_json::Value| -> Vec<String> {
        j["doctor"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&ja), ids(&json));
    let advice = ja["doctor"]["findings"][0]["advice"].as_str().unwrap();
    assert!(has_japanese(advice), "{advice}");
}

fn has_japanese(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'))
}

/// The English catalog's sentences that hold no placeholder, long enough to be telling:
/// none may appear in Japanese output.
fn english_sentences() -> Vec<String> {
    let en = std::fs::read_to_string(repo().join("locales/en.ftl")).unwrap();
    en.lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once(" = ").map(|(_, v)| v))
        .map(|v| v.split('{').next().unwrap_or_default().trim().to_string())
        .filter(|v| v.len() >= 12)
        .collect()
}

#[test]
fn lang_ja_speaks_japanese_and_no_english_advice() {
    let home = sample_home("linux");
    let h = home.path();
    let english = english_sentences();
    assert!(english.len() > 20);
    let runs = [
        loginfix(h, "linux", &["--lang", "ja", "fix", "--dry-run"]),
        loginfix_env(
            h,
            "linux",
            &["fix", "--dry-run"],
            &[("LANG", Path::new("ja_JP.UTF-8"))],
        ),
        loginfix(h, "linux", &["--lang", "ja", "doctor"]),
    ];
    for run in &runs {
        assert!(has_japanese(&run.stdout), "{}", run.stdout);
        for sentence in &english {
            assert!(
                !run.stdout.contains(sentence.as_str()),
                "English {sentence:?} in:\n{}",
                run.stdout
            );
        }
    }
    assert!(
        runs[0].stdout.contains("このあとの手順"),
        "{}",
        runs[0].stdout
    );
    assert!(
        runs[0].stdout.contains("拡張機能「uBlock Origin」"),
        "{}",
        runs[0].stdout
    );
    // LC_ALL comes first; C means English.
    let c = loginfix_env(
        h,
        "linux",
        &["fix", "--dry-run"],
        &[
            ("LC_ALL", Path::new("C")),
            ("LANG", Path::new("ja_JP.UTF-8")),
        ],
    );
    assert!(!has_japanese(&c.stdout), "{}", c.stdout);
    assert!(c.stdout.contains("What to do next:"), "{}", c.stdout);
}

#[test]
fn the_catalog_has_every_key_in_both_languages() {
    let read = |l: &str| std::fs::read_to_string(repo().join(format!("locales/{l}.ftl"))).unwrap();
    let en = loginfix::i18n::keys(&read("en"));
    let ja = loginfix::i18n::keys(&read("ja"));
    let missing_ja: Vec<_> = en.iter().filter(|k| !ja.contains(k)).collect();
    let missing_en: Vec<_> = ja.iter().filter(|k| !en.contains(k)).collect();
    assert!(missing_ja.is_empty(), "missing in ja.ftl: {missing_ja:?}");
    assert!(missing_en.is_empty(), "missing in en.ftl: {missing_en:?}");
    let mut unique = en.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), en.len(), "a key is defined twice");
}

#[cfg(unix)]
fn sleeping_chrome(home: &Path) -> std::process::Child {
    running_chromium(&home.join(".config/google-chrome"))
}

#[cfg(unix)]
#[test]
fn without_a_terminal_fix_never_waits_and_skips_an_open_browser() {
    let home = sample_home("linux");
    let h = home.path();
    let mut chrome = sleeping_chrome(h);
    let udd = h.join(".config/google-chrome");
    let chrome_before = snapshot(&udd);
    // No --yes, no terminal: a script; it must neither wait nor ask.
    let started = std::time::Instant::now();
    let run = loginfix(h, "linux", &["fix"]);
    chrome.kill().unwrap();
    chrome.wait().unwrap();
    run.assert_code(3);
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    assert!(
        run.stdout.contains("Google Chrome is still open"),
        "{}",
        run.stdout
    );
    assert_unchanged(&chrome_before, &udd);
    // Firefox was cleaned.
    assert_eq!(
        rows(&h.join(FIREFOX).join("cookies.sqlite"))
            .iter()
            .filter(|r| is_target_row(r))
            .count(),
        0
    );
}

/// The guided mode on a real terminal: a pty from `openpty`, made the child's
/// controlling terminal so that Ctrl-C typed into it is a SIGINT, as for a person.
#[cfg(unix)]
pub(crate) mod terminal {
    use std::io::{Read, Write};
    use std::os::fd::FromRawFd;
    use std::os::unix::process::CommandExt;
    use std::path::Path;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use super::*;

    pub struct Term {
        master: std::fs::File,
        child: std::process::Child,
        seen: Arc<Mutex<Vec<u8>>>,
    }

    impl Term {
        /// Runs a plain `loginfix` (no argument) on a new terminal, `HOME` at `home`.
        pub fn plain(home: &Path, env: &[(&str, &str)]) -> Term {
            Term::run(&[], home, env)
        }

        /// Runs `loginfix ARGS` on a new terminal, `HOME` at `home`.
        pub fn run(args: &[&str], home: &Path, env: &[(&str, &str)]) -> Term {
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_loginfix"));
            cmd.args(args)
                .env_clear()
                .env("HOME", home)
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("TERM", "dumb")
                .env("NO_COLOR", "1")
                .envs(env.iter().copied());
            Term::spawn(cmd)
        }

        /// Runs `cmd` on a new terminal: its stdin, stdout and stderr, and its
        /// controlling terminal.
        pub fn spawn(cmd: std::process::Command) -> Term {
            Term::spawn_with(cmd, false)
        }

        /// [`Term::spawn`] on a terminal in raw mode from the start, for a program that
        /// reads keys itself (Wine's console): the terminal neither echoes nor turns
        /// Enter's `\r` into `\n`, whenever the program gets to set its own mode.
        pub fn spawn_raw(cmd: std::process::Command) -> Term {
            Term::spawn_with(cmd, true)
        }

        fn spawn_with(mut cmd: std::process::Command, raw: bool) -> Term {
            let (mut master, mut slave) = (0, 0);
            // SAFETY: openpty writes two descriptors into the integers given; the name,
            // termios and window size pointers may be null.
            let rc = unsafe {
                libc::openpty(
                    &mut master,
                    &mut slave,
                    std::ptr::null_mut(),
                    std::ptr::null(),
                    std::ptr::null(),
                )
            };
            assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
            if raw {
                // SAFETY: `t` is a plain C struct that tcgetattr fills in for the open
                // descriptor `slave`; cfmakeraw and tcsetattr only read and write it.
                unsafe {
                    let mut t: libc::termios = std::mem::zeroed();
                    assert_eq!(libc::tcgetattr(slave, &mut t), 0);
                    libc::cfmakeraw(&mut t);
                    assert_eq!(libc::tcsetattr(slave, libc::TCSANOW, &t), 0);
                }
            }
            // SAFETY: both descriptors were just opened and are owned by nobody else.
            let (master, slave) = unsafe {
                (
                    std::fs::File::from_raw_fd(master),
                    std::fs::File::from_raw_fd(slave),
                )
            };
            cmd.stdin(slave.try_clone().unwrap())
                .stdout(slave.try_clone().unwrap())
                .stderr(slave);
            // SAFETY: only async-signal-safe calls between fork and exec.
            unsafe {
                cmd.pre_exec(|| {
                    if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
            let child = cmd.spawn().unwrap();
            // Our copies of the slave end are closed with `cmd`: EOF comes with the child.
            drop(cmd);
            let seen = Arc::new(Mutex::new(Vec::new()));
            let mut reader = master.try_clone().unwrap();
            let sink = Arc::clone(&seen);
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                // Linux reports the closed slave end as EIO: the end either way.
                while let Ok(n) = reader.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    sink.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            });
            Term {
                master,
                child,
                seen,
            }
        }

        /// What the terminal showed so far, without the carriage returns it adds.
        pub fn text(&self) -> String {
            String::from_utf8_lossy(&self.seen.lock().unwrap()).replace('\r', "")
        }

        /// Waits until the terminal shows `needle`.
        #[track_caller]
        pub fn expect(&mut self, needle: &str) {
            let end = Instant::now() + Duration::from_secs(60);
            while !self.text().contains(needle) {
                if Instant::now() > end || self.child.try_wait().unwrap().is_some() {
                    std::thread::sleep(Duration::from_millis(200));
                    assert!(
                        self.text().contains(needle),
                        "{needle:?} never shown:\n{}",
                        self.text()
                    );
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }

        /// The program's process id.
        pub fn pid(&self) -> u32 {
            self.child.id()
        }

        /// Whether the program still runs (waits for input, say).
        pub fn running(&mut self) -> bool {
            self.child.try_wait().unwrap().is_none()
        }

        pub fn type_in(&mut self, keys: &str) {
            self.master.write_all(keys.as_bytes()).unwrap();
            self.master.flush().unwrap();
        }

        /// Waits for the exit; the code and everything shown.
        pub fn finish(mut self) -> (i32, String) {
            let end = Instant::now() + Duration::from_secs(120);
            let status = loop {
                if let Some(status) = self.child.try_wait().unwrap() {
                    break status;
                }
                if Instant::now() > end {
                    let _ = self.child.kill();
                    panic!("loginfix did not end:\n{}", self.text());
                }
                std::thread::sleep(Duration::from_millis(50));
            };
            std::thread::sleep(Duration::from_millis(200));
            (status.code().unwrap_or(-1), self.text())
        }
    }

    /// A test that fails half-way leaves no program waiting on its terminal (under Wine,
    /// one would keep the prefix's wineserver, and the next setup, waiting for ever).
    impl Drop for Term {
        fn drop(&mut self) {
            if self.child.try_wait().ok().flatten().is_none() {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
    }

    #[test]
    fn guided_no_at_the_question_changes_nothing_in_english_and_japanese() {
        for (lang, keep, question, nothing) in [
            (
                "en_US.UTF-8",
                "Your other sites stay signed in",
                "Remove these? [Y/n] (Enter = yes)",
                "Nothing was changed.",
            ),
            (
                "ja_JP.UTF-8",
                "ほかのサイトのログイン状態はそのまま残ります",
                "削除してよろしいですか？ [Y/n]（Enter＝はい）",
                "何も変更しませんでした。",
            ),
        ] {
            let home = sample_home("linux");
            let before = snapshot(home.path());
            let mut term = Term::plain(home.path(), &[("LANG", lang)]);
            term.expect(question);
            term.type_in("n\n");
            let (code, text) = term.finish();
            assert_eq!(code, 0, "{text}");
            assert!(text.contains(keep), "{text}");
            assert!(text.contains(nothing), "{text}");
            assert_unchanged(&before, home.path());
        }
    }

    /// Support staff walking a person through another account: `loginfix --home DIR --os
    /// OS --lang ja` is the guided mode too, on that home.
    #[test]
    fn guided_starts_with_only_home_os_and_lang() {
        let home = sample_home("linux");
        let own = tempfile::tempdir().unwrap();
        let before = snapshot(home.path());
        let h = home.path().to_str().unwrap();
        let mut term = Term::run(
            &["--home", h, "--os", "linux", "--lang", "ja"],
            own.path(),
            &[],
        );
        term.expect("ほかのサイトのログイン状態はそのまま残ります");
        term.expect("削除してよろしいですか？");
        term.type_in("n\n");
        let (code, text) = term.finish();
        assert_eq!(code, 0, "{text}");
        assert!(text.contains("Google Chrome"), "{text}");
        assert_unchanged(&before, home.path());
        // Anything more than whose data and which words is not the guided mode, even on
        // a terminal: clap's usage error, nothing asked.
        let term = Term::run(&["--home", h, "--os", "linux", "-v"], own.path(), &[]);
        let (code, text) = term.finish();
        assert_eq!(code, 2, "{text}");
        assert!(!text.contains("削除してよろしいですか"), "{text}");
    }

    #[test]
    fn guided_waits_for_an_open_browser_then_cleans_in_japanese() {
        let home = sample_home("linux");
        let h = home.path();
        let mut chrome = sleeping_chrome(h);
        let mut term = Term::plain(h, &[("LANG", "ja_JP.UTF-8")]);
        term.expect("Google Chrome が起動しています");
        term.expect("Google Chrome が終了するのを待っています");
        // Still waiting, nothing asked yet, nothing changed.
        std::thread::sleep(std::time::Duration::from_millis(1200));
        assert!(!term.text().contains("[Y/n]"), "{}", term.text());
        assert!(target_cookies(h) > 0);
        chrome.kill().unwrap();
        chrome.wait().unwrap();
        term.expect("Google Chrome が終了しました");
        term.expect("[Y/n]");
        term.type_in("y\n");
        let (code, text) = term.finish();
        assert_eq!(code, 0, "{text}");
        assert!(text.contains("次のデータを削除しました"), "{text}");
        assert!(
            text.contains("元に戻したいときは、次のように入力してください：`loginfix restore"),
            "{text}"
        );
        assert!(text.contains("このあとの手順"), "{text}");
        assert!(!text.contains("What to do next"), "{text}");
        assert_eq!(target_cookies(h), 0);
        assert_eq!(backup_sets(h), 1);
    }

    #[test]
    fn ctrl_c_while_waiting_ends_cleanly_with_nothing_changed() {
        let home = sample_home("linux");
        let h = home.path();
        let mut chrome = sleeping_chrome(h);
        let before = snapshot(h);
        let mut term = Term::plain(h, &[("LANG", "en_US.UTF-8")]);
        term.expect("Google Chrome is open. Please quit Google Chrome");
        term.expect("Waiting for Google Chrome to close");
        term.type_in("\u{3}");
        let (code, text) = term.finish();
        chrome.kill().unwrap();
        chrome.wait().unwrap();
        assert_eq!(code, 130, "{text}");
        assert!(text.contains("Stopped. Nothing was changed."), "{text}");
        assert_unchanged(&before, h);
    }

    #[test]
    fn ctrl_c_at_the_question_changes_nothing() {
        let home = sample_home("linux");
        let before = snapshot(home.path());
        let mut term = Term::plain(home.path(), &[]);
        term.expect("Remove these? [Y/n] (Enter = yes)");
        term.type_in("\u{3}");
        let (code, text) = term.finish();
        assert_eq!(code, 130, "{text}");
        assert!(text.contains("Stopped. Nothing was changed."), "{text}");
        assert_unchanged(&before, home.path());
    }

    /// A damaged store is told with the plan, before the question, in the person's
    /// language; it is left as it is.
    #[test]
    fn a_damaged_store_is_told_before_the_question() {
        let home = sample_home("linux");
        let h = home.path();
        let damaged = h.join(".config/google-chrome/Profile 1/Cookies");
        std::fs::write(&damaged, b"this is not a database, it was damaged").unwrap();
        let mut term = Term::plain(h, &[("LANG", "ja_JP.UTF-8")]);
        term.expect("削除してよろしいですか？");
        let before_question = term.text();
        let told = before_question
            .split_once("次のものは変更しません")
            .map(|(_, t)| t.to_string())
            .unwrap_or_default();
        assert!(
            told.contains(&format!("{} を読み取れませんでした", damaged.display())),
            "{before_question}"
        );
        term.type_in("n\n");
        let (code, _) = term.finish();
        assert_eq!(code, 0);
        assert_eq!(
            std::fs::read(&damaged).unwrap(),
            b"this is not a database, it was damaged"
        );
    }

    /// Enter alone does what the prompt says: yes with a backup kept (the clean runs and
    /// can be undone), no without one (nothing changes).
    #[test]
    fn enter_at_the_question_does_what_the_prompt_says() {
        let home = sample_home("linux");
        let h = home.path();
        let mut term = Term::plain(h, &[("LANG", "en_US.UTF-8")]);
        term.expect("Remove these? [Y/n] (Enter = yes)");
        term.type_in("\n");
        let (code, text) = term.finish();
        assert_eq!(code, 0, "{text}");
        assert!(text.contains("Removed this data of"), "{text}");
        assert_eq!(target_cookies(h), 0);
        assert_eq!(backup_sets(h), 1);

        let home = sample_home("linux");
        let h = home.path();
        let before = snapshot(h);
        let mut term = Term::run(&["fix", "--no-backup"], h, &[("LANG", "ja_JP.UTF-8")]);
        term.expect("バックアップは作りません。削除してよろしいですか？ [y/N]（Enter＝いいえ）");
        term.type_in("\n");
        let (code, text) = term.finish();
        assert_eq!(code, 0, "{text}");
        assert!(text.contains("何も変更しませんでした"), "{text}");
        assert_unchanged(&before, h);
    }

    #[test]
    fn a_plain_loginfix_with_only_lang_is_guided_too() {
        let home = sample_home("linux");
        let before = snapshot(home.path());
        let mut term = Term::run(&["--lang", "ja"], home.path(), &[("LANG", "C")]);
        term.expect("削除してよろしいですか？ [Y/n]（Enter＝はい）");
        term.type_in("n\n");
        let (code, text) = term.finish();
        assert_eq!(code, 0, "{text}");
        assert!(
            text.contains("見つかったブラウザー：Google Chrome"),
            "{text}"
        );
        assert_unchanged(&before, home.path());
    }
}
